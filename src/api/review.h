// src/api/review.h
//
// Reviewer edits of extracted fields: each edited value is normalized and checked
// again by the extract module's validators (dates, amounts with the total
// arithmetic, IBANs), so a corrected field carries the same kind of status as one
// the rules found.
#ifndef SMARTOCR_API_REVIEW_H_
#define SMARTOCR_API_REVIEW_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace smartocr::api {

// `fields` with `edits` applied (a value of std::nullopt removes the field; a name not
// present is added). Edited fields get source_model "review" and confidence 1 unless
// a validator says otherwise. Amount validation (subtotal + tax = total) is re-run
// over the resulting set.
std::vector<store::FieldRecord> ApplyEdits(
    std::vector<store::FieldRecord> fields,
    const std::map<std::string, std::optional<std::string>>& edits);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_REVIEW_H_
