// src/core/sha256.h
//
// SHA-256 of a string as lower-case hex (libsodium): content hashes, key hashes, the
// audit log's hash chain, S3 payload hashes. Thread-safe.
#ifndef SMARTOCR_CORE_SHA256_H_
#define SMARTOCR_CORE_SHA256_H_

#include <string>
#include <string_view>

namespace smartocr::core {

std::string Sha256Hex(std::string_view data);

}  // namespace smartocr::core

#endif  // SMARTOCR_CORE_SHA256_H_
