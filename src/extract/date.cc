// src/extract/date.cc
//
// Calendar arithmetic: days since the epoch, two-digit years, ISO parsing (validity and
// formatting are core/date.h).
#include <optional>
#include <string>
#include <string_view>

#include "extract/extract.h"
#include "extract/extract_internal.h"

namespace smartocr::extract {

namespace internal {

// Howard Hinnant's days_from_civil.
long DaysFromCivil(const Date& date) {
  int y = date.year - (date.month <= 2 ? 1 : 0);
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long mp = (date.month + 9) % 12;
  long doy = (153 * mp + 2) / 5 + date.day - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int ExpandTwoDigitYear(int yy, const Date& today) {
  if (today.year <= 0) return yy <= 69 ? 2000 + yy : 1900 + yy;
  int year = (today.year / 100) * 100 + yy;
  while (year > today.year + 20) year -= 100;
  while (year <= today.year - 80) year += 100;
  return year;
}

}  // namespace internal

std::optional<Date> ParseIsoDate(std::string_view text) {
  std::string_view s = internal::Trim(text);
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!internal::IsDigit(s[i])) return std::nullopt;
  }
  auto num = [&](size_t b, size_t n) {
    int v = 0;
    for (size_t i = b; i < b + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  Date d{num(0, 4), num(5, 2), num(8, 2)};
  if (!IsValidDate(d)) return std::nullopt;
  return d;
}

}  // namespace smartocr::extract
