#include "fake_repository.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

namespace smartocr::jobs::testing {
namespace {

core::Status NotImplemented() { return core::Internal("not_implemented", "not in the fake"); }
core::Status LeaseLost() {
  return core::Unavailable("lease_lost", "job not leased to this worker");
}
core::Status NoJob() { return core::NotFound("no_such_job", "no such job"); }

}  // namespace

void FakeRepository::FailCompletes(int n, core::Status error) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_completes_ = n;
  complete_error_ = std::move(error);
}

void FakeRepository::FailHeartbeats(int n, core::Status error) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_heartbeats_ = n;
  heartbeat_error_ = std::move(error);
}

store::Job FakeRepository::Job(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  return jobs_.at(id);
}

void FakeRepository::SetJob(const store::Job& job) {
  std::lock_guard<std::mutex> lock(mu_);
  jobs_[job.id] = job;
}

int FakeRepository::complete_calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return complete_calls_;
}

int FakeRepository::cache_entries(const std::string& prefix, const std::string& job_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  int n = 0;
  for (const CacheRow& row : cache_) {
    if (row.key.rfind(prefix, 0) == 0 && (job_id.empty() || row.job_id == job_id)) ++n;
  }
  return n;
}

std::vector<std::string> FakeRepository::cache_keys() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> keys;
  for (const CacheRow& row : cache_) keys.push_back(row.key);
  return keys;
}

core::Status FakeRepository::CreateTenant(const store::Tenant& tenant) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!tenants_.emplace(tenant.id, tenant).second) {
    return core::InvalidArgument("exists", "tenant exists");
  }
  return core::Status::Ok();
}

core::Result<store::Tenant> FakeRepository::GetTenant(const std::string& tenant_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tenants_.find(tenant_id);
  if (it == tenants_.end()) return core::NotFound("no_such_tenant", tenant_id);
  return it->second;
}

core::Status FakeRepository::UpdateTenantSettings(const std::string&, const std::string&) {
  return NotImplemented();
}
core::Status FakeRepository::CreateApiKey(const store::ApiKey&) { return NotImplemented(); }
core::Result<std::vector<store::ApiKey>> FakeRepository::ListApiKeys(const std::string&) {
  return NotImplemented();
}
core::Status FakeRepository::RevokeApiKey(const std::string&, const std::string&, int64_t) {
  return NotImplemented();
}
core::Result<store::ApiKey> FakeRepository::FindApiKeyByPrefix(const std::string&) {
  return NotImplemented();
}

core::Result<store::Job> FakeRepository::CreateJob(const std::string& tenant_id,
                                                   const store::JobSpec& spec, int64_t now,
                                                   bool* created) {
  std::lock_guard<std::mutex> lock(mu_);
  char id[32];
  std::snprintf(id, sizeof id, "job%06d", ++next_id_);
  store::Job job;
  job.id = id;
  job.tenant_id = tenant_id;
  job.spec = spec;
  job.created_at = job.updated_at = now;
  jobs_[job.id] = job;
  if (created != nullptr) *created = true;
  return job;
}

core::Result<store::Job> FakeRepository::GetJob(const std::string& tenant_id,
                                                const std::string& job_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(job_id);
  if (it == jobs_.end() || it->second.tenant_id != tenant_id) return NoJob();
  return it->second;
}

core::Result<store::JobPage> FakeRepository::ListJobs(const std::string&, const store::JobFilter&) {
  return NotImplemented();
}

core::Status FakeRepository::CancelJob(const std::string& tenant_id, const std::string& job_id,
                                       int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(job_id);
  if (it == jobs_.end() || it->second.tenant_id != tenant_id) return NoJob();
  it->second.status = store::JobStatus::kCancelled;
  it->second.updated_at = now;
  return core::Status::Ok();
}

core::Status FakeRepository::RequeueJob(const std::string& tenant_id, const std::string& job_id,
                                        int64_t now, const store::RerunChange& change) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(job_id);
  if (it == jobs_.end() || it->second.tenant_id != tenant_id) return NoJob();
  store::Job& job = it->second;
  job.status = store::JobStatus::kQueued;
  job.attempts = 0;
  job.run_after = 0;
  job.lease_owner.clear();
  job.updated_at = now;
  if (change.doc_type) job.spec.doc_type = *change.doc_type;
  if (change.options_json) job.spec.options_json = *change.options_json;
  return core::Status::Ok();
}

core::Status FakeRepository::DeleteJob(const std::string&, const std::string&) {
  return NotImplemented();
}

core::Result<std::optional<store::Job>> FakeRepository::ClaimJob(const std::string& worker_id,
                                                                 int64_t now, int64_t lease_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [id, job] : jobs_) {
    bool claimable = (job.status == store::JobStatus::kQueued && job.run_after <= now) ||
                     (job.status == store::JobStatus::kRunning && job.lease_expires_at <= now);
    if (!claimable) continue;
    job.status = store::JobStatus::kRunning;
    job.lease_owner = worker_id;
    job.lease_expires_at = now + lease_ms;
    job.attempts += 1;
    job.updated_at = now;
    return std::optional<store::Job>(job);
  }
  return std::optional<store::Job>();
}

store::Job* FakeRepository::Leased(const std::string& job_id, const std::string& worker_id) {
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) return nullptr;
  store::Job& job = it->second;
  if (job.status != store::JobStatus::kRunning || job.lease_owner != worker_id) return nullptr;
  return &job;
}

core::Status FakeRepository::Heartbeat(const std::string& job_id, const std::string& worker_id,
                                       int64_t now, int64_t lease_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  if (fail_heartbeats_ > 0) {
    --fail_heartbeats_;
    return heartbeat_error_;
  }
  store::Job* job = Leased(job_id, worker_id);
  if (job == nullptr) {
    lost_heartbeats_.fetch_add(1);
    return LeaseLost();
  }
  job->lease_expires_at = now + lease_ms;
  return core::Status::Ok();
}

core::Status FakeRepository::CompleteJob(const std::string& job_id, const std::string& worker_id,
                                         const std::vector<store::PageRecord>& pages,
                                         const std::vector<store::FieldRecord>&,
                                         const std::string& result_uri, int64_t now,
                                         const store::ReviewOpen&) {
  std::lock_guard<std::mutex> lock(mu_);
  ++complete_calls_;
  if (fail_completes_ > 0) {
    --fail_completes_;
    return complete_error_;
  }
  store::Job* job = Leased(job_id, worker_id);
  if (job == nullptr) return LeaseLost();
  job->status = store::JobStatus::kSucceeded;
  job->page_count = static_cast<int>(pages.size());
  job->result_uri = result_uri;
  job->completed_at = job->updated_at = now;
  job->lease_owner.clear();
  job->error_code.clear();
  job->error_message.clear();
  pages_[job_id] = pages;
  return core::Status::Ok();
}

core::Status FakeRepository::FailJob(const std::string& job_id, const std::string& worker_id,
                                     const core::Status& error, int64_t retry_at,
                                     store::JobStatus final_status, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  store::Job* job = Leased(job_id, worker_id);
  if (job == nullptr) return LeaseLost();
  job->error_code = std::string(core::StatusCodeName(error.code()));
  job->error_reason = error.reason();
  job->error_message = error.message();
  job->lease_owner.clear();
  job->updated_at = now;
  if (retry_at > 0) {
    job->status = store::JobStatus::kQueued;
    job->run_after = retry_at;
  } else {
    job->status = final_status;
    job->completed_at = now;
  }
  return core::Status::Ok();
}

core::Status FakeRepository::ReleaseJob(const std::string& job_id, const std::string& worker_id,
                                        int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  store::Job* job = Leased(job_id, worker_id);
  if (job == nullptr) return LeaseLost();
  job->status = store::JobStatus::kQueued;
  job->attempts -= 1;
  job->lease_owner.clear();
  job->run_after = now;
  job->updated_at = now;
  return core::Status::Ok();
}

core::Result<std::vector<std::pair<store::JobStatus, int64_t>>> FakeRepository::CountJobs(
    const std::string& tenant_id) {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<store::JobStatus, int64_t> counts;
  for (const auto& [id, job] : jobs_) {
    if (tenant_id.empty() || job.tenant_id == tenant_id) ++counts[job.status];
  }
  return std::vector<std::pair<store::JobStatus, int64_t>>(counts.begin(), counts.end());
}

core::Result<int64_t> FakeRepository::OldestQueuedAt() {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t oldest = 0;
  for (const auto& [id, job] : jobs_) {
    if (job.status == store::JobStatus::kQueued && (oldest == 0 || job.created_at < oldest)) {
      oldest = job.created_at;
    }
  }
  return oldest;
}

core::Result<std::vector<store::PageRecord>> FakeRepository::GetPages(const std::string& tenant_id,
                                                                      const std::string& job_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(job_id);
  if (it == jobs_.end() || it->second.tenant_id != tenant_id) return NoJob();
  return pages_[job_id];
}

core::Result<std::vector<store::FieldRecord>> FakeRepository::GetFields(const std::string&,
                                                                        const std::string&) {
  return std::vector<store::FieldRecord>();
}
core::Status FakeRepository::AppendAudit(const store::AuditEntry&) { return core::Status::Ok(); }
core::Result<std::vector<store::AuditEntry>> FakeRepository::ListAudit(const std::string&,
                                                                       const std::string&, int) {
  return std::vector<store::AuditEntry>();
}

core::Status FakeRepository::RecordWebhookDelivery(const store::WebhookDelivery& delivery) {
  std::lock_guard<std::mutex> lock(mu_);
  deliveries_.push_back(delivery);
  deliveries_.back().id = static_cast<int64_t>(deliveries_.size());
  return core::Status::Ok();
}

core::Result<std::vector<store::WebhookDelivery>> FakeRepository::ListWebhookDeliveries(
    const std::string& tenant_id, const std::string& job_id) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<store::WebhookDelivery> out;
  for (const auto& d : deliveries_) {
    if (d.tenant_id == tenant_id && (job_id.empty() || d.job_id == job_id)) out.push_back(d);
  }
  return out;
}

core::Result<std::optional<std::string>> FakeRepository::GetCachedPage(
    const store::CacheScope& scope, const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const CacheRow& row : cache_) {
    if (row.tenant_id == scope.tenant_id && row.job_id == scope.job_id && row.key == key) {
      return std::optional<std::string>(row.value);
    }
  }
  return std::optional<std::string>();
}

core::Status FakeRepository::PutCachedPage(const store::CacheScope& scope, const std::string& key,
                                           const std::string& page_json, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto job = jobs_.find(scope.job_id);
  if (job == jobs_.end() || job->second.tenant_id != scope.tenant_id) {
    return core::NotFound("job", "no job " + scope.job_id);
  }
  for (CacheRow& row : cache_) {
    if (row.job_id == scope.job_id && row.key == key) {
      row.value = page_json;
      row.created_at = now;
      return core::Status::Ok();
    }
  }
  cache_.push_back({scope.tenant_id, scope.job_id, key, page_json, now});
  return core::Status::Ok();
}

core::Result<int64_t> FakeRepository::ExpireCachedPages(const std::string& tenant_id,
                                                        int64_t before) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t size = cache_.size();
  std::erase_if(cache_, [&](const CacheRow& row) {
    return row.tenant_id == tenant_id && row.created_at < before;
  });
  return static_cast<int64_t>(size - cache_.size());
}

core::Status FakeRepository::RecordUpload(const store::UploadRecord& upload) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!tenants_.contains(upload.tenant_id)) {
    return core::NotFound("tenant", "no tenant " + upload.tenant_id);
  }
  uploads_.push_back({upload, 0});
  return core::Status::Ok();
}

core::Result<bool> FakeRepository::MarkUploadSubmitted(const std::string& tenant_id,
                                                       const std::string& upload_id, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  for (UploadRow& row : uploads_) {
    if (row.upload.tenant_id == tenant_id && row.upload.id == upload_id) {
      row.submitted_at = now;
      return true;
    }
  }
  return false;
}

core::Result<std::vector<store::UploadRecord>> FakeRepository::ListUnsubmittedUploads(
    int64_t before, int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<store::UploadRecord> out;
  for (const UploadRow& row : uploads_) {
    if (row.submitted_at == 0 && row.upload.issued_at < before) out.push_back(row.upload);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.issued_at, a.tenant_id, a.id) < std::tie(b.issued_at, b.tenant_id, b.id);
  });
  if (out.size() > static_cast<size_t>(limit)) out.resize(static_cast<size_t>(limit));
  return out;
}

core::Result<bool> FakeRepository::DeleteUpload(const std::string& tenant_id,
                                                const std::string& upload_id,
                                                store::UploadRows which) {
  std::lock_guard<std::mutex> lock(mu_);
  return std::erase_if(uploads_, [&](const UploadRow& row) {
           return row.upload.tenant_id == tenant_id && row.upload.id == upload_id &&
                  (which == store::UploadRows::kAny || row.submitted_at == 0);
         }) > 0;
}

}  // namespace smartocr::jobs::testing
