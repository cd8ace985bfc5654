#include "core/page_range.h"

#include <charconv>
#include <string>

namespace smartocr::core {

namespace {
bool ParseInt(std::string_view s, int* out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size() && *out > 0;
}
}  // namespace

Result<PageRange> PageRange::Parse(std::string_view spec) {
  PageRange range;
  auto bad = [&](std::string_view why) {
    return InvalidArgument("page_range", "bad page selection '" + std::string(spec) + "': " +
                                             std::string(why) + " (expected e.g. 1-3,7,10-)");
  };
  if (spec.empty()) return bad("empty");
  size_t pos = 0;
  while (pos <= spec.size()) {
    size_t comma = spec.find(',', pos);
    if (comma == std::string_view::npos) comma = spec.size();
    std::string_view item = spec.substr(pos, comma - pos);
    size_t dash = item.find('-');
    int lo = 0;
    int hi = 0;
    if (dash == std::string_view::npos) {
      if (!ParseInt(item, &lo)) return bad("not a page number");
      hi = lo;
    } else {
      if (!ParseInt(item.substr(0, dash), &lo)) return bad("not a page number");
      std::string_view rest = item.substr(dash + 1);
      if (!rest.empty() && !ParseInt(rest, &hi)) return bad("not a page number");
      if (!rest.empty() && hi < lo) return bad("descending range");
    }
    range.spans_.emplace_back(lo, hi);
    pos = comma + 1;
  }
  return range;
}

bool PageRange::Contains(int page) const {
  if (spans_.empty()) return true;
  for (const auto& [lo, hi] : spans_) {
    if (page >= lo && (hi == 0 || page <= hi)) return true;
  }
  return false;
}

int PageRange::CountIn(int page_count) const {
  int n = 0;
  for (int p = 1; p <= page_count; ++p) n += Contains(p) ? 1 : 0;
  return n;
}

}  // namespace smartocr::core
