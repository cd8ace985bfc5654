#include "core/document.h"

#include <algorithm>
#include <utility>

namespace smartocr::core {

BBox BBox::Union(const BBox& other) const {
  if (empty()) return other;
  if (other.empty()) return *this;
  return {std::min(x0, other.x0), std::min(y0, other.y0), std::max(x1, other.x1),
          std::max(y1, other.y1)};
}

BBox BBox::Intersect(const BBox& other) const {
  BBox out{std::max(x0, other.x0), std::max(y0, other.y0), std::min(x1, other.x1),
           std::min(y1, other.y1)};
  if (out.x1 < out.x0) out.x1 = out.x0;
  if (out.y1 < out.y0) out.y1 = out.y0;
  return out;
}

double BBox::CoveredBy(const BBox& other) const {
  double a = area();
  return a > 0 ? Intersect(other).area() / a : 0;
}

std::string Line::Text() const {
  std::string out;
  for (const Word& w : words) {
    if (!out.empty()) out += ' ';
    out += w.text;
  }
  return out;
}

const char* BlockTypeName(BlockType type) {
  switch (type) {
    case BlockType::kText:
      return "text";
    case BlockType::kTable:
      return "table";
    case BlockType::kFigure:
      return "image";
  }
  return "text";
}

std::string Block::Text() const {
  std::string out;
  for (const Line& l : lines) {
    if (!out.empty()) out += '\n';
    out += l.Text();
  }
  return out;
}

const char* PageSourceName(PageSource source) {
  return source == PageSource::kPdfText ? "pdf-text" : "ocr";
}

namespace {
constexpr std::pair<DpiSource, const char*> kDpiSourceNames[] = {
    {DpiSource::kUnknown, "unknown"},     {DpiSource::kRender, "render"},
    {DpiSource::kImage, "image"},         {DpiSource::kOption, "option"},
    {DpiSource::kEstimated, "estimated"}, {DpiSource::kAssumed, "assumed"},
};
}  // namespace

const char* DpiSourceName(DpiSource source) {
  for (const auto& [value, name] : kDpiSourceNames) {
    if (value == source) return name;
  }
  return "unknown";
}

DpiSource DpiSourceFromName(std::string_view name) {
  for (const auto& [value, known] : kDpiSourceNames) {
    if (name == known) return value;
  }
  return DpiSource::kUnknown;
}

void PageResult::FinalizeTextAndConfidence() {
  text.clear();
  double weighted = 0;
  double chars = 0;
  for (const Block& b : blocks) {
    std::string t = b.Text();
    if (t.empty()) continue;
    if (!text.empty()) text += "\n\n";
    text += t;
    for (const Line& l : b.lines) {
      for (const Word& w : l.words) {
        weighted += w.confidence * static_cast<double>(w.text.size());
        chars += static_cast<double>(w.text.size());
      }
    }
  }
  confidence = chars > 0 ? weighted / chars : 0;
}

}  // namespace smartocr::core
