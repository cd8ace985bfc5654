// src/ingest/ingest.h
//
// Ingest: turns an input file (PDF, PNG, JPEG, TIFF; type detected by content) into a
// stream of pages. A PDF page with a usable text layer comes back as words with boxes
// (source kPdfText, no OCR needed); every other page comes back as a raster image.
//
// Untrusted bytes are decoded in a child process (the `smartocr-decode` helper) with
// memory and CPU limits and a wall-clock deadline per page, so a decoder that hangs or
// balloons on a hostile file costs that file an error, never the caller's process.
// Pages stream through a pipe: at most one decoded page waits ahead of the reader, so
// memory is bounded by pages in flight, not by document size.
//
//   ingest::IngestOptions options;
//   auto source = ingest::OpenDocument("scan.pdf", options);
//   if (!source.ok()) return source.status();
//   while (true) {
//     auto page = (*source)->Next();
//     if (!page.ok()) return page.status();
//     if (!page->has_value()) break;  // end of document
//     Use(**page);
//   }
#ifndef SMARTOCR_INGEST_INGEST_H_
#define SMARTOCR_INGEST_INGEST_H_

#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace smartocr::ingest {

enum class FileType { kUnknown, kPdf, kPng, kJpeg, kTiff };
const char* FileTypeName(FileType type);  // "pdf", "png", "jpeg", "tiff", "unknown"
// "application/pdf", "image/png", ...; "application/octet-stream" for kUnknown.
const char* MediaTypeOf(FileType type);

// Detects the type from the first bytes (magic numbers), never from the file name.
FileType SniffType(std::string_view head);

struct Limits {
  uint64_t max_file_bytes = 256ull << 20;  // reason "file_bytes"
  int max_pages = 5000;                    // reason "page_count"
  // Checked from headers before decoding. A PDF page too large at options.dpi fails
  // too (it is not rendered at a lower dpi: page sizes stay at the dpi asked).
  uint64_t max_page_pixels = 200'000'000;  // reason "page_pixels" (~ A0 at 300 dpi)
  // Words in one page's PDF text layer. A dense real page has a few thousand; a layer
  // of hundreds of thousands is a bomb whose layout would run unbounded after decoding.
  uint64_t max_text_layer_words = 50'000;  // reason "text_layer_words"
  // An embedded e-invoice XML larger than this is left out (the pages are still read):
  // real ones are tens of kilobytes.
  uint64_t max_embedded_invoice_bytes = 8ull << 20;
  // Wall-clock time for opening the document and for each page (sandboxed only).
  double page_timeout_s = 60;                  // reason "page_timeout" (kDeadlineExceeded)
  uint64_t decoder_memory_bytes = 3ull << 30;  // address-space cap of the decoder child
};

// An image's own resolution tag is believed within this range. Below it are the 72 and
// 96 dpi that cameras and screen-capture tools write when they know nothing (a phone
// photo of a receipt "at 72 dpi" would make a searchable PDF page a metre wide); the
// page's resolution is then estimated from its text instead.
inline constexpr double kMinCredibleImageDpi = 100;
inline constexpr double kMaxCredibleImageDpi = 4800;

struct IngestOptions {
  int dpi = 300;  // rasterization resolution for PDF pages
  // When set (the caller's --dpi), images take this resolution instead of their own
  // tag (source kOption). 0: an image's tag when it has one.
  int image_dpi = 0;
  core::PageRange pages;  // which pages to return
  Limits limits;
  // Also rasterize pages that have a text layer (needed for searchable-PDF output).
  bool render_text_pages = false;
  // A page's text layer counts as usable when it has at least this many
  // non-space characters and most of them are printable.
  int min_text_layer_chars = 16;
  // Path of the smartocr-decode helper; OpenDocument fails with kInvalidArgument
  // "decoder_path" when it is set but names no executable. Empty: $SMARTOCR_DECODER,
  // then smartocr-decode beside the running executable. When neither exists,
  // OpenDocument fails with kUnavailable "decoder_missing": outside bytes are only
  // decoded inside the sandbox, under its limits.
  std::string decoder_path;
  // Decode in this process instead: no sandbox, no memory cap, no page deadline. Only
  // for code that is itself the sandbox or a test harness of the decoders (fuzzing).
  bool in_process = false;
};

struct Page {
  int number = 0;  // 1-based page number in the document
  core::PageSource source = core::PageSource::kOcr;
  // Page size in pixels (at options.dpi for PDFs; the image size for images).
  int width = 0;
  int height = 0;
  // Resolution: options.dpi for PDF pages (kRender), an image's own tag within the
  // credible range (kImage), options.image_dpi (kOption), or 0 and kUnknown for an
  // image without a usable tag.
  double dpi = 0;
  core::DpiSource dpi_source = core::DpiSource::kUnknown;
  // 8-bit gray (CV_8UC1) or BGR (CV_8UC3). Empty for a kPdfText page unless
  // render_text_pages was set. EXIF orientation is already applied.
  cv::Mat image;
  // Words of the text layer (kPdfText only), boxes in pixels of width x height.
  std::vector<core::Word> words;
};

// A stream of pages from one document. One thread only.
// A machine-readable invoice attached to the input (a PDF/A-3 carrying Factur-X,
// ZUGFeRD or XRechnung XML), as found: the XML is outside input, parse it as such.
struct EmbeddedInvoice {
  std::string name;  // the attachment's file name, e.g. "factur-x.xml"
  std::string xml;
};

// True for the file names the e-invoice standards give their XML: factur-x.xml,
// zugferd-invoice.xml (ZUGFeRD-invoice.xml in 1.0), xrechnung.xml; any case. An
// attachment by another name counts when its XML is a Cross Industry invoice.
bool IsEmbeddedInvoiceName(std::string_view name);
inline constexpr size_t kMaxEmbeddedInvoiceNameBytes = 255;

class DocumentSource {
 public:
  virtual ~DocumentSource() = default;

  // The e-invoice embedded in the document, if any (known once the source is open).
  virtual std::optional<EmbeddedInvoice> embedded_invoice() const { return std::nullopt; }

  virtual FileType type() const = 0;
  // Pages in the document (before the PageRange selection).
  virtual int page_count() const = 0;
  // Pages that Next() will return in all.
  virtual int selected_page_count() const = 0;

  // The next selected page, std::nullopt at the end. After an error the source is
  // finished: later calls return the same error.
  virtual core::Result<std::optional<Page>> Next() = 0;
};

// Opens `path`. Fails with kNotFound (missing), kInvalidArgument (a directory),
// kUnsupportedFormat, kCorruptInput, kEncrypted, kLimitExceeded, kDeadlineExceeded,
// kResourceExhausted, or kIoError.
core::Result<std::unique_ptr<DocumentSource>> OpenDocument(const std::string& path,
                                                           const IngestOptions& options);

// Poppler's version string, for --version.
std::string PopplerVersion();

}  // namespace smartocr::ingest

#endif  // SMARTOCR_INGEST_INGEST_H_
