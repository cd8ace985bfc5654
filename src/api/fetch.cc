// The URL policy picks (and pins) the address, redirects are not followed, and the
// transfer stops at the size and time limits.
#include "api/fetch.h"

#include <curl/curl.h>

namespace smartocr::api {
namespace {

struct Sink {
  std::string data;
  int64_t max_bytes = 0;
  bool too_large = false;
};

size_t Write(char* ptr, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  if (static_cast<int64_t>(sink->data.size() + size * n) > sink->max_bytes) {
    sink->too_large = true;
    return 0;
  }
  sink->data.append(ptr, size * n);
  return size * n;
}

}  // namespace

core::Result<std::string> HttpGet(const std::string& url, const blobs::UrlPolicy& policy,
                                  int64_t max_bytes, int64_t timeout_ms, std::string_view what) {
  const std::string name(what);
  auto target = policy.Check(url);
  if (!target.ok()) {
    // Not the policy's own message: it says what the name resolves to, which tells a
    // caller about the network the server sits in.
    return core::InvalidArgument(
        name + "_uri", name +
                           " URL refused: not an http(s) URL, or it names a private, loopback or "
                           "otherwise internal address (see --fetch-allow)");
  }
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return core::Internal("curl", "curl_easy_init failed");
  Sink sink;
  sink.max_bytes = max_bytes;
  curl_slist* resolve = nullptr;
  if (!target->pinned_resolve.empty()) {
    resolve = curl_slist_append(nullptr, target->pinned_resolve.c_str());
    curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  // Never through a proxy from the environment: it would resolve the name itself and
  // reach whatever address it likes, not the one the policy checked.
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_bytes));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  curl_slist_free_all(resolve);
  if (sink.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    return core::LimitExceeded(name + "_bytes", "the " + name + " is over the size limit");
  }
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    return core::DeadlineExceeded(name + "_timeout", "fetching the " + name + " timed out");
  }
  if (rc != CURLE_OK) {
    return core::InvalidArgument(name + "_fetch",
                                 "fetching the " + name + " failed: " + curl_easy_strerror(rc));
  }
  if (status != 200) {
    return core::InvalidArgument(
        name + "_fetch", "fetching the " + name + " answered HTTP " + std::to_string(status));
  }
  return std::move(sink.data);
}

}  // namespace smartocr::api
