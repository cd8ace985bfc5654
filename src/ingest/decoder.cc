// Preflight checks, format dispatch, and the page loop shared by the sandboxed child
// and the in-process path.
#include "ingest/decoder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <new>
#include <opencv2/core.hpp>
#include <thread>

namespace smartocr::ingest {

namespace {

constexpr size_t kSniffBytes = 1024;

core::Result<std::string> ReadHead(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return core::IoError("read_failed", "cannot open " + path + ": " + std::strerror(errno));
  }
  std::string head(kSniffBytes, '\0');
  size_t got = 0;
  while (got < head.size()) {
    ssize_t n = read(fd, head.data() + got, head.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      close(fd);
      return core::IoError("read_failed", "cannot read " + path + ": " + std::strerror(err));
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  close(fd);
  head.resize(got);
  return head;
}

core::Result<Page> DecodeGuarded(PageDecoder& decoder, int number) {
  // A hostile file can make a decoder ask for more memory than the sandbox allows;
  // that surfaces here as an exception rather than a crash.
  try {
    return decoder.DecodePage(number);
  } catch (const std::bad_alloc&) {
    return core::ResourceExhausted("decoder_memory",
                                   "out of memory decoding page " + std::to_string(number));
  } catch (const cv::Exception& e) {
    if (e.code == cv::Error::StsNoMem) {
      return core::ResourceExhausted("decoder_memory", e.what());
    }
    return core::CorruptInput("decode_failed", e.what());
  }
}

// Pulls the selected pages from a PageDecoder one at a time.
class LocalSource : public DocumentSource {
 public:
  LocalSource(std::unique_ptr<PageDecoder> decoder, core::PageRange pages, int image_dpi)
      : decoder_(std::move(decoder)), pages_(std::move(pages)), image_dpi_(image_dpi) {}

  FileType type() const override { return decoder_->type(); }
  int page_count() const override { return decoder_->page_count(); }
  int selected_page_count() const override { return pages_.CountIn(decoder_->page_count()); }
  std::optional<EmbeddedInvoice> embedded_invoice() const override {
    return decoder_->FindEmbeddedInvoice();
  }

  core::Result<std::optional<Page>> Next() override {
    if (!status_.ok()) return status_;
    int count = decoder_->page_count();
    while (last_ < count && !pages_.Contains(last_ + 1)) ++last_;
    if (last_ >= count) return std::optional<Page>();
    ++last_;
    core::Result<Page> page = DecodeGuarded(*decoder_, last_);
    if (!page.ok()) {
      status_ = page.status().WithContext("page " + std::to_string(last_));
      return status_;
    }
    if (decoder_->type() != FileType::kPdf) SettleImageDpi(*page);
    return std::optional<Page>(*std::move(page));
  }

 private:
  // The caller's resolution over the image's own tag; a tag out of the credible range
  // is no tag.
  void SettleImageDpi(Page& page) const {
    if (image_dpi_ > 0) {
      page.dpi = image_dpi_;
      page.dpi_source = core::DpiSource::kOption;
    } else if (page.dpi < kMinCredibleImageDpi || page.dpi > kMaxCredibleImageDpi) {
      page.dpi = 0;
      page.dpi_source = core::DpiSource::kUnknown;
    }
  }

  std::unique_ptr<PageDecoder> decoder_;
  core::PageRange pages_;
  int image_dpi_;
  int last_ = 0;         // the last page number looked at
  core::Status status_;  // sticky after the first error
};

core::Result<std::unique_ptr<PageDecoder>> OpenForType(const std::string& path, FileType type,
                                                       const IngestOptions& options) {
  try {
    switch (type) {
      case FileType::kPdf:
        return OpenPdfDecoder(path, options);
      case FileType::kTiff:
        return OpenTiffDecoder(path, options);
      case FileType::kPng:
      case FileType::kJpeg:
        return OpenRasterDecoder(path, type, options);
      case FileType::kUnknown:
        break;
    }
  } catch (const std::bad_alloc&) {
    return core::ResourceExhausted("decoder_memory", "out of memory opening " + path);
  }
  return core::UnsupportedFormat("unsupported_type", path + " has no decoder");
}

}  // namespace

core::Result<FileType> Preflight(const std::string& path, const Limits& limits) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return core::NotFound("no_such_file", "no such file: " + path);
    }
    return core::IoError("read_failed", "cannot stat " + path + ": " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    return core::InvalidArgument("is_directory", path + " is a directory");
  }
  if (!S_ISREG(st.st_mode)) {
    // A FIFO or device could block forever or never end.
    return core::InvalidArgument("not_regular_file", path + " is not a regular file");
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > limits.max_file_bytes) {
    return core::LimitExceeded("file_bytes", path + " has " + std::to_string(size) +
                                                 " bytes, over the limit of " +
                                                 std::to_string(limits.max_file_bytes));
  }
  if (size == 0) return core::CorruptInput("empty_file", path + " is empty");
  core::Result<std::string> head = ReadHead(path);
  if (!head.ok()) return head.status();
  FileType type = SniffType(*head);
  if (type == FileType::kUnknown) {
    return core::UnsupportedFormat("unsupported_type",
                                   path + " is not a PDF, PNG, JPEG or TIFF file");
  }
  return type;
}

core::Result<std::unique_ptr<DocumentSource>> OpenLocalSource(const std::string& path,
                                                              const IngestOptions& options) {
  core::Result<FileType> type = Preflight(path, options.limits);
  if (!type.ok()) return type.status();
  core::Result<std::unique_ptr<PageDecoder>> decoder = OpenForType(path, *type, options);
  if (!decoder.ok()) return decoder.status();
  int pages = (*decoder)->page_count();
  if (pages > options.limits.max_pages) {
    return core::LimitExceeded("page_count", path + " has " + std::to_string(pages) +
                                                 " pages, over the limit of " +
                                                 std::to_string(options.limits.max_pages));
  }
  return std::unique_ptr<DocumentSource>(
      std::make_unique<LocalSource>(*std::move(decoder), options.pages, options.image_dpi));
}

void DecodeDocument(const std::string& path, const IngestOptions& options,
                    const DecodeTestHooks& hooks, PageWriter& writer) {
  core::Result<std::unique_ptr<DocumentSource>> source = OpenLocalSource(path, options);
  if (!source.ok()) {
    writer.WriteError(source.status());
    return;
  }
  if (!writer.WriteInfo((*source)->type(), (*source)->page_count(),
                        (*source)->selected_page_count(), (*source)->embedded_invoice())) {
    return;
  }
  if (hooks.raise_signal != 0) std::raise(hooks.raise_signal);
  while (true) {
    if (hooks.sleep_ms_before_page > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(hooks.sleep_ms_before_page));
    }
    core::Result<std::optional<Page>> page = (*source)->Next();
    if (!page.ok()) {
      writer.WriteError(page.status());
      return;
    }
    if (!page->has_value()) break;
    if (!writer.WritePage(**page)) return;
  }
  writer.WriteEnd();
}

}  // namespace smartocr::ingest
