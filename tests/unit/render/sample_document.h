// tests/unit/render/sample_document.h
//
// A small synthetic DocumentResult with known pixel boxes, shared by the render tests.
#ifndef SMARTOCR_TESTS_UNIT_RENDER_SAMPLE_DOCUMENT_H_
#define SMARTOCR_TESTS_UNIT_RENDER_SAMPLE_DOCUMENT_H_

#include <string>
#include <vector>

#include "core/document.h"

namespace smartocr::render::testing {

inline core::Line MakeLine(const std::vector<core::Word>& words) {
  core::Line line;
  line.words = words;
  for (const core::Word& w : words) line.box = line.box.Union(w.box);
  double sum = 0;
  for (const core::Word& w : words) sum += w.confidence;
  line.confidence = words.empty() ? 0 : sum / static_cast<double>(words.size());
  return line;
}

inline core::Block MakeBlock(int reading_order, const std::vector<core::Line>& lines,
                             core::BlockType type = core::BlockType::kText) {
  core::Block block;
  block.type = type;
  block.reading_order = reading_order;
  block.confidence = 0.9;
  block.lines = lines;
  for (const core::Line& l : lines) block.box = block.box.Union(l.box);
  return block;
}

// Page 1 (1000 x 2000 px): two text blocks stored out of reading order, a table.
// Page 2 (500 x 500 px): one line.
inline core::DocumentResult SampleDocument() {
  core::DocumentResult doc;
  doc.input = "scan.pdf";
  doc.engine = {"tesseract", "5.3.0"};
  doc.page_count = 2;
  doc.timings_ms = {{"ingest", 1.5}, {"recognize", 20.25}, {"total", 30.125}};

  core::PageResult p1;
  p1.number = 1;
  p1.width = 1000;
  p1.height = 2000;
  p1.rotation = 90;
  p1.skew_deg = -0.5;
  p1.dpi = 299.99940490722656;  // a TIFF rational
  p1.dpi_source = core::DpiSource::kImage;
  p1.language = "deu";
  p1.language_confidence = 0.83333333;
  p1.preprocess = {{"orientation", true, 90, "turned upright"}, {"deskew", true, -0.5, ""}};
  p1.timings_ms = {{"recognize", 12.5}};
  core::Block second = MakeBlock(
      1,
      {MakeLine({{"second", {100, 1000, 300, 1040}, 0.5}, {"block", {320, 1000, 450, 1040}, 1}})});
  core::Block first = MakeBlock(
      0, {MakeLine({{"Hello", {100, 200, 300, 260}, 0.96}, {"world", {320, 200, 500, 260}, 0.9}}),
          MakeLine({{"again", {100, 280, 250, 340}, 0.8}})});
  p1.blocks = {second, first};
  core::Table table;
  table.box = {100, 1200, 900, 1400};
  table.rows = {{{{100, 1200, 500, 1300}, "a"}, {{500, 1200, 900, 1300}, "b"}},
                {{{100, 1300, 500, 1400}, "c"}, {{500, 1300, 900, 1400}, "d"}}};
  p1.tables = {table};
  p1.text = "Hello world\nagain\n\nsecond block";
  p1.confidence = 0.8125;

  core::PageResult p2;
  p2.number = 2;
  p2.width = 500;
  p2.height = 500;
  p2.source = core::PageSource::kPdfText;
  p2.blocks = {
      MakeBlock(0, {MakeLine({{"Page", {50, 50, 150, 80}, 1}, {"two", {160, 50, 240, 80}, 1}})})};
  p2.FinalizeTextAndConfidence();
  doc.pages = {p1, p2};
  return doc;
}

inline int CountWords(const core::DocumentResult& doc) {
  int n = 0;
  for (const auto& p : doc.pages)
    for (const auto& b : p.blocks)
      for (const auto& l : b.lines) n += static_cast<int>(l.words.size());
  return n;
}

}  // namespace smartocr::render::testing

#endif  // SMARTOCR_TESTS_UNIT_RENDER_SAMPLE_DOCUMENT_H_
