// DBNet post-processing. The network predicts a shrunk text kernel; boxes around its
// connected regions are grown back by the DB unclip rule (offset distance =
// area * ratio / perimeter), which for a rectangle adds that distance on every side.
#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "ppocr/ppocr_internal.h"
#include "ppocr/tunables.h"

namespace smartocr::ppocr {
namespace {

// Mean probability inside the quad (DB's "fast" box score).
float BoxScore(const cv::Mat& prob, const std::array<cv::Point2f, 4>& pts) {
  cv::Rect bounds = cv::boundingRect(std::vector<cv::Point2f>(pts.begin(), pts.end()));
  bounds &= cv::Rect(0, 0, prob.cols, prob.rows);
  if (bounds.empty()) return 0;
  cv::Mat mask = cv::Mat::zeros(bounds.size(), CV_8UC1);
  std::vector<cv::Point> poly;
  poly.reserve(pts.size());
  for (const cv::Point2f& p : pts) {
    poly.emplace_back(cvRound(p.x) - bounds.x, cvRound(p.y) - bounds.y);
  }
  cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{poly}, cv::Scalar(1));
  return static_cast<float>(cv::mean(prob(bounds), mask)[0]);
}

std::array<cv::Point2f, 4> Corners(const cv::RotatedRect& r) {
  std::array<cv::Point2f, 4> pts;
  r.points(pts.data());
  return pts;
}

}  // namespace

std::vector<Quad> DbPostprocess(const cv::Mat& prob, const DbParams& params, double scale_x,
                                double scale_y) {
  CV_Assert(prob.type() == CV_32FC1);
  cv::Mat bitmap = prob > params.binarize;
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(bitmap, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
  std::vector<Quad> out;
  int n = std::min(static_cast<int>(contours.size()), params.max_boxes);
  for (int i = 0; i < n; ++i) {
    const auto& contour = contours[static_cast<size_t>(i)];
    if (contour.size() < 4) continue;
    cv::RotatedRect rect = cv::minAreaRect(contour);
    if (std::min(rect.size.width, rect.size.height) < static_cast<float>(params.min_side)) {
      continue;
    }
    float score = BoxScore(prob, Corners(rect));
    if (score < params.box_score) continue;
    double w = rect.size.width, h = rect.size.height;
    double d = w * h * params.unclip / (2 * (w + h));
    cv::RotatedRect grown(rect.center,
                          cv::Size2f(static_cast<float>(w + 2 * d), static_cast<float>(h + 2 * d)),
                          rect.angle);
    if (std::min(grown.size.width, grown.size.height) <
        static_cast<float>(params.min_side + config::kDbMinSideGrowth)) {
      continue;
    }
    std::array<cv::Point2f, 4> pts = Corners(grown);
    for (cv::Point2f& p : pts) {
      p.x = std::clamp(static_cast<float>(p.x * scale_x), 0.0f,
                       static_cast<float>(prob.cols * scale_x));
      p.y = std::clamp(static_cast<float>(p.y * scale_y), 0.0f,
                       static_cast<float>(prob.rows * scale_y));
    }
    Quad q = OrderCorners(pts);
    q.score = score;
    out.push_back(q);
  }
  // Top to bottom; boxes whose tops are within kSameBandPx count as one band, read left
  // to right (a strict order first, then the band pass, as PaddleOCR does).
  std::sort(out.begin(), out.end(), [](const Quad& a, const Quad& b) {
    return a.p[0].y != b.p[0].y ? a.p[0].y < b.p[0].y : a.p[0].x < b.p[0].x;
  });
  for (size_t i = 1; i < out.size(); ++i) {
    for (size_t j = i; j > 0; --j) {
      const Quad& prev = out[j - 1];
      const Quad& cur = out[j];
      if (std::abs(cur.p[0].y - prev.p[0].y) >= config::kSameBandPx || prev.p[0].x <= cur.p[0].x) {
        break;
      }
      std::swap(out[j - 1], out[j]);
    }
  }
  return out;
}

}  // namespace smartocr::ppocr
