// src/ingest/frame.h
//
// Private to the ingest module. The pipe protocol between the smartocr-decode child
// and its parent. Every frame is a fixed header
//   u32 magic "SOCF", u32 kind, u64 meta_len, u64 pixel_len   (host byte order)
// followed by meta_len bytes of fields and pixel_len bytes of pixels (page frames
// only). The child sends one kInfo frame, then kPage frames, then kEnd or kError.
// The parent checks every length against its limits before reading or allocating.
#ifndef SMARTOCR_INGEST_FRAME_H_
#define SMARTOCR_INGEST_FRAME_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "core/core.h"
#include "ingest/decoder.h"
#include "ingest/ingest.h"

namespace smartocr::ingest {

enum class FrameKind : uint32_t { kInfo = 1, kPage = 2, kError = 3, kEnd = 4 };

// Writes frames to a pipe (the child's stdout). Write calls return false once the
// reader is gone (EPIPE) or on another write error.
class FdFrameWriter : public PageWriter {
 public:
  explicit FdFrameWriter(int fd) : fd_(fd) {}

  bool WriteInfo(FileType type, int page_count, int selected_page_count,
                 const std::optional<EmbeddedInvoice>& invoice) override;
  bool WritePage(const Page& page) override;
  bool WriteError(const core::Status& status) override;
  bool WriteEnd() override;

 private:
  bool WriteFrame(FrameKind kind, const std::string& meta, const cv::Mat& pixels);

  int fd_;
};

struct DocInfo {
  FileType type = FileType::kUnknown;
  int page_count = 0;
  int selected_page_count = 0;
  std::optional<EmbeddedInvoice> invoice;
};

using Deadline = std::chrono::steady_clock::time_point;

// Reads frames from a pipe with poll() and a deadline. One thread only.
class FrameReader {
 public:
  // `max_page_pixels` bounds the pixel payload (x3 channels) accepted in a page frame.
  // `max_invoice_bytes` bounds an embedded e-invoice in the info frame.
  FrameReader(int fd, uint64_t max_page_pixels, uint64_t max_invoice_bytes)
      : fd_(fd), max_page_pixels_(max_page_pixels), max_invoice_bytes_(max_invoice_bytes) {}

  // Reads the next frame. The output filled depends on the kind: kInfo -> *info,
  // kPage -> *page, kError -> *error (the status the child sent); kEnd -> none.
  // Fails with kDeadlineExceeded "page_timeout" at the deadline, kInternal
  // "decoder_eof" when the pipe closes first, or kInternal "decoder_protocol" on a
  // malformed frame.
  core::Result<FrameKind> Read(Deadline deadline, DocInfo* info, Page* page, core::Status* error);

 private:
  core::Status ReadExact(void* dst, size_t size, Deadline deadline);

  int fd_;
  uint64_t max_page_pixels_;
  uint64_t max_invoice_bytes_;
};

}  // namespace smartocr::ingest

#endif  // SMARTOCR_INGEST_FRAME_H_
