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
#include <string>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "core/core.h"

namespace smartocr::render {

// The JSON document (docs/output-schema.md). Boxes normalized to 0..1.
nlohmann::json ToJson(const core::DocumentResult& doc);
std::string RenderJson(const core::DocumentResult& doc);  // pretty, ends with '\n'
// Page texts in reading order, pages separated by a form feed ('\f').
std::string RenderText(const core::DocumentResult& doc);
// hOCR 1.2 (XHTML): ocr_page / ocr_carea / ocr_line / ocrx_word with bbox and x_wconf.
std::string RenderHocr(const core::DocumentResult& doc);

// Writes a searchable PDF page by page. One thread only.
class SearchablePdfWriter {
 public:
  virtual ~SearchablePdfWriter() = default;
  // `image`: the page image the boxes refer to (gray or BGR, page.width x page.height).
  // `dpi`: the image resolution, which sets the PDF page size in points.
  virtual core::Status AddPage(const core::PageResult& page, const cv::Mat& image,
                               double dpi) = 0;
  // Writes the cross-reference table and trailer and closes the file.
  virtual core::Status Finish() = 0;
};

// Opens `path` for writing. Fails with kIoError.
core::Result<std::unique_ptr<SearchablePdfWriter>> OpenSearchablePdf(const std::string& path);

}  // namespace smartocr::render

#endif  // SMARTOCR_RENDER_RENDER_H_
