// Figures: photos, logos, charts and dark boxes, told from text by size.
//
// Text is many small connected components of about one height; a figure holds
// components several times taller and wider than that, and denser than a frame
// or a table's rulings. Nearby big components (the pieces of a thresholded photo)
// merge into one figure.
#include <algorithm>
#include <cstddef>
#include <numeric>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "layout/layout_internal.h"
#include "layout/tunables.h"

namespace smartocr::layout::internal {

namespace {

std::size_t Find(std::vector<std::size_t>& parent, std::size_t i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

}  // namespace

std::vector<core::BBox> FindFigures(const cv::Mat& ink, const std::vector<core::BBox>& tables) {
  std::vector<core::BBox> figures;
  if (ink.empty()) return figures;
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  double page_min = std::min(ink.rows, ink.cols);

  // Typical text height: the median height of small components.
  std::vector<double> heights;
  for (int i = 1; i < n; ++i) {
    int h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (stats.at<int>(i, cv::CC_STAT_AREA) >= config::kFigureTextMinArea &&
        h < page_min / config::kTextMaxPageDivisor) {
      heights.push_back(h);
    }
  }
  double text_h =
      heights.empty() ? page_min / config::kFigureNoTextDivisor : Median(std::move(heights));
  double min_side =
      std::max(config::kFigureMinTextHeights * text_h, config::kFigureMinPageShare * page_min);

  std::vector<core::BBox> big;
  for (int i = 1; i < n; ++i) {
    double w = stats.at<int>(i, cv::CC_STAT_WIDTH);
    double h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (w < min_side || h < min_side) continue;
    if (stats.at<int>(i, cv::CC_STAT_AREA) / (w * h) < config::kFigureMinDensity) continue;
    double x = stats.at<int>(i, cv::CC_STAT_LEFT);
    double y = stats.at<int>(i, cv::CC_STAT_TOP);
    big.push_back({x, y, x + w, y + h});
  }

  // Merge big components closer than a text height (pieces of one photo).
  std::vector<std::size_t> parent(big.size());
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  for (std::size_t a = 0; a < big.size(); ++a) {
    core::BBox grown{big[a].x0 - text_h, big[a].y0 - text_h, big[a].x1 + text_h,
                     big[a].y1 + text_h};
    for (std::size_t b = a + 1; b < big.size(); ++b) {
      if (!grown.Intersect(big[b]).empty()) parent[Find(parent, a)] = Find(parent, b);
    }
  }
  std::vector<core::BBox> merged(big.size());
  for (std::size_t a = 0; a < big.size(); ++a) {
    std::size_t r = Find(parent, a);
    merged[r] = merged[r].Union(big[a]);
  }
  for (std::size_t a = 0; a < big.size(); ++a) {
    if (Find(parent, a) != a) continue;
    bool in_table = false;
    for (const core::BBox& t : tables) {
      in_table |= merged[a].CoveredBy(t) > config::kFigureMaxTableCover;
    }
    if (!in_table) figures.push_back(merged[a]);
  }
  std::sort(figures.begin(), figures.end(), [](const core::BBox& a, const core::BBox& b) {
    return a.y0 != b.y0 ? a.y0 < b.y0 : a.x0 < b.x0;
  });
  return figures;
}

}  // namespace smartocr::layout::internal
