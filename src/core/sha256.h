// src/core/sha256.h
//
// SHA-256 and HMAC-SHA256 (libsodium): content hashes, key hashes, the audit log's hash
// chain, S3 payload hashes and signatures, signed URLs, webhook signatures. Thread-safe.
#ifndef SMARTOCR_CORE_SHA256_H_
#define SMARTOCR_CORE_SHA256_H_

#include <string>
#include <string_view>

namespace smartocr::core {

// SHA-256 of `data` as lower-case hex.
std::string Sha256Hex(std::string_view data);

// Raw 32-byte HMAC-SHA256 of `data` under `key` (any key length).
std::string HmacSha256(std::string_view key, std::string_view data);
// The same as lower-case hex.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

}  // namespace smartocr::core

#endif  // SMARTOCR_CORE_SHA256_H_
