#include <gtest/gtest.h>

#include <string>

#include "extract/extract.h"

namespace smartocr::extract {
namespace {

struct DateCase {
  const char* text;
  const char* locale;
  const char* iso;
  const char* decision_prefix;  // start of the recorded decision
  bool guessed;                 // confidence below 1 because the order was guessed
};

TEST(NormalizeDate, ReadsCommonFormats) {
  const DateCase cases[] = {
      {"2024-02-03", "", "2024-02-03", "year-first", false},
      {"2024/2/3", "", "2024-02-03", "year-first", false},
      {"20240203", "", "2024-02-03", "compact", false},
      {"03/02/2024", "", "2024-02-03", "ambiguous: day-first by default", true},
      {"03/02/2024", "en-GB", "2024-02-03", "ambiguous: day-first by locale en-GB", true},
      {"03/02/2024", "en-US", "2024-03-02", "ambiguous: month-first by locale en-US", true},
      {"03/02/2024", "en_US", "2024-03-02", "ambiguous: month-first", true},
      {"3.2.24", "de-DE", "2024-02-03", "ambiguous: day-first by locale de-DE", true},
      {"13/02/2024", "en-US", "2024-02-13", "unambiguous: 13 > 12 is the day (day-first)", false},
      {"02/13/2024", "", "2024-02-13", "unambiguous: 13 > 12 is the day (month-first)", false},
      {"05.05.2024", "", "2024-05-05", "unambiguous: day equals month", false},
      {"01/02/03", "", "2003-02-01", "ambiguous: day-first by default", true},
      {"01/02/03", "en-US", "2003-01-02", "ambiguous: month-first", true},
      {"31-12-99", "", "1999-12-31", "unambiguous", false},
      {"Feb 3, 2024", "", "2024-02-03", "month name: month day year", false},
      {"February 3rd, 2024", "en-US", "2024-02-03", "month name", false},
      {"Monday, February 3, 2024", "", "2024-02-03", "month name", false},
      {"3 February 2024", "", "2024-02-03", "month name: day month year", false},
      {"3rd of February 2024", "", "2024-02-03", "month name", false},
      {"03-FEB-2024", "", "2024-02-03", "month name", false},
      {"3-Feb-24", "", "2024-02-03", "month name", false},
      {"3. M\xC3\xA4rz 2024", "de", "2024-03-03", "month name", false},
      {"3. M\xC3\x84RZ 2024", "de", "2024-03-03", "month name", false},
      {"1. Dezember 2023", "de", "2023-12-01", "month name", false},
      {"1er f\xC3\xA9vrier 2024", "fr", "2024-02-01", "month name", false},
      {"le 14 juillet 2024", "fr", "2024-07-14", "month name", false},
      {"3 d\xC3\xA9"
       "c. 2024",
       "fr", "2024-12-03", "month name", false},
      {"12 ao\xC3\xBBt 2024", "fr", "2024-08-12", "month name", false},
      {"2024 Feb 03", "", "2024-02-03", "month name: year month day", false},
      {" 29/02/2024 ", "", "2024-02-29", "unambiguous", false},
  };
  for (const DateCase& c : cases) {
    SCOPED_TRACE(std::string(c.text) + " @" + c.locale);
    core::Result<NormalizedDate> r = NormalizeDate(c.text, {.locale = c.locale});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->iso, c.iso);
    EXPECT_EQ(r->decision.rfind(c.decision_prefix, 0), 0u) << r->decision;
    if (c.guessed) {
      EXPECT_LT(r->confidence, 0.7);
    } else {
      EXPECT_GE(r->confidence, 0.9);
    }
  }
}

TEST(NormalizeDate, TwoDigitYearsFollowTheReferenceDay) {
  struct Case {
    const char* text;
    Date today;
    const char* iso;
  };
  const Case cases[] = {
      {"03.02.24", {}, "2024-02-03"},           {"03.02.69", {}, "2069-02-03"},
      {"03.02.70", {}, "1970-02-03"},           {"03.02.44", {2024, 6, 1}, "2044-02-03"},
      {"03.02.45", {2024, 6, 1}, "1945-02-03"}, {"03.02.99", {2090, 1, 1}, "2099-02-03"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    core::Result<NormalizedDate> r = NormalizeDate(c.text, {.today = c.today});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->iso, c.iso);
    EXPECT_NE(r->decision.find("two-digit year"), std::string::npos);
  }
}

TEST(NormalizeDate, RejectsWhatIsNoDate) {
  struct Case {
    const char* text;
    const char* reason;
  };
  const Case cases[] = {
      {"", "date_unparsed"},
      {"hello", "date_unparsed"},
      {"12.50", "date_unparsed"},
      {"1.2.3", "date_unparsed"},
      {"2024-02", "date_unparsed"},
      {"February 2024", "date_unparsed"},
      {"03/02-2024", "date_unparsed"},
      {"Total 03/02/2024", "date_unparsed"},
      {"31/02/2024", "date_invalid"},
      {"13/13/2024", "date_invalid"},
      {"2023-02-29", "date_invalid"},
      {"20241341", "date_invalid"},
      {"Feb 30, 2024", "date_invalid"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    core::Result<NormalizedDate> r = NormalizeDate(c.text);
    ASSERT_FALSE(r.ok()) << r->iso;
    EXPECT_EQ(r.status().code(), core::StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().reason(), c.reason);
  }
}

TEST(Date, IsoRoundTrip) {
  EXPECT_EQ(FormatIsoDate({2024, 2, 3}), "2024-02-03");
  EXPECT_EQ(ParseIsoDate(" 2024-02-29 "), (Date{2024, 2, 29}));
  EXPECT_FALSE(ParseIsoDate("2023-02-29"));
  EXPECT_FALSE(ParseIsoDate("2024-2-3"));
  EXPECT_TRUE(IsValidDate({2000, 2, 29}));
  EXPECT_FALSE(IsValidDate({1900, 2, 29}));
  EXPECT_FALSE(IsValidDate({}));
}

}  // namespace
}  // namespace smartocr::extract
