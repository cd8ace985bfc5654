#include "doc_builder.h"

#include <sstream>

namespace smartocr::extract::test_docs {

TextLine Line(const std::string& text, double x, double y, const LineStyle& style) {
  TextLine line;
  line.page = 1;
  line.confidence = style.confidence;
  std::istringstream words(text);
  double left = x;
  double right = x;  // a line without words is an empty box at (x, y)
  for (std::string w; words >> w;) {
    right = left + style.char_width * static_cast<double>(w.size());
    line.words.push_back({w, {left, y, right, y + style.height}, style.confidence});
    if (!line.text.empty()) line.text += ' ';
    line.text += w;
    left = right + style.gap;
  }
  line.box = {x, y, right, y + style.height};
  return line;
}

TextLine Line(const std::string& text, double x, double y, double height) {
  LineStyle style;
  style.height = height;
  return Line(text, x, y, style);
}

std::vector<TextLine> Lines(const std::vector<Placed>& placed) {
  std::vector<TextLine> out;
  out.reserve(placed.size());
  for (const Placed& p : placed) out.push_back(Line(p.text, p.x, p.y));
  return out;
}

std::vector<TextLine> Stacked(const std::vector<std::string>& texts, double spacing) {
  std::vector<TextLine> out;
  out.reserve(texts.size());
  double y = 10;
  for (const std::string& t : texts) {
    out.push_back(Line(t, 10, y));
    y += spacing;
  }
  return out;
}

core::DocumentResult Document(const std::vector<TextLine>& lines, int width, int height) {
  core::DocumentResult doc;
  doc.engine = {"test", "1"};
  core::PageResult page;
  page.number = 1;
  page.width = width;
  page.height = height;
  core::Block block;
  for (const TextLine& t : lines) {
    core::Line line;
    line.box = t.box;
    line.words = t.words;
    line.confidence = t.confidence;
    block.lines.push_back(line);
  }
  page.blocks.push_back(block);
  doc.pages.push_back(page);
  return doc;
}

}  // namespace smartocr::extract::test_docs
