// src/blobs/http_client.cc
#include "blobs/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>

namespace smartocr::blobs::internal {
namespace {

void EnsureCurl() {
  // curl_global_init is not thread-safe on older libcurl; once is enough anyway.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Exchange {
  const HttpRequest* request;
  HttpResponse* response;
  bool sink_failed = false;
};

bool IsSuccess(long status) { return status >= 200 && status < 300; }

// Records the status line too: the body callback needs the status to know whether
// the body goes to the caller's sink (success) or is kept for the error message.
size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  HttpResponse* response = static_cast<Exchange*>(user)->response;
  const size_t n = size * count;
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    response->headers.clear();  // a new response (after 100 Continue, say)
    const size_t space = line.find(' ');
    if (space != std::string_view::npos) {
      response->status = std::strtol(line.data() + space + 1, nullptr, 10);
    }
    return n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string name(line.substr(0, colon));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  response->headers.emplace_back(std::move(name), std::string(value));
  return n;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const size_t n = size * count;
  if (ex->request->body_sink && IsSuccess(ex->response->status)) {
    if (!ex->request->body_sink(std::string_view(data, n))) {
      ex->sink_failed = true;
      return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    return n;
  }
  std::string& body = ex->response->body;
  const size_t limit = ex->request->max_body_bytes;
  body.append(data, limit == 0 ? n : std::min(n, limit - std::min(limit, body.size())));
  return n;
}

core::Status MapCurlError(CURLcode code, const char* detail) {
  std::string message = std::string(curl_easy_strerror(code));
  if (detail[0] != '\0') message += std::string(": ") + detail;
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return core::Unavailable("http_timeout", message);
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return core::Unavailable("http_connect", message);
    default:
      return core::Unavailable("http_transfer", message);
  }
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "";
}

core::Result<HttpResponse> Perform(const HttpRequest& request) {
  EnsureCurl();
  std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
  if (!curl) return core::ResourceExhausted("curl_init", "curl_easy_init failed");
  CURL* c = curl.get();

  HttpResponse response;
  Exchange ex{&request, &response};

  std::unique_ptr<curl_slist, ListDeleter> headers;
  auto add_header = [&](const std::string& line) {
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  };
  for (const auto& [name, value] : request.headers) {
    // "Name;" is curl's spelling of a header with an empty value.
    std::string line(name);
    if (value.empty()) {
      line += ';';
    } else {
      line += ": ";
      line += value;
    }
    add_header(line);
  }
  // No "Expect: 100-continue" round trip before large bodies; S3 does not need it.
  add_header("Expect:");
  std::unique_ptr<curl_slist, ListDeleter> resolve;
  if (!request.pinned_resolve.empty()) {
    resolve.reset(curl_slist_append(nullptr, request.pinned_resolve.c_str()));
    curl_easy_setopt(c, CURLOPT_RESOLVE, resolve.get());
  }
  if (request.direct) curl_easy_setopt(c, CURLOPT_PROXY, "");

  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM games in a threaded server
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(request.stall_timeout.count()));
  if (request.total_timeout.count() > 0) {
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(request.total_timeout.count()));
  }
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &ex);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &ex);

  const bool sends_body = request.method == "PUT" || request.method == "POST";
  if (request.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (sends_body) {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    // Never null: curl reads a null POSTFIELDS body from its read callback (stdin).
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.empty() ? "" : request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    if (request.method != "POST") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
    bool has_type = std::any_of(request.headers.begin(), request.headers.end(), [](const auto& h) {
      std::string name = h.first;
      for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return name == "content-type";
    });
    // Otherwise curl labels the body application/x-www-form-urlencoded.
    if (!has_type) add_header("Content-Type:");
  } else if (request.method != "GET") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());

  const CURLcode code = curl_easy_perform(c);
  if (ex.sink_failed) return core::IoError("http_sink", "writing the response body failed");
  if (code != CURLE_OK) return MapCurlError(code, error);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  response.status = status;
  return response;
}

}  // namespace smartocr::blobs::internal
