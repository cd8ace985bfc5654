// src/mrz/internal/layout.h
//
// MRZ layouts (ICAO 9303 field positions) and the check definitions derived from
// them. Private to src/mrz.
#ifndef SMARTOCR_MRZ_INTERNAL_LAYOUT_H_
#define SMARTOCR_MRZ_INTERNAL_LAYOUT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "mrz/mrz.h"

namespace smartocr::mrz::internal {

// Line widths of the formats (ICAO 9303): TD1 (3 lines), TD2 and MRV-B, TD3 and MRV-A
// (2 lines each).
inline constexpr int kTd1Width = 30;
inline constexpr int kTd2Width = 36;
inline constexpr int kTd3Width = 44;
inline constexpr int kWidths[] = {kTd1Width, kTd2Width, kTd3Width};

// An MRZ has two lines (TD2, TD3, visas) or three (TD1).
inline constexpr size_t kMinLines = 2;
inline constexpr size_t kTd1Lines = 3;

// Lines of an MRZ `width` characters wide.
constexpr size_t LineCountOf(int width) { return width == kTd1Width ? kTd1Lines : kMinLines; }
// Which of `line_count` lines holds the name: TD1's third, the others' first.
constexpr size_t NameLineOf(size_t line_count) { return line_count == kTd1Lines ? 2 : 0; }
// Where the name field begins on its line: TD1 gives the whole third line to it; the
// others begin the line with the document code (2) and the issuing state (3).
constexpr size_t NameStartOf(size_t line_count) { return line_count == kTd1Lines ? 0 : 5; }

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

// Class of every position of `layout`.
std::vector<std::vector<CharClass>> ClassesOf(const MrzLayout& layout);

// A glyph's value in check digits: '0'-'9' 0-9, 'A'-'Z' 10-35, '<' 0; -1 for others.
int CharValue(const std::string& glyph);

// Check digit over the spans (-1 when a non-MRZ character is covered).
int CheckDigitOver(const MrzText& text, const std::vector<Span>& spans);
// True when the glyph at `digit` equals `computed` ('<' counts as 0).
bool CheckDigitMatches(const MrzText& text, const Span& digit, int computed);
bool CheckPasses(const MrzText& text, const CheckDef& check);

// `lines` as glyphs in `text`, and their layout; null when they are no MRZ shape
// (lines of unequal width, or no layout of that size and first letter).
const MrzLayout* LayoutOf(const std::vector<std::string>& lines, MrzText& text);

}  // namespace smartocr::mrz::internal

#endif  // SMARTOCR_MRZ_INTERNAL_LAYOUT_H_
