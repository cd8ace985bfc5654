// Keyring and RotateMasterKey (keys.h).
#include <sodium.h>

#include <chrono>
#include <vector>

#include "core/sha256.h"
#include "keys/keys.h"
#include "keys/sealing.h"

namespace smartocr::keys {

namespace {

// crypto_kdf contexts (8 bytes each): one derived key per use of a data key.
constexpr char kBlobContext[] = "smocrblb";
constexpr char kColumnContext[] = "smocrcol";
constexpr char kAuditContext[] = "smocraud";
static_assert(sizeof(kAuditContext) - 1 == crypto_kdf_CONTEXTBYTES);
static_assert(sizeof(kBlobContext) - 1 == crypto_kdf_CONTEXTBYTES);
static_assert(sizeof(kColumnContext) - 1 == crypto_kdf_CONTEXTBYTES);

std::string Derive(const std::string& data_key, const char* context) {
  std::string out(kKeyBytes, '\0');
  crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(out.data()), out.size(), 1, context,
                             reinterpret_cast<const unsigned char*>(data_key.data()));
  return out;
}

// Associated data of a sealed column value: it opens for its own tenant only.
std::string ColumnContext(const std::string& tenant_id) {
  return "smartocr column v1\n" + tenant_id;
}

core::Status MasterMismatch(const store::TenantKeyRecord& row, const MasterKey& master) {
  return core::Internal("master_key_mismatch", "the data key of tenant \"" + row.tenant_id +
                                                   "\" is wrapped by master key " +
                                                   row.master_key_id + ", not by " + master.id() +
                                                   " (the one this process was given)");
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Keyring::~Keyring() {
  core::MutexLock lock(mu_);
  for (auto& [tenant, keys] : keys_) {
    for (std::string* key : {&keys.blob, &keys.column, &keys.audit}) {
      sodium_memzero(key->data(), key->size());
    }
  }
}

core::Result<const Keyring::DerivedKeys*> Keyring::KeysOf(const std::string& tenant_id) {
  {
    core::MutexLock lock(mu_);
    auto known = keys_.find(tenant_id);
    if (known != keys_.end()) return &known->second;
  }
  auto data_key = ReadOrMakeDataKey(tenant_id);
  if (!data_key.ok()) return data_key.status();
  DerivedKeys derived{Derive(*data_key, kBlobContext), Derive(*data_key, kColumnContext),
                      Derive(*data_key, kAuditContext)};
  sodium_memzero(data_key->data(), data_key->size());
  core::MutexLock lock(mu_);
  // Another thread may have been first: both derived the same keys; keep its entry.
  return &keys_.emplace(tenant_id, std::move(derived)).first->second;
}

core::Result<std::string> Keyring::ReadOrMakeDataKey(const std::string& tenant_id) {
  auto row = repo_.GetTenantKey(tenant_id);
  if (!row.ok()) return row.status();
  if (!*row) {
    // A key only for a tenant that exists: a late write for an erased tenant must not
    // leave a key behind (its other rows are refused by their references).
    if (!tenant_id.empty()) {
      auto tenant = repo_.GetTenant(tenant_id);
      if (!tenant.ok()) return tenant.status();
    }
    const std::string fresh = internal::RandomBytes(kKeyBytes);
    store::TenantKeyRecord record{tenant_id, master_.Wrap(tenant_id, fresh), master_.id(), NowMs()};
    auto inserted = repo_.InsertTenantKey(record);
    if (!inserted.ok()) return inserted.status();
    // Another process may have been first: use whichever key the database holds.
    row = repo_.GetTenantKey(tenant_id);
    if (!row.ok()) return row.status();
    if (!*row) return core::Internal("tenant_key", "tenant key vanished after insert");
  }
  if ((*row)->master_key_id != master_.id()) return MasterMismatch(**row, master_);
  return master_.Unwrap(tenant_id, (*row)->wrapped);
}

core::Result<std::string> Keyring::BlobKey(const std::string& tenant_id) {
  auto keys = KeysOf(tenant_id);
  if (!keys.ok()) return keys.status();
  return (*keys)->blob;
}

core::Result<std::string> Keyring::Seal(const std::string& tenant_id, std::string_view plain) {
  auto keys = KeysOf(tenant_id);
  if (!keys.ok()) return keys.status();
  return std::string(kSealedPrefix) +
         internal::Base64(internal::SealBytes((*keys)->column, ColumnContext(tenant_id), plain));
}

core::Result<std::string> Keyring::Open(const std::string& tenant_id, std::string_view stored) {
  if (stored.substr(0, kSealedPrefix.size()) != kSealedPrefix) return std::string(stored);
  auto keys = KeysOf(tenant_id);
  if (!keys.ok()) return keys.status();
  auto sealed = internal::FromBase64(stored.substr(kSealedPrefix.size()));
  std::optional<std::string> plain;
  if (sealed) plain = internal::OpenBytes((*keys)->column, ColumnContext(tenant_id), *sealed);
  if (!plain) {
    return core::Internal("column_decrypt",
                          "a stored value of tenant \"" + tenant_id + "\" does not decrypt");
  }
  return std::move(*plain);
}

core::Result<std::string> Keyring::Mac(const std::string& tenant_id, std::string_view data) {
  auto keys = KeysOf(tenant_id);
  if (!keys.ok()) return keys.status();
  return core::HmacSha256Hex((*keys)->audit, data);
}

core::Result<int64_t> RotateMasterKey(store::Repository& repo, const MasterKey& from,
                                      const MasterKey& to) {
  auto rows = repo.ListTenantKeys();
  if (!rows.ok()) return rows.status();
  std::vector<store::TenantKeyRecord> rewrapped;
  for (const store::TenantKeyRecord& row : *rows) {
    if (row.master_key_id == to.id()) continue;  // done by an earlier run
    if (row.master_key_id != from.id()) return MasterMismatch(row, from);
    auto key = from.Unwrap(row.tenant_id, row.wrapped);
    if (!key.ok()) return key.status();
    store::TenantKeyRecord next = row;
    next.wrapped = to.Wrap(row.tenant_id, *key);
    next.master_key_id = to.id();
    sodium_memzero(key->data(), key->size());
    rewrapped.push_back(std::move(next));
  }
  if (rewrapped.empty()) return int64_t{0};
  return repo.RewrapTenantKeys(rewrapped, from.id());
}

}  // namespace smartocr::keys
