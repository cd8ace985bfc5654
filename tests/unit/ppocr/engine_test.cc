// The ppocr and hybrid engines on rendered pages: straight, turned, upside-down and
// small text. Needs ONNX Runtime and the PP-OCRv4 models (scripts/install-deps.sh):
// without them these tests fail when CI is set and skip otherwise.
#include <gtest/gtest.h>

#include <cstdlib>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "fixtures.h"
#include "ppocr/ppocr.h"
#include "ppocr/reader.h"
#include "required.h"

namespace smartocr::ppocr {
namespace {

// The engine, or a skip (locally) / failure (CI) saying why there is none.
#define ENGINE_OR_SKIP(var, expr)                                                   \
  auto var = (expr);                                                                \
  if (!var.ok()) {                                                                  \
    SMARTOCR_SKIP_OR_FAIL("PP-OCR engine unavailable: " + var.status().ToString()); \
  }

const std::vector<std::string> kLines = {
    "Invoice number 2024-117 dated March 3, 2024",
    "Total amount due: 1,234.56 EUR",
    "Thank you for your business",
};
const std::string kAll = kLines[0] + "\n" + kLines[1] + "\n" + kLines[2];

cv::Mat Page(double rotate_deg = 0, double size_pt = 14, double dpi = 150) {
  testing::FixturePage page;
  page.width_pt = 460;
  page.height_pt = 160;
  page.runs = testing::Paragraph(kLines, 30, 45, size_pt, size_pt * 2.2);
  page.rotate_deg = rotate_deg;
  return testing::RenderPage(page, dpi);
}

std::string Join(const std::vector<core::Line>& lines) {
  std::string out;
  for (const auto& l : lines) out += l.Text() + "\n";
  return out;
}

void ExpectSaneBoxes(const std::vector<core::Line>& lines, const cv::Mat& page) {
  for (const core::Line& line : lines) {
    EXPECT_GE(line.confidence, 0.0);
    EXPECT_LE(line.confidence, 1.0);
    for (const core::Word& w : line.words) {
      EXPECT_FALSE(w.text.empty());
      EXPECT_GE(w.box.x0, -1);
      EXPECT_GE(w.box.y0, -1);
      EXPECT_LE(w.box.x1, page.cols + 1);
      EXPECT_LE(w.box.y1, page.rows + 1);
      EXPECT_GE(w.confidence, 0.0);
      EXPECT_LE(w.confidence, 1.0);
    }
  }
}

TEST(PpocrEngine, ReadsLinesWithWordBoxesInOrder) {
  ENGINE_OR_SKIP(engine, CreatePpocrEngine({}));
  EXPECT_EQ((*engine)->info().name, "ppocr");
  EXPECT_NE((*engine)->info().version.find("ort" + RuntimeVersion()), std::string::npos);
  EXPECT_NE((*engine)->info().version.find("rec:"), std::string::npos);
  cv::Mat page = Page();
  auto lines = (*engine)->Recognize(page, {});
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  ASSERT_EQ(lines->size(), 3u) << Join(*lines);
  EXPECT_GE(testing::WordRecall(kAll, Join(*lines)), 0.85) << Join(*lines);
  ExpectSaneBoxes(*lines, page);
  EXPECT_LT((*lines)[0].box.cy(), (*lines)[1].box.cy());
  // "Total" starts the second line at 30 pt = 62 px at 150 dpi.
  const core::Word& total = (*lines)[1].words.front();
  EXPECT_EQ(total.text, "Total");
  EXPECT_NEAR(total.box.x0, 62, 8);
  EXPECT_LT(total.box.width(), 70);
  EXPECT_GT(total.confidence, 0.8);
}

TEST(PpocrEngine, ReadsTurnedAndUpsideDownPages) {
  ENGINE_OR_SKIP(engine, CreatePpocrEngine({}));
  auto turned = (*engine)->Recognize(Page(6), {});
  ASSERT_TRUE(turned.ok());
  EXPECT_GE(testing::WordRecall(kAll, Join(*turned)), 0.8) << Join(*turned);
  cv::Mat upside_down;
  cv::rotate(Page(), upside_down, cv::ROTATE_180);
  auto flipped = (*engine)->Recognize(upside_down, {});
  ASSERT_TRUE(flipped.ok());
  EXPECT_GE(testing::WordRecall(kAll, Join(*flipped)), 0.8) << Join(*flipped);
}

TEST(PpocrEngine, FindsSmallText) {
  ENGINE_OR_SKIP(engine, CreatePpocrEngine({}));
  auto lines = (*engine)->Recognize(Page(0, 7, 150), {});  // ~10 px lines
  ASSERT_TRUE(lines.ok());
  EXPECT_EQ(lines->size(), 3u) << Join(*lines);
  EXPECT_GE(testing::WordRecall(kAll, Join(*lines)), 0.6) << Join(*lines);
}

TEST(PpocrEngine, SharedAcrossThreads) {
  ENGINE_OR_SKIP(engine, CreatePpocrEngine({}));
  cv::Mat page = Page();
  auto ref = (*engine)->Recognize(page, {});
  ASSERT_TRUE(ref.ok());
  std::string texts[2];
  std::thread a([&] { texts[0] = Join(*(*engine)->Recognize(page, {})); });
  std::thread b([&] { texts[1] = Join(*(*engine)->Recognize(page, {})); });
  a.join();
  b.join();
  EXPECT_EQ(texts[0], Join(*ref));
  EXPECT_EQ(texts[1], Join(*ref));
}

TEST(HybridEngine, ReadsLinesWithTesseractAndKeepsBoxesOnThePage) {
  ENGINE_OR_SKIP(engine, CreateHybridEngine({}));
  EXPECT_EQ((*engine)->info().name, "hybrid");
  EXPECT_NE((*engine)->info().version.find("tesseract"), std::string::npos)
      << (*engine)->info().version;
  cv::Mat page = Page(4);
  auto lines = (*engine)->Recognize(page, {});
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  ASSERT_EQ(lines->size(), 3u) << Join(*lines);
  EXPECT_GE(testing::WordRecall(kAll, Join(*lines)), 0.85) << Join(*lines);
  ExpectSaneBoxes(*lines, page);
}

TEST(PpocrEngine, ReportsMissingModelsAndDevices) {
  if (!RuntimeAvailable()) {
    // A build without ONNX Runtime says so; where it is required, that is a failure.
    EXPECT_EQ(CreatePpocrEngine({}).status().code(), core::StatusCode::kUnavailable);
    SMARTOCR_SKIP_OR_FAIL("this build has no ONNX Runtime");
  }
  PpocrConfig missing;
  missing.models_dir = "/nonexistent/models";
  EXPECT_EQ(CreatePpocrEngine(missing).status().code(), core::StatusCode::kUnavailable);
  PpocrConfig bad;
  bad.intra_threads = 0;
  EXPECT_EQ(CreatePpocrEngine(bad).status().code(), core::StatusCode::kInvalidArgument);
  PpocrConfig cuda;
  cuda.device = "cuda";
  auto engine = CreatePpocrEngine(cuda);
  // This runtime build is CPU-only; a CUDA build would load.
  if (!engine.ok()) {
    EXPECT_EQ(engine.status().code(), core::StatusCode::kUnavailable);
    EXPECT_NE(engine.status().message().find("CUDA"), std::string::npos)
        << engine.status().ToString();
  }
}

}  // namespace
}  // namespace smartocr::ppocr
