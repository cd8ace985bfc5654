// `smartocr extract` with tenant schemas, redaction and the LLM, end to end on
// born-digital PDFs (their text layer is read, so no OCR runs and the tests are fast).
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_runner.h"
#include "fixtures.h"
#include "http_receiver.h"

namespace smartocr::testing {
namespace {

constexpr const char* kSchema = R"({
  "name": "purchase_order",
  "fields": [
    {"name": "po_number", "type": "regex", "pattern": "PO-[0-9]+", "labels": ["PO Number"],
     "required": true},
    {"name": "order_date", "type": "date", "labels": ["Order date"]},
    {"name": "total", "type": "amount", "labels": ["Total"]},
    {"name": "contact", "labels": ["Contact"]}
  ]})";

class CliFieldsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    FixturePage page;
    page.width_pt = 420;
    page.height_pt = 300;
    page.runs = Paragraph(
        {"Northwind Traders", "PO Number: PO-20931", "Order date: 14.03.2025",
         "Contact: jane.doe@northwind.example", "Phone: +44 20 7946 0958", "Total: 1,980.00 EUR"},
        40, 50, 12, 22);
    pdf_ = dir_ + "/po.pdf";
    WritePdf(pdf_, {page});
    WriteFile(dir_ + "/purchase_order.json", kSchema);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
  std::string pdf_;
};

TEST_F(CliFieldsTest, SchemaFileAndSchemaDir) {
  CliResult r = RunCli({"extract", pdf_, "--schema-file", dir_ + "/purchase_order.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["doc_type"], "purchase_order");
  std::map<std::string, nlohmann::json> f;
  for (const auto& field : doc["fields"]) f[field["name"]] = field;
  EXPECT_EQ(f["po_number"]["value"], "PO-20931");
  EXPECT_EQ(f["order_date"]["normalized"], "2025-03-14");
  EXPECT_EQ(f["total"]["normalized"], "1980.00");
  EXPECT_EQ(f["contact"]["value"], "jane.doe@northwind.example");
  EXPECT_EQ(f["po_number"]["source"], "pdf-text");

  CliResult by_name =
      RunCli({"extract", pdf_, "--schema", "purchase_order", "--schema-dir", dir_, "-f", "csv"});
  ASSERT_EQ(by_name.exit_code, 0) << by_name.err;
  EXPECT_NE(by_name.out.find("PO-20931"), std::string::npos) << by_name.out;
}

TEST_F(CliFieldsTest, BadSchemasAreUsageErrorsNamingThePath) {
  WriteFile(dir_ + "/bad.json", R"({"name": "bad", "fields": [{"name": "x", "type": "money"}]})");
  CliResult r = RunCli({"extract", pdf_, "--schema-file", dir_ + "/bad.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("$.fields[0].type: must be one of"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  CliResult missing = RunCli({"extract", pdf_, "--schema", "nope", "--schema-dir", dir_});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no schema 'nope'"), std::string::npos) << missing.err;
  CliResult kind = RunCli({"extract", pdf_, "--redact", "ssn"});
  EXPECT_EQ(kind.exit_code, 2);
  EXPECT_NE(kind.err.find("unknown redaction kind 'ssn'"), std::string::npos) << kind.err;
}

TEST_F(CliFieldsTest, RedactsEveryFormatIncludingThePdfTextLayer) {
  const std::vector<std::string> secrets = {"jane.doe", "northwind.example", "7946", "0958"};
  for (const char* format : {"json", "text", "hocr", "pdf"}) {
    SCOPED_TRACE(format);
    std::string out = dir_ + "/out." + format;
    CliResult r = RunCli({"extract", pdf_, "--redact", "email,phone", "-f", format, "-o", out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string text =
        std::string(format) == "pdf" ? Shell("pdftotext -enc UTF-8 " + out + " -") : ReadFile(out);
    EXPECT_NE(text.find("REDACTED"), std::string::npos) << text;
    EXPECT_NE(text.find("PO-20931"), std::string::npos) << text;
    for (const std::string& s : secrets) EXPECT_EQ(text.find(s), std::string::npos) << s;
    if (std::string(format) == "json") {
      nlohmann::json doc = nlohmann::json::parse(text);
      EXPECT_EQ(doc["redaction"]["kinds"], nlohmann::json::array({"email", "phone"}));
      EXPECT_FALSE(doc.contains("fields"));  // not asked for
    }
  }
}

TEST_F(CliFieldsTest, LlmFillsAMissingFieldFromAFakeProvider) {
  nlohmann::json content = {{"fields",
                             {{"po_number", "PO-20931"},
                              {"order_date", "14.03.2025"},
                              {"total", "1,980.00"},
                              {"contact", "Jane Doe"}}}};
  nlohmann::json body = {{"choices",
                          {{{"message", {{"role", "assistant"}, {"content", content.dump()}}},
                            {"finish_reason", "stop"}}}}};
  auto server = HttpReceiver::Start({.response_body = body.dump()});
  ASSERT_TRUE(server.ok());
  // The order date's label is missing from this schema's synonyms, so only the LLM has it.
  WriteFile(dir_ + "/s.json", R"({"name": "po2", "fields": [
      {"name": "po_number", "labels": ["PO Number"]},
      {"name": "order_date", "type": "date", "labels": ["Ordered on"]},
      {"name": "total", "type": "amount", "labels": ["Total"]},
      {"name": "contact", "labels": ["Contact"]}]})");
  std::string cmd = "SMARTOCR_LLM_BASE_URL=" + (*server)->Url("/v1") +
                    " SMARTOCR_LLM_MODEL=fake SMARTOCR_LLM_API_KEY=k " + SMARTOCR_BIN +
                    " extract " + pdf_ + " --llm --schema-file " + dir_ + "/s.json";
  std::string out = Shell(cmd);
  ASSERT_FALSE(out.empty());
  nlohmann::json doc = nlohmann::json::parse(out);
  std::map<std::string, nlohmann::json> f;
  for (const auto& field : doc["fields"]) f[field["name"]] = field;
  EXPECT_EQ(f["contact"]["source"], "pdf-text");  // the rule value passes: it stays
  EXPECT_EQ(f["contact"]["value"], "jane.doe@northwind.example");
  ASSERT_EQ(f.count("order_date"), 1u);  // absent from the rules, filled by the LLM
  EXPECT_EQ(f["order_date"]["source"], "llm");
  EXPECT_EQ(f["order_date"]["normalized"], "2025-03-14");
  EXPECT_EQ(f["order_date"]["validator_status"], "valid");
  EXPECT_EQ(f["order_date"]["engine_version"], "llm fake");
  EXPECT_EQ((*server)->Requests().size(), 1u);
  // Without SMARTOCR_LLM_* set, --llm is a usage error.
  CliResult r = RunCli({"extract", pdf_, "--llm", "--schema", "auto"});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace smartocr::testing
