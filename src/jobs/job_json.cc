#include "jobs/jobs.h"

namespace smartocr::jobs {

nlohmann::ordered_json JobToJson(const store::Job& job) {
  nlohmann::ordered_json j;
  j["id"] = job.id;
  j["tenant_id"] = job.tenant_id;
  j["external_id"] = job.spec.external_id;
  j["doc_type"] = job.spec.doc_type;
  j["status"] = store::JobStatusName(job.status);
  j["page_count"] = job.page_count;
  j["attempts"] = job.attempts;
  j["max_attempts"] = job.spec.max_attempts;
  j["error_code"] = job.error_code;
  j["error_reason"] = job.error_reason;
  j["error_message"] = job.error_message;
  j["source_uri"] = job.spec.source_uri;
  j["result_uri"] = job.result_uri;
  j["webhook_url"] = job.spec.webhook_url;
  j["trace_id"] = job.spec.trace_id;
  nlohmann::ordered_json options =
      nlohmann::ordered_json::parse(job.spec.options_json, nullptr, /*allow_exceptions=*/false);
  j["options"] = options.is_discarded() ? nlohmann::ordered_json::object() : options;
  j["created_at"] = job.created_at;
  j["updated_at"] = job.updated_at;
  j["completed_at"] = job.completed_at;
  return j;
}

}  // namespace smartocr::jobs
