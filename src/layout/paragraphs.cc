// Paragraphs: consecutive lines (already in reading order) that belong together.
#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "layout/layout_internal.h"
#include "layout/tunables.h"

namespace smartocr::layout::internal {

namespace {

bool Below(const core::BBox& a, const core::BBox& b) { return b.cy() > a.cy(); }

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> GroupParagraphs(
    const std::vector<core::Line>& lines) {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  if (lines.empty()) return ranges;
  std::vector<double> gaps;
  for (std::size_t k = 1; k < lines.size(); ++k) {
    const core::BBox& a = lines[k - 1].box;
    const core::BBox& b = lines[k].box;
    if (Below(a, b) && Overlap(a.x0, a.x1, b.x0, b.x1) > 0) {
      gaps.push_back(std::max(0.0, b.y0 - a.y1));
    }
  }
  double typical_gap = Median(std::move(gaps));

  std::size_t start = 0;
  core::BBox block = lines[0].box;
  for (std::size_t k = 1; k < lines.size(); ++k) {
    const core::BBox& a = lines[k - 1].box;
    const core::BBox& b = lines[k].box;
    double ha = SafeHeight(a);
    double hb = SafeHeight(b);
    double h = std::max(ha, hb);
    double max_gap = std::min(
        config::kParagraphMaxGap * h,
        std::max(config::kParagraphBaseGap * h, config::kParagraphGapOverTypical * typical_gap));
    bool joins = Below(a, b) && b.y0 - a.y1 <= max_gap &&
                 Overlap(block.x0, block.x1, b.x0, b.x1) > 0 &&
                 std::max(ha, hb) / std::min(ha, hb) <= config::kParagraphMaxHeightRatio;
    if (!joins) {
      ranges.emplace_back(start, k);
      start = k;
      block = b;
    } else {
      block = block.Union(b);
    }
  }
  ranges.emplace_back(start, lines.size());
  return ranges;
}

}  // namespace smartocr::layout::internal
