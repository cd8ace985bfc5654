// src/preprocess/preprocess.cc
//
// Runs the steps in order: orientation, denoise, deskew, contrast, upscale, binarize.
// Orientation and deskew change `page`; the others only what the engine reads
// (denoise runs before deskew because rotation smears the specks it looks for). Every step decides
// from a measurement and says what it measured, so a skipped step is as visible in the output as an
// applied one.
#include "preprocess/preprocess.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <utility>

#include "preprocess/internal.h"
#include "preprocess/tunables.h"

namespace smartocr::preprocess {
namespace {

using internal::Analysis;

std::string Format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string Format(const char* fmt, ...) {
  char buf[256];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof(buf), fmt, args);
  va_end(args);
  return buf;
}

class Clock {
 public:
  double Lap() {
    const auto now = std::chrono::steady_clock::now();
    const double ms = std::chrono::duration<double, std::milli>(now - last_).count();
    last_ = now;
    return ms;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

class Run {
 public:
  Run(const PreprocessOptions& options, PreprocessResult& result)
      : options_(options), result_(result) {}

  void Report(const char* name, bool applied, double value, std::string detail) {
    result_.steps.push_back({name, applied, value, std::move(detail)});
    result_.timings_ms[name] = clock_.Lap();
  }
  void Lap(const char* name) { result_.timings_ms[name] = clock_.Lap(); }

  core::Status Orientation(cv::Mat& page, Analysis& analysis, internal::TextStats& text);
  void Deskew(cv::Mat& page, cv::Mat& denoised, const Analysis& analysis,
              const internal::TextStats& text, double& skew_out);
  cv::Mat Denoise(const cv::Mat& page, const Analysis& analysis);
  cv::Mat Contrast(const cv::Mat& ocr, const Analysis& analysis);
  cv::Mat FlattenLighting(const cv::Mat& ocr, const Analysis& analysis);
  cv::Mat Upscale(const cv::Mat& ocr, const Analysis& analysis, const internal::TextStats& text);
  cv::Mat Binarize(const cv::Mat& ocr, const Analysis& analysis);

 private:
  const PreprocessOptions& options_;
  PreprocessResult& result_;
  Clock clock_;
  // Set by FlattenLighting, reported by Binarize (which runs after upscaling so the
  // threshold sees smooth strokes, not blown-up pixels).
  double lighting_spread_ = 0;
  bool flattened_ = false;
  double binarize_ms_ = 0;
};

core::Status Run::Orientation(cv::Mat& page, Analysis& analysis, internal::TextStats& text) {
  if (!options_.orientation || analysis.blank) {
    Report("orientation", false, 0, analysis.blank ? "blank page" : "disabled");
    return core::Status();
  }
  if (text.components < config::kMinComponentsForOsd) {
    Report("orientation", false, 0,
           Format("too little text to tell (%d components)", text.components));
    return core::Status();
  }
  const cv::Mat osd_input =
      internal::CentralWindow(analysis.ink, text.boxes, options_.osd_max_characters);
  core::Result<internal::OrientationGuess> guess =
      internal::DetectOrientation(osd_input, options_.tessdata_dir);
  if (!guess.ok()) return guess.status();
  if (!guess->found) {
    Report("orientation", false, 0, "OSD found too few characters to decide");
    return core::Status();
  }
  const int turn = guess->clockwise_turn;
  if (turn == 0 || guess->confidence < options_.min_orientation_confidence) {
    Report("orientation", false, guess->confidence,
           Format("upright or unsure: OSD says turn %d with confidence %.2f (min %.2f)", turn,
                  guess->confidence, options_.min_orientation_confidence));
    return core::Status();
  }
  page = TurnClockwise(page, turn);
  analysis.gray = TurnClockwise(analysis.gray, turn);
  analysis.ink = TurnClockwise(analysis.ink, turn);
  text.ink.release();  // Deskew measures the turned mask again
  if (turn != 180) std::swap(text.median_height, text.median_width);
  result_.rotation = turn;
  Report("orientation", true, guess->confidence,
         Format("turned %d degrees clockwise (OSD confidence %.2f, script %s)", turn,
                guess->confidence, guess->script.c_str()));
  return core::Status();
}

// Turns `denoised` too when it is not empty.
void Run::Deskew(cv::Mat& page, cv::Mat& denoised, const Analysis& analysis,
                 const internal::TextStats& text, double& skew_out) {
  if (!options_.deskew) return Report("deskew", false, 0, "disabled");
  if (analysis.blank) return Report("deskew", false, 0, "blank page");
  double skew = internal::EstimateSkewOfInk(analysis.ink, options_.max_skew_deg);
  // A photo, a tinted overlay or a security print that Otsu counts as ink is one big
  // component whose outline can outscore the text lines (a passport's laminate read as
  // a 10 degree tilt). The characters alone are a second opinion, though a weaker one
  // (small print merges into words that no longer count as characters, and a few
  // specks can then win). When the two disagree, the smaller turn is taken: turning a
  // straight page by a wrong angle ruins it, leaving a slightly skewed one costs little.
  // A page OSD turned has its characters measured again, on the turned mask.
  internal::TextStats remeasured;
  const internal::TextStats& chars =
      text.ink.empty() ? (remeasured = internal::MeasureText(analysis.ink)) : text;
  if (chars.components >= config::kMinComponentsForSkew) {
    const double text_skew = internal::EstimateSkewOfInk(chars.ink, options_.max_skew_deg);
    if (std::abs(text_skew - skew) > config::kMaxSkewDisagreementDeg &&
        std::abs(text_skew) < std::abs(skew)) {
      skew = text_skew;
    }
  }
  if (std::abs(skew) < options_.min_skew_deg) {
    return Report(
        "deskew", false, skew,
        Format("skew %.2f degrees is below %.2f: left alone", skew, options_.min_skew_deg));
  }
  // On a small page a small angle moves a line's ends by less than a pixel: turning it
  // straightens nothing and only blurs glyphs a few pixels high (thumbnails of ID cards).
  const double drift_px = std::abs(std::tan(skew * CV_PI / 180.0)) * page.cols;
  if (drift_px < options_.min_skew_drift_px) {
    return Report(
        "deskew", false, skew,
        Format("skew %.2f degrees moves a line's ends by %.2f px: left alone", skew, drift_px));
  }
  // Characters a few pixels high (ID card photos and thumbnails) lose their strokes'
  // contrast to bilinear interpolation; bicubic keeps them (on the dev MRZ specimens
  // turned 4 degrees, 17 of 18 read with every check valid, against 13). Larger print
  // reads the same either way, and bilinear is cheaper.
  const double text_px = text.median_height / analysis.scale;
  const int interpolation =
      text_px > 0 && text_px < config::kSharpRotationTextPx ? cv::INTER_CUBIC : cv::INTER_LINEAR;
  page = RotateByDegrees(page, -skew, interpolation);
  if (!denoised.empty()) denoised = RotateByDegrees(denoised, -skew, interpolation);
  skew_out = skew;
  Report("deskew", true, skew,
         Format("rotated %.2f degrees %s", std::abs(skew),
                skew > 0 ? "clockwise" : "counter-clockwise"));
}

// Runs before deskew, on the page as turned upright: rotation smears single-pixel
// specks into soft blobs that neither the count nor the filter would recognize.
// Returns the denoised page, or an empty Mat when the page is left as is.
cv::Mat Run::Denoise(const cv::Mat& page, const Analysis& analysis) {
  if (!options_.denoise) return Report("denoise", false, 0, "disabled"), cv::Mat();
  if (analysis.blank) return Report("denoise", false, 0, "blank page"), cv::Mat();
  const double specks = internal::MeasureSpeckles(page, analysis.threshold);
  if (specks <= options_.noisy_speckles_per_mille) {
    Report("denoise", false, specks,
           Format("%.2f isolated specks per 1000 pixels: clean enough", specks));
    return cv::Mat();
  }
  cv::Mat out = internal::RemoveSpecks(page, analysis.threshold);
  Report("denoise", true, specks,
         Format("%.2f isolated specks per 1000 pixels: replaced by their 3x3 median", specks));
  return out;
}

cv::Mat Run::Contrast(const cv::Mat& ocr, const Analysis& analysis) {
  const double separation = analysis.paper - analysis.ink_level;
  if (!options_.contrast) return Report("contrast", false, separation, "disabled"), ocr;
  if (analysis.blank) return Report("contrast", false, separation, "blank page"), ocr;
  if (separation >= options_.low_contrast_levels) {
    Report("contrast", false, separation,
           Format("ink %.0f on paper %.0f: contrast is fine", analysis.ink_level, analysis.paper));
    return ocr;
  }
  // Stretching paper to white and ink to black first gives CLAHE a full range to
  // work in; CLAHE then evens out what a global stretch cannot (faded patches).
  cv::Mat stretched;
  const double gain = 255.0 / std::max(1.0, separation);
  ocr.convertTo(stretched, CV_8U, gain, -analysis.ink_level * gain);
  cv::Ptr<cv::CLAHE> clahe =
      cv::createCLAHE(config::kClaheClipLimit, cv::Size(config::kClaheTiles, config::kClaheTiles));
  cv::Mat out;
  clahe->apply(stretched, out);
  Report(
      "contrast", true, separation,
      Format("CLAHE: ink %.0f on paper %.0f was low contrast", analysis.ink_level, analysis.paper));
  return out;
}

cv::Mat Run::FlattenLighting(const cv::Mat& ocr, const Analysis& analysis) {
  if (!options_.binarize || analysis.blank) return ocr;
  cv::Mat background;
  lighting_spread_ = internal::MeasureLightingSpread(analysis, &background);
  cv::Mat out = ocr;
  if (lighting_spread_ > options_.uneven_lighting_levels) {
    // Measured before deskew: turn it the same way so that it lines up with the page.
    if (result_.skew_deg != 0) background = RotateByDegrees(background, -result_.skew_deg);
    cv::Mat full;
    cv::resize(background, full, ocr.size(), 0, 0, cv::INTER_LINEAR);
    cv::divide(ocr, full, out, 255.0);
    flattened_ = true;
  }
  binarize_ms_ = clock_.Lap();
  return out;
}

cv::Mat Run::Upscale(const cv::Mat& ocr, const Analysis& analysis,
                     const internal::TextStats& text) {
  const double height = text.median_height / analysis.scale;  // page pixels
  if (!options_.upscale) return Report("upscale", false, height, "disabled"), ocr;
  if (text.components == 0 || height <= 0) {
    return Report("upscale", false, 0, "no text found"), ocr;
  }
  if (height >= options_.min_text_height_px) {
    Report("upscale", false, height,
           Format("text is %.1f px high, at least %d: big enough", height,
                  options_.min_text_height_px));
    return ocr;
  }
  double f = std::min(options_.min_text_height_px / height, config::kMaxUpscale);
  f = std::min(f, std::sqrt(config::kMaxOcrPixels / static_cast<double>(ocr.total())));
  if (f <= config::kMinUpscaleGain) {
    Report("upscale", false, height,
           Format("text is %.1f px high but the page is too big to enlarge", height));
    return ocr;
  }
  cv::Mat out;
  cv::resize(ocr, out, cv::Size(), f, f, cv::INTER_CUBIC);
  result_.ocr_scale = f;
  Report("upscale", true, height, Format("text is %.1f px high: enlarged %.2fx", height, f));
  return out;
}

cv::Mat Run::Binarize(const cv::Mat& ocr, const Analysis& analysis) {
  const double spread = lighting_spread_;
  cv::Mat out = ocr;
  std::string detail;
  if (!options_.binarize) {
    detail = "disabled";
  } else if (analysis.blank) {
    detail = "blank page";
  } else if (!flattened_) {
    detail =
        Format("background varies by %.0f levels: even, Tesseract's own Otsu suffices", spread);
  } else {
    cv::threshold(ocr, out, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    detail = Format("background varies by %.0f levels: flattened, then Otsu", spread);
  }
  result_.steps.push_back({"binarize", flattened_, spread, detail});
  result_.timings_ms["binarize"] = binarize_ms_ + clock_.Lap();
  return out;
}

cv::Mat ToGray(const cv::Mat& image) {
  cv::Mat gray;
  switch (image.channels()) {
    case 1:
      gray = image.clone();
      break;
    case 3:
      cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
      break;
    default:
      cv::cvtColor(image, gray, cv::COLOR_BGRA2GRAY);
  }
  return gray;
}

}  // namespace

core::Result<PreprocessResult> Preprocess(const cv::Mat& image, const PreprocessOptions& options) {
  if (image.empty()) return core::InvalidArgument("empty_image", "the page image is empty");
  if (image.depth() != CV_8U ||
      (image.channels() != 1 && image.channels() != 3 && image.channels() != 4)) {
    return core::InvalidArgument(
        "image_type",
        "expected an 8-bit gray, BGR or BGRA image, got type " + std::to_string(image.type()));
  }
  Clock total;
  PreprocessResult result;
  Run run(options, result);
  cv::Mat page = ToGray(image);
  Analysis analysis = internal::Analyze(page);
  internal::TextStats text = internal::MeasureText(analysis.ink);
  run.Lap("analyze");

  SMARTOCR_RETURN_IF_ERROR(run.Orientation(page, analysis, text));
  cv::Mat denoised = run.Denoise(page, analysis);
  run.Deskew(page, denoised, analysis, text, result.skew_deg);
  result.page = page;

  cv::Mat ocr = denoised.empty() ? page : denoised;
  ocr = run.Contrast(ocr, analysis);
  ocr = run.FlattenLighting(ocr, analysis);
  ocr = run.Upscale(ocr, analysis, text);
  result.ocr = run.Binarize(ocr, analysis);
  result.timings_ms["total"] = total.Lap();
  return result;
}

}  // namespace smartocr::preprocess
