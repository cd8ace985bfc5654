// src/blobs/http_client.h
//
// Private to the blobs module: one blocking HTTP exchange over libcurl, shared by the
// S3 backend and webhook delivery. No redirects are followed (a redirect could lead a
// webhook past the URL policy, and S3 never needs one), only http and https are
// spoken, and every exchange has a connect and a stall timeout.
//
// Thread safety: Perform is thread-safe (one curl easy handle per call).
#ifndef SMARTOCR_BLOBS_HTTP_CLIENT_H_
#define SMARTOCR_BLOBS_HTTP_CLIENT_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace smartocr::blobs::internal {

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD, PUT, POST, DELETE
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  // Sent as the body when the method is PUT or POST (Content-Length is set). Borrowed:
  // must outlive Perform.
  std::string_view body;
  // "host:port:address" for CURLOPT_RESOLVE: pins the connection to an address the
  // caller already checked. Empty: resolve normally.
  std::string pinned_resolve;
  // Never through a proxy (HTTP_PROXY and friends in the environment): for a URL whose
  // address the caller checked, as a proxy would resolve and connect on its own.
  bool direct = false;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::seconds stall_timeout{30};
  std::chrono::milliseconds total_timeout{0};  // 0: none
  // When set, receives the response body piece by piece instead of HttpResponse::body
  // (only for 2xx answers; error bodies are always collected). Return false to abort.
  std::function<bool(std::string_view)> body_sink;
  // Bytes of body kept in HttpResponse::body; the rest is read and dropped. 0: all.
  std::size_t max_body_bytes = 0;
};

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // The first header named `name` (lower-case), or "" when absent.
  std::string Header(std::string_view name) const;
};

// Performs the exchange. Any HTTP status is a success here; the caller maps it.
// Fails with kUnavailable: "http_timeout" (connect, stall or total), "http_connect"
// (refused, unreachable, DNS), "http_transfer" (other transport errors), or
// kIoError "http_sink" when body_sink aborted.
core::Result<HttpResponse> Perform(const HttpRequest& request);

}  // namespace smartocr::blobs::internal

#endif  // SMARTOCR_BLOBS_HTTP_CLIENT_H_
