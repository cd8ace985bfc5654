// OpenDocument: cheap checks in-process, then the decoding in the sandboxed helper.
#include "ingest/ingest.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "core/text.h"
#include "ingest/decoder.h"
#include "ingest/sandboxed_source.h"

namespace smartocr::ingest {

namespace {

bool IsExecutable(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && access(path.c_str(), X_OK) == 0;
}

// The helper to run: options.decoder_path (which must exist), else $SMARTOCR_DECODER,
// else smartocr-decode beside the running executable. "" when there is none.
core::Result<std::string> FindDecoder(const IngestOptions& options) {
  if (!options.decoder_path.empty()) {
    // An explicit path that is wrong is a configuration mistake; silently dropping
    // the sandbox would hide it.
    if (IsExecutable(options.decoder_path)) return options.decoder_path;
    return core::InvalidArgument("decoder_path",
                                 "no decoder executable at " + options.decoder_path);
  }
  if (const char* env = std::getenv("SMARTOCR_DECODER"); env && *env && IsExecutable(env)) {
    return std::string(env);
  }
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    std::string beside = (self.parent_path() / "smartocr-decode").string();
    if (IsExecutable(beside)) return beside;
  }
  return std::string();
}

}  // namespace

bool IsEmbeddedInvoiceName(std::string_view name) {
  static constexpr std::string_view kNames[] = {"factur-x.xml", "zugferd-invoice.xml",
                                                "xrechnung.xml"};
  const std::string upper = core::AsciiUpper(name);
  for (std::string_view known : kNames) {
    if (upper == core::AsciiUpper(known)) return true;
  }
  return false;
}

core::Result<std::unique_ptr<DocumentSource>> OpenDocument(const std::string& path,
                                                           const IngestOptions& options) {
  if (options.dpi <= 0) {
    return core::InvalidArgument("dpi", "dpi must be positive, not " + std::to_string(options.dpi));
  }
  // Missing files, directories, size and type are answered without a child.
  core::Result<FileType> type = Preflight(path, options.limits);
  if (!type.ok()) return type.status();
  if (options.in_process) return OpenLocalSource(path, options);
  core::Result<std::string> decoder = FindDecoder(options);
  if (!decoder.ok()) return decoder.status();
  if (decoder->empty()) {
    return core::Unavailable("decoder_missing",
                             "smartocr-decode was not found beside this executable nor at "
                             "$SMARTOCR_DECODER; documents are only decoded in its sandbox");
  }
  // The child resolves the path itself; make it absolute in case it were ever run
  // from another directory.
  std::error_code ec;
  std::string absolute = std::filesystem::absolute(path, ec).string();
  return OpenSandboxedSource(*decoder, ec ? path : absolute, options);
}

}  // namespace smartocr::ingest
