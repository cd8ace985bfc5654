#include "postprocess/postprocess.h"

#include <gtest/gtest.h>

namespace smartocr::postprocess {
namespace {

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

TEST(ParsePostprocessOptionsTest, ReadsEveryKeyAndIgnoresOthers) {
  auto o = ParsePostprocessOptions(nlohmann::json::parse(
      R"({"schema": "receipt", "redact": ["email", "iban"], "review_threshold": 0.8,
          "pages": "1-3"})"));
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->schema, "receipt");
  EXPECT_EQ(o->redact, (std::vector<std::string>{"iban", "email"}));  // KnownKinds order
  EXPECT_DOUBLE_EQ(o->review_threshold, 0.8);
  EXPECT_EQ(o->custom_schema, nullptr);

  auto empty = ParsePostprocessOptions(nlohmann::json());
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->schema.empty());

  auto custom = ParsePostprocessOptions(nlohmann::json::parse(
      R"({"schema_def": {"name": "po", "fields": [{"name": "po_number", "labels": ["PO"]}]}})"));
  ASSERT_TRUE(custom.ok()) << custom.status().ToString();
  EXPECT_EQ(custom->schema, "po");
  ASSERT_NE(custom->custom_schema, nullptr);
  EXPECT_EQ(custom->custom_schema->fields.size(), 1u);
}

TEST(ParsePostprocessOptionsTest, RejectsMalformedOptions) {
  for (const char* bad :
       {R"([])", R"({"schema": 3})", R"({"redact": "email"})", R"({"redact": ["email", 4]})",
        R"({"redact": ["bogus"]})", R"({"review_threshold": 0})", R"({"review_threshold": 1.5})",
        R"({"review_threshold": "high"})", R"({"schema_def": {"name": "x"}})",
        R"({"schema_def": []})"}) {
    SCOPED_TRACE(bad);
    auto o = ParsePostprocessOptions(nlohmann::json::parse(bad));
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.status().code(), core::StatusCode::kInvalidArgument);
    EXPECT_EQ(o.status().reason(), "options");
  }
}

TEST(PostprocessTest, FieldsThenReviewFlagsThenRedaction) {
  core::DocumentResult doc =
      DocWithWords({"PO Number PO-12345", "Contact jane@example.com", "Notes none"});
  auto o = ParsePostprocessOptions(nlohmann::json::parse(R"({
      "schema_def": {"name": "po", "fields": [
        {"name": "po_number", "type": "regex", "pattern": "PO-[0-9]{5}", "labels": ["PO Number"]},
        {"name": "contact", "labels": ["Contact"]},
        {"name": "approved_by", "labels": ["Approved by"], "required": true}]},
      "redact": ["email"], "review_threshold": 0.9})"));
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  ASSERT_TRUE(Postprocess(doc, *o, {2026, 11, 26}).ok());
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

TEST(PostprocessTest, NothingAskedChangesNothing) {
  core::DocumentResult doc = DocWithWords({"Contact jane@example.com"});
  ASSERT_TRUE(Postprocess(doc, PostprocessOptions(), {2026, 11, 26}).ok());
  EXPECT_FALSE(doc.extracted);
  EXPECT_TRUE(doc.redacted_kinds.empty());
  EXPECT_NE(doc.pages[0].text.find("jane@example.com"), std::string::npos);
}

TEST(PostprocessTest, LowConfidenceFieldsNeedReview) {
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
}  // namespace smartocr::postprocess
