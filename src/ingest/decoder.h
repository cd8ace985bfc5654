// src/ingest/decoder.h
//
// Private to the ingest module. The format decoders behind one pull interface, and
// DecodeDocument, the loop that runs them over the selected pages and hands each page
// to a PageWriter. The same code runs in the sandboxed child (smartocr-decode, whose
// writer frames pages onto a pipe) and in-process (no helper found).
#ifndef SMARTOCR_INGEST_DECODER_H_
#define SMARTOCR_INGEST_DECODER_H_

#include <memory>
#include <string>

#include "core/core.h"
#include "ingest/ingest.h"

namespace smartocr::ingest {

// One open document of one format. One thread only.
class PageDecoder {
 public:
  virtual ~PageDecoder() = default;

  virtual FileType type() const = 0;
  virtual int page_count() const = 0;
  // Decodes page `number` (1-based, 1..page_count()), checking the per-page pixel limit
  // from the page's header before decoding its pixels.
  virtual core::Result<Page> DecodePage(int number) = 0;
  // The e-invoice XML attached to the document (PDF only), within
  // limits.max_embedded_invoice_bytes.
  virtual std::optional<EmbeddedInvoice> FindEmbeddedInvoice() const { return std::nullopt; }
};

// Checks that `path` is a non-empty regular file within limits.max_file_bytes and
// sniffs its type. Fails with kNotFound "no_such_file", kInvalidArgument
// "is_directory"/"not_regular_file", kLimitExceeded "file_bytes", kCorruptInput
// "empty_file", kUnsupportedFormat "unsupported_type" or kIoError "read_failed".
core::Result<FileType> Preflight(const std::string& path, const Limits& limits);

// Preflights `path`, opens the decoder for its type and checks the page-count limit:
// a DocumentSource that decodes in the calling process, one page per Next() (the
// in-process path, and the engine inside the sandboxed child). Fails as Preflight,
// or with kLimitExceeded "page_count", or with the opener's error (kCorruptInput
// "corrupt_pdf"/"no_pages"/"corrupt_tiff"/..., kEncrypted "encrypted_pdf",
// kLimitExceeded "page_pixels" for a single image).
core::Result<std::unique_ptr<DocumentSource>> OpenLocalSource(const std::string& path,
                                                              const IngestOptions& options);

// Per-format openers; `path` has passed Preflight. Each checks nothing beyond its format.
core::Result<std::unique_ptr<PageDecoder>> OpenPdfDecoder(const std::string& path,
                                                          const IngestOptions& options);
core::Result<std::unique_ptr<PageDecoder>> OpenRasterDecoder(const std::string& path, FileType type,
                                                             const IngestOptions& options);
core::Result<std::unique_ptr<PageDecoder>> OpenTiffDecoder(const std::string& path,
                                                           const IngestOptions& options);

// Where DecodeDocument sends its output. Each Write returns false when the reader has
// gone away; DecodeDocument then stops.
class PageWriter {
 public:
  virtual ~PageWriter() = default;
  // Called once, first, when the document opened.
  virtual bool WriteInfo(FileType type, int page_count, int selected_page_count,
                         const std::optional<EmbeddedInvoice>& invoice) = 0;
  virtual bool WritePage(const Page& page) = 0;
  // Last call on failure (at open or on a page); no WriteEnd follows.
  virtual bool WriteError(const core::Status& status) = 0;
  // Last call on success.
  virtual bool WriteEnd() = 0;
};

// Test hooks of the sandboxed child, read from its environment only: a pause before
// each page, and a signal it raises on itself before the first page.
struct DecodeTestHooks {
  int sleep_ms_before_page = 0;
  int raise_signal = 0;
};

// Opens `path` with OpenLocalSource and writes its selected pages to `writer`, one at
// a time: the loop of the sandboxed child.
void DecodeDocument(const std::string& path, const IngestOptions& options,
                    const DecodeTestHooks& hooks, PageWriter& writer);

}  // namespace smartocr::ingest

#endif  // SMARTOCR_INGEST_DECODER_H_
