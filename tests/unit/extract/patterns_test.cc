#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "extract/extract.h"

namespace smartocr::extract {
namespace {

struct Expected {
  const char* text;  // what the match covers
  const char* normalized;
};

void ExpectMatches(std::string_view input, const std::vector<PatternMatch>& got,
                   const std::vector<Expected>& want, PatternKind kind) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(got[i].kind, kind);
    EXPECT_EQ(got[i].text, want[i].text);
    EXPECT_EQ(input.substr(got[i].begin, got[i].end - got[i].begin), got[i].text);
    EXPECT_EQ(got[i].normalized, want[i].normalized);
    EXPECT_GT(got[i].confidence, 0.0);
    EXPECT_LE(got[i].confidence, 1.0);
  }
}

struct FinderCase {
  const char* name;
  std::string input;
  std::vector<Expected> want;
};

TEST(FindAmounts, FindsMoneyNotDatesOrIds) {
  const FinderCase cases[] = {
      {"receipt lines",
       "Subtotal 33.75\nTax 2.03\nTOTAL RM 35.78",
       {{"33.75", "33.75"}, {"2.03", "2.03"}, {"RM 35.78", "35.78"}}},
      {"european",
       "Summe: 1.234,56 \xE2\x82\xAC (inkl. MwSt)",
       {{"1.234,56 \xE2\x82\xAC", "1234.56"}}},
      {"negative forms",
       "Refund -12.00 and (5.50) and 7.25-",
       {{"-12.00", "-12.00"}, {"(5.50)", "-5.50"}, {"7.25-", "-7.25"}}},
      {"currency without decimals", "Price $5 each, qty 3", {{"$5", "5"}}},
      {"dates, times, ids and ranges are not amounts",
       "Date 03.02.2024 12:30, INV12.50, call 10.00-12.00",
       {}},
      {"plain integers are not amounts", "Order 12345 for 3 items", {}},
  };
  for (const FinderCase& c : cases) {
    SCOPED_TRACE(c.name);
    ExpectMatches(c.input, FindAmounts(c.input), c.want, PatternKind::kAmount);
  }
}

TEST(FindDates, FindsDatesInText) {
  const FinderCase cases[] = {
      {"mixed formats",
       "Invoice date: 03/02/2024, due Feb 17, 2024. Delivered 2024-02-10.",
       {{"03/02/2024", "2024-02-03"},
        {"Feb 17, 2024", "2024-02-17"},
        {"2024-02-10", "2024-02-10"}}},
      {"german", "Datum: 3. M\xC3\xA4rz 2024 um 10:15", {{"3. M\xC3\xA4rz 2024", "2024-03-03"}}},
      {"compact and two-digit years",
       "Ref 20240203 / 5.6.24",
       {{"20240203", "2024-02-03"}, {"5.6.24", "2024-06-05"}}},
      {"not dates", "Version 1.2.3, total 12.50, IP 10.0.0.1, tel 030-123-4567", {}},
  };
  for (const FinderCase& c : cases) {
    SCOPED_TRACE(c.name);
    ExpectMatches(c.input, FindDates(c.input), c.want, PatternKind::kDate);
  }
}

TEST(FindInvoiceNumbers, ValueAfterLabel) {
  const FinderCase cases[] = {
      {"english", "Invoice No: INV-2024-001\nDate: 2024-02-03", {{"INV-2024-001", "INV-2024-001"}}},
      {"hash", "TAX INVOICE #12345", {{"12345", "12345"}}},
      {"german", "Rechnung Nr. 2024/117", {{"2024/117", "2024/117"}}},
      {"french", "Facture n\xC2\xB0 F-889", {{"F-889", "F-889"}}},
      {"number word", "Invoice Number : 000123.", {{"000123", "000123"}}},
      {"no digit, no match", "Invoice Date 2024", {}},
      {"inventory is not an invoice", "Inventory 5000", {}},
  };
  for (const FinderCase& c : cases) {
    SCOPED_TRACE(c.name);
    ExpectMatches(c.input, FindInvoiceNumbers(c.input), c.want, PatternKind::kInvoiceNumber);
  }
}

TEST(FindVatIds, ShapePerCountry) {
  const FinderCase cases[] = {
      {"german", "USt-IdNr.: DE123456789", {{"DE123456789", "DE123456789"}}},
      {"grouped",
       "VAT: DE 123 456 789, GB 123 4567 89",
       {{"DE 123 456 789", "DE123456789"}, {"GB 123 4567 89", "GB123456789"}}},
      {"austria and netherlands",
       "ATU12345678 NL123456789B01",
       {{"ATU12345678", "ATU12345678"}, {"NL123456789B01", "NL123456789B01"}}},
      {"france and spain",
       "FR40303265045 ESB12345678",
       {{"FR40303265045", "FR40303265045"}, {"ESB12345678", "ESB12345678"}}},
      {"wrong lengths", "DE12345678 ATU1234567 PL12345", {}},
      {"inside a word", "CODE123456789", {}},
  };
  for (const FinderCase& c : cases) {
    SCOPED_TRACE(c.name);
    ExpectMatches(c.input, FindVatIds(c.input), c.want, PatternKind::kVatId);
  }
}

TEST(FindIbans, CompactOrGrouped) {
  std::string text =
      "IBAN: DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX\n"
      "Pay to GB82WEST12345698765432.\n"
      "Old: DE89 3704 0044 0532 0130 01";
  std::vector<PatternMatch> got = FindIbans(text);
  ExpectMatches(text, got,
                {{"DE89 3704 0044 0532 0130 00", "DE89370400440532013000"},
                 {"GB82WEST12345698765432", "GB82WEST12345698765432"},
                 {"DE89 3704 0044 0532 0130 01", "DE89370400440532013001"}},
                PatternKind::kIban);
  EXPECT_EQ(got[0].confidence, 1.0);
  EXPECT_EQ(got[1].confidence, 1.0);
  EXPECT_LT(got[2].confidence, 0.5);  // shape right, mod-97 wrong: a misread digit
}

TEST(FindEmails, FindsAddresses) {
  std::string text = "Contact: Billing@Example.co.uk or j.doe+inv@mail.example.com.";
  ExpectMatches(text, FindEmails(text),
                {{"Billing@Example.co.uk", "billing@example.co.uk"},
                 {"j.doe+inv@mail.example.com", "j.doe+inv@mail.example.com"}},
                PatternKind::kEmail);
}

TEST(FindPhones, InternationalLabelledOrGrouped) {
  const FinderCase cases[] = {
      {"international", "Call +49 30 1234567 today", {{"+49 30 1234567", "+49301234567"}}},
      {"area code", "Office (03) 7956 1234", {{"(03) 7956 1234", "0379561234"}}},
      {"labelled", "Tel: 0301234567", {{"0301234567", "0301234567"}}},
      {"grouped", "Hotline 012-345 6789", {{"012-345 6789", "0123456789"}}},
      {"dates and amounts are not phones", "Date 2024-02-03, total 1 234 567,00, id 12345678", {}},
  };
  for (const FinderCase& c : cases) {
    SCOPED_TRACE(c.name);
    ExpectMatches(c.input, FindPhones(c.input), c.want, PatternKind::kPhone);
  }
}

TEST(PatternKindName, StableNames) {
  EXPECT_STREQ(PatternKindName(PatternKind::kAmount), "amount");
  EXPECT_STREQ(PatternKindName(PatternKind::kInvoiceNumber), "invoice_number");
  EXPECT_STREQ(PatternKindName(PatternKind::kVatId), "vat_id");
  EXPECT_STREQ(PatternKindName(PatternKind::kPhone), "phone");
}

}  // namespace
}  // namespace smartocr::extract
