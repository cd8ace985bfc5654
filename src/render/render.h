// src/render/render.h
//
// Render: writes a DocumentResult as JSON (docs/output-schema.md), plain text in
// reading order, hOCR, or a searchable PDF (each page image with an invisible text
// layer placed over the words, so text selection and `pdftotext` work).
//
// The PDF writer streams: each page is written as it is added, so memory holds one
// page image at a time.
#ifndef SMARTOCR_RENDER_RENDER_H_
#define SMARTOCR_RENDER_RENDER_H_

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <string>
#include <string_view>

#include "core/core.h"

namespace smartocr::render {

// The JSON document (docs/output-schema.md). Boxes normalized to 0..1, numbers finite,
// strings valid UTF-8 (invalid bytes become U+FFFD), so dumping it never throws.
nlohmann::json ToJson(const core::DocumentResult& doc);
// One page, or one field of `doc`, as ToJson writes it inside the document (for rows
// that keep a page's blocks or a field's box as JSON).
nlohmann::json PageToJson(const core::PageResult& page);
nlohmann::json FieldToJson(const core::DocumentResult& doc, const core::Field& field);
// Pretty, keys in schema order, boxes on one line, ends with '\n'. Deterministic.
std::string RenderJson(const core::DocumentResult& doc);
// The other direction: a result JSON (as RenderJson wrote it) read back into a document,
// boxes in pixels again. Every key RenderJson writes is read, so
// RenderJson(*ParseResultJson(RenderJson(doc))) == RenderJson(doc). Fails with kInternal
// "result_json" when `text` is not a result document.
core::Result<core::DocumentResult> ParseResultJson(std::string_view text);
// Page texts in reading order, pages separated by a form feed ('\f'), each page ending
// with one '\n' ("" for no pages).
std::string RenderText(const core::DocumentResult& doc);
// Extracted fields and line items as CSV (RFC 4180, CRLF), one row each, with a header
// row; cells that a spreadsheet would run as formulas are quoted with a leading '.
std::string RenderFieldsCsv(const core::DocumentResult& doc);
// hOCR 1.2 (XHTML): ocr_page / ocr_carea / ocr_par / ocr_line / ocrx_word with bbox (in
// pixels) and x_wconf (0-100).
std::string RenderHocr(const core::DocumentResult& doc);

// Writes a searchable PDF page by page. One thread only.
//
// A bad argument to AddPage writes nothing and may be retried; after a write error the
// writer stays failed and returns that error. On failure the partial file is deleted
// by Finish (or by the destructor when Finish is never called), so a broken PDF is
// never left behind; only a regular file is deleted. The output is deterministic.
class SearchablePdfWriter {
 public:
  virtual ~SearchablePdfWriter() = default;
  // `image`: the page image the boxes refer to (gray or BGR, 8 or 16 bit, or BGRA;
  // page.width x page.height). `dpi`: the image resolution, which sets the PDF page
  // size in points (pixels * 72 / dpi).
  // Fails with kInvalidArgument ("bad_dpi", "image_type", "pdf_finished") or kIoError.
  virtual core::Status AddPage(const core::PageResult& page, const cv::Mat& image, double dpi) = 0;
  // Writes the shared objects, cross-reference table and trailer and closes the file.
  // Fails with kInvalidArgument ("no_pages": a PDF needs a page; no file is left) or
  // kIoError; returns the earlier error if AddPage failed.
  virtual core::Status Finish() = 0;
};

// Opens (creates or truncates) `path` for writing. Fails with kIoError.
core::Result<std::unique_ptr<SearchablePdfWriter>> OpenSearchablePdf(const std::string& path);

}  // namespace smartocr::render

#endif  // SMARTOCR_RENDER_RENDER_H_
