#include <gtest/gtest.h>

#include <string>

#include "extract/extract.h"

namespace smartocr::extract {
namespace {

struct AmountCase {
  const char* text;
  const char* locale;
  const char* value;
  const char* currency;
};

TEST(NormalizeAmount, ReadsSeparatorsSignsAndCurrencies) {
  const AmountCase cases[] = {
      {"1.234,56", "", "1234.56", ""},
      {"1,234.56", "", "1234.56", ""},
      {"1 234,56", "", "1234.56", ""},
      {"1\xC2\xA0"
       "234,56 \xE2\x82\xAC",
       "fr", "1234.56", "EUR"},
      {"1\xE2\x80\xAF"
       "234,56",
       "", "1234.56", ""},
      {"1'234.56 CHF", "de-CH", "1234.56", "CHF"},
      {"1.234.567,89", "", "1234567.89", ""},
      {"1,234,567", "", "1234567", ""},
      {"(12.00)", "", "-12.00", ""},
      {"-12.00", "", "-12.00", ""},
      {"12.00-", "", "-12.00", ""},
      {"\xE2\x88\x92"
       "12.00",
       "", "-12.00", ""},
      {"-$12.00", "en-US", "-12.00", "USD"},
      {"RM 12.50", "", "12.50", "MYR"},
      {"RM12.50", "", "12.50", "MYR"},
      {"\xE2\x82\xAC"
       "5",
       "", "5", "EUR"},
      {"12,5", "", "12.5", ""},
      {"12,50 z\xC5\x82", "pl", "12.50", "PLN"},
      {"PLN 99,99", "", "99.99", "PLN"},
      {"\xC2\xA3"
       "1,000",
       "", "1000", "GBP"},
      {"$ 1,234", "en-AU", "1234", "AUD"},
      {"US$ 7.5", "", "7.5", "USD"},
      {"\xC2\xA5"
       "1200",
       "ja-JP", "1200", "JPY"},
      {"\xC2\xA5"
       "1200",
       "zh-CN", "1200", "CNY"},
      {"Rs. 450.00", "", "450.00", "INR"},
      {"\xE2\x82\xB9"
       "450",
       "", "450", "INR"},
      {"kr 99,50", "da-DK", "99.50", "DKK"},
      {"99,50 kr", "sv", "99.50", "SEK"},
      {"1,234", "", "1234", ""},
      {"1,234", "de", "1.234", ""},
      {"1.234", "de", "1234", ""},
      {"0,125", "", "0.125", ""},
      {"007.50", "", "7.50", ""},
      {"Total: 42.00 EUR", "", "42.00", "EUR"},
  };
  for (const AmountCase& c : cases) {
    SCOPED_TRACE(std::string(c.text) + " @" + c.locale);
    core::Result<NormalizedAmount> r = NormalizeAmount(c.text, c.locale);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->value, c.value) << r->decision;
    EXPECT_EQ(r->currency, c.currency);
    EXPECT_FALSE(r->decision.empty());
  }
}

TEST(NormalizeAmount, RejectsWhatIsNoAmount) {
  for (const char* text : {"", "EUR", "abc", "1.2.3,4,5"}) {
    SCOPED_TRACE(text);
    core::Result<NormalizedAmount> r = NormalizeAmount(text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().reason(), "amount_unparsed");
  }
}

TEST(DetectCurrency, SymbolsCodesAndLocales) {
  struct Case {
    const char* text;
    const char* locale;
    const char* code;
  };
  const Case cases[] = {
      {"$5", "", "USD"},
      {"$5", "en-CA", "CAD"},
      {"C$5", "", "CAD"},
      {"A$5", "", "AUD"},
      {"S$5", "", "SGD"},
      {"HK$5", "", "HKD"},
      {"R$5", "", "BRL"},
      {"CHF 5", "", "CHF"},
      {"5 SEK", "", "SEK"},
      {"RMB 5", "", "CNY"},
      {"RM5", "", "MYR"},
      {"5 kr", "nb-NO", "NOK"},
      {"5 Kr", "", "SEK"},
      {"5 K\xC4\x8D", "", "CZK"},
      {"Rs 5", "en-PK", "PKR"},
      {"no money here", "", ""},
      {"Mrs. Smith", "", ""},
      {"FROM EURO", "", ""},
      {"INVOICE USD", "", "USD"},
      {"\xE2\x82\xA9"
       "500",
       "", "KRW"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.text) + " @" + c.locale);
    EXPECT_EQ(DetectCurrency(c.text, c.locale), c.code);
  }
}

}  // namespace
}  // namespace smartocr::extract
