// src/blobs/crypto.cc
#include "blobs/crypto.h"

#include <sodium.h>

#include <cstdlib>

namespace smartocr::blobs::internal {
namespace {

// sodium_init() is itself thread-safe and idempotent; a failure means no usable
// entropy source, which nothing here can recover from.
void EnsureSodium() {
  static const bool ready = [] { return sodium_init() >= 0; }();
  if (!ready) std::abort();
}

}  // namespace

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

std::string PercentEncode(std::string_view raw, std::string_view keep) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(raw.size());
  for (unsigned char c : raw) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       keep.find(static_cast<char>(c)) != keep.npos;
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0xF]);
    }
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  EnsureSodium();
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string RandomHex(std::size_t bytes) {
  EnsureSodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return HexEncode(raw);
}

unsigned RandomBelow(unsigned upper_bound) {
  EnsureSodium();
  return randombytes_uniform(upper_bound);
}

}  // namespace smartocr::blobs::internal
