// src/blobs/url_policy.cc
//
// UrlPolicy: which addresses a tenant-supplied URL may reach. The check runs on the
// resolved addresses, not the host name, and the caller connects to the address
// checked here (Target::pinned_resolve), so neither a name that resolves inward nor
// a DNS answer that changes between check and connect gets through.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <memory>

#include "blobs/webhook.h"
#include "core/ip_range.h"

namespace smartocr::blobs {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool InV4(const std::uint8_t* a, std::uint8_t b0, std::uint8_t b1, int prefix) {
  const std::uint32_t addr =
      (std::uint32_t{a[0]} << 24) | (std::uint32_t{a[1]} << 16) | (std::uint32_t{a[2]} << 8) | a[3];
  const std::uint32_t net = (std::uint32_t{b0} << 24) | (std::uint32_t{b1} << 16);
  const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  return (addr & mask) == (net & mask);
}

bool RefusedV4(const std::uint8_t* a) {
  return InV4(a, 0, 0, 8)                          // "this network", 0.0.0.0 included
         || InV4(a, 10, 0, 8)                      // private
         || InV4(a, 100, 64, 10)                   // carrier-grade NAT: someone's inside
         || InV4(a, 127, 0, 8)                     // loopback
         || InV4(a, 169, 254, 16)                  // link-local, cloud metadata at 169.254.169.254
         || InV4(a, 172, 16, 12)                   // private
         || (InV4(a, 192, 0, 16) && a[2] == 0)     // IETF protocol assignments
         || (InV4(a, 192, 0, 16) && a[2] == 2)     // TEST-NET-1
         || InV4(a, 192, 168, 16)                  // private
         || InV4(a, 198, 18, 15)                   // benchmarking
         || (InV4(a, 198, 51, 16) && a[2] == 100)  // TEST-NET-2
         || (InV4(a, 203, 0, 16) && a[2] == 113)   // TEST-NET-3
         || InV4(a, 224, 0, 4)                     // multicast
         || InV4(a, 240, 0, 4);                    // reserved and broadcast
}

bool RefusedV6(const std::uint8_t* a) {
  static constexpr std::uint8_t kZero[16] = {};
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static constexpr std::uint8_t kNat64[12] = {0, 0x64, 0xff, 0x9b};
  static constexpr std::uint8_t kTranslated[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0};
  // IPv4 inside IPv6: judge the IPv4 address (mapped ::ffff:a.b.c.d, translated
  // ::ffff:0:a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:aabb:ccdd::/48).
  if (std::memcmp(a, kMapped, 12) == 0 || std::memcmp(a, kNat64, 12) == 0 ||
      std::memcmp(a, kTranslated, 12) == 0) {
    return RefusedV4(a + 12);
  }
  if (a[0] == 0x20 && a[1] == 0x02) return RefusedV4(a + 2);
  // Teredo (2001::/32) tunnels to an IPv4 address we cannot judge from here, and local-use
  // NAT64 (64:ff9b:1::/48) translates into the operator's own IPv4 space.
  if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0) return true;
  if (a[0] == 0 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b && a[4] == 0 && a[5] == 1) {
    return true;
  }
  if (std::memcmp(a, kZero, 12) == 0) return true;         // ::, ::1, deprecated ::a.b.c.d
  if ((a[0] & 0xfe) == 0xfc) return true;                  // fc00::/7 unique local
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return true;  // fe80::/10 link-local
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) return true;  // fec0::/10 old site-local
  if (a[0] == 0xff) return true;                           // multicast
  if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return true;       // docs
  if (a[0] == 0x01 && a[1] == 0x00 && std::memcmp(a + 2, kZero, 6) == 0) return true;  // discard
  return false;
}

struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

// One part of a parsed URL, or "" when absent.
std::string UrlPart(CURLU* url, CURLUPart part, unsigned flags = 0) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, flags) != CURLUE_OK || value == nullptr) return "";
  std::string out(value);
  curl_free(value);
  return out;
}

core::Status BadUrl(std::string message) {
  return core::InvalidArgument("webhook_url", std::move(message));
}

}  // namespace

core::Status UrlPolicy::Allow(std::string_view entry) {
  if (std::optional<core::IpRange> range = core::IpRange::Parse(entry)) {
    allowed_ranges_.push_back(*range);
    return core::Status::Ok();
  }
  if (!entry.empty() && entry.find_first_of(" :[]/") == std::string_view::npos) {
    allowed_hosts_.push_back(Lower(entry));
    return core::Status::Ok();
  }
  return core::InvalidArgument("url_policy_entry",
                               "not an address, range or host name: '" + std::string(entry) + "'");
}

bool UrlPolicy::IsAllowed(int family, const std::uint8_t* bytes) const {
  for (const core::IpRange& range : allowed_ranges_) {
    if (range.Contains(family, bytes)) return true;
  }
  return family == AF_INET ? !RefusedV4(bytes) : !RefusedV6(bytes);
}

core::Result<UrlPolicy::Target> UrlPolicy::Check(std::string_view url) const {
  std::unique_ptr<CURLU, CurlUrlDeleter> parsed(curl_url());
  if (!parsed) return core::ResourceExhausted("curl_init", "curl_url failed");
  const std::string text(url);
  // Without CURLU_NON_SUPPORT_SCHEME curl knows the scheme; we narrow it further below.
  if (curl_url_set(parsed.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return BadUrl("cannot parse URL '" + text + "'");
  }
  const std::string scheme = Lower(UrlPart(parsed.get(), CURLUPART_SCHEME));
  if (scheme != "http" && scheme != "https") {
    return core::InvalidArgument("webhook_url_scheme", "only http and https URLs are allowed");
  }
  Target target;
  target.url = UrlPart(parsed.get(), CURLUPART_URL);
  target.host = UrlPart(parsed.get(), CURLUPART_HOST);
  if (target.host.empty()) return BadUrl("URL has no host");
  if (target.host.front() == '[') target.host = target.host.substr(1, target.host.size() - 2);
  const std::string port = UrlPart(parsed.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  target.port = std::atoi(port.c_str());
  if (target.port <= 0 || target.port > 65535) return BadUrl("URL has no usable port");
  const bool host_allowed = std::find(allowed_hosts_.begin(), allowed_hosts_.end(),
                                      Lower(target.host)) != allowed_hosts_.end();

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = getaddrinfo(target.host.c_str(), nullptr, &hints, &found);
  if (rc != 0 || found == nullptr) {
    return core::Unavailable("webhook_dns",
                             "cannot resolve " + target.host + ": " + gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, &freeaddrinfo);
  core::Status refused;
  for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    const std::uint8_t* bytes = nullptr;
    if (ai->ai_family == AF_INET) {
      bytes = reinterpret_cast<const std::uint8_t*>(
          &reinterpret_cast<const sockaddr_in*>(ai->ai_addr)->sin_addr);
    } else if (ai->ai_family == AF_INET6) {
      bytes = reinterpret_cast<const std::uint8_t*>(
          &reinterpret_cast<const sockaddr_in6*>(ai->ai_addr)->sin6_addr);
    } else {
      continue;
    }
    char buf[INET6_ADDRSTRLEN] = {0};
    inet_ntop(ai->ai_family, bytes, buf, sizeof buf);
    // Every address must pass: curl might pick any of them otherwise, and a name
    // with one public and one internal answer is exactly the trick to stop.
    if (!host_allowed && !IsAllowed(ai->ai_family, bytes)) {
      return core::InvalidArgument("webhook_address_refused",
                                   target.host + " resolves to a refused address " + buf);
    }
    if (target.address.empty()) {
      target.address = buf;
      in6_addr unused6;
      in_addr unused4;
      const bool literal = inet_pton(AF_INET, target.host.c_str(), &unused4) == 1 ||
                           inet_pton(AF_INET6, target.host.c_str(), &unused6) == 1;
      if (!literal) {
        const std::string addr =
            ai->ai_family == AF_INET6 ? "[" + target.address + "]" : target.address;
        target.pinned_resolve = target.host + ":" + std::to_string(target.port) + ":" + addr;
      }
    }
  }
  if (target.address.empty()) {
    return core::Unavailable("webhook_dns", "no IP address for " + target.host);
  }
  return target;
}

}  // namespace smartocr::blobs
