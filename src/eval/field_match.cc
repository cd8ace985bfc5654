// Field matching, counted as ../shared/tools/fields_score.py counts it.
#include <cmath>
#include <cstdio>
#include <regex>

#include "eval/eval.h"

namespace smartocr::eval {
namespace {

bool ValidDate(int y, int m, int d) {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= max;
}

std::string Iso(int y, int m, int d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

}  // namespace

std::optional<double> ParseLabelAmount(const std::string& text) {
  static const std::regex kNumber(R"(-?\d[\d,. ]*)");
  std::string last;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kNumber);
       it != std::sregex_iterator(); ++it) {
    last = it->str();
  }
  if (last.empty()) return std::nullopt;
  std::string t;
  for (char c : last) {
    if (c != ' ') t += c;
  }
  static const std::regex kCommaCents(R"(,\d{2}$)");
  if (std::regex_search(t, kCommaCents)) {
    std::string u;
    for (char c : t) {
      if (c != '.') u += c == ',' ? '.' : c;
    }
    t = u;
  }
  std::string v;
  for (char c : t) {
    if (c != ',') v += c;
  }
  try {
    size_t used = 0;
    double value = std::stod(v, &used);
    if (used != v.size()) return std::nullopt;
    return std::round(value * 100) / 100;
  } catch (...) {
    return std::nullopt;
  }
}

std::optional<std::string> ParseLabelDate(const std::string& raw) {
  std::string s = Fold(raw);
  static const std::regex kYearFirst(R"(^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2}))");
  static const std::regex kDayFirst(R"(^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4}))");
  std::smatch m;
  int y = 0, mo = 0, d = 0;
  if (std::regex_search(s, m, kYearFirst)) {
    y = std::stoi(m[1]);
    mo = std::stoi(m[2]);
    d = std::stoi(m[3]);
  } else if (std::regex_search(s, m, kDayFirst)) {
    d = std::stoi(m[1]);
    mo = std::stoi(m[2]);
    y = std::stoi(m[3]);
    if (y < 100) y += 2000;
  } else {
    return std::nullopt;
  }
  if (!ValidDate(y, mo, d)) return std::nullopt;
  return Iso(y, mo, d);
}

bool FieldMatches(FieldKind kind, const std::string& ref, const std::string& value,
                  const std::string& normalized) {
  if (Upper(Fold(ref)) == Upper(Fold(value))) return true;
  if (kind == FieldKind::kAmount) {
    auto r = ParseLabelAmount(ref);
    if (!r) return false;
    auto v = ParseLabelAmount(value);
    auto n = ParseLabelAmount(normalized);
    return (v && *v == *r) || (n && *n == *r);
  }
  if (kind == FieldKind::kDate) {
    static const std::regex kIso(R"(^\d{4}-\d{2}-\d{2}$)");
    std::optional<std::string> iso =
        std::regex_match(ref, kIso) ? std::optional<std::string>(ref) : ParseLabelDate(ref);
    if (!iso) return false;
    if (normalized.substr(0, 10) == *iso) return true;
    auto v = ParseLabelDate(value);
    return v && *v == *iso;
  }
  return false;
}

}  // namespace smartocr::eval
