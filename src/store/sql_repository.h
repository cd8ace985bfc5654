// src/store/sql_repository.h
//
// The one Repository implementation, written against SqlDb/SqlConn so SQLite and
// PostgreSQL share every query; the few dialect differences (row locking in claims,
// NOTIFY, migration scripts and locks) branch on SqlDb::backend(). Each public call
// is one transaction, so a failed call leaves nothing half-written.
//
// The code is split by area: sql_repository.cc (schema, tenants, keys),
// sql_jobs.cc (job CRUD and listing), sql_queue.cc (claim/lease/complete),
// sql_results.cc (pages, fields, audit, webhooks, cache).
//
// Thread-safe (SqlDb is).
#ifndef SMARTOCR_STORE_SQL_REPOSITORY_H_
#define SMARTOCR_STORE_SQL_REPOSITORY_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/sql_conn.h"
#include "store/store.h"

namespace smartocr::store::internal {

// The jobs columns every job query selects, in JobFromRow's order.
inline constexpr char kJobColumns[] =
    "id, tenant_id, external_id, doc_type, source_uri, webhook_url, options_json, trace_id,"
    " max_attempts, status, page_count, attempts, error_code, error_reason, error_message,"
    " result_uri, lease_owner, lease_expires_at, run_after, created_at, updated_at,"
    " completed_at, source_sha256, trace_parent";

core::Result<Job> JobFromRow(const SqlRow& row);

// kNotFound "job" unless the job exists and belongs to the tenant.
core::Status CheckJobOwner(SqlConn& conn, const std::string& tenant_id, const std::string& job_id);

// Inside a write transaction: the job's review row as `review` says (none when it
// needs none), replacing an earlier completion's (sql_reviews.cc).
core::Status ReplaceReviewRow(SqlConn& conn, const std::string& job_id, const ReviewOpen& review,
                              int64_t now);
// Inside a write transaction: appends a reviews row (sql_reviews.cc).
core::Status InsertReviewEntry(SqlConn& conn, const std::string& job_id, const ReviewEntry& entry);

// Replaces the job's field rows with `fields`, numbered in order (sql_results.cc).
core::Status ReplaceFieldRows(SqlConn& conn, const std::string& job_id,
                              const std::vector<FieldRecord>& fields);

class SqlRepository : public Repository {
 public:
  explicit SqlRepository(std::unique_ptr<SqlDb> db) : db_(std::move(db)) {}

  std::string backend() const override;
  core::Result<int> Migrate() override;
  core::Result<int> MigrateTo(int target_version) override;
  core::Result<int> SchemaVersion() override;

  core::Status CreateTenant(const Tenant& tenant) override;
  core::Result<Tenant> GetTenant(const std::string& tenant_id) override;
  core::Result<std::vector<Tenant>> ListTenants() override;
  core::Status UpdateTenantSettings(const std::string& tenant_id,
                                    const std::string& settings_json) override;
  core::Status UpdateTenantWebhookSecret(const std::string& tenant_id,
                                         const std::string& secret) override;
  core::Status DeleteTenant(const std::string& tenant_id) override;
  core::Status CreateApiKey(const ApiKey& key) override;
  core::Result<std::vector<ApiKey>> ListApiKeys(const std::string& tenant_id) override;
  core::Status RevokeApiKey(const std::string& tenant_id, const std::string& key_id,
                            int64_t now) override;
  core::Result<ApiKey> FindApiKeyByPrefix(const std::string& prefix) override;
  core::Status TouchApiKey(const std::string& key_id, int64_t now,
                           int64_t min_interval_ms) override;

  core::Result<Job> CreateJob(const std::string& tenant_id, const JobSpec& spec, int64_t now,
                              bool* created) override;
  core::Result<Job> GetJob(const std::string& tenant_id, const std::string& job_id) override;
  core::Result<JobPage> ListJobs(const std::string& tenant_id, const JobFilter& filter) override;
  core::Status CancelJob(const std::string& tenant_id, const std::string& job_id,
                         int64_t now) override;
  core::Status RequeueJob(const std::string& tenant_id, const std::string& job_id, int64_t now,
                          const RerunChange& change) override;
  core::Status DeleteJob(const std::string& tenant_id, const std::string& job_id) override;

  core::Result<std::optional<Job>> ClaimJob(const std::string& worker_id, int64_t now,
                                            int64_t lease_ms) override;
  core::Status Heartbeat(const std::string& job_id, const std::string& worker_id, int64_t now,
                         int64_t lease_ms) override;
  core::Status CompleteJob(const std::string& job_id, const std::string& worker_id,
                           const std::vector<PageRecord>& pages,
                           const std::vector<FieldRecord>& fields, const std::string& result_uri,
                           int64_t now, const ReviewOpen& review) override;
  core::Status FailJob(const std::string& job_id, const std::string& worker_id,
                       const core::Status& error, int64_t retry_at, JobStatus final_status,
                       int64_t now) override;
  core::Status ReleaseJob(const std::string& job_id, const std::string& worker_id,
                          int64_t now) override;
  core::Result<int64_t> OldestQueuedAt() override;
  core::Result<std::vector<std::pair<JobStatus, int64_t>>> CountJobs(
      const std::string& tenant_id) override;
  core::Result<std::vector<JobAttempt>> ListJobAttempts(const std::string& tenant_id,
                                                        const std::string& job_id) override;
  bool WaitForJobs(int64_t timeout_ms) override { return db_->WaitForJobs(timeout_ms); }

  core::Result<std::vector<PageRecord>> GetPages(const std::string& tenant_id,
                                                 const std::string& job_id) override;
  core::Status ReplaceFields(const std::string& tenant_id, const std::string& job_id,
                             const std::vector<FieldRecord>& fields,
                             const AuditEntry& audit) override;
  core::Result<std::vector<FieldRecord>> GetFields(const std::string& tenant_id,
                                                   const std::string& job_id) override;

  core::Result<std::optional<ReviewRecord>> GetReview(const std::string& tenant_id,
                                                      const std::string& job_id) override;
  core::Result<std::map<std::string, ReviewRecord>> GetReviews(
      const std::string& tenant_id, const std::vector<std::string>& job_ids) override;
  core::Result<ReviewRecord> ClaimReview(const std::string& tenant_id, const std::string& job_id,
                                         const std::string& actor, int64_t now,
                                         int64_t claim_ms) override;
  core::Status ReleaseReview(const std::string& tenant_id, const std::string& job_id,
                             const std::string& actor) override;
  core::Result<ReviewRecord> DecideReview(const std::string& tenant_id, const std::string& job_id,
                                          bool approve, const ReviewEntry& entry,
                                          const std::string& reason_code, int64_t now) override;
  core::Result<ReviewPage> ListReviews(const std::string& tenant_id, const ReviewQuery& query,
                                       int64_t now) override;
  core::Result<std::vector<ReviewEntry>> ListReviewEntries(const std::string& tenant_id,
                                                           const std::string& job_id) override;
  core::Result<std::vector<ReviewEntry>> ListTenantReviewEntries(const std::string& tenant_id,
                                                                 int64_t since) override;
  core::Result<int64_t> CountOpenReviews() override;

  core::Status AppendAudit(const AuditEntry& entry) override;
  core::Result<AuditChainReport> VerifyAuditChain(const std::string& tenant_id,
                                                  const std::string& known_head) override;
  core::Result<std::vector<AuditEntry>> ListAudit(const std::string& tenant_id,
                                                  const std::string& job_id, int limit) override;
  core::Status RecordWebhookDelivery(const WebhookDelivery& delivery) override;
  core::Result<std::vector<WebhookDelivery>> ListWebhookDeliveries(
      const std::string& tenant_id, const std::string& job_id) override;

  core::Result<std::optional<std::string>> GetCachedPage(const CacheScope& scope,
                                                         const std::string& key) override;
  core::Status PutCachedPage(const CacheScope& scope, const std::string& key,
                             const std::string& page_json, int64_t now) override;
  core::Result<int64_t> ExpireCachedPages(const std::string& tenant_id, int64_t before) override;

  core::Status RecordUpload(const UploadRecord& upload) override;
  core::Result<bool> MarkUploadSubmitted(const std::string& tenant_id, const std::string& upload_id,
                                         int64_t now) override;
  core::Result<std::vector<UploadRecord>> ListUnsubmittedUploads(int64_t before,
                                                                 int limit) override;
  core::Result<bool> DeleteUpload(const std::string& tenant_id, const std::string& upload_id,
                                  UploadRows which) override;

  void SetColumnCipher(std::shared_ptr<ColumnCipher> cipher) override {
    cipher_ = std::move(cipher);
  }
  core::Result<std::optional<TenantKeyRecord>> GetTenantKey(const std::string& tenant_id) override;
  core::Result<bool> InsertTenantKey(const TenantKeyRecord& record) override;
  core::Result<std::vector<TenantKeyRecord>> ListTenantKeys() override;
  core::Result<int64_t> RewrapTenantKeys(const std::vector<TenantKeyRecord>& records,
                                         const std::string& from_master_key_id) override;

 private:
  // The sensitive columns (sql_sealed.cc): sealed for the tenant with the column cipher,
  // or as they are without one. Seal* change the records in place; Open* too.
  core::Status SealValue(const std::string& tenant_id, std::string* value) const;
  core::Status OpenValue(const std::string& tenant_id, std::string* value) const;
  core::Status SealPages(const std::string& tenant_id, std::vector<PageRecord>* pages) const;
  core::Status OpenPages(const std::string& tenant_id, std::vector<PageRecord>* pages) const;
  core::Status SealFields(const std::string& tenant_id, std::vector<FieldRecord>* fields) const;
  core::Status OpenFields(const std::string& tenant_id, std::vector<FieldRecord>* fields) const;
  // The before/after values of a review entry or audit row.
  core::Status SealChange(const std::string& tenant_id, std::string* before_json,
                          std::string* after_json) const;
  core::Status OpenChange(const std::string& tenant_id, std::string* before_json,
                          std::string* after_json) const;
  // The tenant a job belongs to (a job never changes tenant, so this is read outside
  // the transaction that writes its rows). kNotFound "job".
  core::Result<std::string> TenantOfJob(const std::string& job_id);

  bool postgres() const { return db_->backend() == Backend::kPostgres; }
  core::Status Tx(TxMode mode, const SqlDb::TxBody& body) { return db_->InTransaction(mode, body); }
  // Inside a write transaction: tells PostgreSQL listeners a job became claimable
  // (delivered at commit). Call JobsQueued() after the commit for local waiters.
  core::Status NotifyJobs(SqlConn& conn, const std::string& job_id);
  void JobsQueued() { db_->JobsQueued(); }
  // Reads the version inside a transaction (0 when schema_version does not exist).
  core::Result<int> ReadVersion(SqlConn& conn);
  // Inside a write transaction: the status of the tenant's job, its row locked until
  // commit (PostgreSQL; SQLite's write transactions are serialized already).
  // kNotFound "job" when the tenant has no such job.
  core::Result<std::string> LockJobStatus(SqlConn& conn, const std::string& tenant_id,
                                          const std::string& job_id);
  // Ends the job's open attempt rows with `outcome`.
  core::Status EndAttempt(SqlConn& conn, const std::string& job_id, const std::string& outcome,
                          const std::string& error_code, int64_t now);

  std::unique_ptr<SqlDb> db_;
  std::shared_ptr<ColumnCipher> cipher_;  // null: columns in the clear
};

}  // namespace smartocr::store::internal

#endif  // SMARTOCR_STORE_SQL_REPOSITORY_H_
