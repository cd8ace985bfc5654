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
  WebhookEvent e;
  e.id = "evt_" + internal::RandomHex(16);
  e.type = EventTypeFor(job.status);
  e.tenant_id = job.tenant_id;
  e.job_id = job.id;
  e.url = job.spec.webhook_url;
  nlohmann::ordered_json body;
  body["id"] = e.id;
  body["type"] = e.type;
  body["created_at"] = Rfc3339(now_ms);
  body["data"] = {
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
  body["data"]["result_url"] =
      job.status == store::JobStatus::kSucceeded ? api_url + "/ocr/jobs/" + job.id + "/result" : "";
  e.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return e;
}

WebhookEvent MakeReviewEvent(const store::Job& job, const store::ReviewRecord& review,
                             int64_t now_ms, const std::string& api_url) {
  WebhookEvent e;
  e.id = "evt_" + internal::RandomHex(16);
  e.type = "job.review." + review.status;
  e.tenant_id = job.tenant_id;
  e.job_id = job.id;
  e.url = job.spec.webhook_url;
  nlohmann::ordered_json body;
  body["id"] = e.id;
  body["type"] = e.type;
  body["created_at"] = Rfc3339(now_ms);
  // The decision, never the values: the receiver reads the fields from the result.
  body["data"] = {{"job_id", job.id},
                  {"tenant_id", job.tenant_id},
                  {"external_id", job.spec.external_id},
                  {"review_status", review.status},
                  {"decided_by", review.decided_by},
                  {"reason_code", review.reason_code},
                  {"result_url", api_url + "/ocr/jobs/" + job.id + "/result"}};
  e.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return e;
}

}  // namespace smartocr::jobs
