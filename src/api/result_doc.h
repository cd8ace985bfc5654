// src/api/result_doc.h
//
// The stored result JSON (docs/output-schema.md) read back into a DocumentResult, so
// the renderers (text, hOCR, searchable PDF) can run on a finished job without OCR.
// Only what those renderers use is read: pages, blocks, lines, words, boxes.
#ifndef SMARTOCR_API_RESULT_DOC_H_
#define SMARTOCR_API_RESULT_DOC_H_

#include <opencv2/core.hpp>
#include <string>

#include "core/core.h"

namespace smartocr::api {

// kInternal "result_json" when `json` is not a result document.
core::Result<core::DocumentResult> DocumentFromResultJson(const std::string& json);

// The image a page's boxes refer to, from the original page image: turned as the page
// was (`rotation`: OSD, or the MRZ of an ID card), then sized to the result's width x
// height (deskew grows the canvas by a few pixels).
cv::Mat PageImageForResult(const cv::Mat& original, const core::PageResult& page);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_RESULT_DOC_H_
