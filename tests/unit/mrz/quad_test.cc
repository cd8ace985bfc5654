// The document in a photo (src/mrz/quad.cc): synthetic specimens photographed at an
// angle on a table are found to within a few pixels of where their corners went, and
// rectified straight; a flat scan (the document is the whole frame) has none.
#include "mrz/internal/quad.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <random>

#include "mrz_specimen.h"

namespace smartocr::mrz::internal {
namespace {

cv::Mat Gray(const cv::Mat& bgr) {
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  return gray;
}

TEST(DocumentQuad, FindsCardsAndPagesPhotographedAtAnAngle) {
  std::mt19937 rng(21);
  int found = 0, tried = 0;
  for (testing::SpecimenLayout layout :
       {testing::SpecimenLayout::kTd1, testing::SpecimenLayout::kTd3,
        testing::SpecimenLayout::kTd2}) {
    for (const char* degradation : {"perspective", "angled"}) {
      for (int i = 0; i < 3; ++i) {
        SCOPED_TRACE(std::string(testing::SpecimenLayoutName(layout)) + " " + degradation);
        testing::MrzHolder h = testing::RandomHolder(layout, rng);
        std::array<cv::Point2f, 4> truth;
        cv::Mat photo = testing::Degrade(testing::RenderSpecimen(layout, h, rng),
                                         testing::DegradationByName(degradation), rng, &truth);
        ++tried;
        std::optional<Quad> quad = FindDocumentQuad(Gray(photo));
        if (!quad) continue;
        ++found;
        const double tolerance = 0.02 * std::hypot(photo.cols, photo.rows);
        for (int k = 0; k < 4; ++k) {
          EXPECT_LT(cv::norm((*quad)[k] - truth[k]), tolerance) << "corner " << k;
        }
        cv::Mat to_image;
        cv::Mat straight = RectifyQuad(Gray(photo), *quad, to_image);
        const double aspect = static_cast<double>(straight.cols) / straight.rows;
        const double want = layout == testing::SpecimenLayout::kTd1   ? 85.6 / 54
                            : layout == testing::SpecimenLayout::kTd2 ? 105.0 / 74
                                                                      : 125.0 / 88;
        // Without the camera's focal length the sides' lengths only estimate the shape.
        EXPECT_NEAR(aspect / want, 1.0, 0.15);
        // The homography takes the output's corners back to the quad's.
        std::vector<cv::Point2f> corner = {{0, 0}}, back;
        cv::perspectiveTransform(corner, back, to_image);
        EXPECT_LT(cv::norm(back[0] - (*quad)[0]), 1.0);
      }
    }
  }
  EXPECT_EQ(found, tried);
}

TEST(DocumentQuad, AFlatScanHasNone) {
  std::mt19937 rng(2);
  testing::MrzHolder h = testing::RandomHolder(testing::SpecimenLayout::kTd3, rng);
  cv::Mat scan = testing::RenderSpecimen(testing::SpecimenLayout::kTd3, h, rng);
  EXPECT_FALSE(FindDocumentQuad(Gray(scan)).has_value());
  EXPECT_FALSE(FindDocumentQuad(cv::Mat()).has_value());
  EXPECT_FALSE(FindDocumentQuad(cv::Mat(100, 100, CV_8UC1, cv::Scalar(200))).has_value());
}

}  // namespace
}  // namespace smartocr::mrz::internal
