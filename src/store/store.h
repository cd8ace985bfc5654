// src/store/store.h
//
// Store (rows): the service's relational data behind one Repository interface with
// two implementations, SQLite (embedded default: one WAL-mode file under the data
// directory) and PostgreSQL (libpqxx). Migrations are versioned and forward-only,
// applied at start-up and by `smartocr migrate`.
//
// Tenancy: every call that reads or writes a tenant's data takes the tenant id and
// filters by it in SQL; no call reads across tenants. The exceptions are marked
// SYSTEM below (the queue, used by workers that serve every tenant, and API-key
// lookup, which is how a request learns its tenant).
//
// Times are milliseconds since the Unix epoch, passed in by the caller (a Clock), so
// tests control time.
//
//   auto repo = store::OpenRepository("sqlite:///var/lib/smartocr/smartocr.db");
//   auto job = (*repo)->CreateJob("t1", spec, now_ms);
#ifndef SMARTOCR_STORE_STORE_H_
#define SMARTOCR_STORE_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/core.h"

namespace smartocr::store {

enum class JobStatus { kQueued, kRunning, kSucceeded, kFailed, kQuarantined, kCancelled };
const char* JobStatusName(JobStatus status);  // "queued", "running", ...
std::optional<JobStatus> ParseJobStatus(const std::string& name);

enum class Role { kAdmin, kReviewer, kViewer, kService };
const char* RoleName(Role role);  // "admin", "reviewer", "viewer", "service"
std::optional<Role> ParseRole(const std::string& name);

struct Tenant {
  std::string id;  // caller-chosen slug or generated
  std::string name;
  std::string region;
  std::string settings_json = "{}";
  int64_t created_at = 0;
  // HMAC key of the tenant's webhook signatures ("whsec_<64 hex>"). CreateTenant stores
  // a random one when this is empty, so every tenant has its own.
  std::string webhook_secret;
};

struct ApiKey {
  std::string id;
  std::string tenant_id;
  std::string prefix;    // short public identifier shown in listings
  std::string key_hash;  // never the key itself
  Role role = Role::kViewer;
  int64_t created_at = 0;
  int64_t revoked_at = 0;  // 0 = active
  int64_t expires_at = 0;  // ms; 0 = never
  // Space-separated scopes narrowing the role (api/auth.h: jobs:read, jobs:write, review,
  // admin); "" = all the role allows.
  std::string scopes;
  // Space-separated CIDRs the key may be used from; "" = anywhere.
  std::string allowed_networks;
  int64_t last_used_at = 0;  // ms, updated at most once a minute (TouchApiKey)
};

// What a client asks for when it submits a job.
struct JobSpec {
  std::string external_id;          // optional; (tenant, external_id) is unique
  std::string doc_type;             // optional hint ("invoice", "receipt", ...)
  std::string source_uri;           // where the original lies (blob URI)
  std::string webhook_url;          // optional
  std::string options_json = "{}";  // pipeline options (pages, dpi, lang, schema...)
  std::string trace_id;             // W3C trace id (32 hex) of the request that enqueued it
  std::string trace_parent;         // that request's traceparent header form ("" = none)
  int max_attempts = 3;
  // Lower-case hex SHA-256 of the original when the job was created; every later read
  // of the original is checked against it (jobs/original.h). "" on rows from before
  // schema v3, which are not checked.
  std::string source_sha256;
};

// What a re-run changes in a job's spec; unset members keep the job's own.
struct RerunChange {
  std::optional<std::string> doc_type;
  std::optional<std::string> options_json;
};

// An upload URL handed out (POST /ocr/uploads; see Repository::RecordUpload).
struct UploadRecord {
  std::string tenant_id;
  std::string id;         // "upl_<hex>"; the blob is "uploads/<tenant_id>/<id>"
  int64_t issued_at = 0;  // ms
};

// Which upload rows DeleteUpload removes.
enum class UploadRows { kAny, kOnlyUnsubmitted };

// The job a stage-cache row belongs to (see Repository::GetCachedPage).
struct CacheScope {
  std::string tenant_id;
  std::string job_id;
};

struct Job {
  std::string id;
  std::string tenant_id;
  JobSpec spec;
  JobStatus status = JobStatus::kQueued;
  int page_count = 0;
  int attempts = 0;          // claims so far
  std::string error_code;    // core::StatusCodeName of the last failure
  std::string error_reason;  // core::Status::reason() of the last failure
  std::string error_message;
  std::string result_uri;   // blob URI of the result JSON once succeeded
  std::string lease_owner;  // worker id while running
  int64_t lease_expires_at = 0;
  int64_t run_after = 0;  // not claimable before (retry backoff)
  int64_t created_at = 0;
  int64_t updated_at = 0;
  int64_t completed_at = 0;
};

// A page's persisted result: the page row plus its blocks (as in the JSON output).
struct PageRecord {
  int page_number = 0;
  int width = 0;
  int height = 0;
  std::string source;        // "ocr" | "pdf-text"
  std::string artifact_uri;  // blob URI of the page image
  std::string text;
  double confidence = 0;
  std::string blocks_json = "[]";  // the page's "blocks" array, as rendered
};

struct FieldRecord {
  std::string name;
  std::string value;
  std::string normalized;
  std::string bbox_json = "[]";
  int page = 0;
  double confidence = 0;
  std::string validator_status;  // valid | invalid | unchecked
  std::string source_model;
  std::string version;
};

// Why a succeeded job needs a person (docs/review.md), decided by the worker when the
// job completes and stored with the completion.
struct ReviewOpen {
  std::vector<std::string> reasons;  // "low_confidence:total", "sampled", ...; empty: none
  double min_confidence = 1;         // the lowest field confidence
  std::string doc_type;
};

// A job's review (the job_reviews table). No row: the job needs no review.
struct ReviewRecord {
  std::string job_id;
  std::string tenant_id;
  std::string status;  // to_review | approved | rejected (in_review: see StatusAt)
  std::vector<std::string> reasons;
  double min_confidence = 1;
  std::string doc_type;
  int64_t completed_at = 0;
  std::string claimed_by;  // API key id
  int64_t claim_expires_at = 0;
  std::string decided_by;
  int64_t decided_at = 0;
  std::string reason_code;
  std::string comment;

  // "in_review" while an unexpired claim holds a to_review row, else `status`.
  std::string StatusAt(int64_t now) const {
    return status == "to_review" && claim_expires_at > now ? "in_review" : status;
  }
};

// One change made in review (the reviews table): a field edit or a decision.
struct ReviewEntry {
  int64_t id = 0;
  std::string actor;   // API key id
  std::string action;  // fields.patch | review.approve | review.reject
  std::string before_json = "{}";
  std::string after_json = "{}";
  std::string reason;
  int64_t created_at = 0;
};

struct ReviewQuery {
  // to_review, in_review, approved, rejected; empty: to_review and in_review.
  std::vector<std::string> statuses;
  std::string doc_type;
  double min_confidence = -1;  // < 0: no bound
  double max_confidence = -1;
  int64_t older_than = 0;  // completed before (ms); 0: no bound
  int limit = 50;
  std::string cursor;  // from ReviewPage::next_cursor
};

struct ReviewPage {
  std::vector<ReviewRecord> items;        // oldest completed first
  std::map<std::string, int64_t> counts;  // by StatusAt(now), whatever the filter
  std::string next_cursor;                // "" on the last page
};

// One claim of a job by a worker (the job_attempts table), oldest first.
struct JobAttempt {
  int64_t id = 0;
  std::string job_id;
  int attempt = 0;  // Job::attempts right after this claim (1, 2, ...)
  std::string worker_id;
  int64_t started_at = 0;
  int64_t ended_at = 0;  // 0 while running
  // "running" | "succeeded" | "retry" | "failed" | "quarantined" | "released" |
  // "cancelled" | "lease_lost" (the lease expired and another claim took the job).
  std::string outcome;
  std::string error_code;  // StatusCodeName for "retry"/"failed"/"quarantined"
};

struct AuditEntry {
  int64_t id = 0;
  std::string tenant_id;
  std::string job_id;  // may be empty (admin actions)
  std::string actor;   // api key id or "system"
  std::string action;  // "fields.patch", "key.create", "job.requeue", ...
  std::string before_json = "{}";
  std::string after_json = "{}";
  std::string reason;
  int64_t created_at = 0;
};

// What Repository::VerifyAuditChain found in a tenant's audit log. Each row written
// since schema v9 carries the hash of the tenant's previous row and its own hash over
// that and its content (docs/security.md): an edited row, or a row deleted or inserted
// before the newest, breaks the chain. Deleting the newest rows does not: a head
// recorded earlier must still be in the chain (`known_head_found`).
struct AuditChainReport {
  int64_t rows = 0;               // rows in the chain, checked
  int64_t unchained = 0;          // rows from before the chain began (schema v9): not covered
  int64_t keyed = 0;              // of `rows`, those hashed with the tenant's key (HMAC)
  std::string head;               // the newest row's hash; "" when the chain is empty
  int64_t broken_at = 0;          // id of the first row that does not verify; 0 when intact
  std::string problem;            // why it does not
  bool known_head_found = false;  // the `known_head` asked about is a row of the chain
  bool intact() const { return broken_at == 0; }
};

struct WebhookDelivery {
  int64_t id = 0;
  std::string tenant_id;
  std::string job_id;
  std::string event;  // "job.succeeded" | "job.failed" | "job.quarantined"
  std::string url;
  int attempt = 0;
  int http_status = 0;  // 0 when no response
  std::string error;
  int64_t created_at = 0;
};

struct JobFilter {
  std::optional<JobStatus> status;
  std::string doc_type;
  int64_t created_from = 0;  // inclusive, 0 = unbounded
  int64_t created_to = 0;    // exclusive, 0 = unbounded
  std::string cursor;        // opaque, from the previous page
  int limit = 50;
};

struct JobPage {
  std::vector<Job> jobs;
  std::string next_cursor;  // empty at the end
};

// Thread-safe: implementations use a connection per call or a pool; callers may share
// one Repository between threads.
//
// Errors common to every call: kUnavailable "database_unreachable" (connection lost),
// kUnavailable "database_busy" (lock timeout; retry), kInternal "database_error".
// A failed call changes nothing (each call is one transaction).
// The schema version that added tenant_keys (encryption at rest).
inline constexpr int kTenantKeysSchemaVersion = 11;

// A tenant's data key as the database keeps it: wrapped (encrypted) by the master key
// (keys/keys.h), never in the clear.
struct TenantKeyRecord {
  std::string tenant_id;      // "" for the service's own key (objects of no tenant)
  std::string wrapped;        // base64 of the nonce and the sealed key
  std::string master_key_id;  // which master key wrapped it (keys::MasterKey::id)
  int64_t created_at = 0;
};

// Encrypts the sensitive columns (page text and blocks, field values, review and audit
// before/after values, cached pages) with a tenant's data key; the Repository calls it on
// every write and read of those columns once SetColumnCipher gave it one
// (docs/security.md, "Encryption at rest"). Implementations are thread-safe.
class ColumnCipher {
 public:
  virtual ~ColumnCipher() = default;
  // `plain` sealed for `tenant_id`.
  virtual core::Result<std::string> Seal(const std::string& tenant_id, std::string_view plain) = 0;
  // A stored value opened. A value that was never sealed (written before encryption was
  // turned on) comes back as it is; a sealed one that fails to open is
  // kInternal "column_decrypt" (another tenant's, tampered with, or a lost key).
  virtual core::Result<std::string> Open(const std::string& tenant_id, std::string_view stored) = 0;
  // HMAC-SHA256 of `data` (lower-case hex) under a key of the tenant's own: the audit
  // log's chain is keyed with it, so rows rewritten without the master key do not verify.
  virtual core::Result<std::string> Mac(const std::string& tenant_id, std::string_view data) = 0;
};

class Repository {
 public:
  virtual ~Repository() = default;

  // "sqlite" or "postgresql".
  virtual std::string backend() const = 0;
  // Applies pending migrations (idempotent). Returns the schema version reached.
  virtual core::Result<int> Migrate() = 0;
  // Applies pending migrations up to `target_version` only (tests and staged upgrades).
  // kInvalidArgument "schema_version" when target_version > LatestSchemaVersion();
  // kInvalidArgument "schema_too_new" when the database is ahead of this binary.
  virtual core::Result<int> MigrateTo(int target_version) = 0;
  // 0 for an empty database.
  virtual core::Result<int> SchemaVersion() = 0;

  // Tenants and keys. Ids are chosen by the caller (NewId() if nothing better): an empty
  // id is kInvalidArgument "tenant_id" / "key_id". A duplicate id (or key prefix) is
  // kInvalidArgument "exists". Unknown tenant: kNotFound "tenant".
  virtual core::Status CreateTenant(const Tenant& tenant) = 0;  // kInvalidArgument "exists"
  virtual core::Result<Tenant> GetTenant(const std::string& tenant_id) = 0;  // kNotFound
  // SYSTEM: every tenant, by id (background jobs such as retention that serve them all).
  // The default (for test fakes) is kInternal "not_supported".
  virtual core::Result<std::vector<Tenant>> ListTenants();
  virtual core::Status UpdateTenantSettings(const std::string& tenant_id,
                                            const std::string& settings_json) = 0;
  // Replaces the tenant's webhook secret (rotation). kInvalidArgument "webhook_secret"
  // when empty; kNotFound "tenant". The default (for test fakes) is kInternal
  // "not_supported".
  virtual core::Status UpdateTenantWebhookSecret(const std::string& tenant_id,
                                                 const std::string& secret);
  // Deletes the tenant's row and every row it owns, in one transaction: keys, jobs with
  // their pages, fields, reviews and attempts, its audit log, webhook deliveries,
  // uploads and cache rows. kNotFound "tenant". The default (for test fakes) is
  // kInternal "not_supported".
  virtual core::Status DeleteTenant(const std::string& tenant_id);
  virtual core::Status CreateApiKey(const ApiKey& key) = 0;
  virtual core::Result<std::vector<ApiKey>> ListApiKeys(const std::string& tenant_id) = 0;
  // Idempotent (revoking a revoked key keeps the first revoked_at). kNotFound "api_key".
  virtual core::Status RevokeApiKey(const std::string& tenant_id, const std::string& key_id,
                                    int64_t now) = 0;
  // SYSTEM: finds a key by its public prefix (auth happens before the tenant is known).
  // Revoked keys are returned too (revoked_at > 0): the caller must reject them.
  // kNotFound "api_key".
  virtual core::Result<ApiKey> FindApiKeyByPrefix(const std::string& prefix) = 0;
  // Sets the key's last_used_at to `now` when it is 0 or older than `now - min_interval_ms`
  // (one write a minute, not one a request). Best effort for callers. The default (for
  // test fakes) does nothing.
  virtual core::Status TouchApiKey(const std::string& key_id, int64_t now, int64_t min_interval_ms);

  // Jobs. CreateJob with an external_id already used by the tenant returns the existing
  // job and sets *created to false (`created` may be null). The job gets a fresh id
  // ("job_<32 hex>"), status queued, run_after = now. kNotFound "tenant" when the tenant
  // does not exist. GetJob and the calls below: kNotFound "job" for an unknown job or
  // another tenant's job.
  virtual core::Result<Job> CreateJob(const std::string& tenant_id, const JobSpec& spec,
                                      int64_t now, bool* created) = 0;
  virtual core::Result<Job> GetJob(const std::string& tenant_id, const std::string& job_id) = 0;
  // Newest first (created_at desc, id desc). limit is clamped to [1, 1000] (<= 0: 50).
  // kInvalidArgument "cursor" for a cursor this call did not produce.
  virtual core::Result<JobPage> ListJobs(const std::string& tenant_id, const JobFilter& filter) = 0;
  // Cancels a queued job / marks a running one cancelled (the worker stops at its next
  // heartbeat). kNotFound for another tenant's job. Cancelling a cancelled job is OK;
  // a succeeded/failed/quarantined job is kInvalidArgument "job_finished".
  virtual core::Status CancelJob(const std::string& tenant_id, const std::string& job_id,
                                 int64_t now) = 0;
  // Puts a failed/quarantined/succeeded/cancelled job back in the queue with attempts
  // reset, error and result_uri cleared (stored pages stay until the next completion),
  // with the doc_type and options `change` sets (the rest of the spec stays).
  // A queued or running job is kInvalidArgument "job_active".
  virtual core::Status RequeueJob(const std::string& tenant_id, const std::string& job_id,
                                  int64_t now, const RerunChange& change) = 0;
  // Deletes the job with its pages, blocks, fields, attempts and stage-cache rows (audit
  // entries and webhook deliveries stay: they are the record of what happened).
  virtual core::Status DeleteJob(const std::string& tenant_id, const std::string& job_id) = 0;

  // Queue (SYSTEM). Claims the oldest claimable job: queued with run_after <= now, or
  // running with an expired lease (its worker died). Sets status running, lease_owner,
  // lease_expires_at = now + lease_ms, attempts + 1. PostgreSQL: SELECT ... FOR UPDATE
  // SKIP LOCKED; SQLite: one IMMEDIATE transaction. std::nullopt when none.
  // Each claim appends a JobAttempt ("running"); an expired lease's attempt becomes
  // "lease_lost". attempts may pass spec.max_attempts after expired leases (a job that
  // kills its worker): the worker should FailJob(..., kQuarantined) such a job.
  virtual core::Result<std::optional<Job>> ClaimJob(const std::string& worker_id, int64_t now,
                                                    int64_t lease_ms) = 0;
  // Extends the lease. kAborted-like failure (kUnavailable "lease_lost") when the job is
  // no longer leased to this worker or was cancelled: the worker must stop.
  virtual core::Status Heartbeat(const std::string& job_id, const std::string& worker_id,
                                 int64_t now, int64_t lease_ms) = 0;
  // Atomically replaces the job's pages and fields with these, sets succeeded,
  // page_count, result_uri, completed_at, and clears the lease. Only the lease holder
  // may complete (kUnavailable "lease_lost" otherwise, and nothing is written), so a
  // job completes exactly once.
  virtual core::Status CompleteJob(const std::string& job_id, const std::string& worker_id,
                                   const std::vector<PageRecord>& pages,
                                   const std::vector<FieldRecord>& fields,
                                   const std::string& result_uri, int64_t now,
                                   const ReviewOpen& review) = 0;
  // Records a failed attempt. retry_at > 0: back to queued, claimable from retry_at.
  // Otherwise final: status `final_status` (kFailed or kQuarantined; anything else is
  // kInvalidArgument "final_status"). kUnavailable "lease_lost" as for CompleteJob.
  virtual core::Status FailJob(const std::string& job_id, const std::string& worker_id,
                               const core::Status& error, int64_t retry_at, JobStatus final_status,
                               int64_t now) = 0;
  // Gives the lease back without counting an attempt (graceful shutdown): queued again,
  // attempts - 1. kUnavailable "lease_lost" as for CompleteJob.
  virtual core::Status ReleaseJob(const std::string& job_id, const std::string& worker_id,
                                  int64_t now) = 0;
  // Jobs per status, for metrics and tests (SYSTEM when tenant_id is empty).
  virtual core::Result<std::vector<std::pair<JobStatus, int64_t>>> CountJobs(
      const std::string& tenant_id) = 0;
  // created_at of the oldest queued job (any tenant), 0 when none is queued: the
  // queue-age gauge.
  virtual core::Result<int64_t> OldestQueuedAt() = 0;
  // The job's claims, oldest first. kNotFound "job" as for GetJob.
  virtual core::Result<std::vector<JobAttempt>> ListJobAttempts(const std::string& tenant_id,
                                                                const std::string& job_id) = 0;

  // Blocks the calling thread until a job may have become claimable (created, requeued,
  // retried or released) or `timeout_ms` passes; true when woken by such an event
  // (wake-ups may be spurious: claim, and wait again on nullopt). PostgreSQL: LISTEN on
  // channel "smartocr_jobs" (every job insert/requeue NOTIFYs it), so it sees other
  // processes. SQLite: wakes on this Repository's own writes only. This default sleeps.
  virtual bool WaitForJobs(int64_t timeout_ms);

  // Results. kNotFound "job" as for GetJob. Pages by page_number, fields in the order
  // CompleteJob was given them.
  virtual core::Result<std::vector<PageRecord>> GetPages(const std::string& tenant_id,
                                                         const std::string& job_id) = 0;
  virtual core::Result<std::vector<FieldRecord>> GetFields(const std::string& tenant_id,
                                                           const std::string& job_id) = 0;

  // Review (docs/review.md). kNotFound "job" for another tenant's job. Test doubles
  // that do not store reviews keep these defaults (kInternal "not_supported").
  // The job's review; nullopt when it needs none.
  virtual core::Result<std::optional<ReviewRecord>> GetReview(const std::string& tenant_id,
                                                              const std::string& job_id);
  // The reviews of those of `job_ids` that have one, by job id, in one query (a job
  // list's page); another tenant's jobs are simply absent. At most 1000 ids.
  virtual core::Result<std::map<std::string, ReviewRecord>> GetReviews(
      const std::string& tenant_id, const std::vector<std::string>& job_ids);
  // kInvalidArgument "review_not_open" (no review, or decided: "review_decided"),
  // "review_claimed" while another actor's claim is unexpired. Re-claiming extends.
  virtual core::Result<ReviewRecord> ClaimReview(const std::string& tenant_id,
                                                 const std::string& job_id,
                                                 const std::string& actor, int64_t now,
                                                 int64_t claim_ms);
  // Drops `actor`'s claim (nothing when it holds none).
  virtual core::Status ReleaseReview(const std::string& tenant_id, const std::string& job_id,
                                     const std::string& actor);
  // Approves (or rejects) with `entry` written to the reviews table in the same
  // transaction; errors as ClaimReview.
  virtual core::Result<ReviewRecord> DecideReview(const std::string& tenant_id,
                                                  const std::string& job_id, bool approve,
                                                  const ReviewEntry& entry,
                                                  const std::string& reason_code, int64_t now);
  virtual core::Result<ReviewPage> ListReviews(const std::string& tenant_id,
                                               const ReviewQuery& query, int64_t now);
  // The job's review entries, oldest first.
  virtual core::Result<std::vector<ReviewEntry>> ListReviewEntries(const std::string& tenant_id,
                                                                   const std::string& job_id);
  // Open reviews (to_review or in_review) of every tenant: the review-queue gauge.
  virtual core::Result<int64_t> CountOpenReviews();
  // Every review entry of the tenant since `since` (ms), for the stats.
  virtual core::Result<std::vector<ReviewEntry>> ListTenantReviewEntries(
      const std::string& tenant_id, int64_t since);

  // Reviewer edits: replaces the job's fields with `fields` (in this order) and appends
  // `audit` in the same transaction. kNotFound "job" as for GetJob. The default (for
  // test fakes) is kInternal "not_supported".
  virtual core::Status ReplaceFields(const std::string& tenant_id, const std::string& job_id,
                                     const std::vector<FieldRecord>& fields,
                                     const AuditEntry& audit);

  // Audit log and webhook deliveries (append-only). The id of what is appended is
  // assigned by the store (the id field is ignored); the tenant must exist (kNotFound
  // "tenant"). ListAudit: newest first, job_id empty = all the tenant's entries, limit
  // <= 0 = 100. ListWebhookDeliveries: oldest first.
  virtual core::Status AppendAudit(const AuditEntry& entry) = 0;
  virtual core::Result<std::vector<AuditEntry>> ListAudit(const std::string& tenant_id,
                                                          const std::string& job_id, int limit) = 0;
  // Reads the tenant's whole audit log, oldest first, and checks its hash chain, and
  // whether `known_head` (a head recorded earlier; may be "") is one of its rows. The
  // default (for test fakes) is kInternal "not_supported".
  virtual core::Result<AuditChainReport> VerifyAuditChain(const std::string& tenant_id,
                                                          const std::string& known_head = "");
  virtual core::Status RecordWebhookDelivery(const WebhookDelivery& delivery) = 0;
  virtual core::Result<std::vector<WebhookDelivery>> ListWebhookDeliveries(
      const std::string& tenant_id, const std::string& job_id) = 0;

  // Stage cache: what a job's run already computed (a page's OCR, a document's result),
  // by a key the caller derives from content, engine and options, so that a retry or
  // re-run of the job does not redo it. Rows belong to one job of one tenant (`scope`)
  // and a lookup sees only that job's rows: nothing cached for one job serves another,
  // and never another tenant. Rows go when their job is deleted (DeleteJob) or their
  // tenant is, and by ExpireCachedPages.
  // GetCachedPage: std::nullopt on a miss (also for another tenant's job).
  // PutCachedPage: inserts or overwrites; kNotFound "job" when the scope's job is not
  // the tenant's (or was deleted meanwhile): nothing is written.
  virtual core::Result<std::optional<std::string>> GetCachedPage(const CacheScope& scope,
                                                                 const std::string& key) = 0;
  virtual core::Status PutCachedPage(const CacheScope& scope, const std::string& key,
                                     const std::string& page_json, int64_t now) = 0;
  // Deletes the tenant's cache rows written before `before` (retention); how many.
  virtual core::Result<int64_t> ExpireCachedPages(const std::string& tenant_id, int64_t before) = 0;

  // Uploads handed out, so that one never submitted as a job does not stay in the blob
  // store forever (api::RetentionSweeper removes those issued long ago). A row goes
  // with its tenant.
  // RecordUpload: when the URL is issued; kNotFound "tenant" for an unknown tenant.
  // MarkUploadSubmitted: a job was created from it; false when there is no such row
  // (swept meanwhile, or issued before schema v6).
  // ListUnsubmittedUploads: those never submitted and issued before `before`, oldest
  // first, at most `limit`.
  // DeleteUpload: removes the row (kOnlyUnsubmitted: only while still unsubmitted, so a
  // sweep never takes an upload a job was just created from); whether it did.
  virtual core::Status RecordUpload(const UploadRecord& upload) = 0;
  virtual core::Result<bool> MarkUploadSubmitted(const std::string& tenant_id,
                                                 const std::string& upload_id, int64_t now) = 0;
  virtual core::Result<std::vector<UploadRecord>> ListUnsubmittedUploads(int64_t before,
                                                                         int limit) = 0;
  virtual core::Result<bool> DeleteUpload(const std::string& tenant_id,
                                          const std::string& upload_id, UploadRows which) = 0;

  // Encryption at rest (keys/keys.h). SetColumnCipher: from now on the sensitive
  // columns are sealed on write and opened on read; call it once, before the repository
  // is shared between threads. The default ignores it.
  // Tenant data keys, wrapped: a tenant's row goes with it (DeleteTenant), which makes
  // whatever of its data a backup still holds unreadable.
  // GetTenantKey: std::nullopt when the tenant has none yet.
  // InsertTenantKey: false (and nothing written) when the tenant has one already.
  // RewrapTenantKeys: in one transaction, replaces each record's wrapped key where its
  // row is still wrapped by `from_master_key_id`; how many rows changed.
  // The defaults are kInternal "not_supported".
  virtual void SetColumnCipher(std::shared_ptr<ColumnCipher> cipher);
  virtual core::Result<std::optional<TenantKeyRecord>> GetTenantKey(const std::string& tenant_id);
  virtual core::Result<bool> InsertTenantKey(const TenantKeyRecord& record);
  virtual core::Result<std::vector<TenantKeyRecord>> ListTenantKeys();
  virtual core::Result<int64_t> RewrapTenantKeys(const std::vector<TenantKeyRecord>& records,
                                                 const std::string& from_master_key_id);
};

// The schema version this binary migrates to.
int LatestSchemaVersion();

// A random id: prefix + "_" + 32 lower-case hex digits (128 bits from the OS), e.g.
// NewId("job") == "job_3f2a...". Thread-safe.
std::string NewId(std::string_view prefix);

// A new webhook signing secret: "whsec_" + 64 lower-case hex digits (256 bits from the
// OS). Thread-safe.
std::string NewWebhookSecret();

// Opens a repository from a URL: "sqlite:///abs/path.db", "sqlite::memory:" (tests;
// one connection, so calls are serialized), "postgresql://user@host:port/db" (also
// "postgres://"; any libpq URI). Does not migrate.
// Fails with kInvalidArgument "database_url" (bad URL) or kUnavailable
// "database_unreachable" (cannot open or connect).
core::Result<std::unique_ptr<Repository>> OpenRepository(const std::string& url);

}  // namespace smartocr::store

#endif  // SMARTOCR_STORE_STORE_H_
