#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "mrz/mrz.h"

namespace smartocr::extract {
namespace {

TEST(ValidateIban, ChecksLengthAndMod97) {
  struct Case {
    const char* iban;
    Validity status;
    const char* detail;
  };
  const Case cases[] = {
      {"GB82WEST12345698765432", Validity::kValid, "mod-97 ok"},
      {"DE89370400440532013000", Validity::kValid, "mod-97 ok"},
      {"DE89 3704 0044 0532 0130 00", Validity::kValid, "mod-97 ok"},
      {"de89370400440532013000", Validity::kValid, "mod-97 ok"},
      {"IBAN FR14 2004 1010 0505 0001 3M02 606", Validity::kValid, "mod-97 ok"},
      {"NL91ABNA0417164300", Validity::kValid, "mod-97 ok"},
      {"CH9300762011623852957", Validity::kValid, "mod-97 ok"},
      {"NO9386011117947", Validity::kValid, "mod-97 ok"},
      {"GB82WEST12345698765433", Validity::kInvalid, "mod-97 check failed"},
      {"DE89370400440532013001", Validity::kInvalid, "mod-97 check failed"},
      {"DE88370400440532013000", Validity::kInvalid, "mod-97 check failed"},
      {"DE8937040044053201300", Validity::kInvalid, "length 21 != 22 for DE"},
      {"GB82-WEST-1234", Validity::kInvalid, "not an IBAN shape"},
      {"12345678901234567", Validity::kInvalid, "not an IBAN shape"},
      {"GB82WEST1234569876543!", Validity::kInvalid, "bad character"},
      {"", Validity::kUnchecked, "empty"},
      {"  ", Validity::kUnchecked, "empty"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.iban);
    Validation v = ValidateIban(c.iban);
    EXPECT_EQ(ValidityName(v.status), std::string(ValidityName(c.status)));
    EXPECT_EQ(v.detail, c.detail);
    EXPECT_GE(v.confidence, 0.0);
    EXPECT_LE(v.confidence, 1.0);
    if (c.status == Validity::kValid) {
      EXPECT_EQ(v.confidence, 1.0);
    }
  }
}

TEST(ValidateIban, UnknownCountryIsCheckedByMod97Alone) {
  // The GB example's BBAN under an unlisted prefix, check digits recomputed.
  Validation v = ValidateIban("ZZ33WEST12345698765432");
  EXPECT_EQ(v.status, Validity::kValid);
  EXPECT_EQ(v.detail, "mod-97 ok; country length unknown");
  EXPECT_LT(v.confidence, 1.0);
  EXPECT_EQ(ValidateIban("ZZ34WEST12345698765432").status, Validity::kInvalid);
}

TEST(ValidateDate, RealAndPlausible) {
  const Date today{2024, 6, 1};
  struct Case {
    const char* iso;
    Validity status;
  };
  const Case cases[] = {
      {"2024-02-03", Validity::kValid},   {"1904-06-01", Validity::kValid},
      {"1904-05-31", Validity::kInvalid}, {"2074-06-01", Validity::kValid},
      {"2074-06-02", Validity::kInvalid}, {"2024-02-30", Validity::kInvalid},
      {"03/02/2024", Validity::kInvalid}, {"", Validity::kUnchecked},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.iso);
    EXPECT_EQ(ValidateDate(c.iso, today).status, c.status);
  }
  EXPECT_EQ(ValidateDate("2023-01-01", today, {.max_years_past = 1}).status, Validity::kInvalid);
  EXPECT_EQ(ValidateDate("2023-06-01", today, {.max_years_past = 1}).status, Validity::kValid);
  EXPECT_EQ(ValidateDate("2023-06-01", Date{}).status, Validity::kUnchecked);
}

TEST(ValidateAmounts, SumsWithinRounding) {
  struct Case {
    const char* name;
    AmountSet amounts;
    Validity status;
  };
  const Case cases[] = {
      {"items = subtotal, subtotal + tax = total",
       {{10.00, 20.50, 3.25}, 33.75, 2.03, 35.78},
       Validity::kValid},
      {"a cent off per line is rounding", {{10.01, 20.51, 3.26}, 33.75, {}, {}}, Validity::kValid},
      {"4 cents off over 3 lines is not",
       {{10.00, 20.50, 3.29}, 33.75, {}, {}},
       Validity::kInvalid},
      {"total 0.5% off is rounding of tax", {{}, 1000.00, 190.00, 1195.00}, Validity::kValid},
      {"total 1% off is not", {{}, 1000.00, 190.00, 1202.00}, Validity::kInvalid},
      {"no subtotal: items + tax = total", {{5.00, 5.00}, {}, 1.00, 11.00}, Validity::kValid},
      {"no tax: subtotal = total", {{}, 50.00, {}, 50.00}, Validity::kValid},
      {"missing tax makes the total differ", {{}, 50.00, {}, 59.50}, Validity::kInvalid},
      {"credit note", {{-10.00, -2.50}, -12.50, -2.38, -14.88}, Validity::kValid},
      {"nothing to compare", {{}, {}, {}, 12.00}, Validity::kUnchecked},
      {"empty", {}, Validity::kUnchecked},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Validation v = ValidateAmounts(c.amounts);
    EXPECT_EQ(v.status, c.status) << v.detail;
    EXPECT_GE(v.confidence, 0.0);
    EXPECT_LE(v.confidence, 1.0);
  }
}

TEST(ValidateAmounts, DetailNamesTheFailingSum) {
  Validation v = ValidateAmounts({{10.00}, 12.00, 1.00, 13.00});
  EXPECT_EQ(v.status, Validity::kInvalid);
  EXPECT_EQ(v.detail, "line items 10.00 != subtotal 12.00");
  // What the confidence must say, not the formula behind it: a failing sum puts it
  // below "nothing to compare", one of two sums agreeing keeps it above "all fail".
  const double unchecked = ValidateAmounts({{}, {}, {}, 12.00}).confidence;
  const Validation both_fail = ValidateAmounts({{10.00}, 12.00, 1.00, 20.00});
  ASSERT_EQ(both_fail.status, Validity::kInvalid);
  EXPECT_LT(v.confidence, unchecked);
  EXPECT_GT(v.confidence, both_fail.confidence);
  EXPECT_EQ(both_fail.confidence, 0.0);
}

TEST(ValidateRequired, ReportsMissingFields) {
  const std::map<std::string, std::string> fields = {
      {"total", "12.00"}, {"date", "2024-02-03"}, {"vendor", "  "}};
  struct Case {
    std::vector<std::string> required;
    Validity status;
    const char* detail;
    double confidence;
  };
  const Case cases[] = {
      {{"total", "date"}, Validity::kValid, "all required fields present", 1.0},
      {{"total", "vendor", "iban"}, Validity::kInvalid, "missing: vendor, iban", 1.0 / 3},
      {{}, Validity::kValid, "nothing required", 1.0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.detail);
    Validation v = ValidateRequired(fields, c.required);
    EXPECT_EQ(v.status, c.status);
    EXPECT_EQ(v.detail, c.detail);
    EXPECT_DOUBLE_EQ(v.confidence, c.confidence);
  }
}

}  // namespace
}  // namespace smartocr::extract
