// src/store/migrations.cc
//
// Conventions: ids are TEXT ("job_<hex>") except append-only logs and child rows,
// which use integer keys; times are BIGINT milliseconds since the epoch; optional text
// is '' rather than NULL (so uniqueness and comparisons stay simple), and jobs with
// an empty external_id are left out of the (tenant_id, external_id) unique index.
//
// Each script is written once; the words the dialects spell differently are {{NAME}}
// placeholders, replaced per backend from kDialectWords.
#include "store/migrations.h"

#include <string_view>

namespace smartocr::store::internal {

namespace {

// One placeholder and its spelling in each dialect.
struct DialectWord {
  std::string_view name;
  std::string_view sqlite;
  std::string_view postgres;
};

constexpr DialectWord kDialectWords[] = {
    // An integer key the database assigns. SQLite's INTEGER PRIMARY KEY is the 64-bit
    // rowid, so it needs no AUTOINCREMENT; PostgreSQL needs a sequence.
    {"AUTOINC_ID", "INTEGER PRIMARY KEY", "BIGSERIAL PRIMARY KEY"},
    // A column referring to an AUTOINC_ID key (SQLite's INTEGER is already 64-bit).
    {"ID_REF", "INTEGER", "BIGINT"},
    // An 8-byte float: SQLite's REAL is one; PostgreSQL's REAL has only 4 bytes.
    {"DOUBLE", "REAL", "DOUBLE PRECISION"},
    // 64 random hex digits from the database's own CSPRNG (PostgreSQL 13+: two v4
    // UUIDs, 244 random bits).
    {"RANDOM_HEX64", "lower(hex(randomblob(32)))",
     "replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')"},
};

// v1: the core tables.
constexpr char kV1[] = R"sql(
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  region TEXT NOT NULL DEFAULT '',
  settings_json TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  prefix TEXT NOT NULL UNIQUE,
  key_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX api_keys_tenant ON api_keys(tenant_id);
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  external_id TEXT NOT NULL DEFAULT '',
  doc_type TEXT NOT NULL DEFAULT '',
  source_uri TEXT NOT NULL DEFAULT '',
  webhook_url TEXT NOT NULL DEFAULT '',
  options_json TEXT NOT NULL DEFAULT '{}',
  trace_id TEXT NOT NULL DEFAULT '',
  max_attempts INTEGER NOT NULL DEFAULT 3,
  status TEXT NOT NULL,
  page_count INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  error_code TEXT NOT NULL DEFAULT '',
  error_reason TEXT NOT NULL DEFAULT '',
  error_message TEXT NOT NULL DEFAULT '',
  result_uri TEXT NOT NULL DEFAULT '',
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_expires_at BIGINT NOT NULL DEFAULT 0,
  run_after BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  completed_at BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX jobs_tenant_external ON jobs(tenant_id, external_id)
  WHERE external_id <> '';
CREATE INDEX jobs_tenant_created ON jobs(tenant_id, created_at DESC, id DESC);
CREATE INDEX jobs_status_run_after ON jobs(status, run_after);
CREATE TABLE pages (
  id {{AUTOINC_ID}},
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  page_number INTEGER NOT NULL,
  width INTEGER NOT NULL DEFAULT 0,
  height INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT '',
  artifact_uri TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL DEFAULT '',
  confidence {{DOUBLE}} NOT NULL DEFAULT 0,
  blocks_json TEXT NOT NULL DEFAULT '[]',
  UNIQUE (job_id, page_number)
);
CREATE TABLE blocks (
  id {{AUTOINC_ID}},
  page_id {{ID_REF}} NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  reading_order INTEGER NOT NULL,
  type TEXT NOT NULL,
  bbox TEXT NOT NULL,
  text TEXT NOT NULL,
  confidence {{DOUBLE}} NOT NULL
);
CREATE INDEX blocks_page ON blocks(page_id, reading_order);
CREATE TABLE fields (
  id {{AUTOINC_ID}},
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL DEFAULT '',
  normalized TEXT NOT NULL DEFAULT '',
  bbox TEXT NOT NULL DEFAULT '[]',
  page INTEGER NOT NULL DEFAULT 0,
  confidence {{DOUBLE}} NOT NULL DEFAULT 0,
  validator_status TEXT NOT NULL DEFAULT '',
  source_model TEXT NOT NULL DEFAULT '',
  version TEXT NOT NULL DEFAULT ''
);
CREATE INDEX fields_job ON fields(job_id, position);
CREATE TABLE reviews (
  id {{AUTOINC_ID}},
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  before_json TEXT NOT NULL DEFAULT '{}',
  after_json TEXT NOT NULL DEFAULT '{}',
  reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX reviews_job ON reviews(job_id, id);
CREATE TABLE audit_log (
  id {{AUTOINC_ID}},
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  job_id TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  before_json TEXT NOT NULL DEFAULT '{}',
  after_json TEXT NOT NULL DEFAULT '{}',
  reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_tenant_job ON audit_log(tenant_id, job_id, id);
CREATE TABLE webhook_deliveries (
  id {{AUTOINC_ID}},
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  job_id TEXT NOT NULL,
  event TEXT NOT NULL,
  url TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  http_status INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_tenant_job ON webhook_deliveries(tenant_id, job_id, id);
)sql";

// v2: one row per claim, the stage cache, and an index for expired-lease claims.
constexpr char kV2[] = R"sql(
CREATE TABLE job_attempts (
  id {{AUTOINC_ID}},
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  worker_id TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT NOT NULL DEFAULT 0,
  outcome TEXT NOT NULL DEFAULT 'running',
  error_code TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_attempts_job ON job_attempts(job_id, id);
CREATE TABLE page_cache (
  key TEXT PRIMARY KEY,
  page_json TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX jobs_running_lease ON jobs(lease_expires_at) WHERE status = 'running';
)sql";

// v3 (issue 16): each tenant's own webhook signing secret. Tenants that exist get one
// here, so no delivery is ever signed with an empty or shared key; new tenants get
// theirs when created (api::NewWebhookSecret), shown once.
constexpr char kV3WebhookSecret[] = R"sql(
ALTER TABLE tenants ADD COLUMN webhook_secret TEXT NOT NULL DEFAULT '';
UPDATE tenants SET webhook_secret = 'whsec_' || {{RANDOM_HEX64}} WHERE webhook_secret = '';
)sql";

// v4: the stage cache scoped to one job of one tenant (docs/security/cachescope.md). A
// row goes with its job and with its tenant (ON DELETE CASCADE), and a write for a job
// deleted meanwhile fails on the reference instead of leaving an orphan. The old rows
// name no tenant or job, so they cannot be scoped and are dropped (it is a cache: a
// page read again costs time, nothing is lost).
constexpr char kV4PageCacheScope[] = R"sql(
DROP TABLE page_cache;
CREATE TABLE page_cache (
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  page_json TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (job_id, key)
);
CREATE INDEX page_cache_tenant_created ON page_cache(tenant_id, created_at);
)sql";

// v5: the SHA-256 of each job's original when the job was created, so that a read of
// an original whose bytes changed since is refused (jobs/original.h). Old rows keep ''.
constexpr char kV5SourceSha256[] = R"sql(
ALTER TABLE jobs ADD COLUMN source_sha256 TEXT NOT NULL DEFAULT '';
)sql";

// v6 (issue 16): upload URLs handed out, so that uploads never submitted as jobs can be
// swept (Repository::RecordUpload). Uploads issued before have no row and stay until
// their jobs are deleted, as before.
constexpr char kV6Uploads[] = R"sql(
CREATE TABLE uploads (
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  submitted_at BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX uploads_unsubmitted ON uploads(issued_at) WHERE submitted_at = 0;
)sql";

// v7 (issue 19): the W3C traceparent of the request that enqueued the job, so the
// worker's job span continues that trace. "" on older rows (the worker starts a trace).
constexpr char kV7TraceParent[] = R"sql(
ALTER TABLE jobs ADD COLUMN trace_parent TEXT NOT NULL DEFAULT '';
)sql";

// v8 (issue 18): a job's review state (docs/review.md). A row exists only for a job
// that needs review; "in_review" is a to_review row with an unexpired claim.
constexpr char kV8JobReviews[] = R"sql(
CREATE TABLE job_reviews (
  job_id TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
  tenant_id TEXT NOT NULL,
  status TEXT NOT NULL,
  reasons_json TEXT NOT NULL DEFAULT '[]',
  min_confidence {{DOUBLE}} NOT NULL DEFAULT 1,
  doc_type TEXT NOT NULL DEFAULT '',
  completed_at BIGINT NOT NULL,
  claimed_by TEXT NOT NULL DEFAULT '',
  claim_expires_at BIGINT NOT NULL DEFAULT 0,
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at BIGINT NOT NULL DEFAULT 0,
  reason_code TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_reviews_queue ON job_reviews(tenant_id, status, completed_at, job_id);
)sql";

// v9 (issue 22): the audit log as a hash chain per tenant (Repository::VerifyAuditChain).
// Rows written before have no hashes and are reported as not covered.
constexpr char kV9AuditChain[] = R"sql(
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN row_hash TEXT NOT NULL DEFAULT '';
)sql";

// v10 (issue 22): API keys that expire, are narrowed by scopes, or are bound to networks;
// when each was last used.
constexpr char kV10KeyLimits[] = R"sql(
ALTER TABLE api_keys ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN allowed_networks TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN last_used_at BIGINT NOT NULL DEFAULT 0;
)sql";

// v11 (issue 22): each tenant's data key, wrapped by the master key (keys/keys.h). No
// reference to tenants: the service's own key has tenant_id ''; DeleteTenant removes a
// tenant's row itself.
constexpr char kV11TenantKeys[] = R"sql(
CREATE TABLE tenant_keys (
  tenant_id TEXT PRIMARY KEY,
  wrapped_key TEXT NOT NULL,
  master_key_id TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
)sql";

constexpr Migration kMigrations[] = {
    {1, "core tables", kV1},
    {2, "job attempts, page cache, lease index", kV2},
    {3, "per-tenant webhook secrets", kV3WebhookSecret},
    {4, "page cache scoped to a tenant's job", kV4PageCacheScope},
    {5, "jobs.source_sha256: original content hash", kV5SourceSha256},
    {6, "uploads: upload URLs handed out", kV6Uploads},
    {7, "jobs.trace_parent: the span that enqueued the job", kV7TraceParent},
    {8, "job_reviews: review state per job", kV8JobReviews},
    {9, "audit_log.prev_hash, row_hash: a hash chain per tenant", kV9AuditChain},
    {10, "api_keys: expiry, scopes, networks, last use", kV10KeyLimits},
    {11, "tenant_keys: wrapped data keys for encryption at rest", kV11TenantKeys},
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

std::string MigrationSql(const Migration& migration, Backend backend) {
  const std::string_view script = migration.sql;
  std::string out;
  out.reserve(script.size() + script.size() / 8);
  size_t pos = 0;
  while (pos < script.size()) {
    const size_t open = script.find("{{", pos);
    const size_t close = open == std::string_view::npos ? open : script.find("}}", open);
    if (close == std::string_view::npos) break;
    out.append(script.substr(pos, open - pos));
    const std::string_view name = script.substr(open + 2, close - open - 2);
    std::string_view word = script.substr(open, close + 2 - open);  // unknown: kept as is
    for (const DialectWord& w : kDialectWords) {
      if (w.name == name) word = backend == Backend::kPostgres ? w.postgres : w.sqlite;
    }
    out.append(word);
    pos = close + 2;
  }
  out.append(script.substr(pos));
  return out;
}

}  // namespace smartocr::store::internal
