// src/eval/labelled_document.h
//
// A labelled document of our own format: what the review export writes beside each
// approved original (GET /review/export?format=dataset) and what
// `smartocr eval --dataset reviewed DIR` reads back, so a tenant can measure accuracy
// on its own reviewed documents (docs/review.md).
//
//   {"format": "smartocr-labelled-document/1", "file": "job_1.png",
//    "doc_type": "receipt", "external_id": "",
//    "fields": [{"name": "total", "type": "amount", "value": "7.50"}, ...],
//    "line_items": [{"description": "Bagel", "quantity": "2", "unit_price": "2.00",
//                    "amount": "4.00"}]}
#ifndef SMARTOCR_EVAL_LABELLED_DOCUMENT_H_
#define SMARTOCR_EVAL_LABELLED_DOCUMENT_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/core.h"

namespace smartocr::eval {

inline constexpr char kLabelledDocumentFormat[] = "smartocr-labelled-document/1";

struct LabelledDocument {
  struct Field {
    std::string name;
    std::string type;   // the schema's field type: string, date, amount, integer, enum, regex
    std::string value;  // normalized: ISO 8601 dates, plain decimals for amounts
  };
  std::string file;  // the original's name, in the same folder
  std::string doc_type;
  std::string external_id;
  std::vector<Field> fields;
  std::vector<core::LineItem> line_items;  // page and box not kept
};

nlohmann::json LabelledDocumentToJson(const LabelledDocument& doc);
// Fails with kCorruptInput "label" when `json` is not a labelled document of this
// format (another format's name, a missing or non-string member, a file name with a
// '/' in it).
core::Result<LabelledDocument> LabelledDocumentFromJson(const nlohmann::json& json);

}  // namespace smartocr::eval

#endif  // SMARTOCR_EVAL_LABELLED_DOCUMENT_H_
