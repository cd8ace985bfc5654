#include <gtest/gtest.h>

#include "document/document.h"
#include "http_receiver.h"
#include "llm/llm.h"

namespace smartocr::document {
namespace {

extract::Date FixedToday() { return {2026, 11, 26}; }

// The steps after recognition on `doc`, as the service runs them (no pipeline needed).
core::Status Postprocess(core::DocumentResult& doc, const DocumentOptions& options,
                         llm::LlmClient* llm = nullptr) {
  pipeline::PipelineSet no_pipelines;
  DocumentService service(no_pipelines, llm, &FixedToday);
  auto out = service.PostRecognition(doc, options);
  if (!out.ok()) return out.status();
  doc = std::move(out->doc);
  return core::Status::Ok();
}

core::DocumentResult DocWithWords(const std::vector<std::string>& lines) {
  core::DocumentResult doc;
  core::PageResult page;
  page.number = 1;
  page.width = 1000;
  page.height = 1000;
  core::Block block;
  double y = 10;
  for (const std::string& text : lines) {
    core::Line line;
    double x = 10;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find(' ', start);
      if (end == std::string::npos) end = text.size();
      const std::string word = text.substr(start, end - start);
      line.words.push_back({word, {x, y, x + 12.0 * word.size(), y + 20}, 0.95});
      x += 12.0 * word.size() + 10;
      start = end + 1;
    }
    line.box = {10, y, x, y + 20};
    line.confidence = 0.95;
    block.lines.push_back(line);
    y += 30;
  }
  block.box = {10, 10, 900, y};
  page.blocks.push_back(block);
  page.FinalizeTextAndConfidence();
  doc.pages.push_back(page);
  doc.page_count = 1;
  return doc;
}

TEST(DocumentOptionsTest, ReadsEveryKeyAndIgnoresOthers) {
  auto o = DocumentOptionsFromJson(nlohmann::json::parse(
      R"({"schema": "receipt", "redact": ["email", "iban"], "review_threshold": 0.8,
          "pages": "1-3"})"));
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->schema, "receipt");
  EXPECT_EQ(o->redact, (std::vector<std::string>{"iban", "email"}));  // KnownKinds order
  EXPECT_DOUBLE_EQ(o->review_threshold, 0.8);
  EXPECT_EQ(o->custom_schema, nullptr);

  auto empty = DocumentOptionsFromJson(nlohmann::json());
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->schema.empty());

  auto custom = DocumentOptionsFromJson(nlohmann::json::parse(
      R"({"schema_def": {"name": "po", "fields": [{"name": "po_number", "labels": ["PO"]}]}})"));
  ASSERT_TRUE(custom.ok()) << custom.status().ToString();
  EXPECT_EQ(custom->schema, "po");
  ASSERT_NE(custom->custom_schema, nullptr);
  EXPECT_EQ(custom->custom_schema->fields.size(), 1u);
}

TEST(DocumentOptionsTest, RejectsMalformedOptions) {
  for (const char* bad :
       {R"([])", R"({"schema": 3})", R"({"redact": "email"})", R"({"redact": ["email", 4]})",
        R"({"redact": ["bogus"]})", R"({"review_threshold": 0})", R"({"review_threshold": 1.5})",
        R"({"review_threshold": "high"})", R"({"schema_def": {"name": "x"}})",
        R"({"schema_def": []})", R"({"page_engines": []})", R"({"page_engines": {"0": "ppocr"}})",
        R"({"page_engines": {"2x": "ppocr"}})", R"({"page_engines": {"2": "magic"}})",
        R"({"page_engines": {"2": 1}})", R"({"lang": 7})", R"({"lang": ""})"}) {
    SCOPED_TRACE(bad);
    auto o = DocumentOptionsFromJson(nlohmann::json::parse(bad));
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.status().code(), core::StatusCode::kInvalidArgument);
    EXPECT_EQ(o.status().reason(), "options");
  }
}

TEST(DocumentOptionsTest, JsonRoundTripsTheOptions) {
  auto o = DocumentOptionsFromJson(nlohmann::json::parse(R"({
      "schema_def": {"name": "po", "fields": [{"name": "po_number", "labels": ["PO"]}]},
      "redact": ["iban", "email"], "review_threshold": 0.75, "locale": "de-DE", "lang": "deu+eng",
      "page_engines": {"12": "ppocr", "2": "hybrid"}})"));
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  const nlohmann::json written = DocumentOptionsToJson(*o);
  auto back = DocumentOptionsFromJson(written);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->schema, "po");
  ASSERT_NE(back->custom_schema, nullptr);
  EXPECT_EQ(back->custom_schema->fields.size(), 1u);
  EXPECT_EQ(back->redact, o->redact);
  EXPECT_DOUBLE_EQ(back->review_threshold, 0.75);
  EXPECT_EQ(back->locale, "de-DE");
  EXPECT_EQ(back->lang, "deu+eng");
  EXPECT_EQ(back->page_engines, (std::map<int, std::string>{{2, "hybrid"}, {12, "ppocr"}}));
  EXPECT_EQ(DocumentOptionsToJson(*back), written);
  // Defaults are left out.
  EXPECT_EQ(DocumentOptionsToJson(DocumentOptions()), nlohmann::json::object());
}

// Fields found only to know what to redact are not in the result.
TEST(DocumentServiceTest, RedactionWithoutFieldsLeavesNoFields) {
  core::DocumentResult doc =
      DocWithWords({"Contact jane@example.com", "IBAN DE89370400440532013000"});
  DocumentOptions options;
  options.redact = {"iban", "email"};
  ASSERT_TRUE(Postprocess(doc, options).ok());
  EXPECT_FALSE(doc.extracted);
  EXPECT_TRUE(doc.fields.empty());
  EXPECT_EQ(doc.pages[0].text.find("jane"), std::string::npos);
  EXPECT_EQ(doc.pages[0].text.find("DE89"), std::string::npos);
  EXPECT_EQ(doc.redacted_kinds, (std::vector<std::string>{"iban", "email"}));
}

std::string Completion(const nlohmann::json& content) {
  nlohmann::json body = {
      {"choices",
       nlohmann::json::array({{{"index", 0},
                               {"message", {{"role", "assistant"}, {"content", content.dump()}}},
                               {"finish_reason", "stop"}}})}};
  return body.dump();
}

llm::LlmConfig ConfigFor(const testing::HttpReceiver& server) {
  llm::LlmConfig c;
  c.base_url = server.Url("/v1");
  c.model = "fake";
  c.timeout = std::chrono::milliseconds(2000);
  c.backoff = std::chrono::milliseconds(1);
  c.max_attempts = 1;
  return c;
}

const char kPoSchema[] = R"({"schema_def": {"name": "po", "fields": [
    {"name": "po_number", "labels": ["PO Number"]},
    {"name": "approver", "labels": ["Approved by"]}]}})";

// The LLM fills what the rules did not find; its fields say where they came from.
TEST(DocumentServiceTest, TheLlmFillsWhatTheRulesMissed) {
  auto server = testing::HttpReceiver::Start(
      {.response_body =
           Completion({{"fields", {{"po_number", "PO-12345"}, {"approver", "Jane Roe"}}}})});
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  llm::LlmClient client(ConfigFor(**server));
  core::DocumentResult doc = DocWithWords({"PO Number PO-12345", "Signed Jane Roe"});
  auto o = DocumentOptionsFromJson(nlohmann::json::parse(kPoSchema));
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  ASSERT_TRUE(Postprocess(doc, *o, &client).ok());
  ASSERT_EQ(doc.fields.size(), 2u);
  EXPECT_EQ(doc.fields[0].source, "rules");
  EXPECT_EQ(doc.fields[1].value, "Jane Roe");
  EXPECT_EQ(doc.fields[1].source, "llm");
  EXPECT_TRUE(doc.warnings.empty());
  EXPECT_EQ(client.requests_sent(), 1);
}

// A failing LLM leaves the rule fields and says so in the result's warnings.
TEST(DocumentServiceTest, AFailingLlmIsAWarningNotAFailure) {
  auto server = testing::HttpReceiver::Start({.statuses = {500}, .response_body = "down"});
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  llm::LlmClient client(ConfigFor(**server));
  core::DocumentResult doc = DocWithWords({"PO Number PO-12345"});
  auto o = DocumentOptionsFromJson(nlohmann::json::parse(kPoSchema));
  ASSERT_TRUE(o.ok());
  ASSERT_TRUE(Postprocess(doc, *o, &client).ok());
  ASSERT_FALSE(doc.fields.empty());
  EXPECT_EQ(doc.fields[0].value, "PO-12345");
  ASSERT_EQ(doc.warnings.size(), 1u);
  EXPECT_NE(doc.warnings[0].find("LLM extraction skipped"), std::string::npos);
}

// Without fields asked for, the LLM is not asked either.
TEST(DocumentServiceTest, NoFieldsNoLlm) {
  auto server = testing::HttpReceiver::Start({});
  ASSERT_TRUE(server.ok());
  llm::LlmClient client(ConfigFor(**server));
  core::DocumentResult doc = DocWithWords({"PO Number PO-12345"});
  ASSERT_TRUE(Postprocess(doc, DocumentOptions(), &client).ok());
  EXPECT_EQ(client.requests_sent(), 0);
}

TEST(DocumentServiceTest, FieldsThenReviewFlagsThenRedaction) {
  core::DocumentResult doc =
      DocWithWords({"PO Number PO-12345", "Contact jane@example.com", "Notes none"});
  auto o = DocumentOptionsFromJson(nlohmann::json::parse(R"({
      "schema_def": {"name": "po", "fields": [
        {"name": "po_number", "type": "regex", "pattern": "PO-[0-9]{5}", "labels": ["PO Number"]},
        {"name": "contact", "labels": ["Contact"]},
        {"name": "approved_by", "labels": ["Approved by"], "required": true}]},
      "redact": ["email"], "review_threshold": 0.9})"));
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  ASSERT_TRUE(Postprocess(doc, *o).ok());
  EXPECT_EQ(doc.doc_type, "po");
  ASSERT_EQ(doc.fields.size(), 3u);
  EXPECT_EQ(doc.fields[0].value, "PO-12345");
  EXPECT_FALSE(doc.fields[0].needs_review);  // confident and valid
  EXPECT_TRUE(doc.fields[2].needs_review);   // required, missing: invalid
  EXPECT_DOUBLE_EQ(doc.review_threshold, 0.9);
  // The e-mail went from the field and the words; its box is recorded for images.
  EXPECT_EQ(doc.fields[1].value.find("jane"), std::string::npos);
  EXPECT_EQ(doc.pages[0].text.find("jane"), std::string::npos);
  ASSERT_FALSE(doc.redacted_boxes.empty());
  EXPECT_EQ(doc.redacted_boxes[0].page, 1);
  EXPECT_EQ(doc.redacted_kinds, (std::vector<std::string>{"email"}));
}

TEST(DocumentServiceTest, NothingAskedChangesNothing) {
  core::DocumentResult doc = DocWithWords({"Contact jane@example.com"});
  ASSERT_TRUE(Postprocess(doc, DocumentOptions()).ok());
  EXPECT_FALSE(doc.extracted);
  EXPECT_TRUE(doc.redacted_kinds.empty());
  EXPECT_NE(doc.pages[0].text.find("jane@example.com"), std::string::npos);
}

TEST(DocumentServiceTest, LowConfidenceFieldsNeedReview) {
  core::DocumentResult doc;
  core::Field sure, unsure, invalid;
  sure.confidence = 0.95;
  unsure.confidence = 0.5;
  invalid.confidence = 0.99;
  invalid.validator_status = "invalid";
  doc.fields = {sure, unsure, invalid};
  FlagFieldsForReview(doc, 0.8);
  EXPECT_FALSE(doc.fields[0].needs_review);
  EXPECT_TRUE(doc.fields[1].needs_review);
  EXPECT_TRUE(doc.fields[2].needs_review);
}

}  // namespace
}  // namespace smartocr::document
