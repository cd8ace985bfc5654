// Numeric dates with one misread digit ("19/62/2018", "05/09/2617") or a lost or
// misread first separator ("2504/2017", "25I04/2017"). OCR confuses digits of similar
// shape (0/6/8, 1/7, 5/6, 3/8): a date that is not valid as read is tried with one such
// change per invalid part, and kept when the result is a real date near `today`.
#include <regex>
#include <string>

#include "extract/fields_internal.h"

namespace smartocr::extract::fields_internal {
namespace {

// Digits a misread digit may stand for, most likely first.
const char* Confusions(char c) {
  switch (c) {
    case '6':
      return "05";
    case '0':
      return "68";
    case '8':
      return "036";
    case '7':
      return "1";
    case '1':
      return "7";
    case '5':
      return "6";
    case '3':
      return "8";
    case '9':
      return "0";
    default:
      return "";
  }
}

// `part` itself when `ok(part)`, else the first one-digit change that is ok, or "".
template <typename Ok>
std::string RepairPart(const std::string& part, Ok ok) {
  if (ok(part)) return part;
  for (size_t i = 0; i < part.size(); ++i) {
    for (const char* c = Confusions(part[i]); *c != '\0'; ++c) {
      std::string tried = part;
      tried[i] = *c;
      if (ok(tried)) return tried;
    }
  }
  return "";
}

}  // namespace

std::optional<PatternMatch> FindMisreadDate(std::string_view text, const DateOptions& options) {
  // The first separator may be lost too ("2504/2017" for "25/04/2017"), or read as a
  // stroke of a letter ("25I04/2017").
  static const std::regex kNumericDate(
      R"((^|[^\d])(\d{2})([/.\-Il|]?)(\d{2})([/.-])(\d{4})(?!\d))");
  const std::string s(text);
  if (!IsValidDate(options.today)) return std::nullopt;
  const int year_now = options.today.year;
  for (std::sregex_iterator it(s.begin(), s.end(), kNumericDate), end; it != end; ++it) {
    const std::smatch& m = *it;
    const bool stroke = m[3].str() == "I" || m[3].str() == "l" || m[3].str() == "|";
    if (m.length(3) > 0 && m[3].str() != m[5].str() && !(stroke && m[5].str() == "/")) continue;
    bool us =
        options.locale.size() >= 3 && options.locale.substr(options.locale.size() - 3) == "-US";
    std::string day = m[us ? 4 : 2].str(), month = m[us ? 2 : 4].str(), year = m[6].str();
    std::string y = RepairPart(year, [&](const std::string& p) {
      int v = std::stoi(p);
      return v >= year_now - 15 && v <= year_now + 1;
    });
    std::string mo = RepairPart(
        month, [](const std::string& p) { return std::stoi(p) >= 1 && std::stoi(p) <= 12; });
    if (y.empty() || mo.empty()) continue;
    std::string d = RepairPart(day, [&](const std::string& p) {
      return IsValidDate(Date{std::stoi(y), std::stoi(mo), std::stoi(p)});
    });
    if (d.empty()) continue;
    Date date{std::stoi(y), std::stoi(mo), std::stoi(d)};
    if (date > options.today) continue;
    PatternMatch out;
    out.kind = PatternKind::kDate;
    out.begin = static_cast<size_t>(m.position(2));
    out.end = static_cast<size_t>(m.position(6) + m.length(6));
    out.text = s.substr(out.begin, out.end - out.begin);
    out.normalized = FormatIsoDate(date);
    out.confidence =
        (y == year && mo == month && d == day && m.length(3) > 0 && !stroke) ? 1.0 : 0.6;
    return out;
  }
  return std::nullopt;
}

}  // namespace smartocr::extract::fields_internal
