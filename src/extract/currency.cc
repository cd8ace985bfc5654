// src/extract/currency.cc
//
// Currency detection: symbols ("€", "RM", "zł"), prefixed dollars ("US$", "C$") and
// ISO 4217 codes, with the locale deciding ambiguous symbols ("$", "kr", "¥").
#include <string>
#include <string_view>
#include <vector>

#include "extract/amount_internal.h"
#include "extract/extract.h"
#include "extract/extract_internal.h"

namespace smartocr::extract {

namespace internal {
namespace {

// How a mark must stand in the text.
enum class Bound {
  kAnywhere,  // a symbol: "€5", "5€"
  kWord,      // letters: no ASCII letter directly before or after ("RM12" is fine)
};

struct MarkSpec {
  const char* text;
  const char* code;  // "" = decided by locale
  Bound bound;
};

// Longer marks first so "US$" wins over "$" and "RMB" over "RM".
// clang-format off
constexpr MarkSpec kMarks[] = {
    {"US$", "USD", Bound::kAnywhere}, {"CA$", "CAD", Bound::kAnywhere},
    {"AU$", "AUD", Bound::kAnywhere}, {"NZ$", "NZD", Bound::kAnywhere},
    {"HK$", "HKD", Bound::kAnywhere}, {"MX$", "MXN", Bound::kAnywhere},
    {"C$", "CAD", Bound::kWord},      {"A$", "AUD", Bound::kWord},
    {"S$", "SGD", Bound::kWord},      {"R$", "BRL", Bound::kWord},
    {"$", "", Bound::kAnywhere},      {"\xE2\x82\xAC", "EUR", Bound::kAnywhere},  // €
    {"\xC2\xA3", "GBP", Bound::kAnywhere},                                       // £
    {"\xC2\xA5", "", Bound::kAnywhere},                                          // ¥
    {"\xEF\xBF\xA5", "", Bound::kAnywhere},                                      // ￥
    {"\xE5\x85\x83", "CNY", Bound::kAnywhere},                                   // 元
    {"\xE2\x82\xB9", "INR", Bound::kAnywhere},                                   // ₹
    {"\xE2\x82\xA9", "KRW", Bound::kAnywhere},                                   // ₩
    {"\xE2\x82\xBD", "RUB", Bound::kAnywhere},                                   // ₽
    {"\xE2\x82\xBA", "TRY", Bound::kAnywhere},                                   // ₺
    {"\xE2\x82\xB1", "PHP", Bound::kAnywhere},                                   // ₱
    {"\xE2\x82\xAA", "ILS", Bound::kAnywhere},                                   // ₪
    {"\xE0\xB8\xBF", "THB", Bound::kAnywhere},                                   // ฿
    {"\xE2\x82\xAB", "VND", Bound::kAnywhere},                                   // ₫
    {"\xE2\x82\xA6", "NGN", Bound::kAnywhere},                                   // ₦
    {"z\xC5\x82", "PLN", Bound::kWord},                                          // zł
    {"Z\xC5\x81", "PLN", Bound::kWord},                                          // ZŁ
    {"K\xC4\x8D", "CZK", Bound::kWord},                                          // Kč
    {"RMB", "CNY", Bound::kWord},     {"RM", "MYR", Bound::kWord},
    {"Rs.", "", Bound::kWord},        {"Rs", "", Bound::kWord},
    {"RS.", "", Bound::kWord},        {"Rp", "IDR", Bound::kWord},
    {"kr.", "", Bound::kWord},        {"kr", "", Bound::kWord},
    {"Kr", "", Bound::kWord},         {"Ft", "HUF", Bound::kWord},
    {"lei", "RON", Bound::kWord},
};
// clang-format on

constexpr const char* kIsoCodes[] = {
    "USD", "EUR", "GBP", "JPY", "CNY", "INR", "MYR", "CHF", "PLN", "SEK", "NOK",
    "DKK", "ISK", "CAD", "AUD", "NZD", "SGD", "HKD", "BRL", "MXN", "KRW", "RUB",
    "TRY", "PHP", "ILS", "THB", "VND", "NGN", "CZK", "HUF", "RON", "IDR", "ZAR",
    "AED", "SAR", "QAR", "KWD", "BHD", "OMR", "EGP", "PKR", "LKR", "BDT", "TWD",
    "BGN", "UAH", "KES", "GHS", "MAD", "TND", "COP", "CLP", "PEN", "ARS",
};

std::string Language(std::string_view locale) {
  std::string s = LatinLower(locale);
  size_t cut = s.find_first_of("-_");
  return cut == std::string::npos ? s : s.substr(0, cut);
}

std::string Region(std::string_view locale) {
  std::string s = AsciiUpper(locale);
  size_t cut = s.find_first_of("-_");
  return cut == std::string::npos ? "" : s.substr(cut + 1, 2);
}

std::string ByLocale(std::string_view mark, std::string_view locale) {
  std::string lang = Language(locale), region = Region(locale);
  if (mark == "$") {
    static constexpr std::pair<const char*, const char*> kDollars[] = {
        {"CA", "CAD"}, {"AU", "AUD"}, {"NZ", "NZD"}, {"SG", "SGD"},
        {"HK", "HKD"}, {"MX", "MXN"}, {"TW", "TWD"}};
    for (const auto& [r, code] : kDollars) {
      if (region == r) return code;
    }
    return "USD";
  }
  if (mark[0] == 'R') {  // Rs
    if (region == "PK") return "PKR";
    if (region == "LK") return "LKR";
    return "INR";
  }
  if (mark[0] == 'k' || mark[0] == 'K') {  // kr
    if (lang == "da" || region == "DK") return "DKK";
    if (lang == "nb" || lang == "nn" || lang == "no" || region == "NO") return "NOK";
    if (lang == "is" || region == "IS") return "ISK";
    return "SEK";  // the largest "kr" economy
  }
  // ¥
  return lang == "zh" || region == "CN" ? "CNY" : "JPY";
}

bool LetterAt(std::string_view text, size_t i) { return i < text.size() && IsAsciiAlpha(text[i]); }

}  // namespace

std::vector<CurrencyMark> FindCurrencyMarks(std::string_view text, std::string_view locale) {
  std::vector<CurrencyMark> out;
  size_t i = 0;
  while (i < text.size()) {
    bool found = false;
    bool word_start = i == 0 || !IsAsciiAlpha(text[i - 1]);
    for (const MarkSpec& m : kMarks) {
      std::string_view mark = m.text;
      if (text.compare(i, mark.size(), mark) != 0) continue;
      size_t end = i + mark.size();
      if (m.bound == Bound::kWord &&
          (!word_start || (IsAsciiAlpha(mark.back()) && LetterAt(text, end)))) {
        continue;
      }
      std::string code = *m.code ? m.code : ByLocale(mark, locale);
      out.push_back({i, end, code});
      i = end;
      found = true;
      break;
    }
    if (found) continue;
    if (word_start && i + 3 <= text.size() && !LetterAt(text, i + 3)) {
      for (const char* code : kIsoCodes) {
        if (text.compare(i, 3, code) == 0) {
          out.push_back({i, i + 3, code});
          i += 3;
          found = true;
          break;
        }
      }
    }
    if (!found) ++i;
  }
  return out;
}

}  // namespace internal

std::string DetectCurrency(std::string_view text, std::string_view locale) {
  std::vector<internal::CurrencyMark> marks = internal::FindCurrencyMarks(text, locale);
  return marks.empty() ? "" : marks.front().code;
}

}  // namespace smartocr::extract
