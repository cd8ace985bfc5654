#include "core/sha256.h"

#include <sodium.h>

#include <array>
#include <cstdlib>

namespace smartocr::core {

std::string Sha256Hex(std::string_view data) {
  // sodium_init is idempotent and thread-safe; it only fails without an entropy source,
  // which hashing does not need, but libsodium asks for it before any call.
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size());
  std::string hex(2 * digest.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

}  // namespace smartocr::core
