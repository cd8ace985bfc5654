// src/store/sql_results.cc
//
// Stored results (pages, fields), the append-only audit log and webhook deliveries,
// and the page cache. Tenant-scoped reads join or filter on jobs.tenant_id.
#include <string>

#include "core/sha256.h"
#include "store/sql_repository.h"

namespace smartocr::store::internal {

namespace {

constexpr int kDefaultAuditLimit = 100;

core::Status TenantMissing(const core::Status& st, const std::string& tenant_id) {
  if (!st.ok() && st.reason() == "foreign_key_violation") {
    return core::NotFound("tenant", "no tenant " + tenant_id);
  }
  return st;
}

// Advisory-lock class of the audit chain on PostgreSQL (the second key is the tenant's
// hash): appends for one tenant take turns, so that each links to the one before.
constexpr int kAuditChainLockClass = 22;

// Rows read at a time by VerifyAuditChain.
constexpr int64_t kAuditVerifyBatch = 1000;

// What a keyed row hash starts with (an HMAC under the tenant's key); plain SHA-256
// hashes are bare hex.
constexpr std::string_view kKeyedHashPrefix = "k1:";

// The hash of an audit row over the previous row's hash and the row's content (as
// stored), each field length-prefixed so that no two rows encode alike
// (docs/security.md): keyed by the tenant's key with a column cipher, else SHA-256.
core::Result<std::string> AuditRowHash(ColumnCipher* cipher, const std::string& prev_hash,
                                       const std::string& tenant_id, const std::string& job_id,
                                       const AuditEntry& e) {
  std::string encoded = "audit/v1\n";
  for (const std::string& field : {prev_hash, tenant_id, job_id, e.actor, e.action, e.before_json,
                                   e.after_json, e.reason, std::to_string(e.created_at)}) {
    encoded += std::to_string(field.size()) + ":" + field + "\n";
  }
  if (cipher == nullptr) return core::Sha256Hex(encoded);
  auto mac = cipher->Mac(tenant_id, encoded);
  if (!mac.ok()) return mac.status();
  return std::string(kKeyedHashPrefix) + *mac;
}

// Appends `entry` to the audit log under `tenant_id` and `job_id` (its own ids unused),
// linked to the tenant's newest row. Inside a write transaction: the caller has sealed
// the entry with `cipher` already, so the tenant's key is in memory and the hash needs
// no database read of its own.
core::Status InsertAudit(SqlConn& conn, bool postgres, ColumnCipher* cipher,
                         const std::string& tenant_id, const std::string& job_id,
                         const AuditEntry& entry) {
  if (postgres) {
    // SQLite's write transactions already run one at a time.
    SMARTOCR_RETURN_IF_ERROR(conn.Query("SELECT pg_advisory_xact_lock(" +
                                            std::to_string(kAuditChainLockClass) +
                                            ", hashtext($1))",
                                        {tenant_id})
                                 .status());
  }
  core::Result<SqlRows> last = conn.Query(
      "SELECT row_hash FROM audit_log WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1", {tenant_id});
  if (!last.ok()) return last.status();
  const std::string prev = last->empty() ? "" : last->front().Str(0);
  core::Result<std::string> hash = AuditRowHash(cipher, prev, tenant_id, job_id, entry);
  if (!hash.ok()) return hash.status();
  return conn
      .Exec(
          "INSERT INTO audit_log (tenant_id, job_id, actor, action, before_json,"
          " after_json, reason, created_at, prev_hash, row_hash)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
          {tenant_id, job_id, entry.actor, entry.action, entry.before_json, entry.after_json,
           entry.reason, entry.created_at, prev, *hash})
      .status();
}

}  // namespace

core::Status ReplaceFieldRows(SqlConn& conn, const std::string& job_id,
                              const std::vector<FieldRecord>& fields) {
  SMARTOCR_RETURN_IF_ERROR(conn.Exec("DELETE FROM fields WHERE job_id = $1", {job_id}).status());
  for (size_t i = 0; i < fields.size(); ++i) {
    const FieldRecord& f = fields[i];
    SMARTOCR_RETURN_IF_ERROR(
        conn.Exec("INSERT INTO fields (job_id, position, name, value, normalized, bbox, page,"
                  " confidence, validator_status, source_model, version)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                  {job_id, static_cast<int64_t>(i), f.name, f.value, f.normalized, f.bbox_json,
                   int64_t{f.page}, f.confidence, f.validator_status, f.source_model, f.version})
            .status());
  }
  return core::Status();
}

core::Result<std::vector<PageRecord>> SqlRepository::GetPages(const std::string& tenant_id,
                                                              const std::string& job_id) {
  std::vector<PageRecord> pages;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    SMARTOCR_RETURN_IF_ERROR(CheckJobOwner(conn, tenant_id, job_id));
    core::Result<SqlRows> rows = conn.Query(
        "SELECT p.page_number, p.width, p.height, p.source, p.artifact_uri, p.text,"
        " p.confidence, p.blocks_json FROM pages p JOIN jobs j ON j.id = p.job_id"
        " WHERE p.job_id = $1 AND j.tenant_id = $2 ORDER BY p.page_number",
        {job_id, tenant_id});
    if (!rows.ok()) return rows.status();
    for (const SqlRow& r : *rows) {
      pages.push_back(PageRecord{static_cast<int>(r.Int(0)), static_cast<int>(r.Int(1)),
                                 static_cast<int>(r.Int(2)), r.Str(3), r.Str(4), r.Str(5),
                                 r.Real(6), r.Str(7)});
    }
    return core::Status();
  });
  if (!st.ok()) return st;
  SMARTOCR_RETURN_IF_ERROR(OpenPages(tenant_id, &pages));
  return pages;
}

core::Result<std::vector<FieldRecord>> SqlRepository::GetFields(const std::string& tenant_id,
                                                                const std::string& job_id) {
  std::vector<FieldRecord> fields;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    SMARTOCR_RETURN_IF_ERROR(CheckJobOwner(conn, tenant_id, job_id));
    core::Result<SqlRows> rows = conn.Query(
        "SELECT f.name, f.value, f.normalized, f.bbox, f.page, f.confidence,"
        " f.validator_status, f.source_model, f.version FROM fields f"
        " JOIN jobs j ON j.id = f.job_id WHERE f.job_id = $1 AND j.tenant_id = $2"
        " ORDER BY f.position",
        {job_id, tenant_id});
    if (!rows.ok()) return rows.status();
    for (const SqlRow& r : *rows) {
      fields.push_back(FieldRecord{r.Str(0), r.Str(1), r.Str(2), r.Str(3),
                                   static_cast<int>(r.Int(4)), r.Real(5), r.Str(6), r.Str(7),
                                   r.Str(8)});
    }
    return core::Status();
  });
  if (!st.ok()) return st;
  SMARTOCR_RETURN_IF_ERROR(OpenFields(tenant_id, &fields));
  return fields;
}

core::Status SqlRepository::ReplaceFields(const std::string& tenant_id, const std::string& job_id,
                                          const std::vector<FieldRecord>& fields,
                                          const AuditEntry& edit) {
  std::vector<FieldRecord> stored_fields = fields;
  SMARTOCR_RETURN_IF_ERROR(SealFields(tenant_id, &stored_fields));
  AuditEntry audit = edit;
  SMARTOCR_RETURN_IF_ERROR(SealChange(tenant_id, &audit.before_json, &audit.after_json));
  return Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    SMARTOCR_RETURN_IF_ERROR(CheckJobOwner(conn, tenant_id, job_id));
    SMARTOCR_RETURN_IF_ERROR(ReplaceFieldRows(conn, job_id, stored_fields));
    // The review history gets the edit too (docs/review.md), in the same transaction.
    SMARTOCR_RETURN_IF_ERROR(InsertReviewEntry(conn, job_id,
                                               ReviewEntry{.actor = audit.actor,
                                                           .action = audit.action,
                                                           .before_json = audit.before_json,
                                                           .after_json = audit.after_json,
                                                           .reason = audit.reason,
                                                           .created_at = audit.created_at}));
    return InsertAudit(conn, postgres(), cipher_.get(), tenant_id, job_id, audit);
  });
}

core::Status SqlRepository::AppendAudit(const AuditEntry& appended) {
  AuditEntry entry = appended;
  SMARTOCR_RETURN_IF_ERROR(SealChange(entry.tenant_id, &entry.before_json, &entry.after_json));
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) {
    return InsertAudit(conn, postgres(), cipher_.get(), entry.tenant_id, entry.job_id, entry);
  });
  return TenantMissing(st, entry.tenant_id);
}

core::Result<std::vector<AuditEntry>> SqlRepository::ListAudit(const std::string& tenant_id,
                                                               const std::string& job_id,
                                                               int limit) {
  const int64_t n = limit <= 0 ? kDefaultAuditLimit : limit;
  std::vector<AuditEntry> entries;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    const std::string cols =
        "SELECT id, tenant_id, job_id, actor, action, before_json, after_json, reason,"
        " created_at FROM audit_log WHERE tenant_id = $1";
    core::Result<SqlRows> rows =
        job_id.empty() ? conn.Query(cols + " ORDER BY id DESC LIMIT $2", {tenant_id, n})
                       : conn.Query(cols + " AND job_id = $2 ORDER BY id DESC LIMIT $3",
                                    {tenant_id, job_id, n});
    if (!rows.ok()) return rows.status();
    for (const SqlRow& r : *rows) {
      entries.push_back(AuditEntry{r.Int(0), r.Str(1), r.Str(2), r.Str(3), r.Str(4), r.Str(5),
                                   r.Str(6), r.Str(7), r.Int(8)});
    }
    return core::Status();
  });
  if (!st.ok()) return st;
  for (AuditEntry& e : entries) {
    SMARTOCR_RETURN_IF_ERROR(OpenChange(tenant_id, &e.before_json, &e.after_json));
  }
  return entries;
}

core::Result<AuditChainReport> SqlRepository::VerifyAuditChain(const std::string& tenant_id,
                                                               const std::string& known_head) {
  AuditChainReport report;
  // The tenant's key in memory before the read transactions: the hashes need it.
  if (cipher_ != nullptr) (void)cipher_->Mac(tenant_id, "");
  std::string prev;  // the chain's hash so far
  int64_t after = 0;
  // Batches in separate read transactions: the log may be long, and a row appended
  // meanwhile simply extends the chain.
  while (true) {
    int64_t read = 0;
    core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
      core::Result<SqlRows> rows = conn.Query(
          "SELECT id, job_id, actor, action, before_json, after_json, reason, created_at,"
          " prev_hash, row_hash FROM audit_log WHERE tenant_id = $1 AND id > $2"
          " ORDER BY id LIMIT $3",
          {tenant_id, after, kAuditVerifyBatch});
      if (!rows.ok()) return rows.status();
      for (const SqlRow& r : *rows) {
        ++read;
        after = r.Int(0);
        if (!report.intact()) continue;
        const std::string row_prev = r.Str(8);
        const std::string row_hash = r.Str(9);
        if (row_hash.empty()) {
          if (report.rows == 0) {
            ++report.unchained;
          } else {
            report.broken_at = after;
            report.problem = "a row without a hash inside the chain (written around the store)";
          }
          continue;
        }
        AuditEntry e{.actor = r.Str(2),
                     .action = r.Str(3),
                     .before_json = r.Str(4),
                     .after_json = r.Str(5),
                     .reason = r.Str(6),
                     .created_at = r.Int(7)};
        const bool keyed = row_hash.starts_with(kKeyedHashPrefix);
        if (keyed && cipher_ == nullptr) {
          return core::InvalidArgument(
              "master_key_required",
              "the audit log of " + tenant_id + " has keyed rows: verify it with the master key");
        }
        core::Result<std::string> expected =
            AuditRowHash(keyed ? cipher_.get() : nullptr, row_prev, tenant_id, r.Str(1), e);
        if (!expected.ok()) return expected.status();
        if (row_prev != prev) {
          report.broken_at = after;
          report.problem = "the row before it was deleted or edited (its link does not match)";
        } else if (!keyed && report.keyed > 0) {
          report.broken_at = after;
          report.problem = "a row without a key after keyed rows (written around the store)";
        } else if (*expected != row_hash) {
          report.broken_at = after;
          report.problem = "the row was edited (its hash does not match its content)";
        } else {
          report.keyed += keyed ? 1 : 0;
          ++report.rows;
          prev = row_hash;
          report.known_head_found |= !known_head.empty() && row_hash == known_head;
        }
      }
      return core::Status();
    });
    if (!st.ok()) return st;
    if (read < kAuditVerifyBatch) break;
  }
  report.head = prev;
  return report;
}

core::Status SqlRepository::RecordWebhookDelivery(const WebhookDelivery& delivery) {
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) {
    return conn
        .Exec(
            "INSERT INTO webhook_deliveries (tenant_id, job_id, event, url, attempt,"
            " http_status, error, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            {delivery.tenant_id, delivery.job_id, delivery.event, delivery.url,
             int64_t{delivery.attempt}, int64_t{delivery.http_status}, delivery.error,
             delivery.created_at})
        .status();
  });
  return TenantMissing(st, delivery.tenant_id);
}

core::Result<std::vector<WebhookDelivery>> SqlRepository::ListWebhookDeliveries(
    const std::string& tenant_id, const std::string& job_id) {
  std::vector<WebhookDelivery> deliveries;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    core::Result<SqlRows> rows = conn.Query(
        "SELECT id, tenant_id, job_id, event, url, attempt, http_status, error, created_at"
        " FROM webhook_deliveries WHERE tenant_id = $1 AND job_id = $2 ORDER BY id",
        {tenant_id, job_id});
    if (!rows.ok()) return rows.status();
    for (const SqlRow& r : *rows) {
      deliveries.push_back(WebhookDelivery{r.Int(0), r.Str(1), r.Str(2), r.Str(3), r.Str(4),
                                           static_cast<int>(r.Int(5)), static_cast<int>(r.Int(6)),
                                           r.Str(7), r.Int(8)});
    }
    return core::Status();
  });
  if (!st.ok()) return st;
  return deliveries;
}

core::Result<std::optional<std::string>> SqlRepository::GetCachedPage(const CacheScope& scope,
                                                                      const std::string& key) {
  std::optional<std::string> page;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    core::Result<SqlRows> rows = conn.Query(
        "SELECT page_json FROM page_cache WHERE tenant_id = $1 AND job_id = $2 AND key = $3",
        {scope.tenant_id, scope.job_id, key});
    if (!rows.ok()) return rows.status();
    if (!rows->empty()) page = rows->front().Str(0);
    return core::Status();
  });
  if (!st.ok()) return st;
  if (page) SMARTOCR_RETURN_IF_ERROR(OpenValue(scope.tenant_id, &*page));
  return page;
}

core::Status SqlRepository::PutCachedPage(const CacheScope& scope, const std::string& key,
                                          const std::string& page, int64_t now) {
  std::string page_json = page;
  SMARTOCR_RETURN_IF_ERROR(SealValue(scope.tenant_id, &page_json));
  return Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    // Written only when the job is the tenant's: the row then carries the job's own
    // tenant, whatever the caller believed.
    core::Result<int64_t> n = conn.Exec(
        "INSERT INTO page_cache (tenant_id, job_id, key, page_json, created_at)"
        " SELECT tenant_id, id, $3, $4, $5 FROM jobs WHERE id = $2 AND tenant_id = $1"
        " ON CONFLICT (job_id, key) DO UPDATE SET page_json = excluded.page_json,"
        " created_at = excluded.created_at",
        {scope.tenant_id, scope.job_id, key, page_json, now});
    if (!n.ok()) return n.status();
    if (*n == 0) return core::NotFound("job", "no job " + scope.job_id);
    return core::Status();
  });
}

core::Result<int64_t> SqlRepository::ExpireCachedPages(const std::string& tenant_id,
                                                       int64_t before) {
  int64_t deleted = 0;
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    core::Result<int64_t> n = conn.Exec(
        "DELETE FROM page_cache WHERE tenant_id = $1 AND created_at < $2", {tenant_id, before});
    if (!n.ok()) return n.status();
    deleted = *n;
    return core::Status();
  });
  if (!st.ok()) return st;
  return deleted;
}

}  // namespace smartocr::store::internal
