// src/extract/amount_internal.h
//
// Pieces of amount reading shared by NormalizeAmount and FindAmounts: currency marks
// with their offsets, number runs ("1 234,56") and reading a run as a decimal.
// Private to src/extract.
#ifndef SMARTOCR_EXTRACT_AMOUNT_INTERNAL_H_
#define SMARTOCR_EXTRACT_AMOUNT_INTERNAL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smartocr::extract::internal {

struct CurrencyMark {
  size_t begin = 0;
  size_t end = 0;
  std::string code;  // ISO 4217
};

// Every currency symbol or code in `text`, in order.
std::vector<CurrencyMark> FindCurrencyMarks(std::string_view text, std::string_view locale);

// A run of digits with the separators an amount may hold between them ('.', ',', an
// apostrophe, or a space/NBSP/thin space before a three-digit group).
struct NumberRun {
  size_t begin = 0;
  size_t end = 0;
};
// The first run starting at or after `from` (a run never starts right after a digit).
std::optional<NumberRun> NextNumberRun(std::string_view text, size_t from);

struct DecimalReading {
  std::string value;     // unsigned plain decimal, e.g. "1234.56"
  int decimals = 0;      // digits after the point
  std::string decision;  // how the separators were read
};
// Reads the run's text as an unsigned decimal; nullopt when the separators make no
// sense (e.g. "1.2.3,4,5").
std::optional<DecimalReading> ReadDecimal(std::string_view run, std::string_view locale);

// True for locales that write decimals with a comma ("de", "fr-CH", "pl-PL").
bool DecimalCommaLocale(std::string_view locale);

}  // namespace smartocr::extract::internal

#endif  // SMARTOCR_EXTRACT_AMOUNT_INTERNAL_H_
