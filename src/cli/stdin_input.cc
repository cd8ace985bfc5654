// src/cli/stdin_input.cc
#include "cli/stdin_input.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

namespace smartocr::cli {

namespace fs = std::filesystem;

core::Result<std::unique_ptr<StdinSpool>> StdinSpool::Read(std::FILE* in, uint64_t max_bytes) {
  std::error_code ec;
  std::string templ = (fs::temp_directory_path(ec) / "smartocr-stdin-XXXXXX").string();
  if (ec || mkdtemp(templ.data()) == nullptr) {
    return core::IoError("stdin_spool", "cannot create a temporary folder for standard input");
  }
  std::unique_ptr<StdinSpool> spool(new StdinSpool(templ, templ + "/stdin"));
  std::ofstream out(spool->path_, std::ios::binary | std::ios::trunc);
  if (!out) return core::IoError("stdin_spool", "cannot spool standard input");
  std::vector<char> buf(1 << 16);
  uint64_t total = 0;
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), in)) > 0) {
    total += n;
    if (total > max_bytes || !out.write(buf.data(), static_cast<std::streamsize>(n))) break;
  }
  const bool read_failed = std::ferror(in) != 0;
  out.close();
  const bool write_failed = !out;
  if (total > max_bytes) {
    return core::LimitExceeded("file_bytes", "standard input has more than " +
                                                 std::to_string(max_bytes) +
                                                 " bytes (the input size limit)");
  }
  if (read_failed) return core::IoError("stdin_read", "cannot read standard input");
  if (write_failed) return core::IoError("stdin_spool", "cannot spool standard input");
  if (total == 0) return core::InvalidArgument("stdin_empty", "standard input is empty");
  return spool;
}

StdinSpool::~StdinSpool() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

}  // namespace smartocr::cli
