#include "pipeline/pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <utility>
#include <vector>

#include "fixtures.h"
#include "pipeline/page_dpi.h"

namespace smartocr::pipeline {
namespace {

// Reads nothing: "reads" the page's count of dark boxes, so each page of the test
// document gives a different, known text.
class CountingEngine final : public recognize::Engine {
 public:
  // `name` is the engine's (page cache keys hold it); `word` what it reads.
  explicit CountingEngine(std::string name = "counting", std::string word = "boxes")
      : info_{std::move(name), "1"}, word_(std::move(word)) {}
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
    line.words.push_back({word_ + std::to_string(contours.size()), {10, 10, 100, 40}, 0.9});
    line.box = line.words[0].box;
    line.confidence = 0.9;
    --running_;
    ++calls_;
    return std::vector<core::Line>{line};
  }
  int peak() const { return peak_.load(); }
  int calls() const { return calls_.load(); }

 private:
  core::EngineInfo info_;
  std::string word_;
  std::atomic<int> running_{0}, peak_{0}, calls_{0};
};

class RecordingSink final : public PageSink {
 public:
  core::Status OnPage(const core::PageResult& page, const cv::Mat& image) override {
    numbers.push_back(page.number);
    had_image = had_image && !image.empty();
    last_dpi = page.dpi;
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

// An image's own resolution tag reaches the result and the sink; the caller's --dpi
// overrides it; an image with neither and too little text to estimate from is 300,
// and says it was assumed.
TEST_F(PipelineTest, ImagesCarryTheirResolution) {
  const cv::Mat page(400, 300, CV_8UC1, cv::Scalar(255));
  const std::string tagged = dir_ + "/tagged.tif", plain = dir_ + "/plain.png";
  cv::imwrite(
      tagged, page,
      {cv::IMWRITE_TIFF_RESUNIT, 2, cv::IMWRITE_TIFF_XDPI, 150, cv::IMWRITE_TIFF_YDPI, 150});
  cv::imwrite(plain, page);
  CountingEngine engine;  // one short line: too little to estimate from
  struct Case {
    std::string path;
    int image_dpi;
    double dpi;
    core::DpiSource source;
  } cases[] = {{tagged, 0, 150, core::DpiSource::kImage},
               {plain, 0, kDefaultImageDpi, core::DpiSource::kAssumed},
               {tagged, 240, 240, core::DpiSource::kOption},
               {plain, 240, 240, core::DpiSource::kOption}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path + " " + std::to_string(c.image_dpi));
    PipelineOptions options = Options(1);
    options.ingest.image_dpi = c.image_dpi;
    Pipeline pipeline(engine, options);
    RecordingSink sink;
    auto doc = pipeline.Run(c.path, &sink);
    ASSERT_TRUE(doc.ok()) << doc.status().ToString();
    EXPECT_EQ(doc->pages[0].dpi, c.dpi);
    EXPECT_EQ(doc->pages[0].dpi_source, c.source);
    EXPECT_EQ(sink.last_dpi, c.dpi);
  }
}

core::PageResult PageOfLines(const std::vector<std::pair<std::string, double>>& lines) {
  core::PageResult page;
  core::Block block;
  double y = 0;
  for (const auto& [text, height] : lines) {
    core::Line line;
    line.box = {0, y, 500, y + height};
    line.words.push_back({text, line.box, 0.9});
    block.lines.push_back(line);
    y += 2 * height;
  }
  page.blocks.push_back(block);
  return page;
}

// dpi = median line height (px) * 72 / kTypicalLineHeightPt, over lines of at least
// kMinLineChars characters, from kMinEstimateLines of them.
TEST(PageDpi, EstimatedFromTheMedianLineHeight) {
  const core::PageResult page =
      PageOfLines({{"Total", 40}, {"Date", 42}, {"Invoice", 38}, {"a", 400}, {"Tax", 41}});
  const double expected = std::round(41 * 72 / kTypicalLineHeightPt);  // 38 40 41 42: upper
  EXPECT_EQ(EstimateDpiFromText(page), expected);
  core::PageResult assigned = page;
  AssignPageDpi(0, core::DpiSource::kUnknown, assigned);
  EXPECT_EQ(assigned.dpi, expected);
  EXPECT_EQ(assigned.dpi_source, core::DpiSource::kEstimated);
  // A known resolution is kept as it came.
  AssignPageDpi(150, core::DpiSource::kImage, assigned);
  EXPECT_EQ(assigned.dpi, 150);
  EXPECT_EQ(assigned.dpi_source, core::DpiSource::kImage);
  // Too few lines of text: none, and 300 assumed.
  const core::PageResult sparse = PageOfLines({{"Total", 40}, {"ab", 40}, {"Tax", 41}});
  EXPECT_EQ(EstimateDpiFromText(sparse), std::nullopt);
  core::PageResult empty;
  AssignPageDpi(0, core::DpiSource::kUnknown, empty);
  EXPECT_EQ(empty.dpi, kDefaultImageDpi);
  EXPECT_EQ(empty.dpi_source, core::DpiSource::kAssumed);
  // Clipped to the credible range.
  EXPECT_EQ(EstimateDpiFromText(PageOfLines({{"tiny", 1}, {"tiny", 1}, {"tiny", 1}})),
            kMinEstimatedDpi);
  EXPECT_EQ(EstimateDpiFromText(PageOfLines({{"huge", 900}, {"huge", 900}, {"huge", 900}})),
            kMaxEstimatedDpi);
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

TEST_F(PipelineTest, RaisedCancelFlagStopsTheRun) {
  CountingEngine engine;
  Pipeline pipeline(engine, Options(2));
  std::atomic<bool> cancel{true};
  auto doc = pipeline.Run(pdf_, nullptr, &cancel);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), core::StatusCode::kCancelled);
  EXPECT_EQ(engine.calls(), 0);

  // Raised after page 2: no later page reaches the engine once the flag is seen.
  cancel = false;
  class RaiseAfterTwo final : public PageSink {
   public:
    explicit RaiseAfterTwo(std::atomic<bool>& flag) : flag_(flag) {}
    core::Status OnPage(const core::PageResult& page, const cv::Mat&) override {
      if (page.number == 2) flag_ = true;
      return core::Status::Ok();
    }

   private:
    std::atomic<bool>& flag_;
  } sink(cancel);
  CountingEngine second;
  Pipeline one_thread(second, Options(1));
  auto partial = one_thread.Run(pdf_, &sink, &cancel);
  ASSERT_FALSE(partial.ok());
  EXPECT_EQ(partial.status().code(), core::StatusCode::kCancelled);
  EXPECT_LE(second.calls(), 4);  // pages 1-2, plus at most the two already in flight
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

class MemoryPageCache final : public PageCache {
 public:
  std::optional<std::string> Get(const std::string& key) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    ++hits_;
    return it->second;
  }
  void Put(const std::string& key, const std::string& value) override {
    std::lock_guard<std::mutex> lock(mu_);
    entries_[key] = value;
  }
  int hits() {
    std::lock_guard<std::mutex> lock(mu_);
    return hits_;
  }
  size_t size() {
    std::lock_guard<std::mutex> lock(mu_);
    return entries_.size();
  }
  void CorruptAll() {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [key, value] : entries_) value = "{\"format\":\"page/v1\"}";
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> entries_;
  int hits_ = 0;
};

TEST_F(PipelineTest, PageCacheSkipsFinishedPagesOnARerun) {
  MemoryPageCache cache;
  PipelineOptions options = Options(2);
  CountingEngine first_engine;
  Pipeline first(first_engine, options);
  RecordingSink stop_after_four;
  stop_after_four.fail_on = 4;  // the first run dies after page 4 (a crash, a lost lease)
  ASSERT_FALSE(first.Run(pdf_, &stop_after_four, nullptr, &cache).ok());
  EXPECT_GE(cache.size(), 4u);

  CountingEngine engine;
  Pipeline rerun(engine, options);
  auto doc = rerun.Run(pdf_, nullptr, nullptr, &cache);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(engine.calls() + cache.hits(), 6);
  EXPECT_LE(engine.calls(), 2);  // only the pages the first run never finished
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(doc->pages[i].number, i + 1);
    EXPECT_EQ(doc->pages[i].text, "boxes" + std::to_string(i + 1));
    // A page from the cache carries its first reading's stage timings, nothing else:
    // the result does not tell a hit from a page read now.
    EXPECT_FALSE(doc->pages[i].timings_ms.count("cache"));
    EXPECT_TRUE(doc->pages[i].timings_ms.count("recognize"));
  }
  EXPECT_FALSE(doc->timings_ms.count("cache"));

  // Another page selection reuses the same entries: pages are keyed by content.
  CountingEngine third_engine;
  options.ingest.pages = *core::PageRange::Parse("5-6");
  Pipeline third(third_engine, options);
  auto part = third.Run(pdf_, nullptr, nullptr, &cache);
  ASSERT_TRUE(part.ok());
  EXPECT_EQ(third_engine.calls(), 0);
  EXPECT_EQ(part->pages[0].text, "boxes5");
}

// A re-run of one page with another engine: that page is read by it, every other page
// comes from the cache of the first run, and the document stays the pipeline's.
TEST_F(PipelineTest, APageReadWithAnotherEngineLeavesTheOthersToTheCache) {
  MemoryPageCache cache;
  const PipelineOptions options = Options(2);
  CountingEngine first_engine;
  Pipeline first(first_engine, options);
  ASSERT_TRUE(first.Run(pdf_, nullptr, nullptr, &cache).ok());
  ASSERT_EQ(first_engine.calls(), 6);

  CountingEngine engine;
  CountingEngine other("other", "marks");
  const PageEngines page_engines = {{3, &other}};
  Pipeline rerun(engine, options);
  for (int run = 0; run < 2; ++run) {  // the second time, page 3 too is in the cache
    SCOPED_TRACE(run);
    auto doc = rerun.Run(pdf_, nullptr, nullptr, &cache, &page_engines);
    ASSERT_TRUE(doc.ok()) << doc.status().ToString();
    EXPECT_EQ(engine.calls(), 0);
    EXPECT_EQ(other.calls(), 1);
    EXPECT_EQ(doc->engine.name, "counting");
    ASSERT_EQ(doc->pages.size(), 6u);
    for (int i = 0; i < 6; ++i) {
      const std::string word = i + 1 == 3 ? "marks" : "boxes";
      EXPECT_EQ(doc->pages[i].text, word + std::to_string(i + 1));
    }
  }
}

// The cache belongs to a run, not to the pipeline: a run given none (another tenant's
// document, the sync API) neither reads nor fills the one another run was given.
TEST_F(PipelineTest, PageCacheIsConsultedOnlyByTheRunGivenIt) {
  MemoryPageCache cache;
  CountingEngine engine;
  Pipeline pipeline(engine, Options(2));
  ASSERT_TRUE(pipeline.Run(pdf_, nullptr, nullptr, &cache).ok());
  EXPECT_EQ(cache.size(), 6u);
  ASSERT_TRUE(pipeline.Run(pdf_, nullptr).ok());
  EXPECT_EQ(engine.calls(), 12);
  EXPECT_EQ(cache.hits(), 0);
  MemoryPageCache other;
  ASSERT_TRUE(pipeline.Run(pdf_, nullptr, nullptr, &other).ok());
  EXPECT_EQ(engine.calls(), 18);
  EXPECT_EQ(cache.hits(), 0);
  EXPECT_EQ(other.size(), 6u);
}

TEST_F(PipelineTest, PageCacheMissesWhenEngineOrOptionsChangeAndSurvivesDamage) {
  MemoryPageCache cache;
  PipelineOptions options = Options(1);
  CountingEngine engine;
  ASSERT_TRUE(Pipeline(engine, options).Run(pdf_, nullptr, nullptr, &cache).ok());
  EXPECT_EQ(engine.calls(), 6);

  options.preprocess.min_text_height_px += 1;  // any preprocessing setting
  ASSERT_TRUE(Pipeline(engine, options).Run(pdf_, nullptr, nullptr, &cache).ok());
  EXPECT_EQ(engine.calls(), 12);

  // Damaged entries are misses: the pages are read again and the entries rewritten.
  cache.CorruptAll();
  auto doc = Pipeline(engine, options).Run(pdf_, nullptr, nullptr, &cache);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(engine.calls(), 18);
  EXPECT_EQ(doc->pages[2].text, "boxes3");
  ASSERT_TRUE(Pipeline(engine, options).Run(pdf_, nullptr, nullptr, &cache).ok());
  EXPECT_EQ(engine.calls(), 18);

  // A sink that wants page images bypasses the cache (a hit has no image).
  options.keep_page_images = true;
  ASSERT_TRUE(Pipeline(engine, options).Run(pdf_, nullptr, nullptr, &cache).ok());
  EXPECT_EQ(engine.calls(), 24);
}

TEST(PageCacheCodec, RoundTripsEveryField) {
  core::PageResult p;
  p.number = 3;
  p.width = 2480;
  p.height = 3508;
  p.rotation = 180;
  p.skew_deg = -1.2345678901234567;
  p.dpi = 299.99940490722656;
  p.dpi_source = core::DpiSource::kImage;
  p.language = "fra";
  p.language_confidence = 0.7123456789;
  core::Block text;
  text.box = {1.1, 2.2, 300.3333333333333, 40.4};
  text.confidence = 0.912345678901;
  text.reading_order = 1;
  core::Line line;
  line.box = {1.1, 2.2, 300.3, 40.4};
  line.confidence = 0.9;
  line.words = {{"Total:", {1.1, 2.2, 50, 40}, 0.95},
                {"\xe2\x82\xac"
                 "12,50",
                 {60, 2, 300, 40},
                 0.85}};
  text.lines = {line};
  core::Block figure;
  figure.type = core::BlockType::kFigure;
  figure.box = {0, 100, 500, 400};
  figure.reading_order = 0;
  core::Block table_block;
  table_block.type = core::BlockType::kTable;
  p.blocks = {figure, text, table_block};
  core::Table table;
  table.box = {0, 500, 800, 700};
  table.rows = {{{{0, 500, 400, 600}, "Qty"}, {{400, 500, 800, 600}, "Amount"}},
                {{{0, 600, 400, 700}, "2"}, {{400, 600, 800, 700}, "4.00"}}};
  p.tables = {table};
  p.text =
      "Total: \xe2\x82\xac"
      "12,50";
  p.confidence = 0.9001;
  p.preprocess = {{"deskew", true, 1.23, "removed 1.23 degrees"}, {"denoise", false, 0, ""}};
  p.timings_ms = {{"recognize", 812.5}, {"layout", 3.25}};

  const std::string encoded = EncodePageResult(p);
  auto back = DecodePageResult(encoded);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(EncodePageResult(*back), encoded);
  EXPECT_EQ(back->skew_deg, p.skew_deg);
  EXPECT_EQ(back->dpi, p.dpi);
  EXPECT_EQ(back->dpi_source, core::DpiSource::kImage);
  EXPECT_EQ(back->language, "fra");
  EXPECT_EQ(back->language_confidence, p.language_confidence);
  EXPECT_EQ(back->blocks[1].box, text.box);
  EXPECT_EQ(back->blocks[1].confidence, text.confidence);
  EXPECT_EQ(back->blocks[0].type, core::BlockType::kFigure);
  EXPECT_EQ(back->blocks[2].type, core::BlockType::kTable);
  EXPECT_EQ(back->blocks[1].lines[0].words[1].text,
            "\xe2\x82\xac"
            "12,50");
  EXPECT_EQ(back->tables[0].rows[1][1].text, "4.00");
  EXPECT_EQ(back->preprocess[0].detail, "removed 1.23 degrees");
  EXPECT_EQ(back->timings_ms.at("recognize"), 812.5);
  EXPECT_EQ(back->rotation, 180);

  for (const char* bad :
       {"", "[]", "{}", "{\"format\":\"page/v2\"}", "{\"format\":\"page/v1\"}", "not json"}) {
    auto decoded = DecodePageResult(bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.status().code(), core::StatusCode::kInternal);
  }
}

TEST(PageCacheKeyTest, DependsOnPixelsResolutionEngineAndOptions) {
  cv::Mat a(40, 60, CV_8UC1, cv::Scalar(255));
  cv::Mat b = a.clone();
  b.at<uint8_t>(39, 59) = 0;
  core::EngineInfo engine{"tesseract", "5.3.0"};
  preprocess::PreprocessOptions options;
  const std::string key = PageCacheKey(a, 300, engine, options, "");
  EXPECT_EQ(key.rfind("page/v1/", 0), 0u);
  EXPECT_EQ(key.size(), 8u + 64u);
  EXPECT_EQ(PageCacheKey(a.clone(), 300, engine, options, ""), key);
  // A view into a larger image hashes its own pixels only.
  cv::Mat big(80, 100, CV_8UC1, cv::Scalar(7));
  a.copyTo(big(cv::Rect(10, 10, 60, 40)));
  EXPECT_EQ(PageCacheKey(big(cv::Rect(10, 10, 60, 40)), 300, engine, options, ""), key);

  EXPECT_NE(PageCacheKey(b, 300, engine, options, ""), key);
  EXPECT_NE(PageCacheKey(a, 200, engine, options, ""), key);
  EXPECT_NE(PageCacheKey(a.reshape(1, 60), 300, engine, options, ""), key);
  EXPECT_NE(PageCacheKey(a, 300, {"tesseract", "5.3.1"}, options, ""), key);
  EXPECT_NE(PageCacheKey(a, 300, {"ppocr", "5.3.0"}, options, ""), key);
  preprocess::PreprocessOptions other = options;
  other.deskew = false;
  EXPECT_NE(PageCacheKey(a, 300, engine, other, ""), key);
  EXPECT_NE(PageCacheKey(a, 300, engine, options, "mrz_pass=0"), key);
  other = options;
  other.tessdata_dir = "/elsewhere";
  EXPECT_NE(PageCacheKey(a, 300, engine, other, ""), key);
}

}  // namespace
}  // namespace smartocr::pipeline
