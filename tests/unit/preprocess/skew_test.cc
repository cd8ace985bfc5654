// tests/unit/preprocess/skew_test.cc
#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "preprocess/preprocess.h"
#include "test_pages.h"

namespace smartocr::preprocess {
namespace {

const cv::Mat& Page200() {
  static const cv::Mat page = testing::TextPage(200);
  return page;
}

TEST(PreprocessSkew, EstimateFindsEachAngleOfATableWithinAThirdOfADegree) {
  for (double angle : {3.7, -3.7, 0.5, -1.2, 6.0, -9.5, 14.0}) {
    SCOPED_TRACE(angle);
    const cv::Mat turned = RotateByDegrees(Page200(), angle);
    EXPECT_NEAR(EstimateSkewDegrees(turned), angle, 0.3);
  }
}

TEST(PreprocessSkew, EstimateOfAnUprightPageIsNearZero) {
  EXPECT_NEAR(EstimateSkewDegrees(Page200()), 0, 0.1);
}

TEST(PreprocessSkew, EstimateWithoutTextIsZero) {
  EXPECT_EQ(EstimateSkewDegrees(cv::Mat(400, 300, CV_8UC1, cv::Scalar(255))), 0);
  EXPECT_EQ(EstimateSkewDegrees(cv::Mat()), 0);
}

TEST(PreprocessGeometry, RotateByDegreesKeepsTheWholePageOnAWhiteCanvas) {
  cv::Mat black(100, 200, CV_8UC1, cv::Scalar(0));
  const cv::Mat turned = RotateByDegrees(black, 30);
  EXPECT_GE(turned.cols, 200 * std::cos(CV_PI / 6) + 100 * 0.5 - 1);
  EXPECT_GE(turned.rows, 200 * 0.5 + 100 * std::cos(CV_PI / 6) - 1);
  // All of the black page is still there (area kept), and the corners are white.
  EXPECT_NEAR(cv::countNonZero(turned < 128), 200 * 100, 200 * 100 * 0.03);
  EXPECT_EQ(turned.at<uint8_t>(0, 0), 255);
  EXPECT_EQ(turned.at<uint8_t>(turned.rows - 1, turned.cols - 1), 255);
}

// One-pixel strokes (characters a few pixels high) keep more of their darkness turned
// with bicubic interpolation, which the deskew of small print asks for.
TEST(PreprocessGeometry, BicubicRotationKeepsThinStrokesDarker) {
  cv::Mat lines(60, 200, CV_8UC1, cv::Scalar(255));
  for (int y = 10; y < 60; y += 10) lines.row(y).setTo(0);
  auto dark = [](const cv::Mat& turned) { return cv::countNonZero(turned < 64); };
  const int linear = dark(RotateByDegrees(lines, 3.3));
  const int cubic = dark(RotateByDegrees(lines, 3.3, cv::INTER_CUBIC));
  EXPECT_GT(cubic, linear + linear / 5) << linear;
}

TEST(PreprocessGeometry, TurnClockwiseTurnsAndComesBack) {
  cv::Mat image(2, 3, CV_8UC1);
  for (int i = 0; i < 6; ++i) image.data[i] = static_cast<uint8_t>(i);
  const cv::Mat cw = TurnClockwise(image, 90);
  ASSERT_EQ(cw.size(), cv::Size(2, 3));
  // Clockwise: the bottom-left pixel (3) goes to the top-left.
  EXPECT_EQ(cw.at<uint8_t>(0, 0), 3);
  EXPECT_EQ(cw.at<uint8_t>(0, 1), 0);
  for (int turn : {0, 90, 180, 270}) {
    SCOPED_TRACE(turn);
    const cv::Mat back = TurnClockwise(TurnClockwise(image, turn), (360 - turn) % 360);
    EXPECT_EQ(cv::countNonZero(back != image), 0);
  }
}

TEST(PreprocessDeskew, RemovesSkewAndReportsIt) {
  PreprocessOptions options;
  options.orientation = false;
  for (double angle : {3.7, -3.7}) {
    SCOPED_TRACE(angle);
    auto result = Preprocess(RotateByDegrees(Page200(), angle), options);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_NEAR(result->skew_deg, angle, 0.3);
    ASSERT_EQ(result->steps[2].name, "deskew");
    EXPECT_TRUE(result->steps[2].applied);
    // What is left after the turn back is below what deskew would act on.
    EXPECT_NEAR(EstimateSkewDegrees(result->page), 0, 0.3);
  }
}

TEST(PreprocessDeskew, LeavesAnUprightPageAlone) {
  PreprocessOptions options;
  options.orientation = false;
  auto result = Preprocess(Page200(), options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->skew_deg, 0);
  ASSERT_EQ(result->steps[2].name, "deskew");
  EXPECT_FALSE(result->steps[2].applied);
  EXPECT_EQ(result->page.size(), Page200().size());
}

}  // namespace
}  // namespace smartocr::preprocess
