// tests/unit/preprocess/orientation_test.cc
//
// Tesseract's OSD reports orientation in a convention that is easy to get backwards:
// these tests turn a page by a known amount and check that it comes back upright.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "preprocess/preprocess.h"
#include "test_pages.h"

namespace smartocr::preprocess {
namespace {

const cv::Mat& Page150() {
  static const cv::Mat page = testing::TextPage(150, 12);
  return page;
}

PreprocessOptions OrientationOnly() {
  PreprocessOptions options;
  options.deskew = options.denoise = options.contrast = options.binarize = options.upscale = false;
  return options;
}

TEST(PreprocessOrientation, TurnedPagesComeBackUpright) {
  for (int turn : {90, 180, 270}) {
    SCOPED_TRACE(turn);
    auto result = Preprocess(TurnClockwise(Page150(), turn), OrientationOnly());
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result->rotation, (360 - turn) % 360);
    EXPECT_TRUE(result->steps[0].applied) << result->steps[0].detail;
    ASSERT_EQ(result->page.size(), Page150().size());
    EXPECT_GT(testing::Similarity(result->page, Page150()), 0.9);
  }
}

TEST(PreprocessOrientation, UprightPageStays) {
  auto result = Preprocess(Page150(), OrientationOnly());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->rotation, 0);
  EXPECT_FALSE(result->steps[0].applied);
}

TEST(PreprocessOrientation, TurnedAndSkewedPageComesBackUpright) {
  PreprocessOptions options = OrientationOnly();
  options.deskew = true;
  auto result = Preprocess(RotateByDegrees(TurnClockwise(Page150(), 90), 2.0), options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->rotation, 270);
  // Turning a page clockwise by 90 degrees turns its skew with it.
  EXPECT_NEAR(result->skew_deg, 2.0, 0.3);
}

TEST(PreprocessOrientation, LittleTextSkipsOsd) {
  cv::Mat page(600, 500, CV_8UC1, cv::Scalar(255));
  cv::rectangle(page, cv::Rect(100, 100, 40, 20), cv::Scalar(0), cv::FILLED);
  auto result = Preprocess(page, OrientationOnly());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_FALSE(result->steps[0].applied);
  EXPECT_NE(result->steps[0].detail.find("too little text"), std::string::npos)
      << result->steps[0].detail;
}

TEST(PreprocessOrientation, MissingOsdDataIsUnavailable) {
  PreprocessOptions options = OrientationOnly();
  options.tessdata_dir = "/nonexistent/tessdata";
  // On a thread of its own: the per-thread engine of this one stays untouched.
  core::Status status;
  std::thread([&] { status = Preprocess(Page150(), options).status(); }).join();
  EXPECT_EQ(status.code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(status.reason(), "osd_data");
}

TEST(PreprocessOrientation, WorksFromSeveralThreads) {
  const cv::Mat turned = TurnClockwise(Page150(), 180);
  int rotations[2] = {-1, -1};
  std::thread a([&] { rotations[0] = Preprocess(turned, OrientationOnly())->rotation; });
  std::thread b([&] { rotations[1] = Preprocess(turned, OrientationOnly())->rotation; });
  a.join();
  b.join();
  EXPECT_EQ(rotations[0], 180);
  EXPECT_EQ(rotations[1], 180);
}

}  // namespace
}  // namespace smartocr::preprocess
