#include "ingest/frame.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace smartocr::ingest {

namespace {

constexpr uint32_t kMagic = 0x46434f53;  // "SOCF" in little-endian byte order
// Words, reasons and messages of one page: generous, but far below memory trouble.
constexpr uint64_t kMaxMetaBytes = 64ull << 20;
constexpr uint32_t kMaxWords = 1'000'000;

struct FrameHeader {
  uint32_t magic;
  uint32_t kind;
  uint64_t meta_len;
  uint64_t pixel_len;
};

template <typename T>
void Put(std::string& out, T value) {
  static_assert(std::is_trivially_copyable_v<T>);
  out.append(reinterpret_cast<const char*>(&value), sizeof(value));
}

void PutString(std::string& out, std::string_view s) {
  Put<uint32_t>(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

// Bounds-checked cursor over a frame's meta bytes.
class MetaReader {
 public:
  explicit MetaReader(std::string_view bytes) : bytes_(bytes) {}

  template <typename T>
  bool Get(T* value) {
    if (bytes_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(value, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }

  bool GetString(std::string* s) {
    uint32_t size = 0;
    if (!Get(&size) || bytes_.size() - pos_ < size) return false;
    s->assign(bytes_.data() + pos_, size);
    pos_ += size;
    return true;
  }

  bool done() const { return pos_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

core::Status Protocol(const std::string& what) {
  return core::Internal("decoder_protocol", "malformed frame from the decoder: " + what);
}

bool WriteAll(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool ParsePageMeta(MetaReader& in, Page* page, int* channels) {
  int32_t source = 0;
  int32_t dpi_source = 0;
  uint32_t word_count = 0;
  if (!in.Get(&page->number) || !in.Get(&source) || !in.Get(&page->width) ||
      !in.Get(&page->height) || !in.Get(&page->dpi) || !in.Get(&dpi_source) || !in.Get(channels) ||
      !in.Get(&word_count)) {
    return false;
  }
  if (source != static_cast<int32_t>(core::PageSource::kOcr) &&
      source != static_cast<int32_t>(core::PageSource::kPdfText)) {
    return false;
  }
  if (dpi_source < 0 || dpi_source > static_cast<int32_t>(core::DpiSource::kAssumed) ||
      !std::isfinite(page->dpi) || page->dpi < 0) {
    return false;
  }
  page->source = static_cast<core::PageSource>(source);
  page->dpi_source = static_cast<core::DpiSource>(dpi_source);
  if (word_count > kMaxWords) return false;
  page->words.resize(word_count);
  for (core::Word& word : page->words) {
    if (!in.GetString(&word.text) || !in.Get(&word.box.x0) || !in.Get(&word.box.y0) ||
        !in.Get(&word.box.x1) || !in.Get(&word.box.y1) || !in.Get(&word.confidence)) {
      return false;
    }
  }
  return in.done();
}

}  // namespace

bool FdFrameWriter::WriteFrame(FrameKind kind, const std::string& meta, const cv::Mat& pixels) {
  uint64_t row_bytes = pixels.empty() ? 0 : pixels.cols * pixels.elemSize();
  FrameHeader header{kMagic, static_cast<uint32_t>(kind), meta.size(),
                     row_bytes * static_cast<uint64_t>(pixels.rows)};
  if (!WriteAll(fd_, &header, sizeof(header)) || !WriteAll(fd_, meta.data(), meta.size())) {
    return false;
  }
  for (int y = 0; y < pixels.rows; ++y) {
    if (!WriteAll(fd_, pixels.ptr(y), row_bytes)) return false;
  }
  return true;
}

bool FdFrameWriter::WriteInfo(FileType type, int page_count, int selected_page_count,
                              const std::optional<EmbeddedInvoice>& invoice) {
  std::string meta;
  Put<int32_t>(meta, static_cast<int32_t>(type));
  Put<int32_t>(meta, page_count);
  Put<int32_t>(meta, selected_page_count);
  // The embedded e-invoice, when there is one, follows the counts.
  if (invoice) {
    PutString(meta, invoice->name);
    PutString(meta, invoice->xml);
  }
  return WriteFrame(FrameKind::kInfo, meta, cv::Mat());
}

bool FdFrameWriter::WritePage(const Page& page) {
  std::string meta;
  Put<int32_t>(meta, page.number);
  Put<int32_t>(meta, static_cast<int32_t>(page.source));
  Put<int32_t>(meta, page.width);
  Put<int32_t>(meta, page.height);
  Put(meta, page.dpi);
  Put<int32_t>(meta, static_cast<int32_t>(page.dpi_source));
  Put<int32_t>(meta, page.image.empty() ? 0 : page.image.channels());
  Put<uint32_t>(meta, static_cast<uint32_t>(page.words.size()));
  for (const core::Word& word : page.words) {
    PutString(meta, word.text);
    Put(meta, word.box.x0);
    Put(meta, word.box.y0);
    Put(meta, word.box.x1);
    Put(meta, word.box.y1);
    Put(meta, word.confidence);
  }
  return WriteFrame(FrameKind::kPage, meta, page.image);
}

bool FdFrameWriter::WriteError(const core::Status& status) {
  std::string meta;
  Put<int32_t>(meta, static_cast<int32_t>(status.code()));
  PutString(meta, status.reason());
  PutString(meta, status.message());
  return WriteFrame(FrameKind::kError, meta, cv::Mat());
}

bool FdFrameWriter::WriteEnd() { return WriteFrame(FrameKind::kEnd, std::string(), cv::Mat()); }

core::Status FrameReader::ReadExact(void* dst, size_t size, Deadline deadline) {
  char* p = static_cast<char*>(dst);
  while (size > 0) {
    auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return core::DeadlineExceeded("page_timeout", "the decoder ran past the page deadline");
    }
    pollfd pfd{fd_, POLLIN, 0};
    int ready = poll(&pfd, 1, static_cast<int>(std::min<int64_t>(left.count(), 1'000'000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return core::Internal("decoder_pipe", std::strerror(errno));
    if (ready == 0) continue;  // the deadline check above ends the loop
    ssize_t n = read(fd_, p, size);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) return core::Internal("decoder_pipe", std::strerror(errno));
    if (n == 0) return core::Internal("decoder_eof", "the decoder closed its pipe");
    p += n;
    size -= static_cast<size_t>(n);
  }
  return core::Status::Ok();
}

core::Result<FrameKind> FrameReader::Read(Deadline deadline, DocInfo* info, Page* page,
                                          core::Status* error) {
  FrameHeader header{};
  SMARTOCR_RETURN_IF_ERROR(ReadExact(&header, sizeof(header), deadline));
  if (header.magic != kMagic) return Protocol("bad magic");
  if (header.meta_len > kMaxMetaBytes) return Protocol("meta too long");
  std::string meta(header.meta_len, '\0');
  SMARTOCR_RETURN_IF_ERROR(ReadExact(meta.data(), meta.size(), deadline));
  MetaReader in(meta);
  auto kind = static_cast<FrameKind>(header.kind);
  if (kind != FrameKind::kPage && header.pixel_len != 0) return Protocol("unexpected pixels");
  switch (kind) {
    case FrameKind::kInfo: {
      if (info == nullptr) return Protocol("unexpected info");
      int32_t type = 0;
      if (!in.Get(&type) || !in.Get(&info->page_count) || !in.Get(&info->selected_page_count) ||
          type <= 0 || type > static_cast<int32_t>(FileType::kTiff)) {
        return Protocol("info");
      }
      if (!in.done()) {
        EmbeddedInvoice invoice;
        if (!in.GetString(&invoice.name) || !in.GetString(&invoice.xml) || !in.done() ||
            invoice.name.size() > kMaxEmbeddedInvoiceNameBytes ||
            invoice.xml.size() > max_invoice_bytes_) {
          return Protocol("info invoice");
        }
        info->invoice = std::move(invoice);
      }
      info->type = static_cast<FileType>(type);
      return kind;
    }
    case FrameKind::kPage: {
      if (page == nullptr) return Protocol("unexpected page");
      *page = Page();
      int channels = 0;
      if (!ParsePageMeta(in, page, &channels)) return Protocol("page");
      if (channels == 0) {
        if (header.pixel_len != 0) return Protocol("pixels without an image");
        return kind;
      }
      if ((channels != 1 && channels != 3) || page->width <= 0 || page->height <= 0) {
        return Protocol("image shape");
      }
      uint64_t pixels = uint64_t(page->width) * uint64_t(page->height);
      if (pixels > max_page_pixels_ || header.pixel_len != pixels * uint64_t(channels)) {
        return Protocol("pixel length");
      }
      page->image.create(page->height, page->width, channels == 1 ? CV_8UC1 : CV_8UC3);
      SMARTOCR_RETURN_IF_ERROR(ReadExact(page->image.data, header.pixel_len, deadline));
      return kind;
    }
    case FrameKind::kError: {
      int32_t code = 0;
      std::string reason, message;
      if (!in.Get(&code) || !in.GetString(&reason) || !in.GetString(&message) || !in.done() ||
          code <= 0 || code > static_cast<int32_t>(core::StatusCode::kCancelled)) {
        return Protocol("error");
      }
      *error = core::Status(static_cast<core::StatusCode>(code), reason, message);
      return kind;
    }
    case FrameKind::kEnd:
      if (!in.done()) return Protocol("end");
      return kind;
  }
  return Protocol("unknown kind");
}

}  // namespace smartocr::ingest
