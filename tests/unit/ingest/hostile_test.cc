// Robustness over the shared hostile corpus (damaged, fuzzed, encrypted, looping and
// weird-but-valid files): every file gives all its pages or a clean error, in time.
// Skipped when the shared data is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "fixtures.h"
#include "ingest/ingest.h"
#include "ingest_test_util.h"

namespace smartocr::ingest {
namespace {

namespace fs = std::filesystem;

constexpr double kFileBoundS = 20;

std::string HostileDir() {
  std::string shared = smartocr::testing::SharedDataDir();
  if (shared.empty() || !fs::is_directory(shared + "/hostile")) return "";
  return shared + "/hostile";
}

std::vector<std::string> CorpusFiles(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string name = entry.path().filename().string();
    if (name == "README.md" || name == "MANIFEST.tsv") continue;
    files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

IngestOptions CorpusOptions() {
  IngestOptions options;
  options.decoder_path = testing::DecoderPath();  // hostile bytes: always sandboxed
  options.dpi = 100;  // enough to exercise the renderer, cheap on 2 cores
  options.limits.page_timeout_s = 5;
  options.limits.decoder_memory_bytes = 1ull << 30;
  return options;
}

struct Outcome {
  core::Status status;
  int pages = 0;
  double seconds = 0;
};

Outcome Ingest(const std::string& path, const IngestOptions& options) {
  Outcome out;
  auto start = std::chrono::steady_clock::now();
  auto pages = testing::ReadAll(path, options);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (pages.ok()) {
    out.pages = static_cast<int>(pages->size());
    for (const Page& page : *pages) {
      // A page is usable: sized, and an image or words to read.
      EXPECT_GT(page.width, 0) << path;
      EXPECT_GT(page.height, 0) << path;
      EXPECT_TRUE(!page.image.empty() || page.source == core::PageSource::kPdfText) << path;
    }
  } else {
    out.status = pages.status();
  }
  return out;
}

TEST(IngestHostileTest, EveryFileGivesPagesOrACleanErrorInTime) {
  std::string dir = HostileDir();
  if (dir.empty()) GTEST_SKIP() << "shared hostile corpus not present";
  std::map<std::string, int> tally;
  std::printf("%-50s %-38s %5s %6s\n", "file", "result", "pages", "secs");
  for (const std::string& path : CorpusFiles(dir)) {
    SCOPED_TRACE(path);
    Outcome out = Ingest(path, CorpusOptions());
    std::string result = out.status.ok() ? "OK"
                                         : std::string(core::StatusCodeName(out.status.code())) +
                                               "/" + out.status.reason();
    ++tally[out.status.ok() ? "OK" : std::string(core::StatusCodeName(out.status.code()))];
    std::printf("%-50s %-38s %5d %6.2f\n", fs::relative(path, dir).c_str(), result.c_str(),
                out.pages, out.seconds);
    EXPECT_LT(out.seconds, kFileBoundS);
    if (!out.status.ok()) {
      // Clean: a typed code with a stable reason, never a protocol or internal failure.
      EXPECT_NE(out.status.code(), core::StatusCode::kInternal) << out.status.ToString();
      EXPECT_FALSE(out.status.reason().empty());
    }
  }
  std::printf("summary:");
  for (const auto& [name, count] : tally) std::printf(" %s=%d", name.c_str(), count);
  std::printf("\n");
  EXPECT_TRUE(testing::NoChildren());
}

TEST(IngestHostileTest, WeirdButValidFilesGivePages) {
  std::string dir = HostileDir();
  if (dir.empty()) GTEST_SKIP() << "shared hostile corpus not present";
  std::vector<std::string> files = CorpusFiles(dir + "/pillow-valid");
  ASSERT_FALSE(files.empty());
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    Outcome out = Ingest(path, CorpusOptions());
    EXPECT_TRUE(out.status.ok()) << out.status.ToString();
    EXPECT_GT(out.pages, 0);
  }
}

}  // namespace
}  // namespace smartocr::ingest
