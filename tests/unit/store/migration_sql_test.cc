// tests/unit/store/migration_sql_test.cc
//
// Pins each migration's generated SQL to the text the two-script version ran, byte for
// byte (a shipped migration must never change).
#include <gtest/gtest.h>

#include <string>

#include "store/migrations.h"

namespace smartocr::store::internal {
namespace {

constexpr char kV1Sqlite[] = R"sql(
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
  id INTEGER PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  page_number INTEGER NOT NULL,
  width INTEGER NOT NULL DEFAULT 0,
  height INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT '',
  artifact_uri TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL DEFAULT '',
  confidence REAL NOT NULL DEFAULT 0,
  blocks_json TEXT NOT NULL DEFAULT '[]',
  UNIQUE (job_id, page_number)
);
CREATE TABLE blocks (
  id INTEGER PRIMARY KEY,
  page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  reading_order INTEGER NOT NULL,
  type TEXT NOT NULL,
  bbox TEXT NOT NULL,
  text TEXT NOT NULL,
  confidence REAL NOT NULL
);
CREATE INDEX blocks_page ON blocks(page_id, reading_order);
CREATE TABLE fields (
  id INTEGER PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL DEFAULT '',
  normalized TEXT NOT NULL DEFAULT '',
  bbox TEXT NOT NULL DEFAULT '[]',
  page INTEGER NOT NULL DEFAULT 0,
  confidence REAL NOT NULL DEFAULT 0,
  validator_status TEXT NOT NULL DEFAULT '',
  source_model TEXT NOT NULL DEFAULT '',
  version TEXT NOT NULL DEFAULT ''
);
CREATE INDEX fields_job ON fields(job_id, position);
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
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
  id INTEGER PRIMARY KEY,
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
  id INTEGER PRIMARY KEY,
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

constexpr char kV1Postgres[] = R"sql(
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
  id BIGSERIAL PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  page_number INTEGER NOT NULL,
  width INTEGER NOT NULL DEFAULT 0,
  height INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT '',
  artifact_uri TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL DEFAULT '',
  confidence DOUBLE PRECISION NOT NULL DEFAULT 0,
  blocks_json TEXT NOT NULL DEFAULT '[]',
  UNIQUE (job_id, page_number)
);
CREATE TABLE blocks (
  id BIGSERIAL PRIMARY KEY,
  page_id BIGINT NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  reading_order INTEGER NOT NULL,
  type TEXT NOT NULL,
  bbox TEXT NOT NULL,
  text TEXT NOT NULL,
  confidence DOUBLE PRECISION NOT NULL
);
CREATE INDEX blocks_page ON blocks(page_id, reading_order);
CREATE TABLE fields (
  id BIGSERIAL PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL DEFAULT '',
  normalized TEXT NOT NULL DEFAULT '',
  bbox TEXT NOT NULL DEFAULT '[]',
  page INTEGER NOT NULL DEFAULT 0,
  confidence DOUBLE PRECISION NOT NULL DEFAULT 0,
  validator_status TEXT NOT NULL DEFAULT '',
  source_model TEXT NOT NULL DEFAULT '',
  version TEXT NOT NULL DEFAULT ''
);
CREATE INDEX fields_job ON fields(job_id, position);
CREATE TABLE reviews (
  id BIGSERIAL PRIMARY KEY,
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
  id BIGSERIAL PRIMARY KEY,
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
  id BIGSERIAL PRIMARY KEY,
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

constexpr char kV2Sqlite[] = R"sql(
CREATE TABLE job_attempts (
  id INTEGER PRIMARY KEY,
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

constexpr char kV2Postgres[] = R"sql(
CREATE TABLE job_attempts (
  id BIGSERIAL PRIMARY KEY,
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

TEST(MigrationSql, MatchesTheShippedScriptsByteForByte) {
  struct Case {
    int version;
    const char* sqlite;
    const char* postgres;
  };
  const Case kCases[] = {{1, kV1Sqlite, kV1Postgres}, {2, kV2Sqlite, kV2Postgres}};
  ASSERT_EQ(Migrations().size(), 2u);
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.version);
    const Migration& m = Migrations()[c.version - 1];
    EXPECT_EQ(m.version, c.version);
    EXPECT_EQ(MigrationSql(m, Backend::kSqlite), std::string(c.sqlite));
    EXPECT_EQ(MigrationSql(m, Backend::kPostgres), std::string(c.postgres));
  }
}

}  // namespace
}  // namespace smartocr::store::internal
