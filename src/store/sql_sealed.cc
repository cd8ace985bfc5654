// src/store/sql_sealed.cc
//
// Encryption at rest in the database: the sensitive columns through the column cipher
// (store.h ColumnCipher), and the tenant_keys rows that hold the wrapped data keys.
// Which columns are sensitive is decided here, in one place: what a document says
// (page text and blocks, field values) and what people changed it to (review and audit
// before/after values). Ids, statuses, times, names of fields and confidences stay in
// the clear: queries filter and sort on them.
#include <string>

#include "store/sql_repository.h"

namespace smartocr::store::internal {

core::Status SqlRepository::SealValue(const std::string& tenant_id, std::string* value) const {
  if (cipher_ == nullptr) return core::Status();
  core::Result<std::string> sealed = cipher_->Seal(tenant_id, *value);
  if (!sealed.ok()) return sealed.status();
  *value = std::move(*sealed);
  return core::Status();
}

core::Status SqlRepository::OpenValue(const std::string& tenant_id, std::string* value) const {
  if (cipher_ == nullptr) return core::Status();
  core::Result<std::string> opened = cipher_->Open(tenant_id, *value);
  if (!opened.ok()) return opened.status();
  *value = std::move(*opened);
  return core::Status();
}

core::Status SqlRepository::SealPages(const std::string& tenant_id,
                                      std::vector<PageRecord>* pages) const {
  for (PageRecord& page : *pages) {
    SMARTOCR_RETURN_IF_ERROR(SealValue(tenant_id, &page.text));
    SMARTOCR_RETURN_IF_ERROR(SealValue(tenant_id, &page.blocks_json));
  }
  return core::Status();
}

core::Status SqlRepository::OpenPages(const std::string& tenant_id,
                                      std::vector<PageRecord>* pages) const {
  for (PageRecord& page : *pages) {
    SMARTOCR_RETURN_IF_ERROR(OpenValue(tenant_id, &page.text));
    SMARTOCR_RETURN_IF_ERROR(OpenValue(tenant_id, &page.blocks_json));
  }
  return core::Status();
}

core::Status SqlRepository::SealFields(const std::string& tenant_id,
                                       std::vector<FieldRecord>* fields) const {
  for (FieldRecord& field : *fields) {
    SMARTOCR_RETURN_IF_ERROR(SealValue(tenant_id, &field.value));
    SMARTOCR_RETURN_IF_ERROR(SealValue(tenant_id, &field.normalized));
  }
  return core::Status();
}

core::Status SqlRepository::OpenFields(const std::string& tenant_id,
                                       std::vector<FieldRecord>* fields) const {
  for (FieldRecord& field : *fields) {
    SMARTOCR_RETURN_IF_ERROR(OpenValue(tenant_id, &field.value));
    SMARTOCR_RETURN_IF_ERROR(OpenValue(tenant_id, &field.normalized));
  }
  return core::Status();
}

core::Status SqlRepository::SealChange(const std::string& tenant_id, std::string* before_json,
                                       std::string* after_json) const {
  SMARTOCR_RETURN_IF_ERROR(SealValue(tenant_id, before_json));
  return SealValue(tenant_id, after_json);
}

core::Status SqlRepository::OpenChange(const std::string& tenant_id, std::string* before_json,
                                       std::string* after_json) const {
  SMARTOCR_RETURN_IF_ERROR(OpenValue(tenant_id, before_json));
  return OpenValue(tenant_id, after_json);
}

core::Result<std::string> SqlRepository::TenantOfJob(const std::string& job_id) {
  std::string tenant;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    core::Result<SqlRows> rows = conn.Query("SELECT tenant_id FROM jobs WHERE id = $1", {job_id});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return core::NotFound("job", "no job " + job_id);
    tenant = rows->front().Str(0);
    return core::Status();
  });
  if (!st.ok()) return st;
  return tenant;
}

namespace {

constexpr char kTenantKeyColumns[] = "tenant_id, wrapped_key, master_key_id, created_at";

TenantKeyRecord TenantKeyFromRow(const SqlRow& row) {
  return TenantKeyRecord{row.Str(0), row.Str(1), row.Str(2), row.Int(3)};
}

}  // namespace

core::Result<std::optional<TenantKeyRecord>> SqlRepository::GetTenantKey(
    const std::string& tenant_id) {
  std::optional<TenantKeyRecord> out;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    core::Result<SqlRows> rows = conn.Query(
        std::string("SELECT ") + kTenantKeyColumns + " FROM tenant_keys WHERE tenant_id = $1",
        {tenant_id});
    if (!rows.ok()) return rows.status();
    if (!rows->empty()) out = TenantKeyFromRow(rows->front());
    return core::Status();
  });
  if (!st.ok()) return st;
  return out;
}

core::Result<bool> SqlRepository::InsertTenantKey(const TenantKeyRecord& record) {
  int64_t inserted = 0;
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    // Two processes may create a tenant's first key at once: the first insert wins and
    // both then use its key.
    core::Result<int64_t> n =
        conn.Exec(std::string("INSERT INTO tenant_keys (") + kTenantKeyColumns +
                      ") VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id) DO NOTHING",
                  {record.tenant_id, record.wrapped, record.master_key_id, record.created_at});
    if (!n.ok()) return n.status();
    inserted = *n;
    return core::Status();
  });
  if (!st.ok()) return st;
  return inserted == 1;
}

core::Result<std::vector<TenantKeyRecord>> SqlRepository::ListTenantKeys() {
  std::vector<TenantKeyRecord> out;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    core::Result<SqlRows> rows = conn.Query(std::string("SELECT ") + kTenantKeyColumns +
                                            " FROM tenant_keys ORDER BY tenant_id");
    if (!rows.ok()) return rows.status();
    for (const SqlRow& row : *rows) out.push_back(TenantKeyFromRow(row));
    return core::Status();
  });
  if (!st.ok()) return st;
  return out;
}

core::Result<int64_t> SqlRepository::RewrapTenantKeys(const std::vector<TenantKeyRecord>& records,
                                                      const std::string& from_master_key_id) {
  int64_t changed = 0;
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    changed = 0;
    for (const TenantKeyRecord& r : records) {
      core::Result<int64_t> n = conn.Exec(
          "UPDATE tenant_keys SET wrapped_key = $1, master_key_id = $2"
          " WHERE tenant_id = $3 AND master_key_id = $4",
          {r.wrapped, r.master_key_id, r.tenant_id, from_master_key_id});
      if (!n.ok()) return n.status();
      changed += *n;
    }
    return core::Status();
  });
  if (!st.ok()) return st;
  return changed;
}

}  // namespace smartocr::store::internal
