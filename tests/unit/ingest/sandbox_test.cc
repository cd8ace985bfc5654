// The decoder child: deadlines, crashes, memory cap, early stops, and the in-process
// fallback. Each test checks that no child is left unreaped and no descriptor leaks.
#include <gtest/gtest.h>

#include <chrono>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "fixtures.h"
#include "ingest/ingest.h"
#include "ingest_test_util.h"

namespace smartocr::ingest {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class IngestSandboxTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    smartocr::testing::FixturePage page;
    page.runs = smartocr::testing::Paragraph({"A page of text for the sandbox tests"}, 72, 100);
    smartocr::testing::FixturePage scanned = page;
    scanned.scanned = true;
    smartocr::testing::WritePdf(Path("doc.pdf"), {page, scanned, page});
    fds_before_ = testing::OpenFdCount();
  }

  void ExpectCleanedUp() {
    EXPECT_TRUE(testing::NoChildren());
    EXPECT_EQ(testing::OpenFdCount(), fds_before_);
  }

  // Options that always use the helper.
  static IngestOptions Sandboxed() {
    IngestOptions options;
    options.decoder_path = testing::DecoderPath();
    return options;
  }

  int fds_before_ = 0;
};

TEST_F(IngestSandboxTest, HungDecoderIsKilledAtThePageDeadline) {
  testing::ScopedEnv sleep("SMARTOCR_DECODE_TEST_SLEEP_MS", "60000");
  IngestOptions options = Sandboxed();
  options.limits.page_timeout_s = 0.5;
  auto start = std::chrono::steady_clock::now();
  {
    auto source = OpenDocument(Path("doc.pdf"), options);
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    auto page = (*source)->Next();
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(page.status().code(), core::StatusCode::kDeadlineExceeded);
    EXPECT_EQ(page.status().reason(), "page_timeout");
    EXPECT_NE(page.status().message().find("page 1"), std::string::npos) << page.status().message();
    // Killed and reaped at once, not when the source goes away.
    EXPECT_TRUE(testing::NoChildren());
    EXPECT_EQ((*source)->Next().status().reason(), "page_timeout");
  }
  EXPECT_LT(SecondsSince(start), 5.0);
  ExpectCleanedUp();
}

TEST_F(IngestSandboxTest, CrashedDecoderGivesACleanError) {
#if defined(__SANITIZE_ADDRESS__)
  // ASan turns a crash into its own abort and cannot run under an address-space cap.
  GTEST_SKIP() << "not meaningful under AddressSanitizer";
#endif
  struct Case {
    int signal;
    core::StatusCode code;
    std::string reason, name;
  };
  const Case kCases[] = {
      {11, core::StatusCode::kCorruptInput, "decoder_crashed", "SIGSEGV"},
      {6, core::StatusCode::kCorruptInput, "decoder_crashed", "SIGABRT"},
      {9, core::StatusCode::kResourceExhausted, "decoder_memory", "SIGKILL"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    std::string signal = std::to_string(c.signal);
    testing::ScopedEnv crash("SMARTOCR_DECODE_TEST_SIGNAL", signal.c_str());
    auto source = OpenDocument(Path("doc.pdf"), Sandboxed());
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    auto page = (*source)->Next();
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(page.status().code(), c.code) << page.status().ToString();
    EXPECT_EQ(page.status().reason(), c.reason);
    EXPECT_NE(page.status().message().find(c.name), std::string::npos) << page.status().message();
  }
  ExpectCleanedUp();
}

TEST_F(IngestSandboxTest, StoppingEarlyReapsTheChild) {
  {
    IngestOptions options = Sandboxed();
    options.dpi = 50;
    auto source = OpenDocument(Path("doc.pdf"), options);
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    auto page = (*source)->Next();
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ASSERT_TRUE(page->has_value());
  }
  ExpectCleanedUp();
}

TEST_F(IngestSandboxTest, ReadingToTheEndReapsTheChild) {
  IngestOptions options = Sandboxed();
  options.dpi = 50;
  auto source = OpenDocument(Path("doc.pdf"), options);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  int pages = 0;
  while (true) {
    auto page = (*source)->Next();
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    if (!page->has_value()) break;
    ++pages;
  }
  EXPECT_EQ(pages, 3);
  ExpectCleanedUp();  // while the source is still alive
}

TEST_F(IngestSandboxTest, MemoryCapStopsABalloon) {
#if defined(__SANITIZE_ADDRESS__)
  // ASan turns a crash into its own abort and cannot run under an address-space cap.
  GTEST_SKIP() << "not meaningful under AddressSanitizer";
#endif
  // An 8000x8000 TIFF needs a 256 MB RGBA raster, over the cap.
  testing::WriteTiff(Path("big.tif"), {{cv::Mat(8000, 8000, CV_8UC1, cv::Scalar(255))}});
  IngestOptions options = Sandboxed();
  options.limits.decoder_memory_bytes = 200ull << 20;
  core::Status status = testing::ReadAll(Path("big.tif"), options).status();
  EXPECT_EQ(status.code(), core::StatusCode::kResourceExhausted) << status.ToString();
  EXPECT_EQ(status.reason(), "decoder_memory") << status.ToString();
  ExpectCleanedUp();
}

TEST_F(IngestSandboxTest, MissingExplicitDecoderIsAnError) {
  IngestOptions options = Sandboxed();
  options.decoder_path = Path("no-such-decoder");
  auto source = OpenDocument(Path("doc.pdf"), options);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(source.status().reason(), "decoder_path");
}

// Outside bytes are never decoded outside the sandbox by accident: with no helper to
// be found, opening a document is an error, not an unbounded decode in this process.
TEST_F(IngestSandboxTest, NoDecoderFoundIsAnErrorNotAnUnsandboxedDecode) {
  testing::ScopedEnv no_decoder("SMARTOCR_DECODER", nullptr);
  IngestOptions options;  // no decoder_path; none beside this test binary either
  auto source = OpenDocument(Path("doc.pdf"), options);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(source.status().reason(), "decoder_missing");
}

TEST_F(IngestSandboxTest, InProcessDecodingMatchesTheSandbox) {
  IngestOptions options = Sandboxed();
  options.dpi = 60;
  auto sandboxed = testing::ReadAll(Path("doc.pdf"), options);
  ASSERT_TRUE(sandboxed.ok()) << sandboxed.status().ToString();
  // Asked for, decoding runs here. The child's test hooks would hang it for a minute;
  // in-process they are never read, so the deadline below cannot trip.
  testing::ScopedEnv sleep("SMARTOCR_DECODE_TEST_SLEEP_MS", "60000");
  options.in_process = true;
  options.limits.page_timeout_s = 0.5;
  auto local = testing::ReadAll(Path("doc.pdf"), options);
  ASSERT_TRUE(local.ok()) << local.status().ToString();
  ASSERT_EQ(local->size(), sandboxed->size());
  for (size_t i = 0; i < local->size(); ++i) {
    SCOPED_TRACE("page " + std::to_string(i + 1));
    const Page& a = (*local)[i];
    const Page& b = (*sandboxed)[i];
    EXPECT_EQ(a.number, b.number);
    EXPECT_EQ(a.source, b.source);
    EXPECT_EQ(a.width, b.width);
    EXPECT_EQ(a.height, b.height);
    ASSERT_EQ(a.words.size(), b.words.size());
    for (size_t w = 0; w < a.words.size(); ++w) {
      EXPECT_EQ(a.words[w].text, b.words[w].text);
      EXPECT_EQ(a.words[w].box, b.words[w].box);
    }
    ASSERT_EQ(a.image.size(), b.image.size());
    if (!a.image.empty()) {
      EXPECT_EQ(cv::norm(a.image, b.image, cv::NORM_INF), 0);
    }
  }
  ExpectCleanedUp();
}

}  // namespace
}  // namespace smartocr::ingest
