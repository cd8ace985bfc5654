#include "api/job_delete.h"

#include <vector>

#include "api/page_image.h"
#include "api/source.h"

namespace smartocr::api {

core::Status DeleteJobAndBlobs(store::Repository& repo, blobs::BlobStore& blobs,
                               const std::string& tenant_id, const std::string& job_id,
                               const std::string& actor, int64_t now, ActiveJob active) {
  auto job = repo.GetJob(tenant_id, job_id);
  if (!job.ok()) return job.status();
  if (job->status == store::JobStatus::kQueued || job->status == store::JobStatus::kRunning) {
    if (active == ActiveJob::kKeep) {
      return core::InvalidArgument("job_active", "job " + job_id + " is queued or running");
    }
    (void)repo.CancelJob(tenant_id, job->id, now);
  }
  // Page rows go with the job, so their image URIs are read first.
  // The page images kept once served (api/page_image.h) go by page number.
  std::vector<std::string> uris = {job->spec.source_uri, job->result_uri};
  if (auto pages = repo.GetPages(tenant_id, job->id); pages.ok()) {
    for (const store::PageRecord& page : *pages) {
      uris.push_back(page.artifact_uri);
      uris.push_back(blobs.Uri(PageImageKey(tenant_id, job->id, page.page_number)));
    }
  }
  SMARTOCR_RETURN_IF_ERROR(repo.DeleteJob(tenant_id, job->id));
  // Only blobs under this tenant's prefixes: a source_uri may name a blob the job did
  // not create (another job's upload is never shared across tenants). The original
  // goes too, uploaded (uploads/) or stored by the API (originals/), so a deleted
  // job's source_uri names nothing any more and is refused when submitted again.
  for (const std::string& uri : uris) {
    auto key = blobs::KeyInStore(blobs, uri);
    if (!key) continue;
    for (const char* prefix : {"originals/", "uploads/", "results/", "pages/"}) {
      if (key->rfind(prefix + tenant_id + "/", 0) == 0) {
        (void)blobs.Delete(*key);
        break;
      }
    }
    const std::string upload_prefix = UploadKey(tenant_id, "");
    if (key->starts_with(upload_prefix)) {
      (void)repo.DeleteUpload(tenant_id, key->substr(upload_prefix.size()),
                              store::UploadRows::kAny);
    }
  }
  store::AuditEntry audit;
  audit.tenant_id = tenant_id;
  audit.job_id = job->id;
  audit.actor = actor;
  audit.action = "job.delete";
  audit.created_at = now;
  (void)repo.AppendAudit(audit);
  return core::Status::Ok();
}

}  // namespace smartocr::api
