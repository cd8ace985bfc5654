// src/preprocess/skew.cc
//
// Skew by projection profiles: ink pixels are projected onto the page's vertical axis
// turned by a candidate angle; at the true skew the text lines fall into few rows and
// the profile is as jagged as it gets. Coarse-to-fine search keeps it to a few dozen
// profiles on a downscaled mask.
#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "preprocess/internal.h"
#include "preprocess/preprocess.h"
#include "preprocess/tunables.h"

namespace smartocr::preprocess {
namespace internal {
namespace {

struct Profiler {
  std::vector<cv::Point2f> points;  // ink pixels relative to the mask centre
  std::vector<int> bins;
  float radius = 0;

  // Sum of squared differences between neighbouring rows of the profile: high when
  // rows are either full of ink or empty, i.e. when the angle follows the lines.
  double Score(double degrees) {
    const double rad = degrees * CV_PI / 180.0;
    const float c = static_cast<float>(std::cos(rad)), s = static_cast<float>(std::sin(rad));
    std::fill(bins.begin(), bins.end(), 0);
    for (const cv::Point2f& p : points) {
      ++bins[static_cast<size_t>(p.y * c + p.x * s + radius)];
    }
    double score = 0;
    for (size_t i = 1; i < bins.size(); ++i) {
      const double d = bins[i] - bins[i - 1];
      score += d * d;
    }
    return score;
  }

  // Best angle in [lo, hi] at `step`.
  double Search(double lo, double hi, double step) {
    double best = lo, best_score = -1;
    for (double a = lo; a <= hi + 1e-9; a += step) {
      const double score = Score(a);
      if (score > best_score) {
        best_score = score;
        best = a;
      }
    }
    return best;
  }
};

}  // namespace

double EstimateSkewOfInk(const cv::Mat& ink, double max_deg) {
  std::vector<cv::Point> nonzero;
  cv::findNonZero(ink, nonzero);
  if (nonzero.size() < config::kSkewMinPoints) return 0;
  Profiler profiler;
  const size_t stride = (nonzero.size() + config::kSkewMaxPoints - 1) / config::kSkewMaxPoints;
  const float cx = ink.cols / 2.0F, cy = ink.rows / 2.0F;
  profiler.points.reserve(nonzero.size() / stride + 1);
  for (size_t i = 0; i < nonzero.size(); i += stride) {
    profiler.points.emplace_back(nonzero[i].x - cx, nonzero[i].y - cy);
  }
  profiler.radius = std::ceil(std::hypot(cx, cy)) + 2;
  profiler.bins.assign(static_cast<size_t>(2 * profiler.radius) + 2, 0);

  max_deg = std::clamp(max_deg, 0.0, 45.0);
  Profiler coarse;
  coarse.radius = profiler.radius;
  coarse.bins = profiler.bins;
  const size_t coarse_stride =
      (profiler.points.size() + config::kSkewMaxCoarsePoints - 1) / config::kSkewMaxCoarsePoints;
  for (size_t i = 0; i < profiler.points.size(); i += coarse_stride) {
    coarse.points.push_back(profiler.points[i]);
  }
  using config::kSkewCoarseStepDeg, config::kSkewFineStepDeg, config::kSkewFinestStepDeg;
  double best = coarse.Search(-max_deg, max_deg, kSkewCoarseStepDeg);
  best = profiler.Search(best - kSkewCoarseStepDeg, best + kSkewCoarseStepDeg, kSkewFineStepDeg);
  best = profiler.Search(best - kSkewFineStepDeg, best + kSkewFineStepDeg, kSkewFinestStepDeg);
  return best;
}

}  // namespace internal

double EstimateSkewDegrees(const cv::Mat& gray) {
  if (gray.empty() || gray.type() != CV_8UC1) return 0;
  internal::Analysis analysis = internal::Analyze(gray);
  return internal::EstimateSkewOfInk(analysis.ink, config::kEstimateMaxSkewDeg);
}

}  // namespace smartocr::preprocess
