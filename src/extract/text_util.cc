// src/extract/text_util.cc
//
// ASCII/UTF-8 helpers for the extract module (see extract_internal.h).
#include <string>
#include <string_view>
#include <vector>

#include "extract/extract_internal.h"

namespace smartocr::extract::internal {

std::string LatinLower(std::string_view s) {
  std::string out(s);
  for (size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    if (IsUpper(c)) {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (static_cast<unsigned char>(c) == 0xC3 && i + 1 < out.size()) {
      // Latin-1 capitals U+00C0..U+00DE (except U+00D7, the multiplication sign) sit
      // 0x20 below their small letters.
      auto next = static_cast<unsigned char>(out[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) out[i + 1] = static_cast<char>(next + 0x20);
      ++i;
    }
  }
  return out;
}

bool IsBlank(std::string_view s) { return Trim(s).empty(); }

namespace {

struct MonthName {
  const char* name;
  int month;
};

// Lower-case names and abbreviations (English, German, Dutch, French); accented spellings appear
// with and without the accent because OCR often drops it.
constexpr MonthName kMonthNames[] = {
    // English.
    {"january", 1},
    {"jan", 1},
    {"february", 2},
    {"feb", 2},
    {"march", 3},
    {"mar", 3},
    {"april", 4},
    {"apr", 4},
    {"may", 5},
    {"june", 6},
    {"jun", 6},
    {"july", 7},
    {"jul", 7},
    {"august", 8},
    {"aug", 8},
    {"september", 9},
    {"sep", 9},
    {"sept", 9},
    {"october", 10},
    {"oct", 10},
    {"november", 11},
    {"nov", 11},
    {"december", 12},
    {"dec", 12},
    // German.
    {"januar", 1},
    {"jänner", 1},
    {"jaenner", 1},
    {"jän", 1},
    {"februar", 2},
    {"märz", 3},
    {"maerz", 3},
    {"marz", 3},
    {"mär", 3},
    {"mai", 5},
    {"juni", 6},
    {"juli", 7},
    {"oktober", 10},
    {"okt", 10},
    {"dezember", 12},
    {"dez", 12},
    // Dutch (the rest are spelled as in English or German).
    {"januari", 1},
    {"februari", 2},
    {"maart", 3},
    {"mrt", 3},
    {"mei", 5},
    {"augustus", 8},
    // French.
    {"janvier", 1},
    {"janv", 1},
    {"février", 2},
    {"fevrier", 2},
    {"févr", 2},
    {"fevr", 2},
    {"fév", 2},
    {"fev", 2},
    {"mars", 3},
    {"avril", 4},
    {"avr", 4},
    {"juin", 6},
    {"juillet", 7},
    {"juil", 7},
    {"août", 8},
    {"aout", 8},
    {"septembre", 9},
    {"octobre", 10},
    {"novembre", 11},
    {"décembre", 12},
    {"decembre", 12},
    {"déc", 12},
};

constexpr const char* kWeekdayNames[] = {
    "monday", "mon",     "tuesday", "tue",      "tues", "wednesday", "wed", "thursday",
    "thu",    "thur",    "thurs",   "friday",   "fri",  "saturday",  "sat", "sunday",
    "sun",    "montag",  "mo",      "dienstag", "di",   "mittwoch",  "mi",  "donnerstag",
    "do",     "freitag", "fr",      "samstag",  "sa",   "sonntag",   "so",  "lundi",
    "lun",    "mardi",   "mar",     "mercredi", "mer",  "jeudi",     "jeu", "vendredi",
    "ven",    "samedi",  "sam",     "dimanche", "dim",
};

std::string_view StripDot(std::string_view w) {
  if (!w.empty() && w.back() == '.') w.remove_suffix(1);
  return w;
}

}  // namespace

int MonthFromName(std::string_view lower_word) {
  std::string_view w = StripDot(lower_word);
  for (const MonthName& m : kMonthNames) {
    if (w == m.name) return m.month;
  }
  return 0;
}

bool IsWeekdayName(std::string_view lower_word) {
  std::string_view w = StripDot(lower_word);
  for (const char* name : kWeekdayNames) {
    if (w == name) return true;
  }
  return false;
}

}  // namespace smartocr::extract::internal
