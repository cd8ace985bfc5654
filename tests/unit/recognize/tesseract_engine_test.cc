#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "fixtures.h"
#include "recognize/recognize.h"

namespace smartocr::recognize {
namespace {

const std::vector<std::string> kLines = {
    "The quick brown fox jumps over the lazy dog.",
    "Invoice number 2024-117 dated March 3, 2024.",
    "Total amount due: 1,234.56 EUR",
};

cv::Mat SamplePage() {
  testing::FixturePage page;
  page.width_pt = 500;
  page.height_pt = 200;
  page.runs = testing::Paragraph(kLines, 36, 60, 14, 30);
  return testing::RenderPage(page, 200);
}

std::string JoinLines(const std::vector<core::Line>& lines) {
  std::string out;
  for (const auto& l : lines) out += l.Text() + "\n";
  return out;
}

TEST(TesseractEngine, ReadsRenderedTextWithBoxesAndConfidence) {
  auto engine = CreateTesseractEngine({});
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  EXPECT_EQ((*engine)->info().name, "tesseract");
  EXPECT_NE((*engine)->info().version.find(TesseractVersion()), std::string::npos);
  EXPECT_NE((*engine)->info().version.find("eng:"), std::string::npos);

  cv::Mat page = SamplePage();
  auto lines = (*engine)->Recognize(page, {200});
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  ASSERT_EQ(lines->size(), 3u) << JoinLines(*lines);
  std::string all;
  for (const std::string& l : kLines) all += l + "\n";
  EXPECT_GE(testing::WordRecall(all, JoinLines(*lines)), 0.9) << JoinLines(*lines);
  double prev_y = -1;
  for (const core::Line& line : *lines) {
    EXPECT_GT(line.box.cy(), prev_y);  // top to bottom
    prev_y = line.box.cy();
    EXPECT_GE(line.confidence, 0.5);
    EXPECT_LE(line.confidence, 1.0);
    for (const core::Word& w : line.words) {
      EXPECT_GE(w.box.x0, 0);
      EXPECT_LE(w.box.x1, page.cols);
      EXPECT_LE(w.box.y1, page.rows);
      EXPECT_GE(w.box.CoveredBy(line.box), 0.99);
      EXPECT_GE(w.confidence, 0.0);
      EXPECT_LE(w.confidence, 1.0);
    }
  }
  // The first line's baseline is 60 pt from the top at 200 dpi: ~167 px.
  EXPECT_NEAR((*lines)[0].box.y1, 60 * 200 / 72.0, 12);
  EXPECT_NEAR((*lines)[0].box.x0, 36 * 200 / 72.0, 6);
}

TEST(TesseractEngine, ReusesApisAcrossPagesAndThreads) {
  auto engine = CreateTesseractEngine({});
  ASSERT_TRUE(engine.ok());
  cv::Mat page = SamplePage();
  int before = TesseractInitCountForTest();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE((*engine)->Recognize(page, {}).ok());
  EXPECT_EQ(TesseractInitCountForTest(), before);  // one object, reused

  std::string results[2];
  std::thread threads[2];
  for (int t = 0; t < 2; ++t) {
    threads[t] = std::thread([&, t] {
      for (int i = 0; i < 2; ++i) {
        auto lines = (*engine)->Recognize(page, {});
        if (lines.ok()) results[t] = JoinLines(*lines);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(results[0], results[1]);
  EXPECT_FALSE(results[0].empty());
  EXPECT_LE(TesseractInitCountForTest() - before, 1);  // at most one more for the 2nd thread
}

TEST(TesseractEngine, RaisedCancelFlagStopsRecognition) {
  auto engine = CreateTesseractEngine({});
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  std::atomic<bool> cancel{true};
  RecognizeOptions options;
  options.dpi = 200;
  options.cancel = &cancel;
  auto lines = (*engine)->Recognize(SamplePage(), options);
  ASSERT_FALSE(lines.ok());
  EXPECT_EQ(lines.status().code(), core::StatusCode::kCancelled);
  EXPECT_EQ(lines.status().reason(), "cancelled");

  // Raised while a long page is being read: Tesseract's monitor stops it mid-page.
  testing::FixturePage page;
  std::vector<std::string> many;
  for (int i = 0; i < 24; ++i) many.push_back(kLines[i % kLines.size()] + " " + kLines[0]);
  page.runs = testing::Paragraph(many, 36, 48, 11, 15);
  cv::Mat big = testing::RenderPage(page, 200);
  cancel = false;
  std::thread raiser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    cancel = true;
  });
  auto started = std::chrono::steady_clock::now();
  auto stopped = (*engine)->Recognize(big, options);
  const double cancelled_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  raiser.join();
  EXPECT_EQ(stopped.status().code(), core::StatusCode::kCancelled);
  // The same engine (same pooled API) reads the page fully afterwards.
  cancel = false;
  started = std::chrono::steady_clock::now();
  auto full = (*engine)->Recognize(big, options);
  const double full_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_GE(full->size(), 20u);
  // Not a timing target, a sanity bound: stopping takes a fraction of a full read.
  EXPECT_LT(cancelled_ms, full_ms) << cancelled_ms << " ms vs " << full_ms << " ms";
}

TEST(TesseractEngine, BlankAndBadImages) {
  auto engine = CreateTesseractEngine({});
  ASSERT_TRUE(engine.ok());
  cv::Mat blank(300, 400, CV_8UC1, cv::Scalar(255));
  auto lines = (*engine)->Recognize(blank, {});
  ASSERT_TRUE(lines.ok());
  EXPECT_TRUE(lines->empty());
  EXPECT_EQ((*engine)->Recognize(cv::Mat(), {}).status().code(),
            core::StatusCode::kInvalidArgument);
  cv::Mat color(10, 10, CV_8UC3);
  EXPECT_EQ((*engine)->Recognize(color, {}).status().code(), core::StatusCode::kInvalidArgument);
}

TEST(TesseractEngine, MissingLanguageIsUnavailable) {
  auto engine = CreateTesseractEngine({"xx_no_such_lang", "", 3});
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(engine.status().reason(), "tesseract_init");
  EXPECT_EQ(CreateTesseractEngine({"eng", "", 2}).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(CreateTesseractEngine({"eng", "", 14}).status().code(),
            core::StatusCode::kInvalidArgument);
}

// A call may read with other installed languages than the engine's: German words with
// their umlauts, which the English model turns into "fiir" and "Grosse".
TEST(TesseractEngine, ReadsWithTheLanguagesACallAsksFor) {
  auto engine = CreateTesseractEngine({});
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  const std::vector<std::string> installed = (*engine)->languages();
  for (const char* code : {"eng", "deu", "fra", "spa", "ita", "nld", "por"}) {
    EXPECT_NE(std::find(installed.begin(), installed.end(), code), installed.end()) << code;
  }
  EXPECT_EQ(std::find(installed.begin(), installed.end(), "osd"), installed.end());
  EXPECT_TRUE(std::is_sorted(installed.begin(), installed.end()));

  testing::FixturePage page;
  page.width_pt = 460;
  page.height_pt = 120;
  page.runs = testing::Paragraph({"Rechnung für die Lieferung nach München", "Größe und Währung"},
                                 30, 50, 14, 30);
  const cv::Mat image = testing::RenderPage(page, 300);
  RecognizeOptions german;
  german.dpi = 300;
  german.lang = "deu+eng";
  auto lines = (*engine)->Recognize(image, german);
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  const std::string text = JoinLines(*lines);
  for (const char* word : {"für", "München", "Größe", "Währung"}) {
    EXPECT_NE(text.find(word), std::string::npos) << word << " in " << text;
  }
  // The engine's own language afterwards: the pooled German reader is not lent out.
  auto english = (*engine)->Recognize(image, {300});
  ASSERT_TRUE(english.ok());
  EXPECT_EQ(JoinLines(*english).find("für"), std::string::npos) << JoinLines(*english);

  RecognizeOptions missing;
  missing.lang = "deu+xyz";
  auto refused = (*engine)->Recognize(image, missing);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().reason(), "unsupported_language");
  EXPECT_NE(refused.status().message().find("xyz"), std::string::npos);
  EXPECT_NE(refused.status().message().find("deu"), std::string::npos);  // the installed list
}

TEST(CheckLanguages, FormAndInstalledCodes) {
  const std::vector<std::string> installed = {"deu", "eng", "fra"};
  EXPECT_TRUE(CheckLanguages("eng", installed).ok());
  EXPECT_TRUE(CheckLanguages("deu+eng+fra", installed).ok());
  for (const char* bad :
       {"", "+", "eng+", "eng;rm -rf", "../eng", "e n g", "eng+eng+eng+eng+eng+eng+eng+eng+eng"}) {
    SCOPED_TRACE(bad);
    core::Status st = CheckLanguages(bad, installed);
    EXPECT_EQ(st.code(), core::StatusCode::kInvalidArgument);
    EXPECT_EQ(st.reason(), "bad_language");
  }
  core::Status st = CheckLanguages("deu+spa+ita", installed);
  EXPECT_EQ(st.reason(), "unsupported_language");
  EXPECT_NE(st.message().find("spa, ita"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("installed: deu, eng, fra"), std::string::npos) << st.message();
  EXPECT_NE(CheckLanguages("eng", {}).message().find("installed: none"), std::string::npos);
}

}  // namespace
}  // namespace smartocr::recognize
