// src/mrz/internal/repair.h
//
// OCR confusion repair of MRZ text: by position class, by the codes a field may hold,
// and by the check digits. Private to src/mrz.
#ifndef SMARTOCR_MRZ_INTERNAL_REPAIR_H_
#define SMARTOCR_MRZ_INTERNAL_REPAIR_H_

#include <string>
#include <string_view>
#include <vector>

#include "mrz/internal/layout.h"

namespace smartocr::mrz::internal {

// Whether `code` (three characters, '<'-padded: "D<<") is an issuing state or
// nationality code of ICAO Doc 9303 (ISO 3166-1 alpha-3 and ICAO's additions).
bool IsMrzCountryCode(std::string_view code);

// Letters OCR-B glyphs are mistaken for, at small sizes, by the letter they look like
// ("DQC" for 'O'); "" for none.
std::string_view LookAlikes(char c);

// Whether a listed code is one look-alike letter away from `code`: the code list
// cannot tell them apart ("GBR" and "GBP", 'R' and 'P'; "UTO" has none).
bool HasListedLookAlike(std::string_view code);

// A letter code at `span` that is no such code becomes the one code that a single
// look-alike letter makes of it ("GER" -> "GBR"); left as is when none or several do,
// or when it holds digits (some specimens print a numeric nationality).
void RepairCountryCode(const Span& span, MrzText& text);

// A document code whose first letter the layout does not allow ('T' for an ID card's
// 'I') becomes the one allowed letter a look-alike gives; left as is otherwise.
void RepairDocumentCode(const MrzLayout& layout, MrzText& text);

// The character OCR-B confusion says a glyph was: a letter read where a digit belongs
// ("O" -> "0"), a digit read where a letter belongs ("0" -> "O"); "" when none.
std::string LetterToDigit(const std::string& g);
std::string DigitToLetter(const std::string& g);
// Every reading an alphanumeric position may have had, besides the one seen.
std::vector<std::string> Alternatives(const std::string& g);

// Repairs OCR confusions in place: first by position class (letters in digit
// positions, digits in name/country positions), then, where a check fails, by trying
// the confusion alternatives in alphanumeric positions (at most `max_changes` per
// field, `max_total` in all) and keeping the fewest-change variant that makes the
// checks pass.
void RepairMrz(const MrzLayout& layout, int max_changes, int max_total, MrzText& text);

}  // namespace smartocr::mrz::internal

#endif  // SMARTOCR_MRZ_INTERNAL_REPAIR_H_
