// tests/unit/jobs/fake_repository.h
//
// In-memory store::Repository for the jobs module's unit tests: the queue calls
// follow store.h's contract (leases, attempts, lease-holder-only completion); the
// rest is just enough for the worker. Faults can be injected per call. Thread-safe.
#ifndef SMARTOCR_TESTS_UNIT_JOBS_FAKE_REPOSITORY_H_
#define SMARTOCR_TESTS_UNIT_JOBS_FAKE_REPOSITORY_H_

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"

namespace smartocr::jobs::testing {

class FakeRepository : public store::Repository {
 public:
  // Faults: the next `n` calls fail with `error`.
  void FailCompletes(int n, core::Status error);
  void FailHeartbeats(int n, core::Status error);
  // Test access to a row (no tenant check).
  store::Job Job(const std::string& id);
  void SetJob(const store::Job& job);
  int complete_calls() const;
  // Heartbeats answered "lease lost" (the job was cancelled, or is another worker's).
  int lost_heartbeats() const { return lost_heartbeats_.load(); }
  // Stage-cache rows whose key starts with `prefix` ("doc/", "page/"; "" = all), and
  // of `job_id` only unless it is "".
  int cache_entries(const std::string& prefix = "", const std::string& job_id = "") const;
  std::vector<std::string> cache_keys() const;

  std::string backend() const override { return "fake"; }
  core::Result<int> Migrate() override { return 1; }
  core::Result<int> MigrateTo(int) override { return 1; }
  core::Result<int> SchemaVersion() override { return 1; }
  core::Status CreateTenant(const store::Tenant& tenant) override;
  core::Result<store::Tenant> GetTenant(const std::string& tenant_id) override;
  core::Status UpdateTenantSettings(const std::string&, const std::string&) override;
  core::Status CreateApiKey(const store::ApiKey&) override;
  core::Result<std::vector<store::ApiKey>> ListApiKeys(const std::string&) override;
  core::Status RevokeApiKey(const std::string&, const std::string&, int64_t) override;
  core::Result<store::ApiKey> FindApiKeyByPrefix(const std::string&) override;

  core::Result<store::Job> CreateJob(const std::string& tenant_id, const store::JobSpec& spec,
                                     int64_t now, bool* created) override;
  core::Result<store::Job> GetJob(const std::string& tenant_id, const std::string& job_id) override;
  core::Result<store::JobPage> ListJobs(const std::string&, const store::JobFilter&) override;
  core::Status CancelJob(const std::string& tenant_id, const std::string& job_id,
                         int64_t now) override;
  core::Status RequeueJob(const std::string& tenant_id, const std::string& job_id, int64_t now,
                          const store::RerunChange& change) override;
  core::Status DeleteJob(const std::string& tenant_id, const std::string& job_id) override;

  core::Result<std::optional<store::Job>> ClaimJob(const std::string& worker_id, int64_t now,
                                                   int64_t lease_ms) override;
  core::Status Heartbeat(const std::string& job_id, const std::string& worker_id, int64_t now,
                         int64_t lease_ms) override;
  core::Status CompleteJob(const std::string& job_id, const std::string& worker_id,
                           const std::vector<store::PageRecord>& pages,
                           const std::vector<store::FieldRecord>& fields,
                           const std::string& result_uri, int64_t now,
                           const store::ReviewOpen& review) override;
  core::Status FailJob(const std::string& job_id, const std::string& worker_id,
                       const core::Status& error, int64_t retry_at, store::JobStatus final_status,
                       int64_t now) override;
  core::Status ReleaseJob(const std::string& job_id, const std::string& worker_id,
                          int64_t now) override;
  core::Result<int64_t> OldestQueuedAt() override;
  core::Result<std::vector<std::pair<store::JobStatus, int64_t>>> CountJobs(
      const std::string& tenant_id) override;

  core::Result<std::vector<store::JobAttempt>> ListJobAttempts(const std::string&,
                                                               const std::string&) override {
    return std::vector<store::JobAttempt>();
  }
  core::Result<std::vector<store::PageRecord>> GetPages(const std::string& tenant_id,
                                                        const std::string& job_id) override;
  core::Result<std::vector<store::FieldRecord>> GetFields(const std::string&,
                                                          const std::string&) override;
  core::Status AppendAudit(const store::AuditEntry&) override;
  core::Result<std::vector<store::AuditEntry>> ListAudit(const std::string&, const std::string&,
                                                         int) override;
  core::Status RecordWebhookDelivery(const store::WebhookDelivery& delivery) override;
  core::Result<std::vector<store::WebhookDelivery>> ListWebhookDeliveries(
      const std::string& tenant_id, const std::string& job_id) override;
  core::Result<std::optional<std::string>> GetCachedPage(const store::CacheScope& scope,
                                                         const std::string& key) override;
  core::Status PutCachedPage(const store::CacheScope& scope, const std::string& key,
                             const std::string& page_json, int64_t now) override;
  core::Result<int64_t> ExpireCachedPages(const std::string& tenant_id, int64_t before) override;

  core::Status RecordUpload(const store::UploadRecord& upload) override;
  core::Result<bool> MarkUploadSubmitted(const std::string& tenant_id, const std::string& upload_id,
                                         int64_t now) override;
  core::Result<std::vector<store::UploadRecord>> ListUnsubmittedUploads(int64_t before,
                                                                        int limit) override;
  core::Result<bool> DeleteUpload(const std::string& tenant_id, const std::string& upload_id,
                                  store::UploadRows which) override;

 private:
  // Requires mu_ held. The job leased to `worker_id`, or null.
  store::Job* Leased(const std::string& job_id, const std::string& worker_id);

  mutable std::mutex mu_;
  int next_id_ = 0;
  std::map<std::string, store::Job> jobs_;  // by id; ids sort in creation order
  std::map<std::string, std::vector<store::PageRecord>> pages_;
  std::vector<store::WebhookDelivery> deliveries_;
  struct CacheRow {
    std::string tenant_id;
    std::string job_id;
    std::string key;
    std::string value;
    int64_t created_at = 0;
  };
  std::vector<CacheRow> cache_;
  struct UploadRow {
    store::UploadRecord upload;
    int64_t submitted_at = 0;
  };
  std::vector<UploadRow> uploads_;
  std::map<std::string, store::Tenant> tenants_;
  int fail_completes_ = 0;
  core::Status complete_error_;
  int fail_heartbeats_ = 0;
  core::Status heartbeat_error_;
  int complete_calls_ = 0;
  std::atomic<int> lost_heartbeats_{0};
};

}  // namespace smartocr::jobs::testing

#endif  // SMARTOCR_TESTS_UNIT_JOBS_FAKE_REPOSITORY_H_
