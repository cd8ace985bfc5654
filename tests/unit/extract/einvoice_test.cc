// E-invoice XML (CII and ZUGFeRD 1.0) to invoice fields, the check against the page,
// and what extraction does with an embedded XML (documents built from text; no PDF).
#include "extract/einvoice.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "doc_builder.h"
#include "extract/fields.h"

namespace smartocr::extract {
namespace {

// A Factur-X / ZUGFeRD 2 (CII) invoice, shaped like the EN 16931 samples.
std::string Cii(const std::string& total = "23.54") {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root, as the samples carry -->
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocument>
    <ram:ID>471113</ram:ID>
    <ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20180613</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty>
        <ram:Name>Lieferant GmbH</ram:Name>
        <ram:PostalTradeAddress>
          <ram:PostcodeCode>80333</ram:PostcodeCode>
          <ram:LineOne>Lieferantenstra&#223;e 20</ram:LineOne>
          <ram:CityName>M&#252;nchen</ram:CityName>
          <ram:CountryID>DE</ram:CountryID>
        </ram:PostalTradeAddress>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">201/113/40209</ram:ID></ram:SpecifiedTaxRegistration>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">DE123456789</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementPaymentMeans>
        <ram:PayeePartyCreditorFinancialAccount><ram:IBANID>DE02120300000000202051</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>
      </ram:SpecifiedTradeSettlementPaymentMeans>
      <ram:SpecifiedTradePaymentTerms>
        <ram:DueDateDateTime><udt:DateTimeString format="102">20180713</udt:DateTimeString></ram:DueDateDateTime>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:TaxBasisTotalAmount>22.00</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="USD">1.80</ram:TaxTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">1.54</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>)" +
         total + R"(</ram:GrandTotalAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>)";
}

// ZUGFeRD 1.0: other element names around the same content.
constexpr const char* kZugferd1 = R"(<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15">
  <rsm:HeaderExchangedDocument>
    <ram:ID>RK21012345</ram:ID>
    <ram:IssueDateTime><udt:DateTimeString format="102">20130912</udt:DateTimeString></ram:IssueDateTime>
  </rsm:HeaderExchangedDocument>
  <rsm:SpecifiedSupplyChainTradeTransaction>
    <ram:ApplicableSupplyChainTradeAgreement>
      <ram:SellerTradeParty><ram:Name>MUSTERLIEFERANT GMBH</ram:Name></ram:SellerTradeParty>
    </ram:ApplicableSupplyChainTradeAgreement>
    <ram:ApplicableSupplyChainTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementMonetarySummation>
        <ram:TaxBasisTotalAmount currencyID="EUR">-8.79</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">-0.62</ram:TaxTotalAmount>
        <ram:GrandTotalAmount currencyID="EUR">-9.41</ram:GrandTotalAmount>
      </ram:SpecifiedTradeSettlementMonetarySummation>
    </ram:ApplicableSupplyChainTradeSettlement>
  </rsm:SpecifiedSupplyChainTradeTransaction>
</rsm:CrossIndustryDocument>)";

std::map<std::string, core::Field> ByName(const std::vector<core::Field>& fields) {
  std::map<std::string, core::Field> out;
  for (const core::Field& f : fields) out[f.name] = f;
  return out;
}

TEST(EInvoice, ReadsCii) {
  auto fields = ReadEInvoiceFields(Cii());
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  auto f = ByName(*fields);
  EXPECT_EQ(f["vendor_name"].value, "Lieferant GmbH");
  EXPECT_EQ(f["vendor_address"].value, "Lieferantenstraße 20, 80333 München, DE");
  EXPECT_EQ(f["vendor_vat_id"].value, "DE123456789");  // the VA registration, not FC
  EXPECT_EQ(f["invoice_number"].value, "471113");
  EXPECT_EQ(f["invoice_date"].normalized, "2018-06-13");
  EXPECT_EQ(f["due_date"].normalized, "2018-07-13");
  EXPECT_EQ(f["currency"].value, "EUR");
  EXPECT_EQ(f["subtotal"].normalized, "22.00");
  EXPECT_EQ(f["tax"].normalized, "1.54");  // the one in the invoice currency
  EXPECT_EQ(f["total"].normalized, "23.54");
  EXPECT_EQ(f["iban"].value, "DE02120300000000202051");
  for (const core::Field& field : *fields) {
    EXPECT_EQ(field.source, "e-invoice") << field.name;
    EXPECT_EQ(field.confidence, 1.0) << field.name;
  }
}

TEST(EInvoice, ReadsZugferd1) {
  auto fields = ReadEInvoiceFields(kZugferd1);
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  auto f = ByName(*fields);
  EXPECT_EQ(f["vendor_name"].value, "MUSTERLIEFERANT GMBH");
  EXPECT_EQ(f["invoice_number"].value, "RK21012345");
  EXPECT_EQ(f["invoice_date"].normalized, "2013-09-12");
  EXPECT_EQ(f["total"].normalized, "-9.41");
  EXPECT_EQ(f["tax"].normalized, "-0.62");
  EXPECT_EQ(f.count("iban"), 0u);
}

TEST(EInvoice, RefusesWhatIsNoInvoiceXml) {
  const std::pair<std::string, std::string> cases[] = {
      {"not xml at all", "einvoice_xml"},
      {"<rsm:CrossIndustryInvoice><unclosed></rsm:CrossIndustryInvoice>", "einvoice_xml"},
      {"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>",
       "einvoice_syntax"},
      {R"(<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
          <CrossIndustryInvoice>&b;</CrossIndustryInvoice>)",
       "einvoice_dtd"},
      {std::string(kMaxEInvoiceBytes + 1, ' '), "einvoice_xml"},
      {std::string("<\0C\0r\0o\0s\0s\0", 12), "einvoice_xml"},  // UTF-16
      // A billion laughs: refused before any entity is parsed.
      {R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
          <!ENTITY l1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY l2 "&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;">
          <!ENTITY l3 "&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;">
          <!ENTITY l4 "&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;">]>
          <CrossIndustryInvoice><ExchangedDocument><ID>&l4;</ID></ExchangedDocument>
          </CrossIndustryInvoice>)",
       "einvoice_dtd"},
  };
  for (const auto& [xml, reason] : cases) {
    auto fields = ReadEInvoiceFields(xml);
    ASSERT_FALSE(fields.ok()) << xml.substr(0, 80);
    EXPECT_EQ(fields.status().code(), core::StatusCode::kCorruptInput);
    EXPECT_EQ(fields.status().reason(), reason) << xml.substr(0, 80);
  }
}

TEST(EInvoice, CrossCheckAgainstThePage) {
  auto fields = ReadEInvoiceFields(Cii());
  ASSERT_TRUE(fields.ok());
  core::Field total;
  total.name = "total";
  total.value = "23,45 EUR";
  total.normalized = "23.45";
  total.page = 1;
  core::Field number;
  number.name = "invoice_number";
  number.value = number.normalized = "471113";
  core::Field vendor;
  vendor.name = "vendor_name";
  vendor.value = vendor.normalized = "LIEFERANT  GMBH";
  core::Field address;
  address.name = "vendor_address";
  address.value = address.normalized = "Lieferantenstraße 20, 80333 München";
  CrossCheckEInvoice(*fields, {total, number, vendor, address});
  auto f = ByName(*fields);
  EXPECT_EQ(f["total"].validator_status, "invalid");
  EXPECT_EQ(f["total"].validator_detail, "the page shows 23,45 EUR");
  EXPECT_EQ(f["total"].confidence, 0.0);
  EXPECT_EQ(f["total"].page, 1);
  EXPECT_EQ(f["invoice_number"].validator_status, "valid");
  EXPECT_EQ(f["vendor_name"].validator_status, "valid");  // case and spacing folded
  EXPECT_EQ(f["vendor_name"].validator_detail, "the page shows the same");
  EXPECT_EQ(f["vendor_address"].validator_status, "valid");  // without the country
  EXPECT_EQ(f["vendor_address"].validator_detail,
            "the page shows it as Lieferantenstraße 20, 80333 München");
  EXPECT_EQ(f["iban"].validator_status, "unchecked");
  EXPECT_EQ(f["iban"].validator_detail, "not found on the page");
}

core::DocumentResult InvoicePage() {
  return test_docs::Document(test_docs::Stacked({"Lieferant GmbH", "INVOICE", "Invoice No: 471113",
                                                 "Invoice date: 13.06.2018", "Net 22.00 EUR",
                                                 "VAT 1.54 EUR", "Total 23.54 EUR"}));
}

TEST(EInvoice, ExtractionUsesTheEmbeddedXmlAndFlagsDisagreement) {
  core::DocumentResult doc = InvoicePage();
  doc.embedded_invoice_name = "factur-x.xml";
  doc.embedded_invoice_xml = Cii("99.99");
  ExtractOptions options;  // "auto": the XML makes it an invoice
  ASSERT_TRUE(ExtractFields(doc, options).ok());
  EXPECT_EQ(doc.doc_type, "invoice");
  EXPECT_EQ(doc.doc_type_confidence, 1.0);
  EXPECT_NE(doc.extractor_version.find("e-invoice"), std::string::npos) << doc.extractor_version;
  auto f = ByName(doc.fields);
  EXPECT_EQ(f["total"].source, "e-invoice");
  EXPECT_EQ(f["total"].normalized, "99.99");
  EXPECT_EQ(f["total"].validator_status, "invalid");
  EXPECT_EQ(f["total"].engine_version, "e-invoice factur-x.xml");
  EXPECT_EQ(f["invoice_number"].validator_status, "valid");
  EXPECT_EQ(f["tax"].validator_status, "valid");

  core::DocumentResult page_only = InvoicePage();
  page_only.embedded_invoice_xml = Cii("99.99");
  options.read_embedded_invoice = false;
  ASSERT_TRUE(ExtractFields(page_only, options).ok());
  EXPECT_EQ(ByName(page_only.fields)["total"].normalized, "23.54");
  EXPECT_EQ(ByName(page_only.fields)["total"].source, "rules");
}

TEST(EInvoice, UnreadableXmlLeavesThePageFieldsAndAWarning) {
  core::DocumentResult doc = InvoicePage();
  doc.embedded_invoice_name = "factur-x.xml";
  doc.embedded_invoice_xml = "<broken";
  ExtractOptions options;
  options.schema = "invoice";
  ASSERT_TRUE(ExtractFields(doc, options).ok());
  EXPECT_EQ(ByName(doc.fields)["total"].source, "rules");
  ASSERT_EQ(doc.warnings.size(), 1u);
  EXPECT_NE(doc.warnings[0].find("einvoice_xml"), std::string::npos) << doc.warnings[0];
}

TEST(EInvoice, AReceiptSchemaIgnoresIt) {
  core::DocumentResult doc = InvoicePage();
  doc.embedded_invoice_xml = Cii();
  ExtractOptions options;
  options.schema = "receipt";
  ASSERT_TRUE(ExtractFields(doc, options).ok());
  EXPECT_EQ(doc.doc_type, "receipt");
  for (const core::Field& f : doc.fields) EXPECT_NE(f.source, "e-invoice") << f.name;
}

}  // namespace
}  // namespace smartocr::extract
