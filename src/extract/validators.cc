// src/extract/validators.cc
//
// Validators: IBAN, MRZ, date plausibility, amount consistency, required fields.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extract.h"
#include "extract/extract_internal.h"

namespace smartocr::extract {
namespace {

using internal::IsDigit;
using internal::IsUpper;

struct IbanLength {
  const char* country;
  int length;
};

// ISO 13616 registry (SWIFT IBAN registry), the countries most seen on invoices.
constexpr IbanLength kIbanLengths[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BR", 29}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DK", 18},
    {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22},
    {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22},
    {"IL", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LI", 21},
    {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MR", 27},
    {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25},
    {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27},
    {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VG", 24}, {"XK", 20},
};

int IbanLengthOf(std::string_view country) {
  for (const IbanLength& e : kIbanLengths) {
    if (country == e.country) return e.length;
  }
  return 0;
}

Validation Make(Validity status, std::string detail, double confidence) {
  return {status, std::move(detail), confidence};
}

std::string Money(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.2f", v);
  return buf;
}

// Rounding slack for a sum of `terms` printed amounts: a cent each.
double LineTolerance(int terms) { return 0.01 * terms + 1e-9; }

// Slack for a document total: tax and discounts are often rounded once on the total
// (or per rate), so 0.5% of it is allowed as well.
double TotalTolerance(double total, int terms) {
  return std::max(LineTolerance(terms), 0.005 * std::fabs(total) + 1e-9);
}

}  // namespace

const char* ValidityName(Validity validity) {
  switch (validity) {
    case Validity::kValid:
      return "valid";
    case Validity::kInvalid:
      return "invalid";
    case Validity::kUnchecked:
      return "unchecked";
  }
  return "unchecked";
}

Validation ValidateIban(std::string_view iban) {
  std::string s;
  for (char c : internal::AsciiUpper(iban)) {
    if (c != ' ' && c != '-') s += c;
  }
  if (s.rfind("IBAN", 0) == 0) s.erase(0, 4);
  if (s.empty()) return Make(Validity::kUnchecked, "empty", 0);
  if (s.size() < 15 || s.size() > 34 || !IsUpper(s[0]) || !IsUpper(s[1]) || !IsDigit(s[2]) ||
      !IsDigit(s[3])) {
    return Make(Validity::kInvalid, "not an IBAN shape", 0);
  }
  for (char c : s) {
    if (!IsDigit(c) && !IsUpper(c)) return Make(Validity::kInvalid, "bad character", 0);
  }
  int expected = IbanLengthOf(s.substr(0, 2));
  if (expected > 0 && static_cast<int>(s.size()) != expected) {
    return Make(Validity::kInvalid,
                "length " + std::to_string(s.size()) + " != " + std::to_string(expected) + " for " +
                    s.substr(0, 2),
                0);
  }
  // Move the first four characters to the end, letters -> 10..35, mod 97 digit by digit.
  std::string rotated = s.substr(4) + s.substr(0, 4);
  int rem = 0;
  for (char c : rotated) {
    int v = IsDigit(c) ? c - '0' : c - 'A' + 10;
    rem = (v >= 10 ? rem * 100 : rem * 10) + v;
    rem %= 97;
  }
  if (rem != 1) return Make(Validity::kInvalid, "mod-97 check failed", 0);
  if (expected == 0) return Make(Validity::kValid, "mod-97 ok; country length unknown", 0.8);
  return Make(Validity::kValid, "mod-97 ok", 1.0);
}

Validation ValidateDate(std::string_view iso, const Date& today, const DateWindow& window) {
  if (internal::IsBlank(iso)) return Make(Validity::kUnchecked, "empty", 0);
  std::optional<Date> d = ParseIsoDate(iso);
  if (!d) return Make(Validity::kInvalid, "not a valid YYYY-MM-DD date", 0);
  if (!IsValidDate(today)) return Make(Validity::kUnchecked, "no reference date", 0.5);
  // Compare as whole dates so Feb 29 and month ends need no special case.
  Date earliest{today.year - window.max_years_past, today.month, today.day};
  Date latest{today.year + window.max_years_future, today.month, today.day};
  if (*d < earliest) {
    return Make(Validity::kInvalid,
                "more than " + std::to_string(window.max_years_past) + " years in the past", 0);
  }
  if (*d > latest) {
    return Make(Validity::kInvalid,
                "more than " + std::to_string(window.max_years_future) + " years in the future", 0);
  }
  return Make(Validity::kValid, "valid date within window", 1.0);
}

Validation ValidateAmounts(const AmountSet& amounts) {
  std::vector<std::string> problems;
  int compared = 0;
  const int n = static_cast<int>(amounts.line_items.size());
  double items = 0;
  for (double v : amounts.line_items) items += v;
  if (n > 0 && amounts.subtotal) {
    ++compared;
    if (std::fabs(items - *amounts.subtotal) > LineTolerance(n)) {
      problems.push_back("line items " + Money(items) + " != subtotal " + Money(*amounts.subtotal));
    }
  }
  if (amounts.total) {
    double tax = amounts.tax.value_or(0);
    int tax_terms = amounts.tax ? 1 : 0;
    if (amounts.subtotal) {
      ++compared;
      double sum = *amounts.subtotal + tax;
      if (std::fabs(sum - *amounts.total) > TotalTolerance(*amounts.total, 1 + tax_terms)) {
        problems.push_back("subtotal + tax " + Money(sum) + " != total " + Money(*amounts.total));
      }
    } else if (n > 0) {
      ++compared;
      double sum = items + tax;
      if (std::fabs(sum - *amounts.total) > TotalTolerance(*amounts.total, n + tax_terms)) {
        problems.push_back("line items + tax " + Money(sum) + " != total " + Money(*amounts.total));
      }
    }
  }
  if (compared == 0) return Make(Validity::kUnchecked, "nothing to compare", 0.5);
  if (problems.empty()) {
    return Make(Validity::kValid, std::to_string(compared) + " sum(s) consistent", 1.0);
  }
  std::string detail;
  for (const std::string& p : problems) detail += (detail.empty() ? "" : "; ") + p;
  return Make(Validity::kInvalid, detail,
              0.5 * static_cast<double>(compared - static_cast<int>(problems.size())) / compared);
}

Validation ValidateRequired(const std::map<std::string, std::string>& fields,
                            const std::vector<std::string>& required) {
  if (required.empty()) return Make(Validity::kValid, "nothing required", 1.0);
  std::string missing;
  int present = 0;
  for (const std::string& name : required) {
    auto it = fields.find(name);
    if (it != fields.end() && !internal::IsBlank(it->second)) {
      ++present;
    } else {
      missing += (missing.empty() ? "" : ", ") + name;
    }
  }
  double fraction = static_cast<double>(present) / static_cast<double>(required.size());
  if (missing.empty()) return Make(Validity::kValid, "all required fields present", 1.0);
  return Make(Validity::kInvalid, "missing: " + missing, fraction);
}

}  // namespace smartocr::extract
