// ParseResultJson is the other direction of RenderJson: what it reads renders to the
// same bytes, so stored results can be rendered again (text, hOCR, CSV, PDF) and turned
// into rows without anything lost.
#include <gtest/gtest.h>

#include "render/render.h"
#include "sample_document.h"

namespace smartocr::render {
namespace {

using testing::SampleDocument;

// The sample with every optional part filled: fields, line items, review, redaction,
// warnings.
core::DocumentResult FullDocument() {
  core::DocumentResult doc = SampleDocument();
  doc.extracted = true;
  doc.doc_type = "invoice";
  doc.doc_type_confidence = 0.8333;
  doc.extractor_version = "rules + lexicon test-1 #0011aabb";
  core::Field total;
  total.name = "total";
  total.value = "1,234.50";
  total.normalized = "1234.50";
  total.confidence = 0.91234567;
  total.validator_status = "valid";
  total.validator_detail = "net + tax";
  total.page = 1;
  total.bbox = {100, 1000, 300, 1040};
  total.source = "rules";
  total.engine_version = "tesseract 5.3.0";
  total.needs_review = false;
  core::Field iban = total;
  iban.name = "iban";
  iban.value = "=cmd|' /C calc'!A0";  // a formula the CSV must defuse
  iban.confidence = 0.41;
  iban.validator_status = "invalid";
  iban.page = 2;
  iban.bbox = {50, 50, 240, 80};
  iban.needs_review = true;
  core::Field company = total;
  company.name = "company";
  company.value = company.normalized = "POPULAR BOOK CO SDN BHD";
  company.corrected_from = "P0PULAR BOOK CO SDN BHD";  // a lexicon's correction
  doc.fields = {total, iban, company};
  doc.line_items = {{"Widget, blue", "2", "3.50", "7.00", 1, {100, 280, 250, 340}}};
  doc.review_threshold = 0.8;
  doc.redacted_kinds = {"iban", "mrz"};
  doc.redacted_regions = 1;
  doc.redacted_boxes = {{2, {50, 50, 150, 80}}};
  doc.warnings = {"LLM extraction skipped, rule fields kept: unavailable"};
  return doc;
}

TEST(RenderJsonParse, RoundTripsToTheSameBytes) {
  for (const core::DocumentResult& doc : {SampleDocument(), FullDocument()}) {
    const std::string json = RenderJson(doc);
    auto back = ParseResultJson(json);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(RenderJson(*back), json);
    EXPECT_EQ(back->extractor_version, doc.extractor_version);
    ASSERT_EQ(back->fields.size(), doc.fields.size());
    for (size_t i = 0; i < doc.fields.size(); ++i) {
      EXPECT_EQ(back->fields[i].corrected_from, doc.fields[i].corrected_from);
    }
    EXPECT_EQ(RenderText(*back), RenderText(doc));
    EXPECT_EQ(RenderFieldsCsv(*back), RenderFieldsCsv(doc));
    EXPECT_EQ(RenderHocr(*back), RenderHocr(doc));
  }
}

TEST(RenderJsonParse, BoxesComeBackInPixels) {
  auto back = ParseResultJson(RenderJson(FullDocument()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  // Blocks come back in reading order ("Hello world" is read first).
  const core::Word& world = back->pages[0].blocks[0].lines[0].words[1];
  EXPECT_EQ(world.text, "world");
  EXPECT_NEAR(world.box.x0, 320, 1e-6);
  EXPECT_NEAR(world.box.y1, 260, 1e-6);
  // A field's box is in pixels of its own page (page 2 is 500 x 500).
  EXPECT_NEAR(back->fields[1].bbox.x1, 240, 1e-6);
  EXPECT_NEAR(back->redacted_boxes[0].box.x1, 150, 1e-6);
  EXPECT_EQ(back->pages[0].rotation, 90);
  EXPECT_EQ(back->pages[0].dpi, 300);  // as written: 2 decimals
  EXPECT_EQ(back->pages[0].dpi_source, core::DpiSource::kImage);
  EXPECT_EQ(back->pages[1].dpi_source, core::DpiSource::kUnknown);  // none known
  EXPECT_EQ(back->pages[1].source, core::PageSource::kPdfText);
  EXPECT_TRUE(back->fields[1].needs_review);
  EXPECT_DOUBLE_EQ(back->review_threshold, 0.8);
}

TEST(RenderJsonParse, RejectsWhatIsNotAResult) {
  for (const char* text : {"", "{}", "[]", "{\"pages\": 3}", "not json"}) {
    SCOPED_TRACE(text);
    auto back = ParseResultJson(text);
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.status().code(), core::StatusCode::kInternal);
    EXPECT_EQ(back.status().reason(), "result_json");
  }
  // Wrong types inside are an error too, not an exception.
  EXPECT_FALSE(ParseResultJson(R"({"pages": [{"number": "one"}]})").ok());
}

}  // namespace
}  // namespace smartocr::render
