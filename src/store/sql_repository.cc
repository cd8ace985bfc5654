// src/store/sql_repository.cc
//
// Schema migrations, tenants and API keys, and the helpers the other sql_*.cc files
// share.
#include "store/sql_repository.h"

#include <chrono>

#include "store/migrations.h"
#include "store/pg_db.h"

namespace smartocr::store::internal {

namespace {

// Serializes migrations across processes on PostgreSQL (SQLite's BEGIN IMMEDIATE
// already does). Any constant works; this one spells "SOCR".
constexpr int64_t kMigrationLockKey = 0x534f4352;

int64_t WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool IsReason(const core::Status& st, const char* reason) {
  return !st.ok() && st.reason() == reason;
}

ApiKey KeyFromRow(const SqlRow& row) {
  ApiKey key;
  key.id = row.Str(0);
  key.tenant_id = row.Str(1);
  key.prefix = row.Str(2);
  key.key_hash = row.Str(3);
  key.role = ParseRole(row.Str(4)).value_or(Role::kViewer);
  key.created_at = row.Int(5);
  key.revoked_at = row.Int(6);
  key.expires_at = row.Int(7);
  key.scopes = row.Str(8);
  key.allowed_networks = row.Str(9);
  key.last_used_at = row.Int(10);
  return key;
}

constexpr char kKeyColumns[] =
    "id, tenant_id, prefix, key_hash, role, created_at, revoked_at, expires_at, scopes,"
    " allowed_networks, last_used_at";

}  // namespace

core::Result<Job> JobFromRow(const SqlRow& row) {
  Job job;
  job.id = row.Str(0);
  job.tenant_id = row.Str(1);
  job.spec.external_id = row.Str(2);
  job.spec.doc_type = row.Str(3);
  job.spec.source_uri = row.Str(4);
  job.spec.webhook_url = row.Str(5);
  job.spec.options_json = row.Str(6);
  job.spec.trace_id = row.Str(7);
  job.spec.max_attempts = static_cast<int>(row.Int(8));
  std::optional<JobStatus> status = ParseJobStatus(row.Str(9));
  if (!status) return core::Internal("job_status", "unknown job status: " + row.Str(9));
  job.status = *status;
  job.page_count = static_cast<int>(row.Int(10));
  job.attempts = static_cast<int>(row.Int(11));
  job.error_code = row.Str(12);
  job.error_reason = row.Str(13);
  job.error_message = row.Str(14);
  job.result_uri = row.Str(15);
  job.lease_owner = row.Str(16);
  job.lease_expires_at = row.Int(17);
  job.run_after = row.Int(18);
  job.created_at = row.Int(19);
  job.updated_at = row.Int(20);
  job.completed_at = row.Int(21);
  job.spec.source_sha256 = row.Str(22);
  job.spec.trace_parent = row.Str(23);
  return job;
}

core::Status CheckJobOwner(SqlConn& conn, const std::string& tenant_id, const std::string& job_id) {
  core::Result<SqlRows> rows =
      conn.Query("SELECT 1 FROM jobs WHERE id = $1 AND tenant_id = $2", {job_id, tenant_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return core::NotFound("job", "no job " + job_id);
  return core::Status();
}

std::string SqlRepository::backend() const { return postgres() ? "postgresql" : "sqlite"; }

core::Status SqlRepository::NotifyJobs(SqlConn& conn, const std::string& job_id) {
  if (!postgres()) return core::Status();
  core::Result<SqlRows> rows =
      conn.Query("SELECT pg_notify($1, $2)", {std::string(kJobsChannel), job_id});
  return rows.status();
}

core::Status SqlRepository::EndAttempt(SqlConn& conn, const std::string& job_id,
                                       const std::string& outcome, const std::string& error_code,
                                       int64_t now) {
  return conn
      .Exec(
          "UPDATE job_attempts SET outcome = $1, error_code = $2, ended_at = $3"
          " WHERE job_id = $4 AND outcome = 'running'",
          {outcome, error_code, now, job_id})
      .status();
}

// ---- Schema -----------------------------------------------------------------------

core::Result<int> SqlRepository::ReadVersion(SqlConn& conn) {
  core::Result<SqlRows> exists = postgres()
                                     ? conn.Query(
                                           "SELECT COUNT(*) FROM information_schema.tables"
                                           " WHERE table_schema = current_schema()"
                                           " AND table_name = 'schema_version'")
                                     : conn.Query(
                                           "SELECT COUNT(*) FROM sqlite_master"
                                           " WHERE type = 'table' AND name = 'schema_version'");
  if (!exists.ok()) return exists.status();
  if ((*exists)[0].Int(0) == 0) return 0;
  core::Result<SqlRows> rows = conn.Query("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!rows.ok()) return rows.status();
  return static_cast<int>((*rows)[0].Int(0));
}

core::Result<int> SqlRepository::SchemaVersion() {
  int version = 0;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) {
    core::Result<int> v = ReadVersion(conn);
    if (!v.ok()) return v.status();
    version = *v;
    return core::Status();
  });
  if (!st.ok()) return st;
  return version;
}

core::Result<int> SqlRepository::Migrate() { return MigrateTo(LatestSchemaVersion()); }

core::Result<int> SqlRepository::MigrateTo(int target_version) {
  const int latest = LatestSchemaVersion();
  if (target_version < 0 || target_version > latest) {
    return core::InvalidArgument("schema_version",
                                 "no schema version " + std::to_string(target_version));
  }
  // One transaction per version, so a failure leaves the database at the last good one.
  for (const Migration& m : Migrations()) {
    if (m.version > target_version) break;
    core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
      if (postgres()) {
        SMARTOCR_RETURN_IF_ERROR(
            conn.Query("SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey}).status());
      }
      SMARTOCR_RETURN_IF_ERROR(conn.ExecScript(kCreateSchemaVersion));
      core::Result<int> current = ReadVersion(conn);
      if (!current.ok()) return current.status();
      if (*current > latest) {
        return core::InvalidArgument("schema_too_new",
                                     "database schema version " + std::to_string(*current) +
                                         " is newer than this binary's " + std::to_string(latest));
      }
      if (*current >= m.version) return core::Status();  // applied already
      SMARTOCR_RETURN_IF_ERROR(conn.ExecScript(MigrationSql(m, db_->backend())));
      return conn
          .Exec(
              "INSERT INTO schema_version (version, description, applied_at)"
              " VALUES ($1, $2, $3)",
              {int64_t{m.version}, std::string(m.description), WallClockMs()})
          .status();
    });
    if (!st.ok()) return st.WithContext("migration " + std::to_string(m.version));
  }
  return SchemaVersion();
}

// ---- Tenants and keys -------------------------------------------------------------

namespace {

constexpr char kTenantColumns[] = "id, name, region, settings_json, created_at, webhook_secret";

Tenant TenantFromRow(const SqlRow& row) {
  return Tenant{row.Str(0), row.Str(1), row.Str(2), row.Str(3), row.Int(4), row.Str(5)};
}

}  // namespace

core::Status SqlRepository::CreateTenant(const Tenant& tenant) {
  if (tenant.id.empty()) return core::InvalidArgument("tenant_id", "tenant id is empty");
  const std::string secret =
      tenant.webhook_secret.empty() ? NewWebhookSecret() : tenant.webhook_secret;
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) {
    return conn
        .Exec(
            "INSERT INTO tenants (id, name, region, settings_json, created_at, webhook_secret)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            {tenant.id, tenant.name, tenant.region, tenant.settings_json, tenant.created_at,
             secret})
        .status();
  });
  if (IsReason(st, "unique_violation")) {
    return core::InvalidArgument("exists", "tenant " + tenant.id + " exists");
  }
  return st;
}

core::Result<Tenant> SqlRepository::GetTenant(const std::string& tenant_id) {
  Tenant tenant;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) {
    core::Result<SqlRows> rows = conn.Query(
        std::string("SELECT ") + kTenantColumns + " FROM tenants WHERE id = $1", {tenant_id});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return core::NotFound("tenant", "no tenant " + tenant_id);
    const SqlRow& row = rows->front();
    tenant = TenantFromRow(row);
    return core::Status();
  });
  if (!st.ok()) return st;
  return tenant;
}

core::Result<std::vector<Tenant>> SqlRepository::ListTenants() {
  std::vector<Tenant> tenants;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) {
    core::Result<SqlRows> rows =
        conn.Query(std::string("SELECT ") + kTenantColumns + " FROM tenants ORDER BY id", {});
    if (!rows.ok()) return rows.status();
    for (const SqlRow& row : *rows) {
      tenants.push_back(TenantFromRow(row));
    }
    return core::Status();
  });
  if (!st.ok()) return st;
  return tenants;
}

core::Status SqlRepository::UpdateTenantSettings(const std::string& tenant_id,
                                                 const std::string& settings_json) {
  return Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    core::Result<int64_t> n = conn.Exec("UPDATE tenants SET settings_json = $1 WHERE id = $2",
                                        {settings_json, tenant_id});
    if (!n.ok()) return n.status();
    if (*n == 0) return core::NotFound("tenant", "no tenant " + tenant_id);
    return core::Status();
  });
}

core::Status SqlRepository::UpdateTenantWebhookSecret(const std::string& tenant_id,
                                                      const std::string& secret) {
  if (secret.empty()) return core::InvalidArgument("webhook_secret", "webhook secret is empty");
  return Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    core::Result<int64_t> n =
        conn.Exec("UPDATE tenants SET webhook_secret = $1 WHERE id = $2", {secret, tenant_id});
    if (!n.ok()) return n.status();
    if (*n == 0) return core::NotFound("tenant", "no tenant " + tenant_id);
    return core::Status();
  });
}

core::Status SqlRepository::DeleteTenant(const std::string& tenant_id) {
  return Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    // Everything the tenant owns goes by ON DELETE CASCADE (tenants -> keys, jobs ->
    // pages -> blocks, fields, reviews, attempts; audit, deliveries, uploads, cache).
    core::Result<int64_t> n = conn.Exec("DELETE FROM tenants WHERE id = $1", {tenant_id});
    if (!n.ok()) return n.status();
    if (*n == 0) return core::NotFound("tenant", "no tenant " + tenant_id);
    // Its data key last (no reference cascades to it): what of the tenant's data
    // survives elsewhere, in backups or a bucket's old versions, cannot be read anymore.
    return conn.Exec("DELETE FROM tenant_keys WHERE tenant_id = $1", {tenant_id}).status();
  });
}

core::Status SqlRepository::CreateApiKey(const ApiKey& key) {
  if (key.id.empty()) return core::InvalidArgument("key_id", "api key id is empty");
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) {
    return conn
        .Exec(std::string("INSERT INTO api_keys (") + kKeyColumns +
                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
              {key.id, key.tenant_id, key.prefix, key.key_hash, std::string(RoleName(key.role)),
               key.created_at, key.revoked_at, key.expires_at, key.scopes, key.allowed_networks,
               key.last_used_at})
        .status();
  });
  if (IsReason(st, "unique_violation")) {
    return core::InvalidArgument("exists", "api key id or prefix exists");
  }
  if (IsReason(st, "foreign_key_violation")) {
    return core::NotFound("tenant", "no tenant " + key.tenant_id);
  }
  return st;
}

core::Result<std::vector<ApiKey>> SqlRepository::ListApiKeys(const std::string& tenant_id) {
  std::vector<ApiKey> keys;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) {
    core::Result<SqlRows> rows =
        conn.Query(std::string("SELECT ") + kKeyColumns +
                       " FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, id",
                   {tenant_id});
    if (!rows.ok()) return rows.status();
    for (const SqlRow& row : *rows) keys.push_back(KeyFromRow(row));
    return core::Status();
  });
  if (!st.ok()) return st;
  return keys;
}

core::Status SqlRepository::RevokeApiKey(const std::string& tenant_id, const std::string& key_id,
                                         int64_t now) {
  return Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    core::Result<int64_t> n = conn.Exec(
        "UPDATE api_keys SET revoked_at = $1"
        " WHERE id = $2 AND tenant_id = $3 AND revoked_at = 0",
        {now, key_id, tenant_id});
    if (!n.ok()) return n.status();
    if (*n == 1) return core::Status();
    core::Result<SqlRows> rows =
        conn.Query("SELECT 1 FROM api_keys WHERE id = $1 AND tenant_id = $2", {key_id, tenant_id});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return core::NotFound("api_key", "no api key " + key_id);
    return core::Status();  // revoked already
  });
}

core::Status SqlRepository::TouchApiKey(const std::string& key_id, int64_t now,
                                        int64_t min_interval_ms) {
  return Tx(TxMode::kWrite, [&](SqlConn& conn) {
    return conn
        .Exec(
            "UPDATE api_keys SET last_used_at = $1"
            " WHERE id = $2 AND (last_used_at = 0 OR last_used_at < $3)",
            {now, key_id, now - min_interval_ms})
        .status();
  });
}

core::Result<ApiKey> SqlRepository::FindApiKeyByPrefix(const std::string& prefix) {
  ApiKey key;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) {
    core::Result<SqlRows> rows = conn.Query(
        std::string("SELECT ") + kKeyColumns + " FROM api_keys WHERE prefix = $1", {prefix});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return core::NotFound("api_key", "no api key with that prefix");
    key = KeyFromRow(rows->front());
    return core::Status();
  });
  if (!st.ok()) return st;
  return key;
}

}  // namespace smartocr::store::internal
