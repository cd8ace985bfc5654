// src/api/review_view.h
//
// A job's review as the API shows it (docs/review.md): the `review` object of a job
// and of a queue item.
#ifndef SMARTOCR_API_REVIEW_VIEW_H_
#define SMARTOCR_API_REVIEW_VIEW_H_

#include <nlohmann/json.hpp>
#include <optional>

#include "store/store.h"

namespace smartocr::api {

// {"status", "reasons", "claimed_by", "claim_expires_at", "decided_by", "decided_at",
// "reason_code", "comment"}; status "not_needed" without a review.
nlohmann::ordered_json ReviewView(const std::optional<store::ReviewRecord>& review, int64_t now);

// A queue item: the review plus the job id, doc type, lowest confidence, completion
// time and trace id.
nlohmann::ordered_json QueueItemView(const store::ReviewRecord& review, const std::string& trace_id,
                                     int64_t now);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_REVIEW_VIEW_H_
