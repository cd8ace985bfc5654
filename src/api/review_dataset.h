// src/api/review_dataset.h
//
// GET /review/export?format=dataset: approved documents as a labelled set, a tar of
// each job's original and its label (eval/labelled_document.h) plus manifest.json, so
// that `smartocr eval --dataset reviewed DIR` measures a tenant's own documents
// (docs/review.md).
#ifndef SMARTOCR_API_REVIEW_DATASET_H_
#define SMARTOCR_API_REVIEW_DATASET_H_

#include <string>
#include <vector>

#include "api/api.h"
#include "eval/labelled_document.h"

namespace smartocr::api {

// The label of a reviewed document from its fields as they stand (reviewers' edits
// included): fields with a value, typed by the job's schema (the built-in type's or
// the tenant schema it ran with; "string" for a name neither knows), values
// normalized; the line items rebuilt from their cells.
eval::LabelledDocument LabelFor(const store::Job& job, const std::string& doc_type,
                                const std::vector<store::FieldRecord>& fields,
                                const std::string& file);

// The archive of `rows` (approved reviews, oldest first). Stops before the archive
// would pass its byte cap and says so (manifest "truncated", X-SmartOCR-Truncated), as
// it does when `scan_truncated`. A document whose original cannot be read is listed
// under the manifest's "skipped" with the reason.
Reply DatasetExport(Env& env, const std::string& tenant,
                    const std::vector<store::ReviewRecord>& rows, bool scan_truncated);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_REVIEW_DATASET_H_
