#include "core/ip_range.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <charconv>
#include <cstring>
#include <string>
#include <system_error>

namespace smartocr::core {

bool PrefixMatches(const std::uint8_t* a, const std::uint8_t* b, int bits) {
  const int whole = bits / 8;
  if (std::memcmp(a, b, static_cast<std::size_t>(whole)) != 0) return false;
  const int rest = bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

std::optional<IpRange> IpRange::Parse(std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::string address(text.substr(0, slash));
  IpRange range;
  if (inet_pton(AF_INET, address.c_str(), range.bytes.data()) == 1) {
    range.family = AF_INET;
    range.prefix_bits = 32;
  } else if (inet_pton(AF_INET6, address.c_str(), range.bytes.data()) == 1) {
    range.family = AF_INET6;
    range.prefix_bits = 128;
  } else {
    return std::nullopt;
  }
  if (slash != std::string_view::npos) {
    const std::string_view bits = text.substr(slash + 1);
    int n = -1;
    const auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), n);
    if (ec != std::errc() || end != bits.data() + bits.size() || n < 0 || n > range.prefix_bits) {
      return std::nullopt;
    }
    range.prefix_bits = n;
  }
  return range;
}

bool IpRange::Contains(int address_family, const std::uint8_t* address) const {
  return family == address_family && PrefixMatches(address, bytes.data(), prefix_bits);
}

bool IpRange::Contains(std::string_view address) const {
  const std::string text(address);
  std::array<std::uint8_t, 16> raw{};
  if (inet_pton(AF_INET, text.c_str(), raw.data()) == 1) return Contains(AF_INET, raw.data());
  if (inet_pton(AF_INET6, text.c_str(), raw.data()) == 1) return Contains(AF_INET6, raw.data());
  return false;
}

}  // namespace smartocr::core
