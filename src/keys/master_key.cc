// MasterKey and the byte helpers the module shares (keys.h).
#include <sodium.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/sha256.h"
#include "keys/keys.h"
#include "keys/sealing.h"

namespace smartocr::keys {

namespace internal {

std::string RandomBytes(std::size_t n) {
  std::string out(n, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> FromBase64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

std::string SealBytes(std::string_view key, std::string_view ad, std::string_view plain) {
  std::string out(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plain.size() +
                      crypto_aead_xchacha20poly1305_ietf_ABYTES,
                  '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &written,
      reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
      reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr, nonce,
      reinterpret_cast<const unsigned char*>(key.data()));
  return out;
}

std::optional<std::string> OpenBytes(std::string_view key, std::string_view ad,
                                     std::string_view sealed) {
  constexpr size_t kOverhead =
      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < kOverhead) return std::nullopt;
  std::string out(sealed.size() - kOverhead, '\0');
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &written, nullptr,
          nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
          sealed.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
          reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nonce,
          reinterpret_cast<const unsigned char*>(key.data())) != 0) {
    return std::nullopt;
  }
  out.resize(written);
  return out;
}

}  // namespace internal

namespace {

// Associated data of a wrapped key: the wrapping is only valid for its own tenant.
std::string WrapContext(const std::string& tenant_id) {
  return "smartocr data key v1\n" + tenant_id;
}

std::string Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  const size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

core::Status BadKey(const std::string& why) {
  return core::InvalidArgument("master_key_file", "the master key " + why +
                                                      " (64 hex digits or 44 characters of "
                                                      "base64; `smartocr admin keys new-master` "
                                                      "writes one)");
}

}  // namespace

MasterKey::MasterKey(std::string key)
    : key_(std::move(key)), id_(core::Sha256Hex("smartocr master key id\n" + key_).substr(0, 16)) {}

core::Result<MasterKey> MasterKey::Parse(std::string_view text) {
  if (sodium_init() < 0) return core::Internal("sodium_init", "libsodium failed to start");
  const std::string trimmed = Trim(text);
  std::string raw(kKeyBytes, '\0');
  size_t len = 0;
  if (trimmed.size() == 2 * kKeyBytes &&
      sodium_hex2bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), trimmed.data(),
                     trimmed.size(), nullptr, &len, nullptr) == 0 &&
      len == kKeyBytes) {
    return MasterKey(std::move(raw));
  }
  if (auto decoded = internal::FromBase64(trimmed); decoded && decoded->size() == kKeyBytes) {
    return MasterKey(std::move(*decoded));
  }
  return BadKey("is not 32 bytes written out");
}

core::Result<MasterKey> MasterKey::FromFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return BadKey("file " + path.string() + " cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > 4096) return BadKey("file " + path.string() + " is too long");
  auto key = Parse(text.str());
  if (!key.ok()) return key.status().WithContext(path.string());
  return key;
}

MasterKey MasterKey::Generate() {
  if (sodium_init() < 0) std::abort();  // no CSPRNG: nothing here can be safe
  return MasterKey(internal::RandomBytes(kKeyBytes));
}

std::string MasterKey::Hex() const {
  std::string out(2 * kKeyBytes + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(key_.data()),
                 key_.size());
  out.resize(2 * kKeyBytes);
  return out;
}

std::string MasterKey::Wrap(const std::string& tenant_id, std::string_view data_key) const {
  return internal::Base64(internal::SealBytes(key_, WrapContext(tenant_id), data_key));
}

core::Result<std::string> MasterKey::Unwrap(const std::string& tenant_id,
                                            std::string_view wrapped) const {
  auto sealed = internal::FromBase64(wrapped);
  std::optional<std::string> key;
  if (sealed) key = internal::OpenBytes(key_, WrapContext(tenant_id), *sealed);
  if (!key || key->size() != kKeyBytes) {
    return core::Internal("key_unwrap", "the data key of tenant \"" + tenant_id +
                                            "\" does not unwrap with master key " + id_);
  }
  return std::move(*key);
}

core::Result<std::optional<MasterKey>> MasterKeyFromFlagOrEnv(const std::string& flag_path) {
  std::string path = flag_path;
  if (path.empty()) {
    const char* env = std::getenv("SMARTOCR_MASTER_KEY_FILE");
    if (env != nullptr) path = env;
  }
  if (path.empty()) {
    const char* value = std::getenv("SMARTOCR_MASTER_KEY");
    if (value == nullptr || *value == '\0') return std::optional<MasterKey>();
    auto key = MasterKey::Parse(value);
    if (!key.ok()) return key.status().WithContext("SMARTOCR_MASTER_KEY");
    return std::optional<MasterKey>(std::move(*key));
  }
  auto key = MasterKey::FromFile(path);
  if (!key.ok()) return key.status();
  return std::optional<MasterKey>(std::move(*key));
}

}  // namespace smartocr::keys
