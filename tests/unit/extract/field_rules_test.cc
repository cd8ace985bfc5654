// Tables of cases for the receipt, invoice, date-repair, line-item and MRZ-filler rules
// (documents given as lines of words; no OCR involved).
#include <gtest/gtest.h>

#include <map>

#include "doc_builder.h"
#include "extract/fields.h"
#include "extract/fields_internal.h"

namespace smartocr::extract {
namespace {

using test_docs::Document;
using test_docs::Stacked;

std::map<std::string, std::string> Extract(const std::vector<std::string>& texts,
                                           const std::string& schema,
                                           core::DocumentResult* out = nullptr) {
  core::DocumentResult doc = Document(Stacked(texts));
  ExtractOptions options;
  options.schema = schema;
  options.today = {2024, 6, 1};
  EXPECT_TRUE(ExtractFields(doc, options).ok());
  std::map<std::string, std::string> values;
  for (const core::Field& f : doc.fields) values.emplace(f.name, f.value);
  if (out != nullptr) *out = doc;
  return values;
}

TEST(ReceiptRules, CompanyAndAddress) {
  struct Case {
    const char* name;
    std::vector<std::string> lines;
    std::string company, address;
  };
  const Case cases[] = {
      {"registration number after the suffix is cut",
       {"GARDENIA BAKERIES (KL) SDN BHD (139386 X)", "LOT 3, JALAN PELABUR 23/1,",
        "40300 SHAH ALAM, SELANGOR.", "TEL: 03-55423228"},
       "GARDENIA BAKERIES (KL) SDN BHD",
       "LOT 3, JALAN PELABUR 23/1, 40300 SHAH ALAM, SELANGOR."},
      {"'$' read for S in the suffix, branch number after it",
       {"99 SPEED MART $/B (519537-X)", "LOT P.T. 2811, JALAN ANGSA,", "41150 KLANG, SELANGOR",
        "INVOICE NO 123"},
       "99 SPEED MART S/B",
       "LOT P.T. 2811, JALAN ANGSA, 41150 KLANG, SELANGOR"},
      {"tax number and date between name and address restart the search",
       {"FARMASI MALURI S/B", "GST NO: 000342237184", "12 Mar 2018 18:19",
        "23, JLN BURUNG JENTAYU, TMN BUKIT", "MALURI, KEPONG, 52100 KL.", "TAX INVOICE"},
       "FARMASI MALURI S/B",
       "23, JLN BURUNG JENTAYU, TMN BUKIT MALURI, KEPONG, 52100 KL."},
      {"a non-address line before the address is skipped; region-only line continues it",
       {"MCDONALD'S", "Licensee of Golden Arches", "Level 6, Bangunan TH, Jalan SS21/39,",
        "47400 Petaling Jaya", "Selangor Darul Ehsan", "Site : 2365"},
       "MCDONALD'S",
       "Level 6, Bangunan TH, Jalan SS21/39, 47400 Petaling Jaya Selangor Darul Ehsan"},
      {"stray bars and a trailing phone with extension go",
       {"SYARIKAT PERNIAGAAN GIN KEE", "NO 290, JALAN AIR PANAS,", "SETAPAK, |",
        "53200, KUALA LUMPUR. 03-7932 1023/0191"},
       "SYARIKAT PERNIAGAAN GIN KEE",
       "NO 290, JALAN AIR PANAS, SETAPAK, 53200, KUALA LUMPUR."},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto got = Extract(c.lines, "receipt");
    EXPECT_EQ(got["company"], c.company);
    EXPECT_EQ(got["address"], c.address);
  }
}

TEST(ReceiptRules, Totals) {
  struct Case {
    const char* name;
    std::vector<std::string> lines;
    std::string total;
  };
  const Case cases[] = {
      {"rounded cash total after the rounding line",
       {"SHOP SDN BHD", "Total (Inclusive of GST): 41.52", "Rounding Adj: -0.02", "TOTAL: 41.50"},
       "41.50"},
      {"rounding adjustment on the line of the rounded amount",
       {"SHOP SDN BHD", "Total Sales (Inclusive GST) 37.44", "Rounding = 37.45"},
       "37.45"},
      {"one decimal after the keyword", {"SHOP SDN BHD", "NET TOTAL 174.9"}, "174.9"},
      {"cash minus change finds the total where no keyword does",
       {"SHOP SDN BHD", "ITEM 29.80", "GST summary Amount 28.11 1.49", "CASH 50.00",
        "CHANGE 20.20"},
       "29.80"},
      {"a tax summary amount is no total",
       {"SHOP SDN BHD", "TOTAL 10.60", "Tax Summary Amount", "SR 6% 10.00 0.60"},
       "10.60"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Extract(c.lines, "receipt")["total"], c.total);
  }
}

// OCR split the decimal ("14. 65"): the value keeps what the page shows, the
// normalized amount is the one printed (14.65), not 14 or 65.
TEST(ReceiptRules, TotalWithADecimalSplitByOcr) {
  core::DocumentResult doc;
  Extract({"SHOP SDN BHD", "TOTAL RM 14. 65"}, "receipt", &doc);
  const core::Field* total = nullptr;
  for (const core::Field& f : doc.fields) {
    if (f.name == "total") total = &f;
  }
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->normalized, "14.65");
  EXPECT_NE(total->value.find("14. 65"), std::string::npos) << total->value;
}

TEST(ReceiptRules, MisreadDates) {
  struct Case {
    const char* text;
    std::string iso;  // "" = none
  };
  const Case cases[] = {
      {"19/62/2018 16:45", "2018-02-19"},  // month 62: 6 read for 0
      {"Date 69/02/2018", "2018-02-09"},
      {"Date: 05/09/2617", "2017-09-05"},  // year 2617: 6 read for 0
      {"30/04/2078", "2018-04-30"},        // 7 read for 1
      {"25/12/2018", "2018-12-25"},        // valid as read
      {"DATE: 25I04/2017", "2017-04-25"},  // '/' read as 'I'
      {"25l04/2017", "2017-04-25"},
      {"25I04.2017", ""},  // the other separator is no slash: no stroke misread
      {"99/99/9999", ""},
      {"31/02/2018", ""},  // no one-digit change makes February 31st real
      {"12/12/2030", ""},  // after today
  };
  DateOptions options;
  options.today = {2024, 6, 1};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto m = fields_internal::FindMisreadDate(c.text, options);
    EXPECT_EQ(m ? m->normalized : "", c.iso);
  }
}

TEST(InvoiceRules, GermanAndEnglishLayouts) {
  struct Case {
    const char* name;
    std::vector<std::string> lines;
    std::map<std::string, std::string> want;
  };
  const Case cases[] = {
      {"seller under its heading, number and date on one line, tax by label",
       {"Beispiel-Rechnungen (c) 2022", "Handelsrechnung (380) Nr. 471113 vom 13.06.2018",
        "Erstellt am 24.03.2020", "Verkäufer", "Nummer: 549910", "Name: Lieferant GmbH",
        "Rechnungssumme ohne USt. 22,00", "Steuerbetrag 1,54", "Bruttosumme 23,54",
        "Zahlbetrag 20,00"},
       {{"vendor_name", "Lieferant GmbH"},
        {"invoice_number", "471113"},
        {"invoice_date", "13.06.2018"},
        {"subtotal", "22,00"},
        {"tax", "1,54"},
        {"total", "23,54"}}},
      {"qualified document word before the number",
       {"ACME GMBH", "Rechnung des Versicherers (575) Nr. 01.234.567.8-2018-1 vom 06.12.2018"},
       {{"invoice_number", "01.234.567.8-2018-1"}, {"invoice_date", "06.12.2018"}}},
      {"specific date label before a bare 'Date'; '# ' in the number",
       {"Retail Invoice", "Invoice No : # BLR_WFLD2015", "Order Date: 15-10-2015",
        "Invoice Date: 20-10-2015"},
       {{"invoice_number", "#BLR_WFLD2015"}, {"invoice_date", "20-10-2015"}}},
      {"seller left of buyer on one line",
       {"Lieferant Käufer", "MUSTERLIEFERANT GMBH MUSTER-KUNDE GMBH"},
       {{"vendor_name", "MUSTERLIEFERANT GMBH"}}},
      {"tax from net + tax = total when the tax label is missing",
       {"ACME LTD", "Invoice No. 77", "Net amount 100.00", "VAT 19 %", "19.00",
        "Grand Total 119.00"},
       {{"tax", "19.00"}, {"total", "119.00"}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto got = Extract(c.lines, "invoice");
    for (const auto& [name, value] : c.want) EXPECT_EQ(got[name], value) << name;
  }
}

TEST(LineItems, ColumnsAndValidation) {
  core::DocumentResult doc;
  auto got = Extract({"SHOP SDN BHD", "QTY DESCRIPTION PRICE AMOUNT", "2 GREEN TEA 1.00 2.00",
                      "SHIRA RAMEN 12.80", "KAIN BEBOLA(S) SHA BU", "0412638 2 14.90 29.80",
                      "TOTAL 44.60", "CASH 50.00", "CHANGE 5.40"},
                     "receipt", &doc);
  ASSERT_EQ(doc.line_items.size(), 3u);
  EXPECT_EQ(doc.line_items[0].description, "GREEN TEA");
  EXPECT_EQ(doc.line_items[0].quantity, "2");
  EXPECT_EQ(doc.line_items[0].unit_price, "1.00");
  EXPECT_EQ(doc.line_items[0].amount, "2.00");
  EXPECT_EQ(doc.line_items[1].description, "SHIRA RAMEN");
  EXPECT_EQ(doc.line_items[1].quantity, "");
  // The numbers-only row takes the description printed on the row above.
  EXPECT_EQ(doc.line_items[2].description, "KAIN BEBOLA(S) SHA BU");
  EXPECT_EQ(doc.line_items[2].quantity, "2");
  EXPECT_EQ(doc.line_items[2].amount, "29.80");
  for (const core::Field& f : doc.fields) {
    if (f.name == "total") {
      EXPECT_EQ(f.validator_status, "valid") << f.validator_detail;
    }
  }

  // Items that do not add up to the subtotal leave it unchecked (the items may be
  // incomplete); ValidateLineItems itself says invalid.
  Extract({"ACME LTD", "Description Qty Unit price Amount", "Widget 2 10.00 20.00",
           "Gadget 1 5.00 5.00", "Subtotal 30.00", "Total 30.00"},
          "invoice", &doc);
  ASSERT_EQ(doc.line_items.size(), 2u);
  for (const core::Field& f : doc.fields) {
    if (f.name == "subtotal") {
      EXPECT_EQ(f.validator_status, "unchecked");
    }
  }
  EXPECT_EQ(ValidateLineItems(doc.line_items, doc.fields).status, Validity::kInvalid);

  // No item table: no items.
  Extract({"ACME LTD", "Total 30.00"}, "invoice", &doc);
  EXPECT_TRUE(doc.line_items.empty());
}

}  // namespace
}  // namespace smartocr::extract
