// src/api/fetch.h
//
// Private to the api module: one http(s) GET of something outside (a job's source_uri,
// an OIDC provider's JWKS) through the outbound URL policy.
//
// Thread safety: HttpGet is thread-safe.
#ifndef SMARTOCR_API_FETCH_H_
#define SMARTOCR_API_FETCH_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "blobs/webhook.h"
#include "core/status.h"

namespace smartocr::api {

// GETs an http(s) URL that `policy` allows, up to max_bytes within timeout_ms. `what`
// ("source", "jwks") prefixes the error codes: <what>_uri (refused by the policy),
// <what>_bytes, <what>_timeout, <what>_fetch (transport, or not HTTP 200).
core::Result<std::string> HttpGet(const std::string& url, const blobs::UrlPolicy& policy,
                                  int64_t max_bytes, int64_t timeout_ms, std::string_view what);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_FETCH_H_
