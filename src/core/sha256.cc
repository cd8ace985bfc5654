#include "core/sha256.h"

#include <sodium.h>

#include <array>
#include <cstdlib>

namespace smartocr::core {
namespace {

// sodium_init is idempotent and thread-safe; it only fails without an entropy source,
// which hashing does not need, but libsodium asks for it before any call.
void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string hex(2 * n + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, n);
  hex.pop_back();
  return hex;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  EnsureSodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), Bytes(data), data.size());
  return Hex(digest.data(), digest.size());
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  EnsureSodium();
  crypto_auth_hmacsha256_state state;
  // The _init form takes keys of any length (SigV4 chains 32-byte keys, but the first
  // key is "AWS4" + secret and webhook secrets are caller-chosen).
  crypto_auth_hmacsha256_init(&state, Bytes(key), key.size());
  crypto_auth_hmacsha256_update(&state, Bytes(data), data.size());
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return std::string(reinterpret_cast<const char*>(mac.data()), mac.size());
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  const std::string mac = HmacSha256(key, data);
  return Hex(Bytes(mac), mac.size());
}

}  // namespace smartocr::core
