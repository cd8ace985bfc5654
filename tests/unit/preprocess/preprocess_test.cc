// tests/unit/preprocess/preprocess_test.cc
//
// The steps that change only the recognition image (denoise, contrast, binarize,
// upscale), the step reports, and the error paths.
#include "preprocess/preprocess.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "test_pages.h"

namespace smartocr::preprocess {
namespace {

const cv::Mat& Page200() {
  static const cv::Mat page = testing::TextPage(200);
  return page;
}

// Geometry off: these tests look at the recognition image only.
PreprocessOptions EnhanceOnly() {
  PreprocessOptions options;
  options.orientation = false;
  options.deskew = false;
  return options;
}

const core::StepReport& Step(const PreprocessResult& result, const std::string& name) {
  for (const core::StepReport& step : result.steps) {
    if (step.name == name) return step;
  }
  static const core::StepReport kMissing{"missing", false, 0, "no such step"};
  ADD_FAILURE() << "no step " << name;
  return kMissing;
}

TEST(Preprocess, ReportsEveryStepInOrder) {
  auto result = Preprocess(Page200(), PreprocessOptions());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::vector<std::string> names;
  for (const core::StepReport& step : result->steps) {
    names.push_back(step.name);
    EXPECT_FALSE(step.detail.empty()) << step.name;
    EXPECT_TRUE(result->timings_ms.count(step.name)) << step.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"orientation", "denoise", "deskew", "contrast",
                                             "upscale", "binarize"}));
  // A clean, upright, well-sized page: nothing to do, and ocr is the page itself.
  for (const core::StepReport& step : result->steps) {
    EXPECT_FALSE(step.applied) << step.name << ": " << step.detail;
  }
  EXPECT_EQ(result->ocr_scale, 1.0);
  EXPECT_EQ(cv::countNonZero(result->ocr != Page200()), 0);
  EXPECT_EQ(result->page.type(), CV_8UC1);
}

TEST(Preprocess, LowContrastPageGetsClahe) {
  auto result = Preprocess(testing::WithLevels(Page200(), 140, 200), EnhanceOnly());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const core::StepReport& step = Step(*result, "contrast");
  EXPECT_TRUE(step.applied) << step.detail;
  EXPECT_LT(step.value, 80);
  // Ink is dark again in what recognition reads.
  double lo = 0, hi = 0;
  cv::minMaxLoc(result->ocr, &lo, &hi);
  EXPECT_LT(lo, 60);
  EXPECT_GT(hi, 230);
}

TEST(Preprocess, NormalContrastPageIsLeftAlone) {
  auto result = Preprocess(testing::WithLevels(Page200(), 30, 235), EnhanceOnly());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_FALSE(Step(*result, "contrast").applied) << Step(*result, "contrast").detail;
}

TEST(Preprocess, NoisyPageGetsDenoised) {
  const cv::Mat noisy = testing::WithSaltAndPepper(Page200(), 0.01);
  auto result = Preprocess(noisy, EnhanceOnly());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const core::StepReport& step = Step(*result, "denoise");
  EXPECT_TRUE(step.applied) << step.detail;
  // Far fewer pixels are on the wrong side of mid-gray than in the noisy input.
  auto wrong = [](const cv::Mat& image) {
    cv::Mat diff;
    cv::absdiff(image, Page200(), diff);
    return cv::countNonZero(diff > 128);
  };
  EXPECT_LT(wrong(result->ocr), wrong(noisy) / 5) << wrong(noisy);
  // The page itself (what boxes and PDFs show) keeps its pixels.
  EXPECT_EQ(cv::countNonZero(result->page != noisy), 0);
}

TEST(Preprocess, NoisySkewedPageIsDenoisedBeforeDeskew) {
  PreprocessOptions options = EnhanceOnly();
  options.deskew = true;
  const cv::Mat noisy = testing::WithSaltAndPepper(RotateByDegrees(Page200(), 3.7), 0.01);
  auto result = Preprocess(noisy, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(Step(*result, "denoise").applied);
  EXPECT_NEAR(result->skew_deg, 3.7, 0.3);
  // Pepper specks on the paper are gone from the recognition image, not the page.
  auto specks = [](const cv::Mat& image) {
    cv::Mat dark = image < 128;
    cv::Mat neighbours;
    cv::boxFilter(dark / 255, neighbours, CV_8U, cv::Size(3, 3), cv::Point(-1, -1), false);
    return cv::countNonZero(dark & (neighbours == 1));
  };
  EXPECT_LT(specks(result->ocr), specks(result->page) / 10) << specks(result->page);
}

// A passport's tinted laminate over half the page, printed at a tilt: Otsu counts the
// tint as ink, and its outline outscores the text lines in the projection profile of
// all the ink. The characters alone say the page is straight, and it is left so.
TEST(Preprocess, TiltedTintOverTheTextDoesNotSetTheSkew) {
  PreprocessOptions options = EnhanceOnly();
  options.deskew = true;
  cv::Mat page = Page200().clone();
  cv::Mat tint = cv::Mat::zeros(page.size(), CV_8UC1);
  const cv::RotatedRect band({page.cols * 0.5F, page.rows * 0.45F},
                             {page.cols * 0.7F, page.rows * 0.5F}, 10);
  cv::Point2f corners[4];
  band.points(corners);
  std::vector<cv::Point> polygon(corners, corners + 4);
  cv::fillConvexPoly(tint, polygon, cv::Scalar(255));
  cv::Mat darker;
  page.convertTo(darker, -1, 0.45);
  darker.copyTo(page, tint);
  // The trap: all the ink together follows the tint.
  ASSERT_GT(std::abs(EstimateSkewDegrees(page)), 2);
  auto result = Preprocess(page, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_NEAR(result->skew_deg, 0, 0.3) << Step(*result, "deskew").detail;
  // A page really turned still gets turned back with the tint on it.
  auto turned = Preprocess(RotateByDegrees(page, 4), options);
  ASSERT_TRUE(turned.ok()) << turned.status().ToString();
  EXPECT_NEAR(turned->skew_deg, 4, 0.3) << Step(*turned, "deskew").detail;
}

// A small angle on a small page (an ID card thumbnail) moves a line's ends by under a
// pixel: turning it would only blur the glyphs. On a full page it is removed.
TEST(Preprocess, SkewThatMovesLinesUnderAPixelIsLeftAlone) {
  PreprocessOptions options = EnhanceOnly();
  options.deskew = true;
  const cv::Mat turned = RotateByDegrees(Page200(), 0.5);
  auto full = Preprocess(turned, options);
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_TRUE(Step(*full, "deskew").applied);
  EXPECT_NEAR(full->skew_deg, 0.5, 0.15);
  // The same page, where a drift of 20 px is asked for (0.5 degrees over 1700 px
  // is about 15).
  options.min_skew_drift_px = 20;
  auto held = Preprocess(turned, options);
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  EXPECT_FALSE(Step(*held, "deskew").applied);
  EXPECT_EQ(held->skew_deg, 0);
  EXPECT_EQ(held->page.size(), turned.size());
  // A 110 px wide strip of a page turned 0.7 degrees at the default: about 1.3 px of
  // drift.
  options.min_skew_drift_px = PreprocessOptions().min_skew_drift_px;
  const cv::Mat steeper = RotateByDegrees(Page200(), 0.7);
  const cv::Mat strip = steeper(cv::Rect(steeper.cols / 8, steeper.rows / 6, 110, 500)).clone();
  auto small = Preprocess(strip, options);
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  EXPECT_FALSE(Step(*small, "deskew").applied) << Step(*small, "deskew").detail;
  EXPECT_NE(Step(*small, "deskew").detail.find(" px"), std::string::npos)
      << Step(*small, "deskew").detail;
  EXPECT_EQ(small->page.size(), strip.size());
}

TEST(Preprocess, CleanPageIsNotDenoised) {
  auto result = Preprocess(Page200(), EnhanceOnly());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_FALSE(Step(*result, "denoise").applied) << Step(*result, "denoise").detail;
}

TEST(Preprocess, SmallTextIsUpscaledAndBigTextIsNot) {
  struct Case {
    double dpi, size_pt;
    bool upscaled;
  };
  for (const Case& c :
       {Case{100, 8, true}, Case{150, 6, true}, Case{300, 11, false}, Case{200, 14, false}}) {
    SCOPED_TRACE(std::to_string(c.dpi) + " dpi, " + std::to_string(c.size_pt) + " pt");
    const cv::Mat page = testing::TextPage(c.dpi, c.size_pt);
    auto result = Preprocess(page, EnhanceOnly());
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    const core::StepReport& step = Step(*result, "upscale");
    EXPECT_EQ(step.applied, c.upscaled) << step.detail;
    if (c.upscaled) {
      EXPECT_GT(result->ocr_scale, 1.2);
      EXPECT_NEAR(step.value * result->ocr_scale, PreprocessOptions().min_text_height_px, 1.5);
      EXPECT_NEAR(result->ocr.cols, page.cols * result->ocr_scale, 1.0);
      EXPECT_EQ(result->page.size(), page.size());
    } else {
      EXPECT_EQ(result->ocr_scale, 1.0);
      EXPECT_EQ(result->ocr.size(), page.size());
    }
  }
}

TEST(Preprocess, UnevenLightingIsFlattenedAndBinarized) {
  auto result = Preprocess(testing::WithShading(Page200(), 90), EnhanceOnly());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const core::StepReport& step = Step(*result, "binarize");
  EXPECT_TRUE(step.applied) << step.detail;
  // Binary, and the shaded right side keeps its paper white.
  EXPECT_EQ(cv::countNonZero((result->ocr > 0) & (result->ocr < 255)), 0);
  const cv::Mat right = result->ocr.colRange(result->ocr.cols * 9 / 10, result->ocr.cols);
  EXPECT_GT(cv::mean(right)[0], 240);
}

TEST(Preprocess, EvenLightingIsNotBinarized) {
  auto result = Preprocess(Page200(), EnhanceOnly());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_FALSE(Step(*result, "binarize").applied) << Step(*result, "binarize").detail;
}

TEST(Preprocess, EmptyImageIsInvalid) {
  auto result = Preprocess(cv::Mat(), PreprocessOptions());
  EXPECT_EQ(result.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().reason(), "empty_image");
}

TEST(Preprocess, WrongPixelTypeIsInvalid) {
  auto result = Preprocess(cv::Mat(10, 10, CV_16UC1, cv::Scalar(0)), PreprocessOptions());
  EXPECT_EQ(result.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().reason(), "image_type");
}

TEST(Preprocess, BlankPageSkipsEverything) {
  for (int level : {255, 128, 0}) {
    SCOPED_TRACE(level);
    const cv::Mat blank(1100, 850, CV_8UC1, cv::Scalar(level));
    auto result = Preprocess(blank, PreprocessOptions());
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    for (const core::StepReport& step : result->steps) {
      EXPECT_FALSE(step.applied) << step.name << ": " << step.detail;
    }
    EXPECT_EQ(result->page.size(), blank.size());
    EXPECT_EQ(result->ocr.size(), blank.size());
  }
}

TEST(Preprocess, ColorAndTinyImagesAreAccepted) {
  cv::Mat bgr;
  cv::cvtColor(Page200(), bgr, cv::COLOR_GRAY2BGR);
  auto result = Preprocess(bgr, PreprocessOptions());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->page.type(), CV_8UC1);
  for (cv::Size size : {cv::Size(1, 1), cv::Size(2, 7), cv::Size(40, 3)}) {
    SCOPED_TRACE(size);
    cv::Mat tiny(size, CV_8UC1, cv::Scalar(0));
    tiny.at<uint8_t>(0, 0) = 255;
    EXPECT_TRUE(Preprocess(tiny, PreprocessOptions()).ok());
  }
}

}  // namespace
}  // namespace smartocr::preprocess
