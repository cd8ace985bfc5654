// src/api/result_doc.h
//
// The stored result JSON (docs/output-schema.md) read back into a DocumentResult, so
// the renderers (text, hOCR, searchable PDF) can run on a finished job without OCR.
// Only what those renderers use is read: pages, blocks, lines, words, boxes.
#ifndef SMARTOCR_API_RESULT_DOC_H_
#define SMARTOCR_API_RESULT_DOC_H_

#include <string>

#include "core/core.h"

namespace smartocr::api {

// kInternal "result_json" when `json` is not a result document.
core::Result<core::DocumentResult> DocumentFromResultJson(const std::string& json);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_RESULT_DOC_H_
