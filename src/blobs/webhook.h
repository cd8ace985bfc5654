// src/blobs/webhook.h
//
// Webhook delivery helpers: signing a body so receivers can check it came from us,
// a URL policy that keeps tenant-supplied URLs away from our own network (SSRF), and
// one POST to a checked URL. Retries and scheduling belong to the caller (jobs).
//
// Signature header (to document for customers):
//
//   SmartOCR-Signature:
//   t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd
//
// v1 is hex HMAC-SHA256, keyed by the tenant's webhook secret, of "<t>.<raw body>".
// A receiver recomputes it over the raw body bytes, compares in constant time, and
// rejects a t more than five minutes from its clock (a replayed delivery). E.g. in
// Python:
//
//   t, v1 = dict(p.split("=", 1) for p in header.split(",")).values()  # simplified
//   mac = hmac.new(secret, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
//   ok = hmac.compare_digest(mac, v1) and abs(time.time() - int(t)) <= 300
//
// Thread safety: free functions are thread-safe; UrlPolicy is const-safe (build it,
// then share it read-only).
#ifndef SMARTOCR_BLOBS_WEBHOOK_H_
#define SMARTOCR_BLOBS_WEBHOOK_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ip_range.h"
#include "core/status.h"

namespace smartocr::blobs {

inline constexpr std::string_view kWebhookSignatureHeader = "SmartOCR-Signature";

// The SmartOCR-Signature value for `body` sent at `timestamp`. kInvalidArgument
// "webhook_secret" when `secret` is empty: an empty key signs nothing anyone could
// not sign too.
core::Result<std::string> SignWebhook(std::string_view secret, std::chrono::sys_seconds timestamp,
                                      std::string_view body);

// OK when `header` holds a v1 signature of `body` under `secret` (any of several v1
// entries may match, for secret rotation) and its t is within `tolerance` of `now`.
// kInvalidArgument: "signature_header" (malformed), "bad_signature", "stale_timestamp".
core::Status VerifyWebhookSignature(std::string_view secret, std::string_view header,
                                    std::string_view body, std::chrono::sys_seconds now,
                                    std::chrono::seconds tolerance = std::chrono::seconds(300));

// Which URLs we may send requests to. By default: http and https only, to hosts
// whose every resolved address is public, i.e. not loopback, private (10/8,
// 172.16/12, 192.168/16, 100.64/10, fc00::/7), link-local (169.254/16 with the cloud
// metadata address 169.254.169.254, fe80::/10), unspecified, multicast, reserved or
// documentation ranges. IPv4-mapped and NAT64 IPv6 addresses are judged by the IPv4
// address inside.
class UrlPolicy {
 public:
  // A URL that passed, with the address the connection must use.
  struct Target {
    std::string url;
    std::string host;  // as in the URL, without IPv6 brackets
    int port = 0;
    std::string address;  // the checked IP, e.g. "93.184.216.34" or "2001:db8::1"
    // "host:port:address" for curl, so that a second DNS answer (rebinding) cannot
    // send the request elsewhere; empty when the host is an IP literal.
    std::string pinned_resolve;
  };

  // Allows an otherwise refused address range or host: "127.0.0.1", "10.0.0.0/8",
  // "::1", "fd00::/8", or a host name such as "hooks.internal" (exact, any case; its
  // addresses are then not checked). kInvalidArgument "url_policy_entry" when
  // `entry` is none of these.
  core::Status Allow(std::string_view entry);

  // Parses and resolves `url` and checks it. Fails with kInvalidArgument
  // "webhook_url" (unparsable, no host), "webhook_url_scheme" (not http/https),
  // "webhook_address_refused", or kUnavailable "webhook_dns" (resolution failed; may
  // pass later).
  core::Result<Target> Check(std::string_view url) const;

 private:
  bool IsAllowed(int family, const std::uint8_t* bytes) const;

  std::vector<core::IpRange> allowed_ranges_;
  std::vector<std::string> allowed_hosts_;  // lower-case
};

// POSTs `body` as application/json to `url` once, after `policy` checked it, connected
// to the checked address. Redirects are not followed. Returns the HTTP status (any
// status: the caller decides about retries). Fails with the policy's errors, or
// kUnavailable "http_timeout"/"http_connect"/"http_transfer" when no answer came
// within `timeout`.
core::Result<int> PostJson(std::string_view url, std::string_view body,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           std::chrono::milliseconds timeout, const UrlPolicy& policy);

}  // namespace smartocr::blobs

#endif  // SMARTOCR_BLOBS_WEBHOOK_H_
