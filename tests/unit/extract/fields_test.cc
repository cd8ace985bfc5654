// Field rules on documents given as lines of words (no OCR involved).
#include "extract/fields.h"

#include <gtest/gtest.h>

#include <map>

#include "doc_builder.h"

namespace smartocr::extract {
namespace {

using test_docs::Document;
using test_docs::Stacked;

std::map<std::string, core::Field> ByName(const core::DocumentResult& doc) {
  std::map<std::string, core::Field> out;
  for (const core::Field& f : doc.fields) out.emplace(f.name, f);
  return out;
}

TEST(ExtractFields, Receipt) {
  core::DocumentResult doc = Document(Stacked({
      "TAX INVOICE",
      "BOOK TA .K (TAMAN DAYA) SDN BHD (789417-W)",
      "NO.53 55,57 & 59, JALAN SAGU 18,",
      "TAMAN DAYA, 81100 JOHOR BAHRU,",
      "TEL: 07-3553 1234",
      "DATE: 25/12/2018 8:13:39 PM CASHIER: ANN",
      "ITEM QTY PRICE",
      "BALLPOINT 2 4.50",
      "SUB TOTAL 9.00",
      "TOTAL RM 9.00",
      "CASH 10.00",
      "CHANGE 1.00",
  }));
  ExtractOptions options;
  options.schema = "auto";
  options.today = {2026, 11, 26};
  ASSERT_TRUE(ExtractFields(doc, options).ok());
  EXPECT_TRUE(doc.extracted);
  EXPECT_EQ(doc.doc_type, "receipt");
  auto f = ByName(doc);
  EXPECT_EQ(f["company"].value, "BOOK TA .K (TAMAN DAYA) SDN BHD");
  EXPECT_EQ(f["address"].value, "NO.53 55,57 & 59, JALAN SAGU 18, TAMAN DAYA, 81100 JOHOR BAHRU,");
  EXPECT_EQ(f["date"].value, "25/12/2018");
  EXPECT_EQ(f["date"].normalized, "2018-12-25");
  EXPECT_EQ(f["date"].validator_status, "valid");
  EXPECT_EQ(f["total"].normalized, "9.00");
  EXPECT_EQ(f["currency"].value, "MYR");
  // The total's box is the amount's word on the TOTAL line (the 10th line).
  EXPECT_NEAR(f["total"].bbox.y0, 10 + 9 * 30, 0.5);
  EXPECT_EQ(f["total"].page, 1);
  EXPECT_GT(f["total"].confidence, 0.9);
  EXPECT_EQ(f["total"].engine_version, "test 1");
}

TEST(ExtractFields, InvoiceWithArithmeticCheck) {
  core::DocumentResult doc = Document(
      Stacked({"Lieferant GmbH", "Musterstrasse 1, 10115 Berlin", "INVOICE", "Invoice No: R18-31",
               "Invoice Date: 03.10.2018", "Bill to: Kunde AG", "Subtotal 100,00 EUR",
               "VAT 19% 19,00 EUR", "Total 119,00 EUR", "IBAN DE89 3704 0044 0532 0130 00"}),
      1240, 1754);
  ExtractOptions options;
  options.today = {2026, 11, 26};
  ASSERT_TRUE(ExtractFields(doc, options).ok());
  EXPECT_EQ(doc.doc_type, "invoice");
  auto f = ByName(doc);
  EXPECT_EQ(f["vendor_name"].value, "Lieferant GmbH");
  EXPECT_EQ(f["invoice_number"].value, "R18-31");
  EXPECT_EQ(f["invoice_date"].normalized, "2018-10-03");
  EXPECT_EQ(f["subtotal"].normalized, "100.00");
  EXPECT_EQ(f["tax"].normalized, "19.00");
  EXPECT_EQ(f["total"].normalized, "119.00");
  EXPECT_EQ(f["total"].validator_status, "valid");
  EXPECT_EQ(f["currency"].value, "EUR");
  EXPECT_EQ(f["iban"].validator_status, "valid");
}

TEST(ExtractFields, IdDocumentFromMrz) {
  core::DocumentResult doc =
      Document(Stacked({"PASSPORT", "UTOPIA", "Surname ERIKSSON", "Given names ANNA MARIA",
                        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                        "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}),
               1000, 700);
  ExtractOptions options;
  options.today = {2026, 11, 26};
  ASSERT_TRUE(ExtractFields(doc, options).ok());
  EXPECT_EQ(doc.doc_type, "id_document");
  auto f = ByName(doc);
  EXPECT_EQ(f["mrz"].value,
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10");
  EXPECT_EQ(f["mrz_type"].value, "TD3");
  EXPECT_EQ(f["surname"].value, "ERIKSSON");
  EXPECT_EQ(f["given_names"].value, "ANNA MARIA");
  EXPECT_EQ(f["birth_date"].normalized, "1974-08-12");
  EXPECT_EQ(f["document_number"].value, "L898902C3");
  // The VIZ above the zone prints the names; nothing tells 'L898902C3' from
  // '1898902C3' (the checks see 'L' and '1' alike); the birth date has its check digit
  // and the composite (mrz::AssessMrz).
  EXPECT_EQ(f["surname"].validator_status, "valid");
  EXPECT_GE(f["surname"].confidence, 0.95);
  EXPECT_EQ(f["birth_date"].validator_status, "valid");
  EXPECT_EQ(f["document_number"].validator_status, "checks_pass_unconfirmed");
  EXPECT_LE(f["document_number"].confidence, 0.6);
  EXPECT_EQ(f["mrz"].validator_status, "checks_pass_unconfirmed");
  EXPECT_EQ(f["surname"].source, "mrz");
}

TEST(ExtractFields, UnknownSchemaAndEmptyDocument) {
  core::DocumentResult doc = Document({});
  ExtractOptions options;
  options.schema = "passport-ish";
  EXPECT_EQ(ExtractFields(doc, options).code(), core::StatusCode::kInvalidArgument);
  options.schema = "receipt";
  ASSERT_TRUE(ExtractFields(doc, options).ok());
  EXPECT_TRUE(doc.fields.empty());
  EXPECT_EQ(doc.doc_type, "receipt");
}

}  // namespace
}  // namespace smartocr::extract
