// Expected values come from ../shared/tools/fields_score.py (amount, sroie_date, match).
#include <gtest/gtest.h>

#include "eval/eval.h"

namespace smartocr::eval {
namespace {

TEST(EvalFields, LabelAmountsLikeTheScorer) {
  struct Case {
    const char* text;
    std::optional<double> value;
  };
  const Case cases[] = {
      {"9.00", 9.0},     {"RM 1.234,56", 1234.56},    {"1,234.56", 1234.56}, {"abc", std::nullopt},
      {"-12.50", -12.5}, {"TOTAL 12.5 RM 3,40", 3.4}, {"1 234,56", 1234.56}, {"12,5", 125.0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(ParseLabelAmount(c.text), c.value);
  }
}

TEST(EvalFields, LabelDatesLikeTheScorer) {
  struct Case {
    const char* text;
    std::optional<std::string> iso;
  };
  const Case cases[] = {
      {"25/12/2018", "2018-12-25"},    {"2018-12-25", "2018-12-25"}, {"31/02/2018", std::nullopt},
      {"25/12/18 8:13", "2018-12-25"}, {"5.1.2019", "2019-01-05"},   {"x", std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(ParseLabelDate(c.text), c.iso);
  }
}

TEST(EvalFields, Matching) {
  struct Case {
    FieldKind kind;
    const char* ref;
    const char* value;
    const char* normalized;
    bool hit;
  };
  const Case cases[] = {
      {FieldKind::kText, "BOOK TA .K SDN BHD", "book ta .k  sdn bhd", "", true},
      {FieldKind::kText, "ABC", "ABD", "", false},
      {FieldKind::kAmount, "9.00", "RM9.00", "", true},
      {FieldKind::kAmount, "9.00", "TOTAL", "9.00", true},
      {FieldKind::kAmount, "9.00", "9.10", "9.10", false},
      {FieldKind::kDate, "25/12/2018", "Dec 25 2018", "2018-12-25", true},
      {FieldKind::kDate, "25/12/2018", "25-12-18", "", true},
      {FieldKind::kDate, "25/12/2018", "26/12/2018", "2018-12-26", false},
      {FieldKind::kDate, "2018-12-25", "x", "2018-12-25T00:00", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.ref) + " vs " + c.value);
    EXPECT_EQ(FieldMatches(c.kind, c.ref, c.value, c.normalized), c.hit);
  }
}

}  // namespace
}  // namespace smartocr::eval
