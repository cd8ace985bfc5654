// Bad input to `smartocr extract`: each case gets a clear message and a documented
// exit code, never a crash or a hang.
#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "cli_runner.h"
#include "fixtures.h"

namespace smartocr::testing {
namespace {

namespace fs = std::filesystem;

uint32_t Crc32(const std::string& bytes) {
  uint32_t crc = 0xffffffffu;
  for (unsigned char c : bytes) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string Be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

// A PNG whose header claims width x height; the pixel data is a token stub.
std::string PngHeaderClaiming(uint32_t width, uint32_t height) {
  std::string ihdr = "IHDR" + Be32(width) + Be32(height) + std::string("\x08\x00\x00\x00\x00", 5);
  std::string png = "\x89PNG\r\n\x1a\n";
  png += Be32(13) + ihdr + Be32(Crc32(ihdr));
  std::string idat = std::string("IDAT") + std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8);
  png += Be32(8) + idat + Be32(Crc32(idat));
  std::string iend = "IEND";
  png += Be32(0) + iend + Be32(Crc32(iend));
  return png;
}

struct BadCase {
  const char* name;
  int exit_code;
  const char* code_in_message;
};

class CliBadInputTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir(); }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string dir_;
};

TEST_F(CliBadInputTest, EachBadFileGetsItsCode) {
  // Good files to cut short.
  FixturePage page;
  page.runs = Paragraph({"Some text to make a real file"}, 72, 72);
  std::string good_pdf = Path("good.pdf");
  WritePdf(good_pdf, {page});
  std::string pdf_bytes = ReadFile(good_pdf);
  std::vector<uchar> png_bytes;
  cv::imencode(".png", RenderPage(page, 100), png_bytes);
  std::string png(png_bytes.begin(), png_bytes.end());
  std::vector<uchar> tif_bytes;
  cv::imencode(".tif", RenderPage(page, 100), tif_bytes);
  std::string tif(tif_bytes.begin(), tif_bytes.end());
  std::string random;
  uint32_t x = 12345;
  for (int i = 0; i < 4096; ++i) {
    x = x * 1103515245u + 12345u;
    random += static_cast<char>(x >> 16);
  }

  WriteFile(Path("empty.pdf"), "");
  WriteFile(Path("random.bin"), random);
  WriteFile(Path("truncated.pdf"), pdf_bytes.substr(0, pdf_bytes.size() / 3));
  WriteFile(Path("truncated.png"), png.substr(0, png.size() / 2));
  WriteFile(Path("truncated.tif"), tif.substr(0, 200));
  WriteFile(Path("huge.png"), PngHeaderClaiming(40000, 40000));
  WriteFile(Path("text.txt"), "just some plain text, not an image\n");
  fs::create_directory(Path("a_directory"));

  const BadCase cases[] = {
      {"empty.pdf", 3, "CORRUPT_INPUT"},
      {"random.bin", 3, "UNSUPPORTED_FORMAT"},
      {"truncated.pdf", 3, "CORRUPT_INPUT (corrupt_pdf)"},
      {"truncated.png", 3, "CORRUPT_INPUT (corrupt_png)"},
      {"truncated.tif", 3, "CORRUPT_INPUT (corrupt_tiff)"},
      {"huge.png", 3, "LIMIT_EXCEEDED"},
      {"text.txt", 3, "UNSUPPORTED_FORMAT"},
      {"a_directory", 3, "INVALID_ARGUMENT"},
      {"does_not_exist.pdf", 3, "NOT_FOUND"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.name);
    ASSERT_STRNE(c.code_in_message, "") << "a case that names no code cannot fail";
    CliResult r = RunCli({"extract", Path(c.name)}, 60);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    EXPECT_NE(r.err.find(c.name), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.code_in_message), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out.substr(0, 200);
  }
}

TEST_F(CliBadInputTest, UsageErrorsExitTwo) {
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"frobnicate"},
      {"extract"},
      {"extract", "x.pdf", "--format", "docx"},
      {"extract", "x.pdf", "--pages", "3-1"},
      {"extract", "x.pdf", "--dpi", "5"},
      {"extract", "x.pdf", "-j", "0"},
      {"extract", "x.pdf", "--format", "pdf"},
      {"extract", "x.pdf", "--bogus"},
      {"extract", "x.pdf", "--psm"},
  };
  for (const auto& args : cases) {
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    SCOPED_TRACE(joined);
    CliResult r = RunCli(args, 30);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_FALSE(r.err.empty());
  }
  CliResult help = RunCli({"extract", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Exit codes"), std::string::npos);
}

TEST_F(CliBadInputTest, PageCountAndFileSizeLimits) {
  FixturePage page;
  page.runs = Paragraph({"limit test"}, 72, 72);
  std::string pdf = Path("three.pdf");
  WritePdf(pdf, {page, page, page});
  CliResult pages = RunCli({"extract", pdf, "--max-pages", "2"});
  EXPECT_EQ(pages.exit_code, 3);
  EXPECT_NE(pages.err.find("LIMIT_EXCEEDED (page_count)"), std::string::npos) << pages.err;

  std::string big = Path("big.png");
  WriteFile(big, PngHeaderClaiming(10, 10) + std::string(2 << 20, '\0'));
  CliResult bytes = RunCli({"extract", big, "--max-file-mb", "1"});
  EXPECT_EQ(bytes.exit_code, 3);
  EXPECT_NE(bytes.err.find("LIMIT_EXCEEDED (file_bytes)"), std::string::npos) << bytes.err;
}

TEST_F(CliBadInputTest, HostileFilesNeverCrashOrHang) {
  std::string shared = SharedDataDir();
  if (shared.empty()) GTEST_SKIP() << "../shared/data not present";
  int ok = 0, rejected = 0, failed = 0;
  for (const auto& entry : fs::recursive_directory_iterator(shared + "/hostile")) {
    if (!entry.is_regular_file()) continue;
    std::string name = entry.path().filename().string();
    if (name == "README.md" || name == "MANIFEST.tsv") continue;
    SCOPED_TRACE(entry.path().string());
    CliResult r = RunCli({"extract", entry.path().string(), "--format", "text", "--dpi", "100",
                          "--page-timeout", "20", "--pages", "1-3"},
                         120);
    // 0 (a result), 3 (rejected) or 4 (failed cleanly); never a signal or a timeout.
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 3 || r.exit_code == 4)
        << "exit " << r.exit_code << "\n"
        << r.err;
    if (r.exit_code != 0) {
      EXPECT_NE(r.err.find("smartocr: "), std::string::npos) << r.err;
    }
    ok += r.exit_code == 0;
    rejected += r.exit_code == 3;
    failed += r.exit_code == 4;
  }
  std::printf("hostile files: %d read, %d rejected, %d failed\n", ok, rejected, failed);
}

}  // namespace
}  // namespace smartocr::testing
