// src/extract/extract.h
//
// Extract: the deterministic building blocks of field extraction. Pure functions, no
// I/O, no clock (callers pass `today`), so every result is reproducible:
//   - Validators: IBAN, dates, amount consistency, required fields. Each returns a
//     Validation {valid|invalid|unchecked, detail, confidence}. (MRZ fields are judged
//     by mrz::AssessMrz, which adds "checks_pass_unconfirmed".)
//   - Normalizers: dates to ISO 8601 (with a recorded day/month decision), amounts to
//     plain decimal strings, currencies to ISO 4217 codes.
//   - Pattern finders over text: amounts, dates, invoice numbers, VAT ids, IBANs,
//     emails, phone numbers, with byte offsets into the UTF-8 text.
//
//   extract::Validation iban = extract::ValidateIban("DE89 3704 0044 0532 0130 00");
//   if (iban.status == extract::Validity::kValid) Use(iban);
//
// Thread safety: free functions over values, no shared mutable state.
#ifndef SMARTOCR_EXTRACT_EXTRACT_H_
#define SMARTOCR_EXTRACT_EXTRACT_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace smartocr::extract {

// ---------------------------------------------------------------------------------------
// Calendar dates (core/date.h).

using core::Date;
using core::FormatIsoDate;
using core::IsValidDate;

// Strict "YYYY-MM-DD" (surrounding whitespace allowed); nullopt when malformed or invalid.
std::optional<Date> ParseIsoDate(std::string_view text);

// ---------------------------------------------------------------------------------------
// Validators.

enum class Validity { kValid, kInvalid, kUnchecked };
const char* ValidityName(Validity validity);  // "valid", "invalid", "unchecked"

struct Validation {
  Validity status = Validity::kUnchecked;
  std::string detail;       // short, human-readable why
  double confidence = 0.0;  // [0,1]: how much the value can be trusted given the check
};

// ISO 13616 IBAN: spaces/hyphens ignored, case folded; the length must fit the country
// (table of ~70 countries; an unknown country is checked by mod-97 alone, with lower
// confidence); mod-97 must be 1. Empty input -> unchecked.
Validation ValidateIban(std::string_view iban);

// How far from `today` a date may lie and still be plausible.
struct DateWindow {
  int max_years_past = 120;
  int max_years_future = 50;
};
// `iso` must be a real "YYYY-MM-DD" date within the window around `today`.
// Empty -> unchecked.
Validation ValidateDate(std::string_view iso, const Date& today, const DateWindow& window = {});

// Amounts of one document. Absent values are simply not compared.
struct AmountSet {
  std::vector<double> line_items;
  std::optional<double> subtotal;
  std::optional<double> tax;
  std::optional<double> total;
};
// Checks sum(line_items) ~ subtotal and subtotal + tax ~ total (items + tax ~ total when
// there is no subtotal). Tolerance: 0.01 per summed term (each printed amount is
// rounded) for items vs subtotal; for comparisons with the total, the larger of that
// and 0.5% of the total (tax and discounts rounded once on the document).
// Nothing comparable -> unchecked.
Validation ValidateAmounts(const AmountSet& amounts);

// One item row: quantity x unit price = amount, to the cent plus a little for unit
// prices printed rounded (tunables.h).
bool ItemRowAddsUp(double quantity, double unit_price, double amount);

// Valid when every name in `required` maps to a non-blank value. Confidence is the
// fraction present.
Validation ValidateRequired(const std::map<std::string, std::string>& fields,
                            const std::vector<std::string>& required);

// ---------------------------------------------------------------------------------------
// Normalizers.

struct DateOptions {
  // BCP 47-ish hint ("en-US", "de-DE", "fr"). "en-US" (and other *-US) reads numeric
  // dates month-first; everything else day-first.
  std::string locale;
  // Reference for two-digit years: the century putting the year in (today-80, today+20].
  // Unknown ({0,0,0}): 00-69 -> 20YY, 70-99 -> 19YY.
  Date today;
};

struct NormalizedDate {
  Date date;
  std::string iso;        // "2024-02-03"
  std::string decision;   // e.g. "ambiguous: day-first by locale", "unambiguous: 13 > 12"
  double confidence = 0;  // 1 when unambiguous, lower when the order was guessed
};

// Reads one date written in a common format: "2024-02-03", "03/02/2024", "3.2.24",
// "20240203", "Feb 3, 2024", "3 February 2024", "03-FEB-2024", "3. März 2024",
// "1er février 2024" (English, German, French month names). Weekday names and ordinal
// suffixes are ignored. Fails with kInvalidArgument: "date_unparsed" (not a date
// shape), "date_invalid" (no valid reading, e.g. 31/02/2024).
core::Result<NormalizedDate> NormalizeDate(std::string_view text, const DateOptions& options = {});

struct NormalizedAmount {
  std::string value;     // plain decimal: optional '-', digits, optional '.' and digits
  std::string currency;  // ISO 4217 when a symbol or code was present, else ""
  std::string decision;  // how the separators were read, e.g. "decimal comma"
};

// Reads an amount: "1.234,56", "1,234.56", "1 234,56", "1'234.56" -> "1234.56";
// "(12.00)", "-12.00", "12.00-", "−12.00" -> "-12.00"; "RM 12.50" -> "12.50" MYR;
// "€5" -> "5" EUR; "12,5" -> "12.5". A lone separator followed by exactly three digits
// is a thousands separator, unless the locale writes decimals with that character
// and it is a comma ("1,234" is 1.234 in "de").
// Fails with kInvalidArgument "amount_unparsed" when no number is found.
core::Result<NormalizedAmount> NormalizeAmount(std::string_view text, std::string_view locale = "");

// ISO 4217 code of the first currency symbol or code in `text`, or "" if none:
// "$" (USD; CAD/AUD/... by locale region), "US$", "C$", "A$", "€", "£", "¥" (JPY; CNY
// for zh), "RM" (MYR), "CHF", "zł"/"PLN", "Rs"/"₹" (INR), "kr" (SEK; DKK/NOK/ISK by
// locale), and any known three-letter code.
std::string DetectCurrency(std::string_view text, std::string_view locale = "");

// ---------------------------------------------------------------------------------------
// Pattern finders. Offsets are bytes into the UTF-8 text: text.substr(begin, end - begin).

enum class PatternKind { kAmount, kDate, kInvoiceNumber, kVatId, kIban, kEmail, kPhone };
const char* PatternKindName(PatternKind kind);  // "amount", "date", "invoice_number", ...

struct PatternMatch {
  PatternKind kind = PatternKind::kAmount;
  size_t begin = 0;
  size_t end = 0;
  std::string text;        // the matched text as written
  std::string normalized;  // amount "1234.56", date ISO, compact VAT/IBAN, E.164-ish phone
  double confidence = 0;   // [0,1]: checksum/shape certainty
};

// Amounts with two decimals, or with a currency symbol/code beside them; not parts of
// dates, times or longer digit runs.
std::vector<PatternMatch> FindAmounts(std::string_view text, std::string_view locale = "");
// Dates in any format NormalizeDate reads.
std::vector<PatternMatch> FindDates(std::string_view text, const DateOptions& options = {});
// Values after an invoice label ("Invoice No:", "Rechnung Nr.", "Facture n°", "Inv #");
// the value must contain a digit. The match covers the value only.
std::vector<PatternMatch> FindInvoiceNumbers(std::string_view text);
// EU VAT ids (and GB/XI), shape checked per country prefix; spaces, dots and hyphens
// inside are allowed and removed in `normalized`.
std::vector<PatternMatch> FindVatIds(std::string_view text);
// IBANs, printed compact or in groups of four; confidence 1 when mod-97 passes.
std::vector<PatternMatch> FindIbans(std::string_view text);
std::vector<PatternMatch> FindEmails(std::string_view text);
// Phone numbers of 7-15 digits, international (+...) or with separators/area code in
// parentheses; dates and amounts are not phone numbers.
std::vector<PatternMatch> FindPhones(std::string_view text);

}  // namespace smartocr::extract

#endif  // SMARTOCR_EXTRACT_EXTRACT_H_
