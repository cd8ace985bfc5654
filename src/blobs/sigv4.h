// src/blobs/sigv4.h
//
// Private to the blobs module: AWS Signature Version 4, header and query-string
// (presigned) forms, as S3 uses it. Kept apart from the HTTP code so that it can be
// checked against AWS's published vectors with no network.
//
// S3 rules apply: the path is URI-encoded once (not normalised, not double-encoded as
// other services do), so only vectors whose paths need neither fit other services.
//
// Thread safety: pure functions, thread-safe.
#ifndef SMARTOCR_BLOBS_SIGV4_H_
#define SMARTOCR_BLOBS_SIGV4_H_

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blobs/blobs.h"

namespace smartocr::blobs::internal {

using Params = std::vector<std::pair<std::string, std::string>>;

// What is signed. Values are raw (not yet percent-encoded).
struct SigV4Request {
  std::string method;  // "GET"
  std::string path;    // "/bucket/key"; encoded here, '/' kept
  Params query;        // any order; sorted here
  Params headers;      // every header to sign, "host" included; any case and order
  // Hex SHA-256 of the body, or "UNSIGNED-PAYLOAD" (presigned URLs only).
  std::string payload_hash;
};

struct SigV4Scope {
  std::string region;    // "us-east-1"
  std::string service;   // "s3"
  std::string amz_date;  // "20150830T123600Z" (FormatAmzDate)
};

// Every intermediate, so tests can compare each stage with the published ones.
struct SigV4Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  // "host;x-amz-date"
  std::string signature;       // lower-case hex
  std::string authorization;   // the Authorization header value
};

inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// RFC 3986 percent-encoding as SigV4 defines it: A-Z a-z 0-9 - _ . ~ pass, every
// other byte becomes %XX (upper-case); '/' passes only when !encode_slash.
std::string UriEncode(std::string_view raw, bool encode_slash);

// "YYYYMMDDTHHMMSSZ" in UTC.
std::string FormatAmzDate(std::chrono::sys_seconds time);

// "k=v&k=v" with keys and values encoded and pairs sorted by key, then value.
std::string CanonicalQuery(const Params& query);

// Signs `request` for the Authorization header. The caller sends the same headers
// (x-amz-date and, for S3, x-amz-content-sha256 among them) and the returned
// authorization.
SigV4Signature SignV4(const SigV4Request& request, const Credentials& credentials,
                      const SigV4Scope& scope);

// The query string of a presigned URL for `method` on `path` at `host`: the caller's
// `query`, the X-Amz-* parameters (X-Amz-Security-Token when the credentials have a
// session token) and X-Amz-Signature last. "host" and `headers` (which the client must
// then send with exactly these values) are signed; the payload is UNSIGNED-PAYLOAD.
// Requires: 1 <= expires_s <= 604800.
std::string PresignV4(std::string_view method, std::string_view path, std::string_view host,
                      const Params& query, const Params& headers, const Credentials& credentials,
                      const SigV4Scope& scope, long expires_s);

}  // namespace smartocr::blobs::internal

#endif  // SMARTOCR_BLOBS_SIGV4_H_
