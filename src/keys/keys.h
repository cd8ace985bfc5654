// src/keys/keys.h
//
// Encryption at rest (docs/security.md, "Encryption at rest"): a master key from a file
// wraps one random data key per tenant; the data keys encrypt what the service stores of
// the tenant (blob objects through blobs::OpenEncryptedBlobStore, the sensitive database
// columns through store::ColumnCipher). The master key itself is never stored by us.
//
//   auto master = keys::MasterKey::FromFile("/etc/smartocr/master.key");
//   auto ring = std::make_shared<keys::Keyring>(*repo, std::move(*master));
//   repo->SetColumnCipher(ring);
//   auto blob_key = ring->BlobKey("acme");  // 32 bytes for blobs::OpenEncryptedBlobStore
//
// Cryptography (libsodium): keys wrapped and columns sealed with XChaCha20-Poly1305
// (random 192-bit nonces), bound to the tenant by the associated data; blob and column
// keys derived from the data key with crypto_kdf, so each key has one use.
//
// Thread safety: MasterKey is immutable; Keyring is thread-safe.
#ifndef SMARTOCR_KEYS_KEYS_H_
#define SMARTOCR_KEYS_KEYS_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/mutex.h"
#include "core/status.h"
#include "store/store.h"

namespace smartocr::keys {

// Bytes of every key here (master, data, derived).
inline constexpr std::size_t kKeyBytes = 32;

// What a sealed column value starts with; values without it were written in the clear.
inline constexpr std::string_view kSealedPrefix = "enc1:";

class MasterKey {
 public:
  // The key in a file: 64 hex digits or 44 characters of base64 (whitespace around it
  // ignored), as `smartocr admin keys new-master` writes. kInvalidArgument
  // "master_key_file" when the file cannot be read or holds anything else.
  static core::Result<MasterKey> FromFile(const std::filesystem::path& path);
  // The same from text.
  static core::Result<MasterKey> Parse(std::string_view text);
  // 32 bytes from the OS CSPRNG.
  static MasterKey Generate();

  // 16 hex digits that name the key (a hash of it, not the key): stored beside each data
  // key it wraps, so a key that does not match is named instead of failing to decrypt.
  const std::string& id() const { return id_; }
  // The key as 64 hex digits (what FromFile reads).
  std::string Hex() const;

  // `data_key` encrypted for `tenant_id` (base64); Unwrap reverses it. Unwrap fails with
  // kInternal "key_unwrap" when the wrapping was made with another key or tenant, or was
  // altered.
  std::string Wrap(const std::string& tenant_id, std::string_view data_key) const;
  core::Result<std::string> Unwrap(const std::string& tenant_id, std::string_view wrapped) const;

 private:
  explicit MasterKey(std::string key);
  std::string key_;
  std::string id_;
};

// The master key the service runs with: --master-key-file, else the file named by
// SMARTOCR_MASTER_KEY_FILE, else the key itself in SMARTOCR_MASTER_KEY (as the file
// would hold it; a file is better: a process's environment is easier to read than a
// file of mode 0400); std::nullopt when none is set (nothing is encrypted).
core::Result<std::optional<MasterKey>> MasterKeyFromFlagOrEnv(const std::string& flag_path);

// Every tenant's data key, unwrapped on first use; the keys derived from it are kept in
// memory (the data key itself is wiped once they are made). A tenant without
// one gets a new random key, stored wrapped (store::Repository::InsertTenantKey); the
// service's own objects use the key of tenant "".
class Keyring final : public store::ColumnCipher {
 public:
  Keyring(store::Repository& repo, MasterKey master) : repo_(repo), master_(std::move(master)) {}
  ~Keyring() override;
  Keyring(const Keyring&) = delete;
  Keyring& operator=(const Keyring&) = delete;

  // The 32-byte key that encrypts the tenant's blob objects. Fails with kInternal
  // "master_key_mismatch" when the tenant's data key was wrapped by another master key,
  // "key_unwrap" when it cannot be unwrapped, kNotFound "tenant" for a tenant that does
  // not exist (no key is made for it), or the database's error.
  core::Result<std::string> BlobKey(const std::string& tenant_id);

  // store::ColumnCipher: "enc1:" + base64(nonce, ciphertext), sealed for the tenant.
  core::Result<std::string> Seal(const std::string& tenant_id, std::string_view plain) override;
  core::Result<std::string> Open(const std::string& tenant_id, std::string_view stored) override;
  core::Result<std::string> Mac(const std::string& tenant_id, std::string_view data) override;

 private:
  // What a tenant's data key is used through, one derived key per use.
  struct DerivedKeys {
    std::string blob;
    std::string column;
    std::string audit;
  };

  // The tenant's keys: cached, or derived from its data key read or made. As BlobKey.
  // The pointer stays valid for the keyring's life (entries are never removed).
  core::Result<const DerivedKeys*> KeysOf(const std::string& tenant_id) EXCLUDES(mu_);
  // The tenant's data key, read from the database or made. As BlobKey.
  core::Result<std::string> ReadOrMakeDataKey(const std::string& tenant_id);

  store::Repository& repo_;
  const MasterKey master_;
  core::Mutex mu_;
  std::map<std::string, DerivedKeys> keys_ GUARDED_BY(mu_);
};

// Re-wraps every tenant's data key from master key `from` to `to`, in one transaction;
// the data itself is not touched. Rows already wrapped by `to` are left alone, so a run
// that was interrupted can be repeated. Returns how many keys were re-wrapped; fails
// with kInternal "master_key_mismatch" (and changes nothing) when a row is wrapped by a
// key that is neither, or "key_unwrap" when one does not unwrap.
core::Result<int64_t> RotateMasterKey(store::Repository& repo, const MasterKey& from,
                                      const MasterKey& to);

}  // namespace smartocr::keys

#endif  // SMARTOCR_KEYS_KEYS_H_
