#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "render/render.h"
#include "sample_document.h"

namespace smartocr::render {
namespace {

using nlohmann::json;
using testing::SampleDocument;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(RenderJson, TopLevelShape) {
  json j = ToJson(SampleDocument());
  EXPECT_EQ(j["schema_version"], "1");
  EXPECT_EQ(j["input"], "scan.pdf");
  EXPECT_EQ(j["engine"], (json{{"name", "tesseract"}, {"version", "5.3.0"}}));
  EXPECT_EQ(j["page_count"], 2);
  EXPECT_EQ(j["timings_ms"], (json{{"ingest", 1.5}, {"recognize", 20.25}, {"total", 30.125}}));
  ASSERT_EQ(j["pages"].size(), 2u);
  EXPECT_FALSE(j.contains("fields"));  // added later by field extraction
}

TEST(RenderJson, PageShape) {
  json page = ToJson(SampleDocument())["pages"][0];
  for (const char* key : {"number", "width", "height", "rotation", "skew_deg", "dpi", "dpi_source",
                          "language", "language_confidence", "source", "text", "confidence",
                          "preprocess", "blocks", "tables", "timings_ms"}) {
    SCOPED_TRACE(key);
    EXPECT_TRUE(page.contains(key));
  }
  EXPECT_EQ(page.size(), 16u);
  EXPECT_EQ(page["language"], "deu");
  EXPECT_EQ(page["language_confidence"], 0.8333);
  EXPECT_EQ(page["dpi"], 300.0);  // 2 decimals
  EXPECT_EQ(page["dpi_source"], "image");
  EXPECT_EQ(page["number"], 1);
  EXPECT_EQ(page["width"], 1000);
  EXPECT_EQ(page["height"], 2000);
  EXPECT_EQ(page["rotation"], 90);
  EXPECT_EQ(page["skew_deg"], -0.5);
  EXPECT_EQ(page["source"], "ocr");
  EXPECT_EQ(page["text"], "Hello world\nagain\n\nsecond block");
  EXPECT_EQ(page["confidence"], 0.8125);
  EXPECT_EQ(page["preprocess"][0], (json{{"step", "orientation"},
                                         {"applied", true},
                                         {"value", 90.0},
                                         {"detail", "turned upright"}}));
  EXPECT_EQ(page["timings_ms"], (json{{"recognize", 12.5}}));
  EXPECT_EQ(ToJson(SampleDocument())["pages"][1]["source"], "pdf-text");
}

TEST(RenderJson, BlocksInReadingOrderWithLinesAndWords) {
  json blocks = ToJson(SampleDocument())["pages"][0]["blocks"];
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0]["reading_order"], 0);
  EXPECT_EQ(blocks[1]["reading_order"], 1);
  const json& b = blocks[0];
  EXPECT_EQ(b["type"], "text");
  EXPECT_EQ(b["confidence"], 0.9);
  EXPECT_EQ(b["bbox"], (json{0.1, 0.1, 0.5, 0.17}));
  ASSERT_EQ(b["lines"].size(), 2u);
  const json& line = b["lines"][0];
  EXPECT_EQ(line["text"], "Hello world");
  EXPECT_EQ(line["bbox"], (json{0.1, 0.1, 0.5, 0.13}));
  EXPECT_EQ(line["confidence"], 0.93);
  ASSERT_EQ(line["words"].size(), 2u);
  EXPECT_EQ(line["words"][0],
            (json{{"text", "Hello"}, {"bbox", {0.1, 0.1, 0.3, 0.13}}, {"confidence", 0.96}}));
}

TEST(RenderJson, TablesHaveRowsOfCells) {
  json table = ToJson(SampleDocument())["pages"][0]["tables"][0];
  EXPECT_EQ(table["bbox"], (json{0.1, 0.6, 0.9, 0.7}));
  ASSERT_EQ(table["rows"].size(), 2u);
  ASSERT_EQ(table["rows"][1].size(), 2u);
  EXPECT_EQ(table["rows"][1][1], (json{{"bbox", {0.5, 0.65, 0.9, 0.7}}, {"text", "d"}}));
}

TEST(RenderJson, BoxesAreNormalizedClampedAndRounded) {
  struct Case {
    const char* name;
    core::BBox box;
    int width, height;
    json expected;
  };
  const Case cases[] = {
      {"exact", {250, 500, 750, 1500}, 1000, 2000, {0.25, 0.25, 0.75, 0.75}},
      {"rounded to 4 decimals",
       {123.456789, 1, 333.33333, 2},
       1000,
       3,
       {0.1235, 0.3333, 0.3333, 0.6667}},
      {"clamped", {-10, -5, 1200, 2500}, 1000, 2000, {0.0, 0.0, 1.0, 1.0}},
      {"zero page size", {10, 10, 20, 20}, 0, 0, {0.0, 0.0, 0.0, 0.0}},
      {"nan", {kNaN, 10, kInf, 20}, 100, 100, {0.0, 0.1, 0.0, 0.2}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    core::DocumentResult doc;
    core::PageResult page;
    page.width = c.width;
    page.height = c.height;
    core::Block block;
    block.box = c.box;
    page.blocks = {block};
    doc.pages = {page};
    EXPECT_EQ(ToJson(doc)["pages"][0]["blocks"][0]["bbox"], c.expected);
  }
}

TEST(RenderJson, NonFiniteNumbersBecomeZero) {
  core::DocumentResult doc = SampleDocument();
  core::PageResult& page = doc.pages[0];
  page.confidence = kNaN;
  page.skew_deg = -kInf;
  page.preprocess[0].value = kNaN;
  page.timings_ms["recognize"] = kInf;
  page.blocks[1].lines[0].words[0].confidence = kNaN;
  doc.timings_ms["total"] = kNaN;
  std::string text = RenderJson(doc);
  EXPECT_EQ(text.find("nan"), std::string::npos);
  EXPECT_EQ(text.find("inf"), std::string::npos);
  EXPECT_EQ(text.find("null"), std::string::npos);
  json j = json::parse(text);
  EXPECT_EQ(j["pages"][0]["confidence"], 0.0);
  EXPECT_EQ(j["pages"][0]["skew_deg"], 0.0);
  EXPECT_EQ(j["pages"][0]["preprocess"][0]["value"], 0.0);
  EXPECT_EQ(j["pages"][0]["timings_ms"]["recognize"], 0.0);
  EXPECT_EQ(j["pages"][0]["blocks"][0]["lines"][0]["words"][0]["confidence"], 0.0);
  EXPECT_EQ(j["timings_ms"]["total"], 0.0);
}

TEST(RenderJson, ConfidencesAreClampedAndRounded) {
  core::DocumentResult doc = SampleDocument();
  auto& words = doc.pages[0].blocks[1].lines[0].words;
  words[0].confidence = 0.123456;
  words[1].confidence = 1.5;
  json out = ToJson(doc)["pages"][0]["blocks"][0]["lines"][0]["words"];
  EXPECT_EQ(out[0]["confidence"], 0.1235);
  EXPECT_EQ(out[1]["confidence"], 1.0);
}

TEST(RenderJson, InvalidUtf8IsReplacedNotThrown) {
  core::DocumentResult doc = SampleDocument();
  doc.input = "bad\xff name";
  doc.pages[0].blocks[1].lines[0].words[0].text = "ca\xc3";        // truncated sequence
  doc.pages[0].blocks[1].lines[0].words[1].text = "\xed\xa0\x80";  // a surrogate
  doc.pages[0].text = "caf\xc3\xa9 \xc0\xaf";                      // valid é, overlong '/'
  std::string text;
  ASSERT_NO_THROW(text = RenderJson(doc));
  json j = json::parse(text);
  EXPECT_EQ(j["input"], "bad\xef\xbf\xbd name");
  EXPECT_EQ(j["pages"][0]["blocks"][0]["lines"][0]["words"][0]["text"], "ca\xef\xbf\xbd");
  EXPECT_EQ(j["pages"][0]["blocks"][0]["lines"][0]["words"][1]["text"],
            "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(j["pages"][0]["text"], "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd");
  // The json value itself is clean, so callers may dump it with default settings.
  EXPECT_NO_THROW(ToJson(doc).dump());
}

TEST(RenderJson, OutputIsDeterministicAndEndsWithNewline) {
  std::string a = RenderJson(SampleDocument());
  std::string b = RenderJson(SampleDocument());
  EXPECT_EQ(a, b);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a.back(), '\n');
  EXPECT_EQ(json::parse(a), ToJson(SampleDocument()));
}

TEST(RenderJson, PrintedInSchemaOrderWithBoxesOnOneLine) {
  std::string text = RenderJson(SampleDocument());
  EXPECT_TRUE(text.starts_with("{\n  \"schema_version\": \"1\",\n  \"input\": \"scan.pdf\",\n"))
      << text.substr(0, 80);
  EXPECT_LT(text.find("\"page_count\""), text.find("\"pages\""));
  EXPECT_LT(text.find("\"number\": 1"), text.find("\"width\": 1000"));
  EXPECT_NE(text.find("\"bbox\": [0.1, 0.1, 0.3, 0.13],"), std::string::npos);
  EXPECT_NE(text.find("\"blocks\": [\n"), std::string::npos);
  EXPECT_NE(text.find("\"timings_ms\": {\n"), std::string::npos);
  EXPECT_NE(RenderJson(core::DocumentResult{}).find("\"pages\": [],\n"), std::string::npos);
}

TEST(RenderJson, EmptyDocument) {
  json j = ToJson(core::DocumentResult{});
  EXPECT_EQ(j["pages"], json::array());
  EXPECT_EQ(j["timings_ms"], json::object());
  EXPECT_EQ(j["page_count"], 0);
}

}  // namespace
}  // namespace smartocr::render
