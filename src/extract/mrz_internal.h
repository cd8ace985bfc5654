// src/extract/mrz_internal.h
//
// MRZ layouts (ICAO 9303 field positions), the check definitions derived from them,
// and the repair step. Private to src/extract.
#ifndef SMARTOCR_EXTRACT_MRZ_INTERNAL_H_
#define SMARTOCR_EXTRACT_MRZ_INTERNAL_H_

#include <string>
#include <string_view>
#include <vector>

#include "extract/extract.h"

namespace smartocr::extract::internal {

// A run of characters on one MRZ line; len 0 means "absent in this layout".
struct Span {
  int line = 0;
  int start = 0;
  int len = 0;
};

// What a position may hold, which decides the OCR confusions repaired there.
enum class CharClass {
  kAlnum,  // document number, optional data: letters, digits, '<'
  kAlpha,  // document code, countries: letters and '<' (digits are misreads, mostly)
  kName,   // name field: letters and '<' only
  kDigit,  // dates: digits (or '<' for an unknown part)
  kCheck,  // check digits: digit, or '<' standing for 0
  kSex,    // 'M', 'F', 'X', '<'
};

struct MrzLayout {
  MrzType type;
  int line_count;
  int width;
  Span doc_type, issuing, name, number, number_check, nationality, birth, birth_check, sex, expiry,
      expiry_check, optional1, optional1_check, optional2, composite;
  std::vector<Span> composite_covers;
};

// The text as lines of glyphs (one UTF-8 code point each), so that a non-ASCII letter
// occupies one position as on the document.
using MrzText = std::vector<std::vector<std::string>>;

struct CheckDef {
  std::string name;
  std::vector<Span> covers;
  Span digit;
};

// The layout for `line_count` lines of `width` glyphs starting with `first`, or null.
const MrzLayout* FindLayout(int line_count, int width, const std::string& first);

// The checks of `layout` in reporting order. TD1 numbers longer than nine characters
// (a '<' in the check position) extend into optional data 1 and end with their check
// digit there, so the definition depends on the text.
std::vector<CheckDef> ChecksOf(const MrzLayout& layout, const MrzText& text);

// Whether `code` (three characters, '<'-padded: "D<<") is an issuing state or
// nationality code of ICAO Doc 9303 (ISO 3166-1 alpha-3 and ICAO's additions).
bool IsMrzCountryCode(std::string_view code);

// A letter code at `span` that is no such code becomes the one code that a single
// look-alike letter makes of it ("GER" -> "GBR"); left as is when none or several do,
// or when it holds digits (some specimens print a numeric nationality).
void RepairCountryCode(const Span& span, MrzText& text);

// A document code whose first letter the layout does not allow ('T' for an ID card's
// 'I') becomes the one allowed letter a look-alike gives; left as is otherwise.
void RepairDocumentCode(const MrzLayout& layout, MrzText& text);

// Check digit over the spans (-1 when a non-MRZ character is covered).
int CheckDigitOver(const MrzText& text, const std::vector<Span>& spans);
// True when the glyph at `digit` equals `computed` ('<' counts as 0).
bool CheckDigitMatches(const MrzText& text, const Span& digit, int computed);
bool CheckPasses(const MrzText& text, const CheckDef& check);

// The character OCR-B confusion says a glyph was: a letter read where a digit belongs
// ("O" -> "0"), a digit read where a letter belongs ("0" -> "O"); "" when none.
std::string LetterToDigit(const std::string& g);
std::string DigitToLetter(const std::string& g);

// Class of every position of `layout`.
std::vector<std::vector<CharClass>> ClassesOf(const MrzLayout& layout);

// Repairs OCR confusions in place: first by position class (letters in digit
// positions, digits in name/country positions), then, where a check fails, by trying
// the confusion alternatives in alphanumeric positions (at most `max_changes` per
// field, `max_total` in all) and keeping the fewest-change variant that makes the
// checks pass.
void RepairMrz(const MrzLayout& layout, int max_changes, int max_total, MrzText& text);

}  // namespace smartocr::extract::internal

#endif  // SMARTOCR_EXTRACT_MRZ_INTERNAL_H_
