#include "jobs/hashing.h"

#include <sodium.h>

#include <cstdio>
#include <memory>
#include <vector>

namespace smartocr::jobs::internal {
namespace {

// sodium_init is idempotent and thread-safe; call it before any use.
void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  (void)ok;
}

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(2 * n + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

}  // namespace

core::Result<std::string> Sha256FileHex(const std::string& path) {
  EnsureSodium();
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return core::IoError("read_source", "cannot open " + path);
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<unsigned char> buf(1 << 16);
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0) {
    crypto_hash_sha256_update(&state, buf.data(), n);
  }
  if (std::ferror(f.get())) return core::IoError("read_source", "cannot read " + path);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  return Hex(digest, sizeof digest);
}

std::string RandomHex(std::size_t bytes) {
  EnsureSodium();
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  return Hex(buf.data(), buf.size());
}

}  // namespace smartocr::jobs::internal
