// src/extract/patterns.cc
//
// Pattern finders for amounts, dates, invoice numbers, emails and phone numbers.
// Each returns matches in text order with byte offsets, for the extraction rules to
// pick from by position and label.
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "extract/amount_internal.h"
#include "extract/date_tokens.h"
#include "extract/extract.h"
#include "extract/extract_internal.h"

namespace smartocr::extract {
namespace {

using internal::IsAsciiAlnum;
using internal::IsDigit;

bool OnlySpaces(std::string_view s) {
  for (char c : s) {
    if (c != ' ') return false;
  }
  return s.size() <= 2;
}

PatternMatch Make(PatternKind kind, std::string_view text, size_t b, size_t e,
                  std::string normalized, double confidence) {
  return {kind, b, e, std::string(text.substr(b, e - b)), std::move(normalized), confidence};
}

}  // namespace

const char* PatternKindName(PatternKind kind) {
  switch (kind) {
    case PatternKind::kAmount:
      return "amount";
    case PatternKind::kDate:
      return "date";
    case PatternKind::kInvoiceNumber:
      return "invoice_number";
    case PatternKind::kVatId:
      return "vat_id";
    case PatternKind::kIban:
      return "iban";
    case PatternKind::kEmail:
      return "email";
    case PatternKind::kPhone:
      return "phone";
  }
  return "amount";
}

std::vector<PatternMatch> FindAmounts(std::string_view text, std::string_view locale) {
  std::vector<PatternMatch> out;
  std::vector<internal::CurrencyMark> marks = internal::FindCurrencyMarks(text, locale);
  size_t from = 0;
  // Reads [b, e) as an amount; false when it is none.
  auto consider = [&](size_t b, size_t e) {
    // A currency mark right before or after (at most two spaces between).
    const internal::CurrencyMark* mark = nullptr;
    for (const internal::CurrencyMark& m : marks) {
      if ((m.end <= b && OnlySpaces(text.substr(m.end, b - m.end))) ||
          (m.begin >= e && OnlySpaces(text.substr(e, m.begin - e)))) {
        mark = &m;
      }
    }
    // Part of a date, time, code or longer token: "03/02", "12:30", "A12".
    char prev = b > 0 ? text[b - 1] : ' ';
    char next = e < text.size() ? text[e] : ' ';
    bool glued_before = (prev == '/' || prev == ':' || prev == '.' || prev == '-') && b >= 2 &&
                        IsDigit(text[b - 2]);
    bool glued_after = (next == '/' || next == ':' || next == '-' || next == '.') &&
                       e + 1 < text.size() && IsDigit(text[e + 1]);
    bool letter_before = internal::IsAsciiAlpha(prev) && !(mark && mark->end == b);
    bool letter_after = internal::IsAsciiAlpha(next) && !(mark && mark->begin == e);
    if (glued_before || glued_after || letter_before || letter_after) return false;
    std::optional<internal::DecimalReading> reading =
        internal::ReadDecimal(text.substr(b, e - b), locale);
    if (!reading || (reading->decimals != 2 && mark == nullptr)) return false;
    // Widen over the currency mark and sign so the normalizer sees them.
    size_t mb = b, me = e;
    if (mark) {
      mb = std::min(mb, mark->begin);
      me = std::max(me, mark->end);
    }
    if (mb > 0 && (text[mb - 1] == '-' || text[mb - 1] == '(')) --mb;
    if (me < text.size() && (text[me] == ')' || (text[me] == '-' && (me + 1 == text.size() ||
                                                                     !IsDigit(text[me + 1]))))) {
      ++me;
    }
    core::Result<NormalizedAmount> amount = NormalizeAmount(text.substr(mb, me - mb), locale);
    if (!amount.ok()) return false;
    double confidence = mark && reading->decimals == 2 ? 0.9 : mark ? 0.8 : 0.7;
    out.push_back(Make(PatternKind::kAmount, text, mb, me, amount->value, confidence));
    return true;
  };
  while (std::optional<internal::NumberRun> run = internal::NextNumberRun(text, from)) {
    from = run->end;
    if (consider(run->begin, run->end)) continue;
    // Numbers in columns ("3 40.00 120.00") are no one amount with space-grouped
    // thousands: read the pieces.
    size_t b = run->begin;
    while (b < run->end) {
      size_t space = text.find(' ', b);
      size_t e = space == std::string_view::npos || space > run->end ? run->end : space;
      if (e > b) consider(b, e);
      b = e + 1;
    }
  }
  return out;
}

std::vector<PatternMatch> FindDates(std::string_view text, const DateOptions& options) {
  std::vector<PatternMatch> out;
  std::vector<internal::DateToken> tokens = internal::TokenizeForDates(text);
  auto gap = [&](size_t k) {  // text between tokens k-1 and k
    return text.substr(tokens[k - 1].end, tokens[k].begin - tokens[k - 1].end);
  };
  auto numeric_glue = [&](size_t k) {  // tokens k-1 and k are numbers joined by one mark
    std::string_view g = gap(k);
    return tokens[k - 1].number && tokens[k].number && g.size() == 1 &&
           (g[0] == '.' || g[0] == '/' || g[0] == '-' || g[0] == ':');
  };
  constexpr size_t kMaxTokens = 7;
  for (size_t i = 0; i < tokens.size();) {
    const internal::DateToken& t = tokens[i];
    bool can_start =
        t.number || internal::MonthFromName(t.text) > 0 || internal::IsWeekdayName(t.text);
    bool found = false;
    if (can_start && !(i > 0 && numeric_glue(i))) {
      for (size_t len = std::min(kMaxTokens, tokens.size() - i); len >= 1 && !found; --len) {
        size_t end = i + len;
        bool tight = true;
        for (size_t k = i + 1; k < end && tight; ++k) {
          std::string_view g = gap(k);
          tight = g.size() <= 4 && g.find('\n') == std::string_view::npos;
        }
        if (!tight || (end < tokens.size() && numeric_glue(end))) continue;
        std::string reason;
        std::optional<NormalizedDate> d =
            internal::ReadDate(text, tokens, i, end, options, &reason);
        if (!d) continue;
        out.push_back(
            Make(PatternKind::kDate, text, t.begin, tokens[end - 1].end, d->iso, d->confidence));
        i = end;
        found = true;
      }
    }
    if (!found) ++i;
  }
  return out;
}

std::vector<PatternMatch> FindInvoiceNumbers(std::string_view text) {
  // The label, an optional "No."/"Nr."/"#" and a colon, then the value.
  static const std::regex kLabelled(
      R"((?:^|[^A-Za-z])(?:invoice|inv|bill|receipt|rechnungsnummer|rechnungs-?nr|rechnung|)"
      R"(facture|factura|fattura|document|doc)\.?[ \t]*)"
      R"((?:no\.?|number|num\.?|nr\.?|n\xC2\xB0|n\xC2\xBA|#|id)?[ \t]*[:#.]?[ \t]*)"
      R"(([A-Za-z0-9][A-Za-z0-9/_.\-]*[A-Za-z0-9]|[0-9]))",
      std::regex::icase | std::regex::ECMAScript);
  std::vector<PatternMatch> out;
  std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), kLabelled); it != std::sregex_iterator();
       ++it) {
    const std::smatch& m = *it;
    std::string value = m.str(1);
    bool has_digit = value.find_first_of("0123456789") != std::string::npos;
    if (!has_digit) continue;
    size_t b = static_cast<size_t>(m.position(1));
    out.push_back(Make(PatternKind::kInvoiceNumber, text, b, b + value.size(), value, 0.8));
  }
  return out;
}

std::vector<PatternMatch> FindEmails(std::string_view text) {
  static const std::regex kEmail(
      R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})");
  std::vector<PatternMatch> out;
  std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), kEmail); it != std::sregex_iterator();
       ++it) {
    size_t b = static_cast<size_t>(it->position(0));
    out.push_back(Make(PatternKind::kEmail, text, b, b + it->length(0),
                       internal::LatinLower(it->str(0)), 0.95));
  }
  return out;
}

std::vector<PatternMatch> FindPhones(std::string_view text) {
  static const std::regex kPhone(
      R"((\+[0-9]{1,3}[ .\-]?)?(\([0-9]{1,5}\)[ .\-]?)?[0-9]{2,12}(?:[ .\-][0-9]{1,12}){0,4})");
  static const std::regex kLabel(
      R"((?:tel|phone|fax|mobile|mob|telefon|t\xC3\xA9l|hp)\.?\s*:?\s*$)", std::regex::icase);
  std::vector<PatternMatch> out;
  std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), kPhone); it != std::sregex_iterator();
       ++it) {
    const std::smatch& m = *it;
    size_t b = static_cast<size_t>(m.position(0)), e = b + m.length(0);
    char prev = b > 0 ? s[b - 1] : ' ';
    char next = e < s.size() ? s[e] : ' ';
    if (IsAsciiAlnum(prev) || prev == '.' || prev == ',' || IsAsciiAlnum(next)) continue;
    if (next == ',' && e + 1 < s.size() && IsDigit(s[e + 1])) continue;  // an amount
    std::string digits;
    int separators = 0;
    for (char c : m.str(0)) {
      if (IsDigit(c)) digits += c;
      if (c == ' ' || c == '-' || c == '.') ++separators;
    }
    if (digits.size() < 7 || digits.size() > 15) continue;
    bool international = m[1].matched, area = m[2].matched;
    size_t look = b >= 20 ? b - 20 : 0;
    bool labelled = std::regex_search(s.substr(look, b - look), kLabel);
    bool spaced = separators >= 2 && digits.size() >= 9;
    if (!(international || area || labelled || spaced)) continue;
    if (NormalizeDate(m.str(0)).ok()) continue;
    double confidence = international || labelled ? 0.9 : 0.6;
    out.push_back(
        Make(PatternKind::kPhone, text, b, e, (international ? "+" : "") + digits, confidence));
  }
  return out;
}

}  // namespace smartocr::extract
