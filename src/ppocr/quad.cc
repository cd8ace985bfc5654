// Line quadrilaterals and their crops.
#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "ppocr/ppocr_internal.h"
#include "ppocr/tunables.h"

namespace smartocr::ppocr {
namespace {

float Dist(const cv::Point2f& a, const cv::Point2f& b) {
  return static_cast<float>(std::hypot(a.x - b.x, a.y - b.y));
}

cv::Point2f Lerp(const cv::Point2f& a, const cv::Point2f& b, double t) {
  return {static_cast<float>(a.x + (b.x - a.x) * t), static_cast<float>(a.y + (b.y - a.y) * t)};
}

}  // namespace

float Quad::Width() const { return std::max(Dist(p[0], p[1]), Dist(p[3], p[2])); }
float Quad::Height() const { return std::max(Dist(p[0], p[3]), Dist(p[1], p[2])); }

core::BBox Quad::Bounds() const {
  core::BBox b{p[0].x, p[0].y, p[0].x, p[0].y};
  for (const cv::Point2f& q : p) {
    b.x0 = std::min<double>(b.x0, q.x);
    b.y0 = std::min<double>(b.y0, q.y);
    b.x1 = std::max<double>(b.x1, q.x);
    b.y1 = std::max<double>(b.y1, q.y);
  }
  return b;
}

cv::Point2f Quad::At(double u, double v) const {
  return Lerp(Lerp(p[0], p[1], u), Lerp(p[3], p[2], u), v);
}

Quad Quad::Grown(double dx, double dy) const {
  double w = std::max<double>(Width(), 1), h = std::max<double>(Height(), 1);
  Quad out = *this;
  out.p[0] = At(-dx / w, -dy / h);
  out.p[1] = At(1 + dx / w, -dy / h);
  out.p[2] = At(1 + dx / w, 1 + dy / h);
  out.p[3] = At(-dx / w, 1 + dy / h);
  return out;
}

Quad Upright(const Quad& quad) {
  if (quad.Height() < config::kVerticalLineRatio * quad.Width()) return quad;
  // Vertical text is read bottom to top: the left edge, walked upwards, is the top.
  Quad out = quad;
  out.p = {quad.p[3], quad.p[0], quad.p[1], quad.p[2]};
  return out;
}

Quad Turned(const Quad& quad) {
  Quad out = quad;
  out.p = {quad.p[2], quad.p[3], quad.p[0], quad.p[1]};
  return out;
}

Quad OrderCorners(const std::array<cv::Point2f, 4>& corners) {
  std::array<cv::Point2f, 4> pts = corners;
  std::sort(pts.begin(), pts.end(),
            [](const cv::Point2f& a, const cv::Point2f& b) { return a.x < b.x; });
  // The two leftmost points are the left edge, the two rightmost the right edge.
  Quad q;
  bool left_up = pts[0].y <= pts[1].y;
  bool right_up = pts[2].y <= pts[3].y;
  q.p[0] = left_up ? pts[0] : pts[1];
  q.p[3] = left_up ? pts[1] : pts[0];
  q.p[1] = right_up ? pts[2] : pts[3];
  q.p[2] = right_up ? pts[3] : pts[2];
  return q;
}

cv::Mat CropQuad(const cv::Mat& image, const Quad& quad, int border_mode) {
  int w = std::max(1, static_cast<int>(std::lround(quad.Width())));
  int h = std::max(1, static_cast<int>(std::lround(quad.Height())));
  std::array<cv::Point2f, 4> dst = {cv::Point2f(0, 0), cv::Point2f(static_cast<float>(w), 0),
                                    cv::Point2f(static_cast<float>(w), static_cast<float>(h)),
                                    cv::Point2f(0, static_cast<float>(h))};
  cv::Mat m = cv::getPerspectiveTransform(quad.p.data(), dst.data());
  cv::Mat out;
  cv::warpPerspective(image, out, m, cv::Size(w, h), cv::INTER_CUBIC, border_mode, cv::Scalar(255));
  return out;
}

}  // namespace smartocr::ppocr
