// src/postprocess/postprocess.h
//
// What happens to a recognized document before it is rendered, as one value that
// travels in a job's options_json (so the worker does what the API was asked, with
// the tenant's settings as they were at submission): field extraction with a built-in
// or a tenant schema, review flags for fields below a confidence threshold, then
// redaction.
//
//   {"schema": "auto" | "receipt" | "invoice" | "id_document" | NAME,
//    "schema_def": {...tenant schema, docs/schemas.md...},   // when NAME is a tenant's
//    "redact": ["mrz", "iban", ...],                          // redact::KnownKinds()
//    "review_threshold": 0.8}                                 // (0, 1]
//
// Thread safety: plain values and free functions.
#ifndef SMARTOCR_POSTPROCESS_POSTPROCESS_H_
#define SMARTOCR_POSTPROCESS_POSTPROCESS_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/core.h"
#include "extract/extract.h"
#include "extract/schema.h"

namespace smartocr::postprocess {

struct PostprocessOptions {
  std::string schema;                                    // "": no field extraction
  std::shared_ptr<const extract::Schema> custom_schema;  // set when schema is a tenant's
  std::vector<std::string> redact;
  double review_threshold = 0;  // 0: no review flags
};

// Reads the keys above from a job's options object; other keys are ignored (jobs carry
// more options). Fails with kInvalidArgument (reason "options") naming the bad key.
core::Result<PostprocessOptions> ParsePostprocessOptions(const nlohmann::json& options);

// Extraction (when options.schema is set), review flags, redaction, in that order:
// review looks at the values as read, redaction then removes them. `today` anchors
// date plausibility. Fails with extraction's errors.
core::Status Postprocess(core::DocumentResult& doc, const PostprocessOptions& options,
                         const extract::Date& today);

// Flags the fields below `threshold` or failing their validator (needs_review) and
// records the threshold on the document.
void FlagFieldsForReview(core::DocumentResult& doc, double threshold);

}  // namespace smartocr::postprocess

#endif  // SMARTOCR_POSTPROCESS_POSTPROCESS_H_
