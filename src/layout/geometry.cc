// Small helpers on boxes, words and lines shared by the layout steps.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "layout/layout_internal.h"

namespace smartocr::layout::internal {

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  return *mid;
}

double SafeHeight(const core::BBox& box) { return std::max(1.0, box.height()); }

bool IsBlank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

bool IsFinite(const core::BBox& box) {
  return std::isfinite(box.x0) && std::isfinite(box.y0) && std::isfinite(box.x1) &&
         std::isfinite(box.y1);
}

core::BBox BoxOfWords(const std::vector<core::Word>& words) {
  if (words.empty()) return {};
  // Not BBox::Union: it treats a zero-width box as empty and would drop it.
  core::BBox box{std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
                 std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest()};
  for (const core::Word& w : words) {
    box.x0 = std::min(box.x0, w.box.x0);
    box.y0 = std::min(box.y0, w.box.y0);
    box.x1 = std::max(box.x1, w.box.x1);
    box.y1 = std::max(box.y1, w.box.y1);
  }
  return box;
}

double MeanConfidence(const std::vector<core::Word>& words) {
  if (words.empty()) return 0;
  double sum = 0;
  for (const core::Word& w : words) sum += w.confidence;
  return sum / static_cast<double>(words.size());
}

core::Line MakeLine(std::vector<core::Word> words) {
  core::Line line;
  line.box = BoxOfWords(words);
  line.confidence = MeanConfidence(words);
  line.words = std::move(words);
  return line;
}

double Overlap(double a0, double a1, double b0, double b1) {
  return std::min(a1, b1) - std::max(a0, b0);
}

std::vector<core::Line> SplitAtGaps(const core::Line& line, double gap_factor) {
  std::vector<core::Line> pieces;
  double max_gap = gap_factor * SafeHeight(line.box);
  std::vector<core::Word> current;
  double right = 0;
  auto flush = [&] {
    if (current.empty()) return;
    core::Line piece = MakeLine(std::move(current));
    piece.confidence = line.confidence;
    pieces.push_back(std::move(piece));
    current.clear();
  };
  for (const core::Word& w : line.words) {
    if (!current.empty() && w.box.x0 - right > max_gap) flush();
    right = current.empty() ? w.box.x1 : std::max(right, w.box.x1);
    current.push_back(w);
  }
  flush();
  return pieces;
}

double MeanLineConfidence(const std::vector<core::Line>& lines) {
  if (lines.empty()) return 0;
  double sum = 0;
  for (const core::Line& l : lines) sum += l.confidence;
  return sum / static_cast<double>(lines.size());
}

double TypicalLineHeight(const std::vector<core::Line>& lines) {
  std::vector<double> heights;
  heights.reserve(lines.size());
  for (const core::Line& l : lines) heights.push_back(SafeHeight(l.box));
  return std::max(1.0, Median(std::move(heights)));
}

}  // namespace smartocr::layout::internal
