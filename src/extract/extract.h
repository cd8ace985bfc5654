// src/extract/extract.h
//
// Extract: the deterministic building blocks of field extraction. Pure functions, no
// I/O, no clock (callers pass `today`), so every result is reproducible:
//   - MRZ (ICAO 9303): check digits, parsing of TD1/TD2/TD3/MRV-A/MRV-B into fields,
//     OCR confusion repair guided by the check digits, and finding MRZ lines in OCR text.
//   - Validators: IBAN, MRZ, dates, amount consistency, required fields. Each returns
//     a Validation {valid|invalid|unchecked, detail, confidence}.
//   - Normalizers: dates to ISO 8601 (with a recorded day/month decision), amounts to
//     plain decimal strings, currencies to ISO 4217 codes.
//   - Pattern finders over text: amounts, dates, invoice numbers, VAT ids, IBANs,
//     emails, phone numbers, with byte offsets into the UTF-8 text.
//
//   extract::MrzOptions opts{.today = {2024, 6, 1}};
//   core::Result<extract::MrzFields> mrz = extract::ParseMrz(lines, opts);
//   if (mrz.ok() && mrz->all_checks_valid) Use(mrz->document_number);
//
// Thread safety: free functions over values, no shared mutable state.
#ifndef SMARTOCR_EXTRACT_EXTRACT_H_
#define SMARTOCR_EXTRACT_EXTRACT_H_

#include <compare>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace smartocr::extract {

// ---------------------------------------------------------------------------------------
// Calendar dates.

// A proleptic Gregorian date; {0,0,0} means "unknown".
struct Date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
  // clang-tidy 14 misreads a defaulted <=> as a 0 literal compared to a pointer.
  auto operator<=>(const Date&) const = default;  // NOLINT(modernize-use-nullptr)
};

// True when the date exists (year 1..9999, month 1..12, day within the month).
bool IsValidDate(const Date& date);
// "YYYY-MM-DD". Requires: IsValidDate(date).
std::string FormatIsoDate(const Date& date);
// Strict "YYYY-MM-DD" (surrounding whitespace allowed); nullopt when malformed or invalid.
std::optional<Date> ParseIsoDate(std::string_view text);

// ---------------------------------------------------------------------------------------
// MRZ (ICAO 9303).

enum class MrzType { kTd1, kTd2, kTd3, kMrvA, kMrvB };
// "TD1", "TD2", "TD3", "MRVA", "MRVB" (the spelling of the shared labels).
const char* MrzTypeName(MrzType type);

// ICAO check digit of `s`: weights 7,3,1 repeating; '0'-'9' = 0-9, 'A'-'Z' = 10-35,
// '<' = 0. Returns 0..9, or -1 when `s` holds any other character.
int MrzCheckDigit(std::string_view s);

// One verified check digit.
struct MrzCheck {
  std::string name;    // "document_number", "birth_date", "expiry_date",
                       // "personal_number" (TD3 only), "composite"
  char printed = '<';  // the check character on the document (after repair)
  int computed = -1;   // the digit computed from the covered characters; -1: bad chars
  bool valid = false;  // printed == computed ('<' counts as 0)
};

// One character changed by repair. `line` and `column` are 0-based, counted in
// characters (code points) of the normalized line.
struct MrzRepair {
  int line = 0;
  int column = 0;
  std::string from;
  std::string to;
  bool check_guided = false;  // chosen because it made a check digit pass
};

struct MrzFields {
  MrzType type = MrzType::kTd3;
  std::vector<std::string> lines;  // the lines after normalization and repair
  std::string document_type;       // "P", "ID", "V", ... ('<' fillers removed)
  std::string issuing_country;     // "UTO"
  std::string surname;             // "ERIKSSON"; '<' inside -> ' '
  std::string given_names;         // "ANNA MARIA"; "" when the name has no "<<"
  std::string document_number;     // fillers removed; TD1 long numbers joined
  std::string nationality;
  std::string birth_date;          // ISO 8601, "" when not a valid date
  std::string birth_date_raw;      // YYMMDD as printed
  std::string sex;                 // "M", "F", or "X" (for '<' or 'X')
  std::string expiry_date;         // ISO 8601, "" when not a valid date
  std::string expiry_date_raw;     // YYMMDD as printed
  std::string personal_number;     // optional data 1 (TD3 personal number), fillers removed
  std::string optional_data_2;     // TD1 line 2 optional data, fillers removed
  std::vector<MrzCheck> checks;    // in order: number, birth, expiry, [personal], [composite]
  std::vector<MrzRepair> repairs;  // in line/column order
  bool all_checks_valid = false;
};

struct MrzOptions {
  // Reference date for expanding two-digit years. Requires: IsValidDate(today).
  Date today;
  // Repair OCR confusions (O/0, I/1, ...) where the position's type or the check
  // digits decide them.
  bool repair = true;
  // At most this many characters changed per field in check-guided search.
  int max_changes_per_field = 2;
  // And at most this many over the whole MRZ: with two per field over four or five
  // fields, wrong text can be searched into passing every check. A reading that needs
  // more stays as read and reports its failing checks.
  int max_changes_total = 3;
};

// Parses 3x30 (TD1), 2x36 (TD2, or MRV-B when the line starts with 'V') or 2x44 (TD3,
// or MRV-A) lines. Whitespace is removed, ASCII letters upper-cased; non-ASCII
// characters are kept (and fail any check that covers them). A document whose check
// digits fail is still returned, with all_checks_valid = false.
// Birth YY: the latest century not after options.today. Expiry YY: 20YY unless that
// is more than 30 years after today (then 19YY).
// Fails with kInvalidArgument: "mrz_shape" (line count/length fits no format),
// "mrz_today" (options.today invalid).
core::Result<MrzFields> ParseMrz(const std::vector<std::string>& lines, const MrzOptions& options);

// Picks the MRZ block out of OCR text lines: 2 or 3 consecutive lines that, after
// removing spaces, are 30/36/44 characters (+-2) of mostly [A-Z0-9<] with frequent '<'.
// Returned lines are normalized: spaces removed, upper-cased, '«' -> "<<", '‹' -> '<',
// runs of 'K'/'<' at a line end read as fillers, and padded/cut to the exact width.
// Returns {} when no block is found.
std::vector<std::string> FindMrzLines(const std::vector<std::string>& lines);

// OCR-B prints each character identically, so positions that show the same glyph hold
// the same character. `glyph_ids` gives, per line and position, an id shared by the
// positions that look the same on the image (-1: unknown). Positions whose class fixes
// the kind of character (dates and check digits: digits; names and countries: letters)
// tell what each glyph is; document number and optional data positions, where letters
// and digits are both allowed and OCR confuses O/0, S/5, B/8 ..., take that character;
// so do positions whose reading their class forbids (a digit in a name).
// A glyph needs at least two thirds of the votes. Lines that are no MRZ shape, or ids
// that do not match them, leave the lines as they are.
std::vector<std::string> HarmonizeMrzGlyphs(const std::vector<std::string>& lines,
                                            const std::vector<std::vector<int>>& glyph_ids);

// The share of the positions of MRZ `lines` (as read, no repair) whose character its
// ICAO 9303 position allows: a digit in a date (not '<': a row of fillers read from
// anything is no date), a letter or '<' in a name, ...; 0 for
// lines of no MRZ shape. A real MRZ read poorly still scores high; text read upside
// down or sideways, whatever the recognizer's whitelist, does not.
double MrzClassConformity(const std::vector<std::string>& lines);

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

// The MRZ's check digits: valid when all pass (confidence lowered a little per repair).
Validation ValidateMrz(const MrzFields& mrz);

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
