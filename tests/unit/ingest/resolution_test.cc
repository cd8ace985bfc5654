// A page's resolution: from the image's own tag (TIFF, PNG pHYs, JPEG JFIF or EXIF),
// the caller's --dpi over it, PDF rendering; tags outside the credible range dropped.
// Each read in-process and through the sandboxed decoder (the pipe carries it).
#include <gtest/gtest.h>
#include <tiffio.h>

#include <opencv2/core.hpp>
#include <string>

#include "fixtures.h"
#include "ingest/image_header.h"
#include "ingest/ingest.h"
#include "ingest_test_util.h"

namespace smartocr::ingest {
namespace {

cv::Mat White() { return cv::Mat(60, 80, CV_8UC1, cv::Scalar(255)); }

class IngestResolutionTest : public testing::TempDirTest,
                             public ::testing::WithParamInterface<bool> {
 protected:
  IngestOptions Options() const {
    IngestOptions options;
    if (GetParam()) {
      options.decoder_path = testing::DecoderPath();
    } else {
      options.in_process = true;
    }
    return options;
  }

  // The first page of `bytes` written to a file.
  Page Read(const std::string& bytes, const IngestOptions& options) {
    smartocr::testing::WriteFile(Path("image"), bytes);
    return ReadFirst(Path("image"), options);
  }
  Page ReadFirst(const std::string& path, const IngestOptions& options) {
    auto pages = testing::ReadAll(path, options);
    EXPECT_TRUE(pages.ok()) << pages.status().ToString();
    if (!pages.ok() || pages->empty()) return {};
    return pages->front();
  }
};

TEST_P(IngestResolutionTest, TiffTagsInInchesOrCentimetres) {
  testing::WriteTiff(Path("a.tif"), {{White(), false, 150, RESUNIT_INCH},
                                     {White(), true, 118.11, RESUNIT_CENTIMETER},
                                     {White(), false, 300, RESUNIT_NONE},
                                     {White()}});
  auto pages = testing::ReadAll(Path("a.tif"), Options());
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  ASSERT_EQ(pages->size(), 4u);
  EXPECT_DOUBLE_EQ((*pages)[0].dpi, 150);
  EXPECT_EQ((*pages)[0].dpi_source, core::DpiSource::kImage);
  EXPECT_NEAR((*pages)[1].dpi, 300, 0.01);  // 118.11 per cm
  EXPECT_EQ((*pages)[1].dpi_source, core::DpiSource::kImage);
  for (int i : {2, 3}) {  // an aspect ratio only; no tag
    EXPECT_EQ((*pages)[i].dpi, 0) << i;
    EXPECT_EQ((*pages)[i].dpi_source, core::DpiSource::kUnknown) << i;
  }
}

TEST_P(IngestResolutionTest, JpegJfifDensityThenExif) {
  Page inch = Read(testing::JpegWithDensity(White(), 1, 200, 200), Options());
  EXPECT_DOUBLE_EQ(inch.dpi, 200);
  EXPECT_EQ(inch.dpi_source, core::DpiSource::kImage);
  Page cm = Read(testing::JpegWithDensity(White(), 2, 118, 118), Options());
  EXPECT_NEAR(cm.dpi, 299.72, 0.01);
  // Fax-like: the mean of horizontal and vertical.
  EXPECT_DOUBLE_EQ(Read(testing::JpegWithDensity(White(), 1, 204, 196), Options()).dpi, 200);
  Page aspect = Read(testing::JpegWithDensity(White(), 0, 1, 1), Options());
  EXPECT_EQ(aspect.dpi, 0);
  EXPECT_EQ(aspect.dpi_source, core::DpiSource::kUnknown);
  Page exif = Read(testing::JpegWithExifResolution(White(), 300, 300, 2), Options());
  EXPECT_DOUBLE_EQ(exif.dpi, 300);
  EXPECT_EQ(exif.dpi_source, core::DpiSource::kImage);
  EXPECT_NEAR(Read(testing::JpegWithExifResolution(White(), 100, 100, 3), Options()).dpi, 254,
              0.01);
}

TEST_P(IngestResolutionTest, PngPhysInPixelsPerMetre) {
  Page page = Read(testing::PngWithPhys(White(), 7874, 7874, 1), Options());
  EXPECT_NEAR(page.dpi, 200, 0.01);
  EXPECT_EQ(page.dpi_source, core::DpiSource::kImage);
  EXPECT_EQ(Read(testing::PngWithPhys(White(), 7874, 7874, 0), Options()).dpi, 0);
}

// 72 and 96 are what cameras and screen captures write when they know nothing.
TEST_P(IngestResolutionTest, ImplausibleTagsAreNoTags) {
  for (int dpi : {72, 96, 9000}) {
    Page page = Read(testing::JpegWithDensity(White(), 1, dpi, dpi), Options());
    EXPECT_EQ(page.dpi, 0) << dpi;
    EXPECT_EQ(page.dpi_source, core::DpiSource::kUnknown) << dpi;
  }
}

TEST_P(IngestResolutionTest, TheCallersDpiOverridesTheTag) {
  IngestOptions options = Options();
  options.image_dpi = 250;
  for (const std::string& bytes : {testing::JpegWithDensity(White(), 1, 150, 150),
                                   testing::JpegWithDensity(White(), 0, 1, 1)}) {
    Page page = Read(bytes, options);
    EXPECT_EQ(page.dpi, 250);
    EXPECT_EQ(page.dpi_source, core::DpiSource::kOption);
  }
}

TEST_P(IngestResolutionTest, PdfPagesAreAtTheRenderingResolution) {
  smartocr::testing::FixturePage scanned;
  scanned.scanned = true;
  smartocr::testing::FixturePage text;
  text.runs = smartocr::testing::Paragraph({"Resolution of a born-digital page"}, 72, 100);
  smartocr::testing::WritePdf(Path("doc.pdf"), {scanned, text});
  IngestOptions options = Options();
  options.dpi = 100;
  options.image_dpi = 250;  // images only
  auto pages = testing::ReadAll(Path("doc.pdf"), options);
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  ASSERT_EQ(pages->size(), 2u);
  for (const Page& page : *pages) {
    EXPECT_EQ(page.dpi, 100);
    EXPECT_EQ(page.dpi_source, core::DpiSource::kRender);
  }
  EXPECT_EQ((*pages)[1].source, core::PageSource::kPdfText);
}

INSTANTIATE_TEST_SUITE_P(InProcessAndSandboxed, IngestResolutionTest, ::testing::Bool());

// The header readers never read past the bytes they are given.
TEST(IngestResolutionHeaders, TruncatedHeadersStateNoResolution) {
  const std::string jpeg = testing::JpegWithExifResolution(White(), 300, 300, 2);
  const std::string png = testing::PngWithPhys(White(), 7874, 7874, 1);
  // Up to the end of the EXIF segment (JFIF 20 bytes, then 76), and of the pHYs chunk
  // (signature and IHDR 33 bytes, then 21).
  for (size_t n = 0; n < 96; ++n) EXPECT_EQ(JpegDpi(jpeg.substr(0, n)), std::nullopt) << n;
  for (size_t n = 0; n < 54; ++n) EXPECT_EQ(PngDpi(png.substr(0, n)), std::nullopt) << n;
  EXPECT_DOUBLE_EQ(JpegDpi(jpeg).value_or(0), 300);
  EXPECT_NEAR(PngDpi(png).value_or(0), 200, 0.01);
  EXPECT_EQ(DpiFromResolution(0, 300, 2), std::nullopt);
  EXPECT_EQ(DpiFromResolution(300, 300, 1), std::nullopt);
}

}  // namespace
}  // namespace smartocr::ingest
