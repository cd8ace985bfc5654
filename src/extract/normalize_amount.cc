// src/extract/normalize_amount.cc
//
// Amount normalization: "1.234,56", "1 234,56", "(12.00)", "RM 12.50" -> plain decimal
// strings. The separator roles are decided from the text itself where it can (two
// kinds of separator, repeated separators, group sizes) and from the locale only for
// a lone comma before exactly three digits.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/amount_internal.h"
#include "extract/extract.h"
#include "extract/extract_internal.h"

namespace smartocr::extract {

namespace internal {
namespace {

// Length of a space-like separator at `i` (' ', NBSP, thin or narrow space), else 0.
size_t SpaceAt(std::string_view t, size_t i) {
  if (i < t.size() && t[i] == ' ') return 1;
  if (t.compare(i, 2, "\xC2\xA0") == 0) return 2;
  if (t.compare(i, 3, "\xE2\x80\x89") == 0 || t.compare(i, 3, "\xE2\x80\xAF") == 0) return 3;
  return 0;
}

// Length of a separator at `i` that may sit between digits of an amount, else 0.
size_t MarkAt(std::string_view t, size_t i) {
  if (i >= t.size()) return 0;
  if (t[i] == '.' || t[i] == ',' || t[i] == '\'') return 1;
  if (t.compare(i, 3, "\xE2\x80\x99") == 0) return 3;  // ’ (Swiss grouping)
  return 0;
}

bool DigitsThenEnd(std::string_view t, size_t i, size_t n) {
  for (size_t k = i; k < i + n; ++k) {
    if (k >= t.size() || !IsDigit(t[k])) return false;
  }
  return i + n >= t.size() || !IsDigit(t[i + n]);
}

bool IsMinus(std::string_view t, size_t i) {
  return t[i] == '-' || t.compare(i, 3, "\xE2\x88\x92") == 0;  // '-' or U+2212
}

}  // namespace

bool DecimalCommaLocale(std::string_view locale) {
  std::string s = LatinLower(locale);
  for (char& c : s) {
    if (c == '_') c = '-';
  }
  if (s == "es-mx" || s == "es-us" || s == "de-ch" || s == "fr-ch" || s == "it-ch") {
    return false;  // these write 1'234.56 or 1,234.56
  }
  std::string lang = s.substr(0, s.find('-'));
  static constexpr const char* kCommaLanguages[] = {
      "de", "fr", "es", "it", "nl", "pt", "pl", "ru", "cs", "sk", "sv", "da", "nb", "nn", "no",
      "fi", "tr", "id", "ro", "hu", "el", "bg", "hr", "sl", "lt", "lv", "et", "uk", "vi"};
  for (const char* l : kCommaLanguages) {
    if (lang == l) return true;
  }
  return false;
}

std::optional<NumberRun> NextNumberRun(std::string_view text, size_t from) {
  size_t i = from;
  while (i < text.size() && !(IsDigit(text[i]) && (i == 0 || !IsDigit(text[i - 1])))) ++i;
  if (i >= text.size()) return std::nullopt;
  size_t j = i;
  while (j < text.size()) {
    if (IsDigit(text[j])) {
      ++j;
    } else if (size_t m = MarkAt(text, j); m > 0 && j + m < text.size() && IsDigit(text[j + m])) {
      j += m;
    } else if (size_t s = SpaceAt(text, j); s > 0 && DigitsThenEnd(text, j + s, 3)) {
      j += s;  // "1 234": a space only groups thousands
    } else {
      break;
    }
  }
  return NumberRun{i, j};
}

std::optional<DecimalReading> ReadDecimal(std::string_view run, std::string_view locale) {
  // Split into digit groups and the separators between them ('.', ',' or 'g' for
  // grouping-only marks: apostrophes and spaces).
  std::vector<std::string> groups(1);
  std::vector<char> seps;
  for (size_t i = 0; i < run.size();) {
    if (IsDigit(run[i])) {
      groups.back() += run[i++];
      continue;
    }
    size_t n = MarkAt(run, i);
    if (n == 0) n = SpaceAt(run, i);
    if (n == 0) return std::nullopt;
    seps.push_back(run[i] == '.' || run[i] == ',' ? run[i] : 'g');
    groups.emplace_back();
    i += n;
  }
  DecimalReading r;
  int decimal_at = -1;  // index into seps of the decimal mark
  if (!seps.empty()) {
    const int last = static_cast<int>(seps.size()) - 1;
    const char mark = seps[last];
    const std::string& tail = groups.back();
    int same = 0, other = 0;
    for (int k = 0; k < last; ++k) {
      if (seps[k] == mark) ++same;
      if (seps[k] != mark && seps[k] != 'g') ++other;
    }
    std::string m(1, mark);
    if (mark == 'g') {
      r.decision = "grouping only";
    } else if (other > 0) {
      decimal_at = last;
      r.decision = "decimal '" + m + "' after the other separator";
    } else if (same > 0) {
      r.decision = "repeated '" + m + "' groups thousands";
    } else if (tail.size() != 3) {
      decimal_at = last;
      r.decision = "decimal '" + m + "' (" + std::to_string(tail.size()) + " digit(s) after)";
    } else if (groups[groups.size() - 2] == "0") {
      decimal_at = last;
      r.decision = "decimal '" + m + "' after a leading 0";
    } else if (mark == ',' && DecimalCommaLocale(locale)) {
      decimal_at = last;
      r.decision = "lone ',' before 3 digits read as decimal by locale " + std::string(locale);
    } else {
      r.decision = "lone '" + m + "' before 3 digits read as thousands";
    }
  }
  // Grouped integer part: first group 1-3 digits, later groups exactly 3.
  const int int_groups = decimal_at < 0 ? static_cast<int>(groups.size()) : decimal_at + 1;
  for (int k = 0; k < int_groups; ++k) {
    size_t n = groups[k].size();
    if (int_groups > 1 && (k == 0 ? (n < 1 || n > 3) : n != 3)) return std::nullopt;
  }
  std::string integer;
  for (int k = 0; k < int_groups; ++k) integer += groups[k];
  size_t nz = integer.find_first_not_of('0');
  integer = nz == std::string::npos ? "0" : integer.substr(nz);
  r.value = integer;
  if (decimal_at >= 0) {
    r.value += "." + groups.back();
    r.decimals = static_cast<int>(groups.back().size());
  }
  return r;
}

}  // namespace internal

core::Result<NormalizedAmount> NormalizeAmount(std::string_view text, std::string_view locale) {
  std::optional<internal::NumberRun> run = internal::NextNumberRun(text, 0);
  std::optional<internal::DecimalReading> reading;
  if (run) reading = internal::ReadDecimal(text.substr(run->begin, run->end - run->begin), locale);
  if (!reading) {
    return core::InvalidArgument("amount_unparsed",
                                 "cannot read an amount from \"" + std::string(text) + "\"");
  }
  std::string_view before = text.substr(0, run->begin);
  std::string_view after = internal::Trim(text.substr(run->end));
  bool negative =
      (!after.empty() && internal::IsMinus(after, 0)) ||
      (before.find('(') != std::string_view::npos && after.find(')') != std::string_view::npos);
  for (size_t i = 0; i < before.size() && !negative; ++i) negative = internal::IsMinus(before, i);
  NormalizedAmount out;
  bool zero = reading->value.find_first_not_of("0.") == std::string::npos;
  out.value = (negative && !zero ? "-" : "") + reading->value;
  out.currency = DetectCurrency(text, locale);
  out.decision = reading->decision.empty() ? "integer" : reading->decision;
  if (negative) out.decision += "; negative";
  return out;
}

}  // namespace smartocr::extract
