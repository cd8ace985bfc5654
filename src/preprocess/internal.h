// src/preprocess/internal.h
//
// Private to the preprocess module: the measurements each step decides on, the
// orientation detector, and image helpers shared by the steps. Not installed; other
// modules use preprocess.h only.
#ifndef SMARTOCR_PREPROCESS_INTERNAL_H_
#define SMARTOCR_PREPROCESS_INTERNAL_H_

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/core.h"

namespace smartocr::preprocess::internal {

// A small copy of the page that the measurements run on (long side
// config::kAnalysisLongSide): big enough for text statistics, small enough that every
// pass over it costs about a millisecond.
struct Analysis {
  cv::Mat gray;          // CV_8UC1, the page downscaled by `scale`
  cv::Mat ink;           // CV_8UC1, 255 where gray is darker than the Otsu threshold
  double scale = 1;      // analysis pixels per page pixel (<= 1)
  double threshold = 0;  // Otsu threshold of `gray`
  double paper = 255;    // median level of the pixels above the threshold
  double ink_level = 0;  // median level of the pixels below the threshold
  double stddev = 0;     // of `gray`
  // Too little variation to hold text (blank or uniform page); `ink` is then all zero.
  bool blank = false;
};

// Requires: gray is CV_8UC1 and not empty.
Analysis Analyze(const cv::Mat& gray);

// Text-like connected components of an ink mask (specks, rules and big blobs left out).
struct TextStats {
  int components = 0;
  // Pixels of the mask the stats were taken on. Width too, so that a page turned by
  // 90 degrees needs no second pass.
  double median_height = 0;
  double median_width = 0;
  std::vector<cv::Rect> boxes;  // of the text-like components
  cv::Mat ink;                  // the mask with only the text-like components
};
TextStats MeasureText(const cv::Mat& ink);

// Skew in degrees (positive: content turned counter-clockwise) of an ink mask, searched
// within +-max_deg; 0 when the mask holds no text lines.
double EstimateSkewOfInk(const cv::Mat& ink, double max_deg);

// Isolated specks (dark pixels with no dark neighbour, light ones with at most one light
// neighbour) per thousand pixels of the full-resolution page, from a sample of rows.
double MeasureSpeckles(const cv::Mat& gray, double threshold);

// `gray` with each speck (as counted by MeasureSpeckles) replaced by the median of its
// 3x3 neighbourhood; every other pixel is kept.
cv::Mat RemoveSpecks(const cv::Mat& gray, double threshold);

// Spread (95th minus 5th percentile, gray levels) of the page's background, estimated
// from the analysis copy with the text removed by a max filter. Returns the background
// (analysis size) through `background` when not null.
double MeasureLightingSpread(const Analysis& analysis, cv::Mat* background);

// Orientation from Tesseract OSD, run on an ink mask (255 = ink) as given: callers
// downscale first.
struct OrientationGuess {
  bool found = false;      // false: OSD found too few characters to decide
  int clockwise_turn = 0;  // 0/90/180/270: the clockwise turn that makes the page upright
  double confidence = 0;
  std::string script;
};
// Keeps one Tesseract OSD engine per calling thread, initialized on first use and
// reused. Fails with kUnavailable when osd.traineddata cannot be loaded.
core::Result<OrientationGuess> DetectOrientation(const cv::Mat& ink,
                                                 const std::string& tessdata_dir);

// The central part of `ink`, with the page's proportions, that holds about `count` of
// the text components in `boxes` (all of `ink` when it holds fewer).
cv::Mat CentralWindow(const cv::Mat& ink, const std::vector<cv::Rect>& boxes, int count);

// Resizes so that the longer side is at most about `long_side` (up to 10% over, which
// saves a slow resize; never enlarges). `scale` (may be null) gets the factor applied.
cv::Mat DownscaleToLongSide(const cv::Mat& gray, int long_side, double* scale);

}  // namespace smartocr::preprocess::internal

#endif  // SMARTOCR_PREPROCESS_INTERNAL_H_
