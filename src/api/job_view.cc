#include "api/job_view.h"

#include "api/auth.h"
#include "jobs/jobs.h"

namespace smartocr::api {

nlohmann::ordered_json JobView(const store::Job& job, store::Role viewer) {
  nlohmann::ordered_json j = jobs::JobToJson(job);
  j.erase("source_uri");  // internal storage location; the client knows its document
  j.erase("result_uri");
  if (!RoleAllows(viewer, Permission::kSubmit)) j.erase("webhook_url");
  const std::string base = "/ocr/jobs/" + job.id;
  nlohmann::ordered_json links;
  links["self"] = base;
  if (job.status == store::JobStatus::kSucceeded) {
    links["result"] = base + "/result";
    links["pages"] = base + "/pages/{n}";
  }
  j["links"] = links;
  return j;
}

}  // namespace smartocr::api
