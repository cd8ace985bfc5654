// src/preprocess/measures.cc
//
// The measurements the steps decide on. Everything but the speckle count runs on the
// downscaled analysis copy; speckles vanish when downscaled, so they are counted on a
// sample of full-resolution rows instead.
#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "preprocess/internal.h"
#include "preprocess/tunables.h"

namespace smartocr::preprocess::internal {
namespace {

// Median of the gray levels in [lo, hi] of a 256-bin histogram; `fallback` when empty.
double MedianLevel(const std::array<double, 256>& hist, int lo, int hi, double fallback) {
  double total = 0;
  for (int v = lo; v <= hi; ++v) total += hist[v];
  if (total <= 0) return fallback;
  double seen = 0;
  for (int v = lo; v <= hi; ++v) {
    seen += hist[v];
    if (seen >= total / 2) return v;
  }
  return hi;
}

double Median(std::vector<double>& values) {
  if (values.empty()) return 0;
  auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  return *mid;
}

// 255 where a pixel is a speck: dark with no dark neighbour (pepper), or light with at
// most one light neighbour (salt inside a stroke). Requires: gray at least 3x3.
cv::Mat SpeckMask(const cv::Mat& gray, double threshold) {
  // Whole-image passes only (each vectorized by OpenCV): key = dark pixels in the 3x3
  // window + 16 if the centre is light. Pepper is key 1, salt is key 16 + 7 or more.
  const double dark_max = std::ceil(threshold) - 1;  // dark: gray < threshold
  cv::Mat dark, light16, key;
  cv::threshold(gray, dark, dark_max, 1, cv::THRESH_BINARY_INV);
  cv::threshold(gray, light16, dark_max, 16, cv::THRESH_BINARY);
  cv::boxFilter(dark, key, CV_8U, cv::Size(3, 3), cv::Point(-1, -1), false, cv::BORDER_REPLICATE);
  key += light16;
  return (key == 1) | (key >= 23);
}

// Specks, rules, frames and figures are not characters.
bool IsTextLike(const cv::Mat& stats, int i, cv::Size page) {
  const int max_h = std::max(config::kTextMaxMinPx, page.height / config::kTextMaxPageDivisor);
  const int max_w = std::max(config::kTextMaxMinPx, page.width / config::kTextMaxPageDivisor);
  const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
  const int area = stats.at<int>(i, cv::CC_STAT_AREA);
  if (area < config::kTextMinArea || (w < 2 && h < 2) || h > max_h || w > max_w) return false;
  if (w > config::kTextMaxAspect * h || h > config::kTextMaxAspect * w) return false;
  return area >= config::kTextMinInkShare * w * h;
}

}  // namespace

Analysis Analyze(const cv::Mat& gray) {
  Analysis a;
  a.gray = DownscaleToLongSide(gray, config::kAnalysisLongSide, &a.scale);
  a.threshold = cv::threshold(a.gray, a.ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  cv::Scalar mean, stddev;
  cv::meanStdDev(a.gray, mean, stddev);
  a.stddev = stddev[0];

  std::array<double, 256> hist{};
  for (int y = 0; y < a.gray.rows; ++y) {
    const uint8_t* row = a.gray.ptr<uint8_t>(y);
    for (int x = 0; x < a.gray.cols; ++x) ++hist[row[x]];
  }
  const int t = static_cast<int>(a.threshold);
  a.ink_level = MedianLevel(hist, 0, t, t);
  a.paper = MedianLevel(hist, std::min(t + 1, 255), 255, 255);
  // Otsu splits any histogram in two, even paper grain alone.
  if (a.stddev < config::kBlankMaxStddev || a.paper - a.ink_level < config::kBlankMaxSeparation) {
    a.blank = true;
    a.ink.setTo(0);
  }
  return a;
}

TextStats MeasureText(const cv::Mat& ink) {
  TextStats out;
  if (ink.empty()) return out;
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  std::vector<double> heights, widths;
  std::vector<uint8_t> keep(static_cast<size_t>(n), 0);
  for (int i = 1; i < n; ++i) {
    if (!IsTextLike(stats, i, ink.size())) continue;
    keep[static_cast<size_t>(i)] = 255;
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    heights.push_back(h);
    widths.push_back(w);
    out.boxes.emplace_back(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP), w,
                           h);
  }
  out.ink.create(ink.size(), CV_8UC1);
  for (int y = 0; y < ink.rows; ++y) {
    const int* label = labels.ptr<int>(y);
    uint8_t* row = out.ink.ptr<uint8_t>(y);
    for (int x = 0; x < ink.cols; ++x) row[x] = keep[static_cast<size_t>(label[x])];
  }
  out.components = static_cast<int>(heights.size());
  out.median_height = Median(heights);
  out.median_width = Median(widths);
  return out;
}

cv::Mat CentralWindow(const cv::Mat& ink, const std::vector<cv::Rect>& boxes, int count) {
  if (count <= 0 || static_cast<int>(boxes.size()) <= count) return ink;
  // Each box's distance from the centre as a fraction of the half page (the larger of
  // the two axes): the window of half-size d holds every box at distance <= d.
  std::vector<double> reach;
  reach.reserve(boxes.size());
  const double cx = ink.cols / 2.0, cy = ink.rows / 2.0;
  for (const cv::Rect& b : boxes) {
    const double dx = std::max(std::abs(b.x - cx), std::abs(b.x + b.width - cx)) / cx;
    const double dy = std::max(std::abs(b.y - cy), std::abs(b.y + b.height - cy)) / cy;
    reach.push_back(std::max(dx, dy));
  }
  auto kth = reach.begin() + count;
  std::nth_element(reach.begin(), kth, reach.end());
  const double d = std::min(1.0, *kth);
  const int w = std::max(1, static_cast<int>(d * ink.cols));
  const int h = std::max(1, static_cast<int>(d * ink.rows));
  return ink(cv::Rect((ink.cols - w) / 2, (ink.rows - h) / 2, w, h));
}

double MeasureSpeckles(const cv::Mat& gray, double threshold) {
  if (gray.rows < 3 || gray.cols < 3) return 0;
  // A few bands spread over the page, each with a row of margin for the 3x3 window.
  const double rows_wanted = config::kSpeckleSamplePixels / gray.cols;
  const int bands = rows_wanted >= gray.rows ? 1 : config::kSpeckleBands;
  const int band_rows = std::clamp(static_cast<int>(rows_wanted / bands) + 2, 3, gray.rows);
  double isolated = 0, counted = 0;
  for (int b = 0; b < bands; ++b) {
    const int y0 = bands == 1 ? 0 : (gray.rows - band_rows) * b / (bands - 1);
    const cv::Mat specks = SpeckMask(gray.rowRange(y0, y0 + band_rows), threshold);
    // The band's edge rows lack a neighbour row; leave them out.
    const cv::Rect inner(1, 1, specks.cols - 2, specks.rows - 2);
    isolated += cv::countNonZero(specks(inner));
    counted += static_cast<double>(inner.area());
  }
  return counted > 0 ? 1000.0 * isolated / counted : 0;
}

cv::Mat RemoveSpecks(const cv::Mat& gray, double threshold) {
  if (gray.rows < 3 || gray.cols < 3) return gray;
  // Only the specks take their neighbourhood's median: a median over the whole page
  // would also round off corners and thin strokes of small text.
  cv::Mat median, out = gray.clone();
  cv::medianBlur(gray, median, 3);
  median.copyTo(out, SpeckMask(gray, threshold));
  return out;
}

double MeasureLightingSpread(const Analysis& analysis, cv::Mat* background) {
  cv::Mat small = DownscaleToLongSide(analysis.gray, config::kBackgroundLongSide, nullptr);
  cv::Mat bg;
  cv::dilate(small, bg,
             cv::getStructuringElement(cv::MORPH_RECT, cv::Size(config::kBackgroundMaxFilterPx,
                                                                config::kBackgroundMaxFilterPx)));
  cv::medianBlur(bg, bg, config::kBackgroundMedianPx);
  std::vector<uint8_t> values(bg.begin<uint8_t>(), bg.end<uint8_t>());
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double p5 = values[values.size() * config::kLightingLowPercentile / 100];
  const double p95 = values[values.size() * config::kLightingHighPercentile / 100];
  if (background != nullptr) *background = bg;
  return p95 - p5;
}

}  // namespace smartocr::preprocess::internal
