// src/extract/extract_internal.h
//
// Helpers shared by the extract module's files: ASCII/UTF-8 text handling, month
// names and date arithmetic. Private to src/extract.
#ifndef SMARTOCR_EXTRACT_EXTRACT_INTERNAL_H_
#define SMARTOCR_EXTRACT_EXTRACT_INTERNAL_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/text.h"
#include "extract/extract.h"

namespace smartocr::extract::internal {

// Shared with the mrz module (core/text.h, core/date.h).
using core::AsciiUpper;
using core::DaysInMonth;
using core::IsDigit;
using core::IsLower;
using core::IsUpper;
using core::RemoveSpaces;
using core::SplitGlyphs;
using core::Trim;

inline bool IsAsciiAlpha(char c) { return IsUpper(c) || IsLower(c); }
inline bool IsAsciiAlnum(char c) { return IsDigit(c) || IsAsciiAlpha(c); }
// Start of a UTF-8 multi-byte sequence or continuation: part of a non-ASCII letter.
inline bool IsHighByte(char c) { return static_cast<unsigned char>(c) >= 0x80; }

// ASCII letters and Latin-1 capitals (À..Þ, encoded C3 80..C3 9E) lowered.
std::string LatinLower(std::string_view s);
bool IsBlank(std::string_view s);

// 1..12 for an English, German, Dutch or French month name or abbreviation (lower-cased,
// optional trailing '.'), else 0.
int MonthFromName(std::string_view lower_word);
// True for weekday names and abbreviations in the same three languages.
bool IsWeekdayName(std::string_view lower_word);

// Days since 1970-01-01 (negative before). Requires: IsValidDate(date).
long DaysFromCivil(const Date& date);

// Four-digit year for a two-digit one: the century placing it in (today-80, today+20],
// or the POSIX pivot (00-69 -> 2000s) when today is unknown.
int ExpandTwoDigitYear(int yy, const Date& today);

}  // namespace smartocr::extract::internal

#endif  // SMARTOCR_EXTRACT_EXTRACT_INTERNAL_H_
