// src/blobs/webhook.cc
//
// Webhook signatures and the single POST. The URL policy is in url_policy.cc.
#include "blobs/webhook.h"

#include <algorithm>
#include <charconv>

#include "blobs/crypto.h"
#include "blobs/http_client.h"
#include "core/sha256.h"

namespace smartocr::blobs {
namespace {

constexpr std::size_t kMaxResponseBytes = 64 << 10;  // we never need a receiver's body

std::string Mac(std::string_view secret, long long t, std::string_view body) {
  std::string message = std::to_string(t) + ".";
  message.append(body);
  return core::HmacSha256Hex(secret, message);
}

core::Status BadHeader(std::string message) {
  return core::InvalidArgument("signature_header", std::move(message));
}

}  // namespace

core::Result<std::string> SignWebhook(std::string_view secret, std::chrono::sys_seconds timestamp,
                                      std::string_view body) {
  if (secret.empty()) {
    return core::InvalidArgument("webhook_secret", "no webhook secret to sign with");
  }
  const long long t = timestamp.time_since_epoch().count();
  return "t=" + std::to_string(t) + ",v1=" + Mac(secret, t, body);
}

core::Status VerifyWebhookSignature(std::string_view secret, std::string_view header,
                                    std::string_view body, std::chrono::sys_seconds now,
                                    std::chrono::seconds tolerance) {
  if (secret.empty()) {
    return core::InvalidArgument("webhook_secret", "no webhook secret to check with");
  }
  std::string_view t_text;
  std::vector<std::string_view> candidates;
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? "" : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) return BadHeader("signature item without '='");
    const std::string_view name = item.substr(0, eq);
    if (name == "t") {
      if (!t_text.empty()) return BadHeader("repeated t in signature header");
      t_text = item.substr(eq + 1);
    } else if (name == "v1") {
      candidates.push_back(item.substr(eq + 1));
    }  // Other schemes (v0, a future v2) are skipped, so we can add one later.
  }
  long long t = 0;
  const auto [end, ec] = std::from_chars(t_text.data(), t_text.data() + t_text.size(), t);
  if (t_text.empty() || ec != std::errc() || end != t_text.data() + t_text.size()) {
    return BadHeader("signature header lacks a numeric t");
  }
  if (candidates.empty()) return BadHeader("signature header lacks v1");
  const std::string expected = Mac(secret, t, body);
  bool matched = false;
  for (std::string_view candidate : candidates) {
    // No early exit: every candidate costs the same.
    matched = internal::ConstantTimeEquals(expected, candidate) || matched;
  }
  if (!matched) return core::InvalidArgument("bad_signature", "webhook signature does not match");
  const long long skew = now.time_since_epoch().count() - t;
  if (skew > tolerance.count() || -skew > tolerance.count()) {
    return core::InvalidArgument("stale_timestamp", "webhook timestamp outside tolerance");
  }
  return core::Status::Ok();
}

core::Result<int> PostJson(std::string_view url, std::string_view body,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           std::chrono::milliseconds timeout, const UrlPolicy& policy) {
  core::Result<UrlPolicy::Target> target = policy.Check(url);
  if (!target.ok()) return target.status();
  internal::HttpRequest request;
  request.method = "POST";
  request.url = target->url;
  request.headers = headers;
  request.headers.emplace_back("Content-Type", "application/json");
  request.headers.emplace_back("User-Agent", "SmartOCR-Webhook/1");
  request.body = body;
  request.pinned_resolve = target->pinned_resolve;
  request.direct = true;  // the policy checked the address; a proxy would pick its own
  request.connect_timeout = std::min(timeout, std::chrono::milliseconds(5000));
  request.total_timeout = timeout;
  request.max_body_bytes = kMaxResponseBytes;
  core::Result<internal::HttpResponse> response = internal::Perform(request);
  if (!response.ok()) return response.status().WithContext("webhook " + target->host);
  return static_cast<int>(response->status);
}

}  // namespace smartocr::blobs
