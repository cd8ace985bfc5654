// src/preprocess/geometry.cc
//
// Page turns, small rotations and downscaling.
#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "preprocess/internal.h"
#include "preprocess/preprocess.h"
#include "preprocess/tunables.h"

namespace smartocr::preprocess {

cv::Mat RotateByDegrees(const cv::Mat& gray, double degrees, int interpolation) {
  if (gray.empty() || degrees == 0) return gray.clone();
  const double rad = degrees * CV_PI / 180.0;
  const double c = std::abs(std::cos(rad)), s = std::abs(std::sin(rad));
  // The canvas grows to hold the turned page so no corner of it is cut off.
  const int w = static_cast<int>(std::ceil(gray.cols * c + gray.rows * s));
  const int h = static_cast<int>(std::ceil(gray.cols * s + gray.rows * c));
  const cv::Point2f centre((gray.cols - 1) / 2.0F, (gray.rows - 1) / 2.0F);
  // OpenCV: positive angles turn counter-clockwise with y pointing down, as we want.
  cv::Mat m = cv::getRotationMatrix2D(centre, degrees, 1.0);
  m.at<double>(0, 2) += (w - gray.cols) / 2.0;
  m.at<double>(1, 2) += (h - gray.rows) / 2.0;
  cv::Mat out;
  cv::warpAffine(gray, out, m, cv::Size(w, h), interpolation, cv::BORDER_CONSTANT,
                 cv::Scalar::all(255));
  return out;
}

cv::Mat TurnClockwise(const cv::Mat& image, int degrees) {
  cv::Mat out;
  switch (((degrees % 360) + 360) % 360) {
    case 90:
      cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE);
      break;
    case 180:
      cv::rotate(image, out, cv::ROTATE_180);
      break;
    case 270:
      cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      break;
    default:
      out = image.clone();
  }
  return out;
}

namespace internal {

cv::Mat DownscaleToLongSide(const cv::Mat& gray, int long_side, double* scale) {
  // Exact halvings first: OpenCV's area resize has a fast path for them that is ten
  // times quicker than an arbitrary factor on a 300 dpi page.
  cv::Mat out = gray;
  double f = 1.0;
  while (std::max(out.cols, out.rows) / 2 >= long_side) {
    cv::resize(out, out, cv::Size(out.cols / 2, out.rows / 2), 0, 0, cv::INTER_AREA);
    f /= 2;
  }
  // Close enough to the target after halving: skip the slow resize.
  const int longest = std::max(out.cols, out.rows);
  if (longest > long_side * config::kDownscaleSlack) {
    const double g = static_cast<double>(long_side) / longest;
    cv::resize(out, out, cv::Size(), g, g, cv::INTER_AREA);
    f *= g;
  }
  if (scale != nullptr) *scale = f;
  return out;
}

}  // namespace internal
}  // namespace smartocr::preprocess
