// E-invoices end to end: a PDF/A-3-style invoice built at test time with an embedded
// factur-x.xml goes through the sandboxed decoder and extraction; a visible total that
// differs from the XML's is flagged. With ../shared present, every invoices2 PDF's
// embedded XML is read to the fields its labels (derived from that XML) give.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "cli_runner.h"
#include "fixtures.h"

namespace smartocr::testing {
namespace {

namespace fs = std::filesystem;

std::string FacturX(const std::string& total) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocument><ram:ID>INV-2024-0042</ram:ID>
  <ram:IssueDateTime><udt:DateTimeString format="102">20240314</udt:DateTimeString></ram:IssueDateTime>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:ApplicableHeaderTradeAgreement><ram:SellerTradeParty><ram:Name>Northwind Traders GmbH</ram:Name>
  </ram:SellerTradeParty></ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:TaxBasisTotalAmount>1000.00</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">190.00</ram:TaxTotalAmount>
    <ram:GrandTotalAmount>)" +
         total + R"(</ram:GrandTotalAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>)";
}

class CliEInvoiceTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir(); }
  void TearDown() override { fs::remove_all(dir_); }

  // An invoice whose page shows a total of 1,190.00 EUR, carrying `xml`.
  std::string Invoice(const std::string& xml) {
    FixturePage page;
    page.width_pt = 420;
    page.height_pt = 420;
    page.runs = Paragraph({"Northwind Traders GmbH", "INVOICE", "Invoice No: INV-2024-0042",
                           "Invoice date: 14.03.2024", "Net amount: 1,000.00 EUR",
                           "VAT 19%: 190.00 EUR", "Total: 1,190.00 EUR"},
                          40, 50, 12, 22);
    const std::string path = dir_ + "/invoice.pdf";
    WritePdf(path, {page});
    AttachFileToPdf(path, "factur-x.xml", xml);
    return path;
  }

  static std::map<std::string, nlohmann::json> Fields(const CliResult& r) {
    std::map<std::string, nlohmann::json> out;
    const nlohmann::json doc = nlohmann::json::parse(r.out);
    for (const auto& f : doc["fields"]) out[f["name"]] = f;
    return out;
  }

  std::string dir_;
};

TEST_F(CliEInvoiceTest, AgreeingXmlIsCheckedAgainstThePage) {
  CliResult r = RunCli({"extract", Invoice(FacturX("1190.00")), "--schema", "auto"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto f = Fields(r);
  EXPECT_EQ(nlohmann::json::parse(r.out)["doc_type"], "invoice");
  EXPECT_EQ(f["total"]["source"], "e-invoice");
  EXPECT_EQ(f["total"]["normalized"], "1190.00");
  EXPECT_EQ(f["total"]["validator_status"], "valid") << f["total"].dump();
  EXPECT_EQ(f["invoice_number"]["value"], "INV-2024-0042");
  EXPECT_EQ(f["invoice_number"]["validator_status"], "valid");
  EXPECT_EQ(f["invoice_date"]["normalized"], "2024-03-14");
  EXPECT_EQ(f["tax"]["validator_status"], "valid");
  EXPECT_EQ(f["vendor_name"]["value"], "Northwind Traders GmbH");
}

TEST_F(CliEInvoiceTest, AVisibleTotalThatDiffersFromTheXmlIsFlagged) {
  CliResult r = RunCli({"extract", Invoice(FacturX("1090.00")), "--schema", "invoice"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto f = Fields(r);
  EXPECT_EQ(f["total"]["source"], "e-invoice");
  EXPECT_EQ(f["total"]["normalized"], "1090.00");
  EXPECT_EQ(f["total"]["validator_status"], "invalid");
  EXPECT_EQ(f["total"]["validator_detail"], "the page shows 1,190.00 EUR");
  EXPECT_EQ(f["total"]["confidence"], 0.0);
  EXPECT_EQ(f["total"]["page"], 1);  // where the page's value is
}

TEST_F(CliEInvoiceTest, BrokenXmlLeavesThePageFieldsAndSaysSo) {
  CliResult r =
      RunCli({"extract", Invoice("<rsm:CrossIndustryInvoice><oops>"), "--schema", "invoice"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto f = Fields(r);
  EXPECT_EQ(f["total"]["source"], "pdf-text");
  EXPECT_EQ(f["total"]["normalized"], "1190.00");
  EXPECT_NE(r.err.find("einvoice_xml"), std::string::npos) << r.err;
}

// The labels of ../shared/data/invoices2 were derived from the embedded XML: reading
// that XML must give them back, for every file.
TEST(CliEInvoiceShared, EveryInvoices2XmlGivesItsLabels) {
  const std::string data = SharedDataDir();
  if (data.empty() || !fs::exists(data + "/invoices2")) {
    GTEST_SKIP() << "../shared/data/invoices2 not present";
  }
  int files = 0;
  for (const auto& entry : fs::directory_iterator(data + "/invoices2")) {
    if (entry.path().extension() != ".pdf") continue;
    ++files;
    std::string pdf = entry.path().string();
    std::string label_path = pdf.substr(0, pdf.size() - 4) + ".json";
    nlohmann::json label = nlohmann::json::parse(ReadFile(label_path));
    CliResult r = RunCli({"extract", pdf, "--schema", "invoice"});
    ASSERT_EQ(r.exit_code, 0) << pdf << ": " << r.err;
    std::map<std::string, nlohmann::json> f;
    const nlohmann::json doc = nlohmann::json::parse(r.out);
    for (const auto& field : doc["fields"]) f[field["name"]] = field;
    EXPECT_EQ(f["invoice_number"]["value"], label["invoice_number"]) << pdf;
    EXPECT_EQ(f["invoice_number"]["source"], "e-invoice") << pdf;
    EXPECT_EQ(f["invoice_date"]["normalized"], label["issue_date"]) << pdf;
    EXPECT_EQ(f["vendor_name"]["value"], label["seller_name"]) << pdf;
    EXPECT_DOUBLE_EQ(std::stod(f["total"]["normalized"].get<std::string>()),
                     label["total_amount"].get<double>())
        << pdf;
    EXPECT_DOUBLE_EQ(std::stod(f["tax"]["normalized"].get<std::string>()),
                     label["tax_amount"].get<double>())
        << pdf;
  }
  EXPECT_EQ(files, 28);
}

}  // namespace
}  // namespace smartocr::testing
