// src/mrz/quad.cc
//
// The document in a photo (see internal/quad.h): a card or passport page lies on a
// table or in a hand, photographed at an angle. Its outline is the strongest large
// convex quadrilateral: found on Canny edges (a light page on a dark table, or the
// reverse) and on Otsu's brightness split, on a copy scaled down for speed.
#include "mrz/internal/quad.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "mrz/tunables.h"

namespace smartocr::mrz::internal {
namespace {

double Distance(const cv::Point2f& a, const cv::Point2f& b) { return cv::norm(a - b); }

// Corners in the order top-left, top-right, bottom-right, bottom-left.
Quad Ordered(const std::vector<cv::Point>& poly) {
  Quad q;
  std::vector<cv::Point2f> p(poly.begin(), poly.end());
  // Top-left has the smallest x+y, bottom-right the largest; top-right the smallest
  // y-x, bottom-left the largest.
  auto by = [&](auto key) {
    return *std::min_element(p.begin(), p.end(), [&](const cv::Point2f& a, const cv::Point2f& b) {
      return key(a) < key(b);
    });
  };
  q[0] = by([](const cv::Point2f& a) { return a.x + a.y; });
  q[1] = by([](const cv::Point2f& a) { return a.y - a.x; });
  q[2] = by([](const cv::Point2f& a) { return -(a.x + a.y); });
  q[3] = by([](const cv::Point2f& a) { return a.x - a.y; });
  return q;
}

// The largest convex quadrilateral among `mask`'s outer contours, by area; 0 when none.
double LargestQuad(const cv::Mat& mask, double min_area, double max_area,
                   std::vector<cv::Point>& best) {
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  double best_area = 0;
  for (const auto& c : contours) {
    const double hull_area = cv::contourArea(c);
    if (hull_area < min_area) continue;
    std::vector<cv::Point> hull, poly;
    cv::convexHull(c, hull);
    cv::approxPolyDP(hull, poly, config::kQuadApproxShare * cv::arcLength(hull, true), true);
    if (poly.size() != 4 || !cv::isContourConvex(poly)) continue;
    const double area = cv::contourArea(poly);
    if (area < min_area || area > max_area || area <= best_area) continue;
    best_area = area;
    best = poly;
  }
  return best_area;
}

}  // namespace

std::optional<Quad> FindDocumentQuad(const cv::Mat& gray) {
  if (gray.empty() || gray.type() != CV_8UC1) return std::nullopt;
  const double scale = std::min(
      1.0, config::kQuadWorkingSidePx / static_cast<double>(std::max(gray.cols, gray.rows)));
  cv::Mat small;
  cv::resize(gray, small, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::GaussianBlur(small, small, cv::Size(5, 5), 0);
  const double image_area = static_cast<double>(small.cols) * small.rows;
  // A quad as large as the frame is the frame (a flat scan): nothing to rectify.
  const double min_area = config::kMinQuadShare * image_area;
  const double max_area = config::kMaxQuadShare * image_area;

  std::vector<cv::Point> best;
  double best_area = 0;
  cv::Mat edges;
  cv::Canny(small, edges, config::kQuadCannyLow, config::kQuadCannyHigh);
  cv::dilate(edges, edges, cv::Mat(), cv::Point(-1, -1), 2);
  std::vector<cv::Point> poly;
  if (double a = LargestQuad(edges, min_area, max_area, poly); a > best_area) {
    best_area = a;
    best = poly;
  }
  cv::Mat split;
  cv::threshold(small, split, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  for (int invert = 0; invert < 2; ++invert) {
    if (invert) cv::bitwise_not(split, split);
    if (double a = LargestQuad(split, min_area, max_area, poly); a > best_area) {
      best_area = a;
      best = poly;
    }
  }
  if (best.empty()) return std::nullopt;
  Quad q = Ordered(best);
  for (cv::Point2f& p : q) p *= static_cast<float>(1.0 / scale);
  return q;
}

cv::Mat RectifyQuad(const cv::Mat& gray, const Quad& q, cv::Mat& to_image) {
  const double width = std::max(Distance(q[0], q[1]), Distance(q[3], q[2]));
  const double height = std::max(Distance(q[0], q[3]), Distance(q[1], q[2]));
  const auto w = static_cast<float>(std::round(width)), h = static_cast<float>(std::round(height));
  const Quad out = {cv::Point2f(0, 0), {w - 1, 0}, {w - 1, h - 1}, {0, h - 1}};
  cv::Mat to_out = cv::getPerspectiveTransform(q.data(), out.data());
  to_image = cv::getPerspectiveTransform(out.data(), q.data());
  cv::Mat rectified;
  cv::warpPerspective(gray, rectified, to_out, cv::Size(static_cast<int>(w), static_cast<int>(h)),
                      cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return rectified;
}

}  // namespace smartocr::mrz::internal
