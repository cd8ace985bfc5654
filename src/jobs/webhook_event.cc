// Building the JSON event a webhook receiver gets.
#include <ctime>
#include <nlohmann/json.hpp>

#include "jobs/hashing.h"
#include "jobs/webhooks.h"

namespace smartocr::jobs {
namespace {

// RFC 3339 UTC with milliseconds: "2024-05-01T12:00:00.123Z".
std::string Rfc3339(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

// An event of `type` about `job` at `now_ms`: its id and envelope, with `data` as the
// body's "data" member.
WebhookEvent MakeEvent(const store::Job& job, std::string type, int64_t now_ms,
                       nlohmann::ordered_json data) {
  WebhookEvent e;
  e.id = "evt_" + internal::RandomHex(16);
  e.type = std::move(type);
  e.tenant_id = job.tenant_id;
  e.job_id = job.id;
  e.url = job.spec.webhook_url;
  nlohmann::ordered_json body;
  body["id"] = e.id;
  body["type"] = e.type;
  body["created_at"] = Rfc3339(now_ms);
  body["data"] = std::move(data);
  e.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return e;
}

}  // namespace

std::string EventTypeFor(store::JobStatus status) {
  switch (status) {
    case store::JobStatus::kSucceeded:
      return "job.succeeded";
    case store::JobStatus::kFailed:
      return "job.failed";
    case store::JobStatus::kQuarantined:
      return "job.quarantined";
    default:
      return "";
  }
}

WebhookEvent MakeWebhookEvent(const store::Job& job, int64_t now_ms, const std::string& api_url) {
  nlohmann::ordered_json data = {
      {"job_id", job.id},
      {"tenant_id", job.tenant_id},
      {"external_id", job.spec.external_id},
      {"status", store::JobStatusName(job.status)},
      {"page_count", job.page_count},
      {"error_code", job.error_code},
      {"error_reason", job.error_reason},
      {"error_message", job.error_message},
  };
  // The API route, never result_uri: that is where we store it, which is ours to know.
  data["result_url"] =
      job.status == store::JobStatus::kSucceeded ? api_url + "/ocr/jobs/" + job.id + "/result" : "";
  return MakeEvent(job, EventTypeFor(job.status), now_ms, std::move(data));
}

WebhookEvent MakeReviewEvent(const store::Job& job, const store::ReviewRecord& review,
                             int64_t now_ms, const std::string& api_url) {
  // The decision, never the values: the receiver reads the fields from the result.
  return MakeEvent(job, "job.review." + review.status, now_ms,
                   {{"job_id", job.id},
                    {"tenant_id", job.tenant_id},
                    {"external_id", job.spec.external_id},
                    {"review_status", review.status},
                    {"decided_by", review.decided_by},
                    {"reason_code", review.reason_code},
                    {"result_url", api_url + "/ocr/jobs/" + job.id + "/result"}});
}

}  // namespace smartocr::jobs
