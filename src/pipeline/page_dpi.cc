#include "pipeline/page_dpi.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "pipeline/pipeline.h"

namespace smartocr::pipeline {

std::optional<double> EstimateDpiFromText(const core::PageResult& page) {
  std::vector<double> heights;
  for (const core::Block& block : page.blocks) {
    for (const core::Line& line : block.lines) {
      size_t chars = 0;
      for (const core::Word& word : line.words) chars += word.text.size();
      const double height = line.box.y1 - line.box.y0;
      if (chars >= static_cast<size_t>(kMinLineChars) && height > 0) heights.push_back(height);
    }
  }
  if (heights.size() < static_cast<size_t>(kMinEstimateLines)) return std::nullopt;
  auto mid = heights.begin() + static_cast<std::ptrdiff_t>(heights.size() / 2);
  std::nth_element(heights.begin(), mid, heights.end());
  const double dpi = *mid * 72.0 / kTypicalLineHeightPt;
  return std::round(std::clamp(dpi, kMinEstimatedDpi, kMaxEstimatedDpi));
}

void AssignPageDpi(double dpi, core::DpiSource source, core::PageResult& page) {
  if (dpi > 0) {
    page.dpi = dpi;
    page.dpi_source = source;
  } else if (std::optional<double> estimate = EstimateDpiFromText(page)) {
    page.dpi = *estimate;
    page.dpi_source = core::DpiSource::kEstimated;
  } else {
    page.dpi = kDefaultImageDpi;
    page.dpi_source = core::DpiSource::kAssumed;
  }
}

}  // namespace smartocr::pipeline
