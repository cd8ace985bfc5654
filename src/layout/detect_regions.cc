// DetectRegions: ruled tables and figures on the page image, before recognition.
//
// The page is binarized at full resolution (Otsu, clamped so that a blank or a
// photo-heavy page does not pick an absurd threshold) and then max-pooled down to
// about 1800 px on its long side: pooling keeps hairline rules that averaging
// would wash out, and the rest of the work then costs a few milliseconds.
#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "layout/layout.h"
#include "layout/layout_internal.h"
#include "layout/tunables.h"

namespace smartocr::layout {

namespace {

cv::Mat ToGray(const cv::Mat& image) {
  if (image.type() == CV_8UC1) return image;
  cv::Mat gray;
  if (image.type() == CV_8UC3) {
    cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  } else if (image.type() == CV_8UC4) {
    cv::cvtColor(image, gray, cv::COLOR_BGRA2GRAY);
  }
  return gray;
}

// Ink mask (255 = ink) at 1/factor scale: a work pixel is ink if any page pixel
// under it is.
cv::Mat InkMask(const cv::Mat& gray, int factor) {
  cv::Mat ink;
  double otsu = cv::threshold(gray, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  double thresh = std::clamp(otsu, config::kMinInkThreshold, config::kMaxInkThreshold);
  if (thresh != otsu) cv::threshold(gray, ink, thresh, 255, cv::THRESH_BINARY_INV);
  if (factor == 1) return ink;
  cv::Mat small;
  cv::resize(ink, small, cv::Size(gray.cols / factor, gray.rows / factor), 0, 0, cv::INTER_AREA);
  cv::threshold(small, small, 0, 255, cv::THRESH_BINARY);
  return small;
}

// Median height of text-like connected components of `ink`, 0 when there are few.
// A ruling must be longer than a few text heights: at receipt resolutions (~150 dpi)
// the strokes of "l", "1" or "-" are as long as the page-share minimums below.
double MedianTextHeight(const cv::Mat& ink) {
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  std::vector<int> heights;
  for (int i = 1; i < n; ++i) {
    int w = stats.at<int>(i, cv::CC_STAT_WIDTH);
    int h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (h >= config::kTextMinHeightPx && h <= ink.rows / config::kTextMaxPageDivisor &&
        w <= config::kTextMaxAspect * h) {
      heights.push_back(h);
    }
  }
  if (heights.size() < config::kMinTextComponents) return 0;
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  return heights[heights.size() / 2];
}

}  // namespace

Regions DetectRegions(const cv::Mat& image) {
  Regions regions;
  cv::Mat gray = ToGray(image);
  if (gray.empty() || gray.cols < config::kMinPageSidePx || gray.rows < config::kMinPageSidePx) {
    return regions;
  }
  int factor = std::max(
      1, static_cast<int>(std::ceil(std::max(gray.cols, gray.rows) / config::kWorkLongSide)));
  cv::Mat ink = InkMask(gray, factor);
  double short_side = std::min(ink.cols, ink.rows);

  double text_h = MedianTextHeight(ink);
  internal::Rulings rulings = internal::FindRulings(
      ink,
      std::max({config::kMinRuleWidthPx, static_cast<int>(config::kMinRuleWidthShare * ink.cols),
                static_cast<int>(config::kMinRuleTextHeights * text_h)}),
      std::max({config::kMinRuleHeightPx, static_cast<int>(config::kMinRuleHeightShare * ink.rows),
                static_cast<int>(config::kMinRuleTextHeights * text_h)}),
      std::max(config::kMinRuleThicknessPx, config::kMaxRuleThicknessShare * short_side),
      config::kRuleJoinShare * ink.cols);
  std::vector<RuledTable> grids = internal::GridsFromRulings(
      rulings, std::max(config::kMinGridTolPx, config::kGridTolShare * short_side));

  std::vector<core::BBox> grid_boxes;
  double f = factor;
  // A work pixel centre c covers page pixels [c*f, c*f + f), centred at (c+0.5)f-0.5.
  auto to_page = [f](double pos) { return (pos + 0.5) * f - 0.5; };
  for (RuledTable& t : grids) {
    grid_boxes.push_back(t.box);
    for (double& e : t.column_edges) e = to_page(e);
    for (double& e : t.row_edges) e = to_page(e);
    t.box = {t.column_edges.front(), t.row_edges.front(), t.column_edges.back(),
             t.row_edges.back()};
  }
  regions.tables = std::move(grids);
  regions.multi_column = internal::HasColumnGutter(ink, text_h);

  for (const core::BBox& b : internal::FindFigures(ink, grid_boxes)) {
    regions.figures.push_back({b.x0 * f, b.y0 * f, std::min(b.x1 * f, double(gray.cols)),
                               std::min(b.y1 * f, double(gray.rows))});
  }
  return regions;
}

}  // namespace smartocr::layout
