// src/store/ids.cc
#include "store/ids.h"

#include <charconv>
#include <random>

#include "store/store.h"

namespace smartocr::store {

namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string ToHex(const unsigned char* bytes, size_t n) {
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xf];
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string NewId(std::string_view prefix) {
  unsigned char bytes[16];
  // std::random_device reads the OS entropy source (getrandom / /dev/urandom) on
  // Linux with libstdc++; one per call keeps this thread-safe without a lock.
  std::random_device device;
  for (size_t i = 0; i < sizeof(bytes); i += 4) {
    uint32_t word = device();
    for (size_t j = 0; j < 4; ++j) bytes[i + j] = static_cast<unsigned char>(word >> (8 * j));
  }
  std::string id(prefix);
  id += '_';
  id += ToHex(bytes, sizeof(bytes));
  return id;
}

std::string NewWebhookSecret() {
  std::string secret = NewId("whsec");
  secret += NewId("x").substr(2);  // two 128-bit draws: 64 hex digits
  return secret;
}

namespace internal {

std::string EncodeCursor(const CursorPos& pos) {
  std::string plain = std::to_string(pos.created_at) + ":" + pos.id;
  return ToHex(reinterpret_cast<const unsigned char*>(plain.data()), plain.size());
}

std::optional<CursorPos> DecodeCursor(const std::string& cursor) {
  if (cursor.empty() || cursor.size() % 2 != 0) return std::nullopt;
  std::string plain;
  for (size_t i = 0; i < cursor.size(); i += 2) {
    int hi = HexValue(cursor[i]);
    int lo = HexValue(cursor[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    plain += static_cast<char>(hi * 16 + lo);
  }
  size_t colon = plain.find(':');
  if (colon == std::string::npos || colon + 1 == plain.size()) return std::nullopt;
  CursorPos pos;
  auto [end, ec] = std::from_chars(plain.data(), plain.data() + colon, pos.created_at);
  if (ec != std::errc() || end != plain.data() + colon) return std::nullopt;
  pos.id = plain.substr(colon + 1);
  return pos;
}

}  // namespace internal
}  // namespace smartocr::store
