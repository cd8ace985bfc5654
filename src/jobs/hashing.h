// src/jobs/hashing.h
//
// Private to the jobs module: SHA-256 of files (stage-cache keys; strings: core/sha256.h) and
// random identifiers, on libsodium. Thread-safe.
#ifndef SMARTOCR_JOBS_HASHING_H_
#define SMARTOCR_JOBS_HASHING_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/core.h"

namespace smartocr::jobs::internal {

// Lower-case hex SHA-256 of the file's bytes, read in chunks. Fails with kIoError.
core::Result<std::string> Sha256FileHex(const std::string& path);
// `bytes` random bytes from the OS CSPRNG, hex-encoded.
std::string RandomHex(std::size_t bytes);

}  // namespace smartocr::jobs::internal

#endif  // SMARTOCR_JOBS_HASHING_H_
