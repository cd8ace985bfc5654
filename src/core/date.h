// src/core/date.h
//
// Calendar dates, shared by the modules that read them off documents (extract's
// normalizers and validators, the MRZ's birth and expiry dates). Values only: no
// clock here (callers pass `today`).
#ifndef SMARTOCR_CORE_DATE_H_
#define SMARTOCR_CORE_DATE_H_

#include <compare>
#include <string>

namespace smartocr::core {

// A proleptic Gregorian date; {0,0,0} means "unknown".
struct Date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
  // clang-tidy 14 misreads a defaulted <=> as a 0 literal compared to a pointer.
  auto operator<=>(const Date&) const = default;  // NOLINT(modernize-use-nullptr)
};

// Days in `month` (1..12) of `year`; 0 for a month out of range.
int DaysInMonth(int year, int month);
// True when the date exists (year 1..9999, month 1..12, day within the month).
bool IsValidDate(const Date& date);
// "YYYY-MM-DD". Requires: IsValidDate(date).
std::string FormatIsoDate(const Date& date);

}  // namespace smartocr::core

#endif  // SMARTOCR_CORE_DATE_H_
