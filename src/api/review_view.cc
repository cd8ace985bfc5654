#include "api/review_view.h"

namespace smartocr::api {

nlohmann::ordered_json ReviewView(const std::optional<store::ReviewRecord>& review, int64_t now) {
  if (!review) {
    return {{"status", "not_needed"}, {"reasons", nlohmann::ordered_json::array()},
            {"claimed_by", ""},       {"claim_expires_at", 0},
            {"decided_by", ""},       {"decided_at", 0},
            {"reason_code", ""},      {"comment", ""}};
  }
  const bool claimed = review->StatusAt(now) == "in_review";
  return {{"status", review->StatusAt(now)},
          {"reasons", review->reasons},
          {"claimed_by", claimed ? review->claimed_by : ""},
          {"claim_expires_at", claimed ? review->claim_expires_at : 0},
          {"decided_by", review->decided_by},
          {"decided_at", review->decided_at},
          {"reason_code", review->reason_code},
          {"comment", review->comment}};
}

nlohmann::ordered_json QueueItemView(const store::ReviewRecord& review, const std::string& trace_id,
                                     int64_t now) {
  const bool claimed = review.StatusAt(now) == "in_review";
  return {{"job_id", review.job_id},
          {"doc_type", review.doc_type},
          {"status", review.StatusAt(now)},
          {"reasons", review.reasons},
          {"min_confidence", review.min_confidence},
          {"completed_at", review.completed_at},
          {"claimed_by", claimed ? review.claimed_by : ""},
          {"claim_expires_at", claimed ? review.claim_expires_at : 0},
          {"decided_by", review.decided_by},
          {"decided_at", review.decided_at},
          {"reason_code", review.reason_code},
          {"trace_id", trace_id}};
}

}  // namespace smartocr::api
