// Bad inputs and limits: each gives its stable code and reason, quickly.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <string>
#include <vector>

#include "fixtures.h"
#include "ingest/ingest.h"
#include "ingest_test_util.h"

namespace smartocr::ingest {
namespace {

using smartocr::testing::ReadFile;
using smartocr::testing::WriteFile;

std::string RandomBytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng() & 0xff);
  return out;
}

class IngestErrorsTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    smartocr::testing::FixturePage page;
    page.runs = smartocr::testing::Paragraph({"Some text on a page of the document"}, 72, 100);
    smartocr::testing::WritePdf(Path("good.pdf"), {page, page, page});
    cv::Mat gray(64, 64, CV_8UC1, cv::Scalar(200));
    std::vector<uint8_t> png;
    cv::imencode(".png", gray, png);
    WriteFile(Path("good.png"), std::string(png.begin(), png.end()));
    testing::WriteTiff(Path("good.tif"), {{gray}, {gray}});
  }

  // Reads the whole document; returns the first error (or OK).
  core::Status ReadStatus(const std::string& name, const IngestOptions& options) {
    auto pages = testing::ReadAll(Path(name), options);
    return pages.ok() ? core::Status() : pages.status();
  }
};

TEST_F(IngestErrorsTest, BadInputsGiveStableCodesAndReasons) {
  WriteFile(Path("empty.pdf"), "");
  WriteFile(Path("random.bin"), RandomBytes(4096, 1));
  WriteFile(Path("random.pdf"), "%PDF-1.4\n" + RandomBytes(4096, 2));
  std::filesystem::create_directory(Path("dir.pdf"));
  WriteFile(Path("locked.pdf"), testing::EncryptedPdf());
  std::string pdf = ReadFile(Path("good.pdf"));
  WriteFile(Path("truncated.pdf"), pdf.substr(0, 300));
  std::string png = ReadFile(Path("good.png"));
  WriteFile(Path("truncated.png"), png.substr(0, png.size() / 2));
  std::string tif = ReadFile(Path("good.tif"));
  WriteFile(Path("truncated.tif"), tif.substr(0, 12));
  WriteFile(Path("header-only.jpg"), "\xff\xd8\xff\xe0");
  WriteFile(Path("text.txt"), "just some text\n");
  WriteFile(Path("no-pages.pdf"),
            testing::PdfFromObjects(
                {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"}));

  struct Case {
    std::string name;
    core::StatusCode code;
    std::string reason;
  };
  const Case kCases[] = {
      {"missing.pdf", core::StatusCode::kNotFound, "no_such_file"},
      {"dir.pdf", core::StatusCode::kInvalidArgument, "is_directory"},
      {"empty.pdf", core::StatusCode::kCorruptInput, "empty_file"},
      {"random.bin", core::StatusCode::kUnsupportedFormat, "unsupported_type"},
      {"text.txt", core::StatusCode::kUnsupportedFormat, "unsupported_type"},
      {"random.pdf", core::StatusCode::kCorruptInput, "corrupt_pdf"},
      {"truncated.pdf", core::StatusCode::kCorruptInput, "corrupt_pdf"},
      {"locked.pdf", core::StatusCode::kEncrypted, "encrypted_pdf"},
      {"no-pages.pdf", core::StatusCode::kCorruptInput, "no_pages"},
      {"truncated.png", core::StatusCode::kCorruptInput, "corrupt_png"},
      {"truncated.tif", core::StatusCode::kCorruptInput, "corrupt_tiff"},
      {"header-only.jpg", core::StatusCode::kCorruptInput, "jpeg_header"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    core::Status status = ReadStatus(c.name, IngestOptions());
    EXPECT_EQ(status.code(), c.code) << status.ToString();
    EXPECT_EQ(status.reason(), c.reason) << status.ToString();
  }
  EXPECT_TRUE(testing::NoChildren());
}

TEST_F(IngestErrorsTest, LimitsAreEnforced) {
  struct Case {
    std::string name;
    std::string file;
    Limits limits;
    int dpi = 300;
  };
  std::vector<Case> cases(4);
  cases[0] = {"file bytes", "good.pdf", Limits()};
  cases[0].limits.max_file_bytes = 100;
  cases[1] = {"pdf page count", "good.pdf", Limits()};
  cases[1].limits.max_pages = 2;
  cases[2] = {"tiff page count", "good.tif", Limits()};
  cases[2].limits.max_pages = 1;
  cases[3] = {"pdf page pixels at dpi", "good.pdf", Limits(), 1200};
  cases[3].limits.max_page_pixels = 100'000'000;  // letter at 1200 dpi is 134.6 M
  const char* kWant[] = {"file_bytes", "page_count", "page_count", "page_pixels"};
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].name);
    IngestOptions options;
    options.limits = cases[i].limits;
    options.dpi = cases[i].dpi;
    core::Status status = ReadStatus(cases[i].file, options);
    EXPECT_EQ(status.code(), core::StatusCode::kLimitExceeded) << status.ToString();
    EXPECT_EQ(status.reason(), kWant[i]) << status.ToString();
  }
}

TEST_F(IngestErrorsTest, HugePngHeaderIsRejectedBeforeDecoding) {
  WriteFile(Path("huge.png"), testing::PngHeader(40000, 40000));
  auto start = std::chrono::steady_clock::now();
  core::Status status = ReadStatus("huge.png", IngestOptions());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(status.code(), core::StatusCode::kLimitExceeded) << status.ToString();
  EXPECT_EQ(status.reason(), "page_pixels");
  EXPECT_LT(seconds, 2.0);
}

TEST_F(IngestErrorsTest, TiffPagePixelsAreCheckedFromTags) {
  IngestOptions options;
  options.limits.max_page_pixels = 1000;  // the pages are 64x64
  core::Status status = ReadStatus("good.tif", options);
  EXPECT_EQ(status.code(), core::StatusCode::kLimitExceeded) << status.ToString();
  EXPECT_EQ(status.reason(), "page_pixels");
}

TEST_F(IngestErrorsTest, ErrorIsStickyAfterTheFirstOne) {
  IngestOptions options;
  options.limits.max_page_pixels = 1000;
  auto source = OpenDocument(Path("good.tif"), options);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  auto first = (*source)->Next();
  auto second = (*source)->Next();
  ASSERT_FALSE(first.ok());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(first.status().reason(), second.status().reason());
}

}  // namespace
}  // namespace smartocr::ingest
