#include "pipeline/pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <opencv2/imgproc.hpp>

#include "fixtures.h"

namespace smartocr::pipeline {
namespace {

// Reads nothing: "reads" the page's count of dark boxes, so each page of the test
// document gives a different, known text.
class CountingEngine final : public recognize::Engine {
 public:
  const core::EngineInfo& info() const override { return info_; }
  core::Result<std::vector<core::Line>> Recognize(const cv::Mat& gray,
                                                  const recognize::RecognizeOptions&) override {
    int now = ++running_;
    int p = peak_.load();
    while (now > p && !peak_.compare_exchange_weak(p, now)) {
    }
    cv::Mat dark;
    cv::threshold(gray, dark, 128, 255, cv::THRESH_BINARY_INV);
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(dark, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    core::Line line;
    line.words.push_back({"boxes" + std::to_string(contours.size()), {10, 10, 100, 40}, 0.9});
    line.box = line.words[0].box;
    line.confidence = 0.9;
    --running_;
    ++calls_;
    return std::vector<core::Line>{line};
  }
  int peak() const { return peak_.load(); }
  int calls() const { return calls_.load(); }

 private:
  core::EngineInfo info_{"counting", "1"};
  std::atomic<int> running_{0}, peak_{0}, calls_{0};
};

class RecordingSink final : public PageSink {
 public:
  core::Status OnPage(const core::PageResult& page, const cv::Mat& image, double dpi) override {
    numbers.push_back(page.number);
    had_image = had_image && !image.empty();
    last_dpi = dpi;
    if (fail_on == page.number) return core::IoError("disk_full", "sink failed");
    return core::Status::Ok();
  }
  std::vector<int> numbers;
  bool had_image = true;
  double last_dpi = 0;
  int fail_on = -1;
};

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir();
    pdf_ = dir_ + "/boxes.pdf";
    std::vector<testing::FixturePage> pages;
    for (int i = 1; i <= 6; ++i) {
      testing::FixturePage page;
      page.width_pt = 300;
      page.height_pt = 200;
      page.scanned = true;
      for (int b = 0; b < i; ++b) {
        double x = 20 + 40 * b;
        page.boxes.push_back({x, 80, x + 25, 105});
      }
      pages.push_back(page);
    }
    testing::WritePdf(pdf_, pages, 72);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  PipelineOptions Options(int threads) {
    PipelineOptions options;
    options.threads = threads;
    options.ingest.dpi = 72;
    auto& p = options.preprocess;
    p.orientation = p.deskew = p.denoise = p.contrast = p.binarize = p.upscale = false;
    return options;
  }

  std::string dir_, pdf_;
};

TEST_F(PipelineTest, PagesComeBackInOrderForAnyThreadCount) {
  for (int threads : {1, 2, 4}) {
    SCOPED_TRACE(threads);
    CountingEngine engine;
    Pipeline pipeline(engine, Options(threads));
    RecordingSink sink;
    std::vector<std::pair<int, int>> progress;
    pipeline.set_progress(
        [&](const std::string&, int done, int total) { progress.emplace_back(done, total); });
    auto doc = pipeline.Run(pdf_, &sink);
    ASSERT_TRUE(doc.ok()) << doc.status().ToString();
    EXPECT_EQ(doc->engine.name, "counting");
    EXPECT_EQ(doc->page_count, 6);
    ASSERT_EQ(doc->pages.size(), 6u);
    for (int i = 0; i < 6; ++i) {
      EXPECT_EQ(doc->pages[i].number, i + 1);
      EXPECT_EQ(doc->pages[i].text, "boxes" + std::to_string(i + 1));
      EXPECT_EQ(doc->pages[i].source, core::PageSource::kOcr);
    }
    EXPECT_EQ(sink.numbers, (std::vector<int>{1, 2, 3, 4, 5, 6}));
    EXPECT_FALSE(sink.had_image);  // keep_page_images is off
    ASSERT_EQ(progress.size(), 6u);
    EXPECT_EQ(progress.back(), std::make_pair(6, 6));
    EXPECT_LE(engine.peak(), threads);
    EXPECT_EQ(engine.calls(), 6);
    EXPECT_GT(doc->timings_ms.at("total"), 0);
    EXPECT_TRUE(doc->timings_ms.count("recognize"));
  }
}

TEST_F(PipelineTest, PageSelectionAndImagesForTheSink) {
  CountingEngine engine;
  PipelineOptions options = Options(2);
  options.keep_page_images = true;
  options.ingest.pages = *core::PageRange::Parse("2,5");
  Pipeline pipeline(engine, options);
  RecordingSink sink;
  auto doc = pipeline.Run(pdf_, &sink);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  ASSERT_EQ(doc->pages.size(), 2u);
  EXPECT_EQ(doc->pages[0].text, "boxes2");
  EXPECT_EQ(doc->pages[1].text, "boxes5");
  EXPECT_EQ(sink.numbers, (std::vector<int>{2, 5}));
  EXPECT_TRUE(sink.had_image);
  EXPECT_EQ(sink.last_dpi, 72);
}

TEST_F(PipelineTest, SinkFailureStopsTheRun) {
  CountingEngine engine;
  Pipeline pipeline(engine, Options(2));
  RecordingSink sink;
  sink.fail_on = 3;
  auto doc = pipeline.Run(pdf_, &sink);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), core::StatusCode::kIoError);
  EXPECT_EQ(sink.numbers, (std::vector<int>{1, 2, 3}));
}

TEST_F(PipelineTest, IngestErrorsPassThrough) {
  CountingEngine engine;
  Pipeline pipeline(engine, Options(1));
  auto missing = pipeline.Run(dir_ + "/nope.pdf", nullptr);
  EXPECT_EQ(missing.status().code(), core::StatusCode::kNotFound);
  testing::WriteFile(dir_ + "/junk.bin", "hello world, not a document");
  auto junk = pipeline.Run(dir_ + "/junk.bin", nullptr);
  EXPECT_EQ(junk.status().code(), core::StatusCode::kUnsupportedFormat);
}

TEST_F(PipelineTest, TextLayerPagesSkipTheEngine) {
  std::string pdf = dir_ + "/digital.pdf";
  testing::FixturePage page;
  page.runs = testing::Paragraph({"Born digital words", "need no recognition at all"}, 72, 72);
  testing::WritePdf(pdf, {page, page});
  CountingEngine engine;
  Pipeline pipeline(engine, Options(2));
  auto doc = pipeline.Run(pdf, nullptr);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(engine.calls(), 0);
  ASSERT_EQ(doc->pages.size(), 2u);
  EXPECT_EQ(doc->pages[0].source, core::PageSource::kPdfText);
  EXPECT_EQ(doc->pages[0].text, "Born digital words\nneed no recognition at all");
  EXPECT_GT(doc->pages[0].confidence, 0.99);
}

}  // namespace
}  // namespace smartocr::pipeline
