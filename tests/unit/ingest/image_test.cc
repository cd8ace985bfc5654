// PNG, JPEG (with EXIF orientation) and multi-page TIFF (LZW and CCITT G4) pages.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "fixtures.h"
#include "ingest/ingest.h"
#include "ingest_test_util.h"

namespace smartocr::ingest {
namespace {

// A white image with a black block in its top-left corner, so turns are visible.
cv::Mat Marked(int width, int height) {
  cv::Mat gray(height, width, CV_8UC1, cv::Scalar(255));
  gray(cv::Rect(0, 0, width / 4, height / 4)).setTo(0);
  return gray;
}

bool IsDark(const cv::Mat& gray, int x, int y) { return gray.at<uint8_t>(y, x) < 64; }

class IngestImageTest : public testing::TempDirTest {};

TEST_F(IngestImageTest, PngComesBackAsOneGrayPage) {
  cv::Mat color(120, 200, CV_8UC3, cv::Scalar(255, 255, 255));
  color(cv::Rect(0, 0, 50, 30)).setTo(cv::Scalar(0, 0, 0));
  // A misleading name: the type comes from the bytes.
  std::vector<uint8_t> png;
  cv::imencode(".png", color, png);
  smartocr::testing::WriteFile(Path("image.jpg"), std::string(png.begin(), png.end()));
  auto source = OpenDocument(Path("image.jpg"), IngestOptions());
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->type(), FileType::kPng);
  EXPECT_EQ((*source)->page_count(), 1);
  auto page = (*source)->Next();
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_TRUE(page->has_value());
  const Page& p = **page;
  EXPECT_EQ(p.number, 1);
  EXPECT_EQ(p.source, core::PageSource::kOcr);
  ASSERT_EQ(p.image.type(), CV_8UC1);
  EXPECT_EQ(p.width, 200);
  EXPECT_EQ(p.height, 120);
  EXPECT_TRUE(IsDark(p.image, 10, 10));
  EXPECT_FALSE(IsDark(p.image, 150, 100));
  auto end = (*source)->Next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

TEST_F(IngestImageTest, JpegExifOrientationIsApplied) {
  struct Case {
    int orientation;
    int want_width, want_height;
    int dark_x, dark_y;  // a point inside the turned block
  };
  // 200x100 image, block in the top-left 50x25. Orientation 6 means "turn 90 degrees
  // clockwise to view": the block ends up top-right of a 100x200 image.
  const Case kCases[] = {{1, 200, 100, 10, 10}, {6, 100, 200, 90, 10}, {3, 200, 100, 190, 90}};
  for (const Case& c : kCases) {
    SCOPED_TRACE("orientation " + std::to_string(c.orientation));
    std::string path = Path("photo" + std::to_string(c.orientation) + ".jpg");
    smartocr::testing::WriteFile(path,
                                 testing::JpegWithExifOrientation(Marked(200, 100), c.orientation));
    auto pages = testing::ReadAll(path, IngestOptions());
    ASSERT_TRUE(pages.ok()) << pages.status().ToString();
    ASSERT_EQ(pages->size(), 1u);
    const Page& p = (*pages)[0];
    EXPECT_EQ(p.width, c.want_width);
    EXPECT_EQ(p.height, c.want_height);
    ASSERT_EQ(p.image.cols, c.want_width);
    EXPECT_TRUE(IsDark(p.image, c.dark_x, c.dark_y));
    EXPECT_FALSE(IsDark(p.image, c.want_width - 1 - c.dark_x, c.want_height - 1 - c.dark_y));
  }
}

TEST_F(IngestImageTest, MultiPageTiffGivesEveryPageIncludingG4) {
  smartocr::testing::FixturePage text;
  text.runs = smartocr::testing::Paragraph({"Fax page in CCITT G4"}, 20, 40, 14);
  text.width_pt = 300;
  text.height_pt = 100;
  cv::Mat fax = smartocr::testing::RenderPage(text, 200);
  testing::WriteTiff(Path("multi.tif"),
                     {{Marked(160, 90), false}, {fax, true}, {Marked(64, 48), false}});
  auto source = OpenDocument(Path("multi.tif"), IngestOptions());
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->type(), FileType::kTiff);
  EXPECT_EQ((*source)->page_count(), 3);
  std::vector<Page> pages;
  while (true) {
    auto page = (*source)->Next();
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    if (!page->has_value()) break;
    pages.push_back(std::move(**page));
  }
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(pages[0].width, 160);
  EXPECT_EQ(pages[0].height, 90);
  EXPECT_TRUE(IsDark(pages[0].image, 5, 5));
  EXPECT_FALSE(IsDark(pages[0].image, 150, 80));
  // The G4 page matches the thresholded original exactly (bilevel, lossless).
  ASSERT_EQ(pages[1].image.size(), fax.size());
  cv::Mat want = fax < 128, got = pages[1].image < 128;
  EXPECT_EQ(cv::countNonZero(want != got), 0);
  EXPECT_GT(cv::countNonZero(got), 100);
  EXPECT_EQ(pages[2].number, 3);
  EXPECT_EQ(pages[2].width, 64);
}

TEST_F(IngestImageTest, TiffPageSelection) {
  testing::WriteTiff(Path("multi.tif"), {{Marked(30, 20)}, {Marked(40, 20)}, {Marked(50, 20)}});
  IngestOptions options;
  options.pages = *core::PageRange::Parse("3");
  auto pages = testing::ReadAll(Path("multi.tif"), options);
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  ASSERT_EQ(pages->size(), 1u);
  EXPECT_EQ((*pages)[0].number, 3);
  EXPECT_EQ((*pages)[0].width, 50);
}

}  // namespace
}  // namespace smartocr::ingest
