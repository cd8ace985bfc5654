// src/store/sql_uploads.cc
//
// Upload URLs handed out (Repository::RecordUpload): a row per upload, so that one
// never submitted as a job can be found and swept.
#include <string>

#include "store/sql_repository.h"

namespace smartocr::store::internal {

core::Status SqlRepository::RecordUpload(const UploadRecord& upload) {
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    return conn
        .Exec("INSERT INTO uploads (tenant_id, id, issued_at) VALUES ($1, $2, $3)",
              {upload.tenant_id, upload.id, upload.issued_at})
        .status();
  });
  if (st.reason() == "foreign_key_violation") {
    return core::NotFound("tenant", "no tenant " + upload.tenant_id);
  }
  return st;
}

core::Result<bool> SqlRepository::MarkUploadSubmitted(const std::string& tenant_id,
                                                      const std::string& upload_id, int64_t now) {
  bool marked = false;
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    core::Result<int64_t> n =
        conn.Exec("UPDATE uploads SET submitted_at = $3 WHERE tenant_id = $1 AND id = $2",
                  {tenant_id, upload_id, now});
    if (!n.ok()) return n.status();
    marked = *n > 0;
    return core::Status();
  });
  if (!st.ok()) return st;
  return marked;
}

core::Result<std::vector<UploadRecord>> SqlRepository::ListUnsubmittedUploads(int64_t before,
                                                                              int limit) {
  std::vector<UploadRecord> out;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    core::Result<SqlRows> rows = conn.Query(
        "SELECT tenant_id, id, issued_at FROM uploads WHERE submitted_at = 0 AND issued_at < $1"
        " ORDER BY issued_at, tenant_id, id LIMIT $2",
        {before, int64_t{limit}});
    if (!rows.ok()) return rows.status();
    for (const SqlRow& r : *rows) out.push_back(UploadRecord{r.Str(0), r.Str(1), r.Int(2)});
    return core::Status();
  });
  if (!st.ok()) return st;
  return out;
}

core::Result<bool> SqlRepository::DeleteUpload(const std::string& tenant_id,
                                               const std::string& upload_id, UploadRows which) {
  bool deleted = false;
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    std::string sql = "DELETE FROM uploads WHERE tenant_id = $1 AND id = $2";
    if (which == UploadRows::kOnlyUnsubmitted) sql += " AND submitted_at = 0";
    core::Result<int64_t> n = conn.Exec(sql, {tenant_id, upload_id});
    if (!n.ok()) return n.status();
    deleted = *n > 0;
    return core::Status();
  });
  if (!st.ok()) return st;
  return deleted;
}

}  // namespace smartocr::store::internal
