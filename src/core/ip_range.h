// src/core/ip_range.h
//
// An IPv4 or IPv6 address range in CIDR notation ("10.0.0.0/8", "fd00::/8"; a bare
// address is its own /32 or /128): which addresses webhooks may reach (blobs::UrlPolicy)
// and where an API key may be used from (api/auth.h).
#ifndef SMARTOCR_CORE_IP_RANGE_H_
#define SMARTOCR_CORE_IP_RANGE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace smartocr::core {

struct IpRange {
  int family = 0;  // AF_INET or AF_INET6
  std::array<std::uint8_t, 16> bytes{};
  int prefix_bits = 0;

  // std::nullopt when `text` is not an address with an optional "/bits" in range.
  static std::optional<IpRange> Parse(std::string_view text);
  // Whether the address (`family`, its 4 or 16 bytes) is in the range.
  bool Contains(int address_family, const std::uint8_t* address) const;
  // The same for an address in text ("127.0.0.1", "::1"); false when it is not one.
  bool Contains(std::string_view address) const;
};

// Whether the first `bits` bits of `a` and `b` agree.
bool PrefixMatches(const std::uint8_t* a, const std::uint8_t* b, int bits);

}  // namespace smartocr::core

#endif  // SMARTOCR_CORE_IP_RANGE_H_
