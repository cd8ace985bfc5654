// src/extract/normalize_date.cc
//
// Date normalization: many written forms -> ISO 8601, with the day/month order
// decided by plausibility (a number > 12 is a day) or else by the locale, and the
// decision recorded so a reviewer can see which dates were guessed.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/date_tokens.h"
#include "extract/extract.h"
#include "extract/extract_internal.h"

namespace smartocr::extract {

namespace internal {
namespace {

constexpr double kGuessedOrderConfidence = 0.6;
constexpr double kTwoDigitYearFactor = 0.95;

bool IsWordByte(char c) { return IsAsciiAlpha(c) || IsHighByte(c); }

// Words that may stand between the parts of a date without meaning anything.
bool IsConnector(std::string_view w) {
  return w == "of" || w == "the" || w == "le" || w == "den" || w == "am" || w == "de" || w == "du";
}

bool IsOrdinalSuffix(std::string_view w) {
  return w == "st" || w == "nd" || w == "rd" || w == "th" || w == "er" || w == "re" || w == "e" ||
         w == "eme" || w == "\xC3\xA8me";  // "ème"
}

// Month-first numeric dates: the United States (and a few places following it).
bool MonthFirstLocale(std::string_view locale) {
  std::string up = AsciiUpper(locale);
  for (char& c : up) {
    if (c == '_') c = '-';
  }
  size_t dash = up.find('-');
  std::string region = dash == std::string::npos ? "" : up.substr(dash + 1, 2);
  return region == "US" || region == "PH" || up == "EN-US";
}

bool IsNumericSeparator(std::string_view sep, std::string* which) {
  std::string_view t = Trim(sep);
  if (t.size() != 1 || (t[0] != '/' && t[0] != '.' && t[0] != '-')) return false;
  *which = std::string(t);
  return true;
}

bool IsLooseSeparator(std::string_view sep) {
  if (sep.size() > 4) return false;
  for (char c : sep) {
    if (c != ' ' && c != ',' && c != '.' && c != '-' && c != '/') return false;
  }
  return true;
}

std::optional<NormalizedDate> Fail(std::string* reason, const char* why) {
  *reason = why;
  return std::nullopt;
}

// Fills iso/confidence for y/m/d; expands a two-digit year.
std::optional<NormalizedDate> Finish(const DateToken& year, int month, int day,
                                     std::string decision, double confidence,
                                     const DateOptions& options, std::string* reason) {
  int y = year.value;
  if (year.text.size() == 2) {
    y = ExpandTwoDigitYear(year.value, options.today);
    decision += "; two-digit year " + year.text + " -> " + std::to_string(y);
    confidence *= kTwoDigitYearFactor;
  } else if (year.text.size() != 4) {
    return Fail(reason, "date_invalid");
  }
  Date d{y, month, day};
  if (!IsValidDate(d)) return Fail(reason, "date_invalid");
  return NormalizedDate{d, FormatIsoDate(d), std::move(decision), confidence};
}

}  // namespace

std::vector<DateToken> TokenizeForDates(std::string_view text) {
  std::vector<DateToken> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    if (IsDigit(text[i])) {
      while (j < text.size() && IsDigit(text[j])) ++j;
      DateToken t{true, std::string(text.substr(i, j - i)), 0, i, j};
      t.value = t.text.size() > 9 ? -1 : std::stoi(t.text);
      out.push_back(t);
    } else if (IsWordByte(text[i])) {
      while (j < text.size() && IsWordByte(text[j])) ++j;
      out.push_back({false, LatinLower(text.substr(i, j - i)), 0, i, j});
    } else {
      j = i + 1;
    }
    i = j;
  }
  return out;
}

namespace {

// The tokens that carry a date, and where the month is written as a word.
struct DateParts {
  std::vector<const DateToken*> parts;
  std::vector<size_t> part_end;  // a part's end, extended over words dropped after it
  int month_word = -1;           // index into parts; -1: the month is a number

  // The text between part k-1 and part k.
  std::string_view Separator(std::string_view text, size_t k) const {
    return text.substr(part_end[k - 1], parts[k]->begin - part_end[k - 1]);
  }
};

// Keeps the tokens that carry the date; drops weekday names, ordinal suffixes and
// connectors; any other word means this is not a date (nullopt).
std::optional<DateParts> SplitDateParts(const std::vector<DateToken>& tokens, size_t begin,
                                        size_t end) {
  DateParts out;
  for (size_t i = begin; i < end; ++i) {
    const DateToken& t = tokens[i];
    if (!t.number) {
      bool glued_to_number = i > begin && tokens[i - 1].number && tokens[i - 1].end == t.begin;
      if (MonthFromName(t.text) > 0 && out.month_word < 0) {
        out.month_word = static_cast<int>(out.parts.size());
      } else if ((glued_to_number && IsOrdinalSuffix(t.text)) || IsConnector(t.text) ||
                 (IsWeekdayName(t.text) && out.parts.empty())) {
        if (!out.part_end.empty()) out.part_end.back() = t.end;
        continue;
      } else {
        return std::nullopt;
      }
    } else if (t.value < 0) {
      return std::nullopt;
    }
    out.parts.push_back(&t);
    out.part_end.push_back(t.end);
  }
  return out;
}

// Day and month of "a/b/c" when a and b could be either: the values decide when they
// can, else the locale (or the default) with a lower confidence.
std::optional<NormalizedDate> ReadDayMonthOrder(const DateToken& a, const DateToken& b,
                                                const DateToken& c, const DateOptions& options,
                                                std::string* reason) {
  bool month_first = MonthFirstLocale(options.locale);
  std::string decision;
  double confidence = 1.0;
  if (a.value > 12 && b.value <= 12) {
    month_first = false;
    decision = "unambiguous: " + a.text + " > 12 is the day (day-first)";
  } else if (b.value > 12 && a.value <= 12) {
    month_first = true;
    decision = "unambiguous: " + b.text + " > 12 is the day (month-first)";
  } else if (a.value > 12 && b.value > 12) {
    return Fail(reason, "date_invalid");
  } else if (a.value == b.value) {
    decision = "unambiguous: day equals month";
  } else {
    confidence = kGuessedOrderConfidence;
    std::string by = options.locale.empty() ? "by default" : "by locale " + options.locale;
    decision = std::string("ambiguous: ") + (month_first ? "month-first " : "day-first ") + by;
  }
  int day = month_first ? b.value : a.value;
  int month = month_first ? a.value : b.value;
  return Finish(c, month, day, decision, confidence, options, reason);
}

// All numbers: YYYYMMDD, year-month-day, or day and month in either order.
std::optional<NormalizedDate> ReadNumericDate(std::string_view text, const DateParts& d,
                                              const DateOptions& options, std::string* reason) {
  const std::vector<const DateToken*>& parts = d.parts;
  if (parts.size() == 1 && parts[0]->text.size() == 8) {  // YYYYMMDD
    const std::string& s = parts[0]->text;
    DateToken year{true, s.substr(0, 4), std::stoi(s.substr(0, 4)), 0, 0};
    if (year.value < 1800) return Fail(reason, "date_unparsed");
    return Finish(year, std::stoi(s.substr(4, 2)), std::stoi(s.substr(6, 2)), "compact: YYYYMMDD",
                  1.0, options, reason);
  }
  if (parts.size() != 3) return Fail(reason, "date_unparsed");
  std::string s1, s2;
  if (!IsNumericSeparator(d.Separator(text, 1), &s1) ||
      !IsNumericSeparator(d.Separator(text, 2), &s2) || s1 != s2) {
    return Fail(reason, "date_unparsed");
  }
  const DateToken &a = *parts[0], &b = *parts[1], &c = *parts[2];
  if (a.text.size() > 2 && a.text.size() != 4) return Fail(reason, "date_unparsed");
  if (b.text.size() > 2) return Fail(reason, "date_unparsed");
  if (a.text.size() == 4) {
    if (c.text.size() > 2) return Fail(reason, "date_unparsed");
    return Finish(a, b.value, c.value, "year-first: year-month-day", 1.0, options, reason);
  }
  if (c.text.size() != 2 && c.text.size() != 4) return Fail(reason, "date_unparsed");
  return ReadDayMonthOrder(a, b, c, options, reason);
}

// The month written as a word: "Feb 3, 2024", "2024 Feb 03", "3 Feb 2024".
std::optional<NormalizedDate> ReadMonthNameDate(std::string_view text, const DateParts& d,
                                                const DateOptions& options, std::string* reason) {
  const std::vector<const DateToken*>& parts = d.parts;
  if (parts.size() != 3) return Fail(reason, "date_unparsed");
  for (size_t k = 1; k < parts.size(); ++k) {
    if (!IsLooseSeparator(d.Separator(text, k))) return Fail(reason, "date_unparsed");
  }
  int month = MonthFromName(parts[d.month_word]->text);
  if (d.month_word == 0) {  // "Feb 3, 2024"
    if (parts[1]->text.size() > 2) return Fail(reason, "date_unparsed");
    return Finish(*parts[2], month, parts[1]->value, "month name: month day year", 1.0, options,
                  reason);
  }
  if (d.month_word == 1) {
    if (parts[0]->text.size() == 4) {  // "2024 Feb 03"
      if (parts[2]->text.size() > 2) return Fail(reason, "date_unparsed");
      return Finish(*parts[0], month, parts[2]->value, "month name: year month day", 1.0, options,
                    reason);
    }
    if (parts[0]->text.size() > 2) return Fail(reason, "date_unparsed");
    return Finish(*parts[2], month, parts[0]->value, "month name: day month year", 1.0, options,
                  reason);
  }
  return Fail(reason, "date_unparsed");
}

}  // namespace

std::optional<NormalizedDate> ReadDate(std::string_view text, const std::vector<DateToken>& tokens,
                                       size_t begin, size_t end, const DateOptions& options,
                                       std::string* reason) {
  std::optional<DateParts> parts = SplitDateParts(tokens, begin, end);
  if (!parts) return Fail(reason, "date_unparsed");
  return parts->month_word < 0 ? ReadNumericDate(text, *parts, options, reason)
                               : ReadMonthNameDate(text, *parts, options, reason);
}

}  // namespace internal

core::Result<NormalizedDate> NormalizeDate(std::string_view text, const DateOptions& options) {
  std::vector<internal::DateToken> tokens = internal::TokenizeForDates(text);
  std::string reason = "date_unparsed";
  std::optional<NormalizedDate> d =
      tokens.empty() ? std::nullopt
                     : internal::ReadDate(text, tokens, 0, tokens.size(), options, &reason);
  if (!d) {
    return core::InvalidArgument(reason, "cannot read a date from \"" + std::string(text) + "\"");
  }
  return *d;
}

}  // namespace smartocr::extract
