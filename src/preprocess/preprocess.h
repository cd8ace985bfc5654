// src/preprocess/preprocess.h
//
// Preprocess: makes a page image easier to read before recognition. Steps, in this
// order, each skipped where it does not help, each reporting what it found and did:
//   orientation (0/90/180/270, Tesseract OSD), denoise (isolated specks only),
//   deskew (small angles), contrast (CLAHE, only on low-contrast pages), upscaling of
//   small text, binarization (only where lighting is uneven: Tesseract's own Otsu
//   handles even pages as well as ours would).
//
// Output has two images: `page` (upright and deskewed, gray; what the boxes refer to
// and what a searchable PDF shows) and `ocr` (page after denoise/contrast/binarize and
// upscaled by `ocr_scale`; what the engine reads). Divide boxes found on `ocr` by
// ocr_scale to get `page` pixels.
#ifndef SMARTOCR_PREPROCESS_PREPROCESS_H_
#define SMARTOCR_PREPROCESS_PREPROCESS_H_

#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "core/core.h"

namespace smartocr::preprocess {

struct PreprocessOptions {
  bool orientation = true;
  bool deskew = true;
  bool denoise = true;
  bool contrast = true;
  bool binarize = true;
  bool upscale = true;
  // Skew below this many degrees is left alone (not worth the resampling blur).
  double min_skew_deg = 0.15;
  double max_skew_deg = 15;
  // Nor when it moves a line's ends (over the page width) by fewer pixels than this.
  double min_skew_drift_px = 1.5;
  // Text whose typical height (pixels) is below this is upscaled for recognition.
  int min_text_height_px = 14;
  // OSD turns the page only when its orientation confidence reaches this.
  // Measured on 60 SROIE receipts turned 4 ways (240 cases), with the default window:
  // 0 wrong turns at 2 or more (40 right), 13 wrong at 1. Wrong turns are nearly
  // always upside down. With osd_max_characters = 0 confidences run higher: use 3
  // (120 right, 0 wrong; at 2: 140 right, 3 wrong).
  double min_orientation_confidence = 2.5;
  // OSD classifies characters one by one (up to 250 of them, most of its time): it
  // reads only a central window holding about this many text components. 0: the whole
  // page (about twice as slow; finds many more turned receipts, see above).
  int osd_max_characters = 150;
  // Contrast: CLAHE runs when paper and ink (median levels either side of the Otsu
  // threshold) are fewer than this many gray levels apart.
  double low_contrast_levels = 80;
  // Denoise: a 3x3 median runs when isolated specks exceed this many per thousand pixels.
  double noisy_speckles_per_mille = 1.0;
  // Binarize: shading is flattened and the page thresholded when the background varies
  // by more than this many gray levels (5th to 95th percentile). Tesseract's own Otsu
  // copes with mild shading: at 40 this fired on one SROIE receipt (spread 44) and cost
  // word F1 there.
  double uneven_lighting_levels = 60;
  // Tesseract data directory (osd.traineddata); empty: the library default.
  std::string tessdata_dir;
};

struct PreprocessResult {
  cv::Mat page;  // CV_8UC1, upright, deskewed
  cv::Mat ocr;   // CV_8UC1, what recognition should read
  double ocr_scale = 1.0;
  int rotation = 0;     // clockwise degrees applied: 0/90/180/270
  double skew_deg = 0;  // angle removed (positive: the input was turned counter-clockwise)
  std::vector<core::StepReport> steps;       // one per step, in order, skipped ones too
  std::map<std::string, double> timings_ms;  // per step name, plus "analyze" and "total"
};

// Thread-safe: keeps one OSD engine per calling thread.
// Fails with kInvalidArgument on an empty image, kUnavailable when OSD data is missing
// and orientation was asked for.
core::Result<PreprocessResult> Preprocess(const cv::Mat& image, const PreprocessOptions& options);

// Individual steps, exposed for tests and for callers that want one step.
// Estimated skew in degrees of a gray page (text lines); 0 when no text is found.
double EstimateSkewDegrees(const cv::Mat& gray);
// Rotates `gray` by `degrees` counter-clockwise around its centre, filling with white,
// keeping the whole image.
cv::Mat RotateByDegrees(const cv::Mat& gray, double degrees, int interpolation = cv::INTER_LINEAR);
// Turns `image` clockwise by 0/90/180/270 degrees.
cv::Mat TurnClockwise(const cv::Mat& image, int degrees);

}  // namespace smartocr::preprocess

#endif  // SMARTOCR_PREPROCESS_PREPROCESS_H_
