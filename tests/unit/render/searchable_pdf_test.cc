// Searchable PDF: writes real pages and reads them back with poppler-utils (pdftotext,
// pdfinfo, pdftoppm), as a user's viewer would.
#include <cairo.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "fixtures.h"
#include "render/render.h"
#include "required.h"

namespace smartocr::render {
namespace {

namespace fx = smartocr::testing;

constexpr double kDpi = 200;
constexpr double kPxPerPt = kDpi / 72;

struct CommandResult {
  int exit_code = -1;
  std::string out;
};

// Runs `cmd` through the shell; stderr is dropped unless `with_stderr`.
CommandResult RunCommand(const std::string& cmd, bool with_stderr = false) {
  CommandResult r;
  std::FILE* pipe = popen((cmd + (with_stderr ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
  if (pipe == nullptr) {
    return r;
  }
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) {
    r.out.append(buf, n);
  }
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// The output split into lines of whitespace-separated tokens (the poppler tools print
// aligned columns).
std::vector<std::vector<std::string>> Tokens(const std::string& out) {
  std::vector<std::vector<std::string>> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    lines.emplace_back();
    for (std::string w; words >> w;) {
      lines.back().push_back(w);
    }
  }
  return lines;
}

// The first line whose tokens start with `prefix`, or an empty vector.
std::vector<std::string> LineStartingWith(const std::string& out,
                                          const std::vector<std::string>& prefix) {
  for (const auto& line : Tokens(out)) {
    if (line.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), line.begin())) {
      return line;
    }
  }
  return {};
}

using Tokenized = std::vector<std::string>;

bool HavePopplerUtils() {
  return RunCommand("pdftotext -v").exit_code == 0 && RunCommand("pdfinfo -v").exit_code == 0 &&
         RunCommand("pdftoppm -v").exit_code == 0;
}

// A page of text rendered at kDpi, and the PageResult an ideal OCR engine would give for
// it: word boxes measured with the same font cairo drew with.
struct TestPage {
  cv::Mat image;
  core::PageResult result;
  std::string text;
};

TestPage MakeTestPage(int number, const std::vector<std::string>& lines) {
  constexpr double kSize = 14, kLeft = 72, kTop = 120, kLeading = 28;
  fx::FixturePage fixture;
  fixture.runs = fx::Paragraph(lines, kLeft, kTop, kSize, kLeading);
  TestPage page;
  page.image = fx::RenderPage(fixture, kDpi);
  page.result.number = number;
  page.result.width = page.image.cols;
  page.result.height = page.image.rows;

  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
  cairo_t* cr = cairo_create(surface);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, kSize);
  core::Block block;
  for (size_t i = 0; i < lines.size(); ++i) {
    double baseline = kTop + kLeading * static_cast<double>(i);
    core::Line line;
    size_t start = 0;
    while (start < lines[i].size()) {
      size_t end = lines[i].find(' ', start);
      if (end == std::string::npos) {
        end = lines[i].size();
      }
      cairo_text_extents_t prefix, word;
      cairo_text_extents(cr, lines[i].substr(0, start).c_str(), &prefix);
      cairo_text_extents(cr, lines[i].substr(start, end - start).c_str(), &word);
      double x0 = kLeft + prefix.x_advance;
      core::BBox pt{x0, baseline - 0.75 * kSize, x0 + word.x_advance, baseline + 0.25 * kSize};
      line.words.push_back(
          {lines[i].substr(start, end - start),
           {pt.x0 * kPxPerPt, pt.y0 * kPxPerPt, pt.x1 * kPxPerPt, pt.y1 * kPxPerPt},
           0.9});
      line.box = line.box.Union(line.words.back().box);
      start = end + 1;
    }
    block.box = block.box.Union(line.box);
    block.lines.push_back(line);
    page.text += lines[i] + "\n";
  }
  cairo_destroy(cr);
  cairo_surface_destroy(surface);
  page.result.blocks = {block};
  page.result.FinalizeTextAndConfidence();
  return page;
}

std::vector<TestPage> TwoPages() {
  return {MakeTestPage(1, {"The quick brown fox jumps", "over the lazy dog 1234", "Invoice total"}),
          MakeTestPage(2, {"Second page here", "with (parens) and back\\slash"})};
}

core::Status WritePdf(const std::string& path, const std::vector<TestPage>& pages) {
  core::Result<std::unique_ptr<SearchablePdfWriter>> writer = OpenSearchablePdf(path);
  if (!writer.ok()) {
    return writer.status();
  }
  for (const TestPage& p : pages) {
    SMARTOCR_RETURN_IF_ERROR((*writer)->AddPage(p.result, p.image, kDpi));
  }
  return (*writer)->Finish();
}

class RenderPdfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HavePopplerUtils()) SMARTOCR_SKIP_OR_FAIL("poppler-utils (pdftotext) is not installed");
    dir_ = fx::MakeTempDir();
  }
  void TearDown() override {
    if (!dir_.empty()) {
      std::filesystem::remove_all(dir_);
    }
  }
  std::string dir_;
};

TEST_F(RenderPdfTest, PdftotextGivesTheWordsBackInReadingOrder) {
  std::vector<TestPage> pages = TwoPages();
  std::string pdf = dir_ + "/out.pdf";
  ASSERT_TRUE(WritePdf(pdf, pages).ok());
  for (size_t i = 0; i < pages.size(); ++i) {
    SCOPED_TRACE(i);
    std::string n = std::to_string(i + 1);
    std::string cmd = "pdftotext -enc UTF-8 -f " + n;
    cmd += " -l " + n;
    cmd += " " + pdf + " -";
    CommandResult text = RunCommand(cmd);
    ASSERT_EQ(text.exit_code, 0);
    EXPECT_EQ(fx::Words(text.out), fx::Words(pages[i].text)) << text.out;
  }
  CommandResult all = RunCommand("pdftotext -enc UTF-8 " + pdf + " -");
  EXPECT_NE(all.out.find("(parens)"), std::string::npos) << all.out;
  EXPECT_NE(all.out.find("back\\slash"), std::string::npos) << all.out;
}

TEST_F(RenderPdfTest, PdftotextBoxesMatchTheWordBoxes) {
  std::vector<TestPage> pages = TwoPages();
  std::string pdf = dir_ + "/out.pdf";
  ASSERT_TRUE(WritePdf(pdf, pages).ok());
  CommandResult html = RunCommand("pdftotext -bbox -enc UTF-8 " + pdf + " -");
  ASSERT_EQ(html.exit_code, 0);
  struct FoundWord {
    double x0, y0, x1, y1;
    std::string text;
  };
  std::vector<FoundWord> found;
  for (size_t at = html.out.find("<word "); at != std::string::npos;
       at = html.out.find("<word ", at + 1)) {
    FoundWord w{};
    int text_start = 0;
    ASSERT_EQ(std::sscanf(html.out.c_str() + at,
                          "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\">%n", &w.x0,
                          &w.y0, &w.x1, &w.y1, &text_start),
              4);
    size_t begin = at + static_cast<size_t>(text_start);
    w.text = html.out.substr(begin, html.out.find("</word>", begin) - begin);
    found.push_back(w);
  }
  std::vector<core::Word> expected;
  for (const TestPage& p : pages) {
    for (const core::Line& l : p.result.blocks[0].lines) {
      expected.insert(expected.end(), l.words.begin(), l.words.end());
    }
  }
  ASSERT_EQ(found.size(), expected.size()) << html.out;
  constexpr double kTolerancePt = 1.5;
  for (size_t k = 0; k < found.size(); ++k) {
    SCOPED_TRACE(expected[k].text);
    EXPECT_EQ(found[k].text, expected[k].text);
    const core::BBox& px = expected[k].box;
    EXPECT_NEAR(found[k].x0, px.x0 / kPxPerPt, kTolerancePt);
    EXPECT_NEAR(found[k].y0, px.y0 / kPxPerPt, kTolerancePt);
    EXPECT_NEAR(found[k].x1, px.x1 / kPxPerPt, kTolerancePt);
    EXPECT_NEAR(found[k].y1, px.y1 / kPxPerPt, kTolerancePt);
  }
}

TEST_F(RenderPdfTest, PageSizeIsPixelsAtTheDpiAndMetadataIsSet) {
  std::vector<TestPage> pages = TwoPages();
  std::string pdf = dir_ + "/out.pdf";
  ASSERT_TRUE(WritePdf(pdf, pages).ok());
  CommandResult info = RunCommand("pdfinfo -f 1 -l 2 " + pdf);
  ASSERT_EQ(info.exit_code, 0);
  EXPECT_EQ(LineStartingWith(info.out, {"Pages:"}), (Tokenized{"Pages:", "2"})) << info.out;
  EXPECT_EQ(LineStartingWith(info.out, {"Producer:"}),
            (Tokenized{"Producer:", "SmartOCR", core::kVersion}));
  EXPECT_EQ(LineStartingWith(info.out, {"PDF", "version:"}), (Tokenized{"PDF", "version:", "1.5"}));
  // "Page    1 size:  612 x 792 pts (letter)"
  Tokenized size = LineStartingWith(info.out, {"Page", "1", "size:"});
  ASSERT_GE(size.size(), 7u) << info.out;
  EXPECT_NEAR(std::stod(size[3]), pages[0].image.cols * 72 / kDpi, 0.01);
  EXPECT_NEAR(std::stod(size[5]), pages[0].image.rows * 72 / kDpi, 0.01);
  EXPECT_NEAR(std::stod(size[3]), 612, 0.2);  // US Letter back again
}

TEST_F(RenderPdfTest, PdftoppmRendersThePageImage) {
  std::vector<TestPage> pages = TwoPages();
  std::string pdf = dir_ + "/out.pdf";
  ASSERT_TRUE(WritePdf(pdf, pages).ok());
  ASSERT_EQ(RunCommand("pdftoppm -r 72 -gray -f 1 -l 1 " + pdf + " " + dir_ + "/page").exit_code,
            0);
  std::string ppm;
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    if (e.path().extension() == ".pgm") {
      ppm = e.path().string();
    }
  }
  cv::Mat img = cv::imread(ppm, cv::IMREAD_GRAYSCALE);
  ASSERT_FALSE(img.empty()) << ppm;
  // The first word, in 72-dpi pixels: the scan's ink is there; the margin is white.
  const core::BBox& w = pages[0].result.blocks[0].lines[0].words[0].box;
  cv::Rect word(static_cast<int>(w.x0 / kPxPerPt), static_cast<int>(w.y0 / kPxPerPt),
                static_cast<int>(w.width() / kPxPerPt), static_cast<int>(w.height() / kPxPerPt));
  double min_val = 255, max_val = 0;
  cv::minMaxLoc(img(word), &min_val, nullptr);
  EXPECT_LT(min_val, 100);
  cv::minMaxLoc(img(cv::Rect(5, 5, 40, 40)), &min_val, &max_val);
  EXPECT_GT(min_val, 240);
}

TEST_F(RenderPdfTest, BilevelAndColourImagesAndUnicodeText) {
  TestPage bilevel = MakeTestPage(1, {"café naïve Ωmega"});
  bilevel.image = bilevel.image > 128;  // 0/255 only: written as 1-bit Flate
  TestPage colour = MakeTestPage(2, {"colour page"});
  cv::Mat bgr;
  cv::Mat channels[] = {colour.image, colour.image, colour.image};
  cv::merge(channels, 3, bgr);
  colour.image = bgr;
  std::string pdf = dir_ + "/mixed.pdf";
  ASSERT_TRUE(WritePdf(pdf, {bilevel, colour}).ok());
  CommandResult text = RunCommand("pdftotext -enc UTF-8 " + pdf + " -");
  EXPECT_NE(text.out.find("café naïve Ωmega"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("colour page"), std::string::npos) << text.out;
  CommandResult images = RunCommand("pdfimages -list " + pdf);
  if (images.exit_code == 0) {
    // Columns: page num type width height color comp bpc enc ...
    Tokenized first = LineStartingWith(images.out, {"1"});
    Tokenized second = LineStartingWith(images.out, {"2"});
    ASSERT_GE(first.size(), 9u) << images.out;
    ASSERT_GE(second.size(), 9u) << images.out;
    EXPECT_EQ(Tokenized(first.begin() + 5, first.begin() + 9),
              (Tokenized{"gray", "1", "1", "image"}));
    EXPECT_EQ(Tokenized(second.begin() + 5, second.begin() + 9),
              (Tokenized{"rgb", "3", "8", "jpeg"}));
  }
  ASSERT_EQ(RunCommand("pdftoppm -r 36 -gray " + pdf + " " + dir_ + "/p").exit_code, 0);
}

TEST_F(RenderPdfTest, PopplerReportsNoSyntaxErrorsAndTheFontIsEmbedded) {
  std::string pdf = dir_ + "/out.pdf";
  ASSERT_TRUE(WritePdf(pdf, TwoPages()).ok());
  for (const std::string& tool : {"pdftotext " + pdf + " /dev/null", "pdfinfo " + pdf,
                                  "pdftoppm -r 20 " + pdf + " " + dir_ + "/r"}) {
    SCOPED_TRACE(tool);
    CommandResult r = RunCommand(tool, /*with_stderr=*/true);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out.find("Error"), std::string::npos) << r.out;
  }
  CommandResult fonts = RunCommand("pdffonts " + pdf);
  if (fonts.exit_code == 0) {  // name type encoding emb sub uni object ID
    Tokenized font = LineStartingWith(fonts.out, {"GlyphLessFont"});
    ASSERT_GE(font.size(), 7u) << fonts.out;
    EXPECT_EQ(Tokenized(font.begin(), font.begin() + 7),
              (Tokenized{"GlyphLessFont", "CID", "TrueType", "Identity-H", "yes", "no", "yes"}));
  }
}

TEST_F(RenderPdfTest, SamePagesGiveTheSameBytes) {
  std::vector<TestPage> pages = {MakeTestPage(1, {"deterministic output"})};
  ASSERT_TRUE(WritePdf(dir_ + "/a.pdf", pages).ok());
  ASSERT_TRUE(WritePdf(dir_ + "/b.pdf", pages).ok());
  std::string a = fx::ReadFile(dir_ + "/a.pdf");
  EXPECT_EQ(a, fx::ReadFile(dir_ + "/b.pdf"));
  EXPECT_TRUE(a.starts_with("%PDF-1.5\n"));
  EXPECT_TRUE(a.ends_with("%%EOF\n"));
  // Small: a JPEG of a mostly white letter page, not raw pixels (3.7 MB).
  EXPECT_LT(a.size(), 400u * 1024u);
}

TEST(RenderPdf, UnwritablePathIsIoError) {
  auto writer = OpenSearchablePdf("/nonexistent-dir/sub/out.pdf");
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.status().code(), core::StatusCode::kIoError);
}

TEST(RenderPdf, WriteFailureIsIoError) {
  if (!std::filesystem::exists("/dev/full")) {
    GTEST_SKIP() << "no /dev/full";
  }
  auto writer = OpenSearchablePdf("/dev/full");
  ASSERT_TRUE(writer.ok());
  TestPage page = MakeTestPage(1, {"disk full"});
  core::Status st = (*writer)->AddPage(page.result, page.image, kDpi);
  if (st.ok()) {
    st = (*writer)->Finish();
  }
  EXPECT_EQ(st.code(), core::StatusCode::kIoError) << st.ToString();
  EXPECT_TRUE(std::filesystem::exists("/dev/full"));  // never deleted
}

TEST(RenderPdf, CallerErrors) {
  std::string dir = fx::MakeTempDir();
  TestPage page = MakeTestPage(1, {"x"});
  {
    // No pages: nothing is left on disk rather than an invalid PDF.
    auto writer = OpenSearchablePdf(dir + "/empty.pdf");
    ASSERT_TRUE(writer.ok());
    core::Status st = (*writer)->Finish();
    EXPECT_EQ(st.code(), core::StatusCode::kInvalidArgument);
    EXPECT_EQ(st.reason(), "no_pages");
    EXPECT_FALSE(std::filesystem::exists(dir + "/empty.pdf"));
  }
  {
    auto writer = OpenSearchablePdf(dir + "/bad.pdf");
    ASSERT_TRUE(writer.ok());
    EXPECT_EQ((*writer)->AddPage(page.result, page.image, 0).reason(), "bad_dpi");
    EXPECT_EQ((*writer)->AddPage(page.result, page.image, NAN).reason(), "bad_dpi");
    EXPECT_EQ((*writer)->AddPage(page.result, cv::Mat(), kDpi).reason(), "image_type");
    EXPECT_EQ((*writer)->AddPage(page.result, cv::Mat(10, 10, CV_32FC1), kDpi).reason(),
              "image_type");
    ASSERT_TRUE((*writer)->AddPage(page.result, page.image, kDpi).ok());
    ASSERT_TRUE((*writer)->Finish().ok());
    EXPECT_EQ((*writer)->AddPage(page.result, page.image, kDpi).reason(), "pdf_finished");
    EXPECT_EQ((*writer)->Finish().reason(), "pdf_finished");
    EXPECT_TRUE(std::filesystem::exists(dir + "/bad.pdf"));
  }
  {
    // Dropped without Finish: the partial file is removed.
    auto writer = OpenSearchablePdf(dir + "/dropped.pdf");
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->AddPage(page.result, page.image, kDpi).ok());
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/dropped.pdf"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace smartocr::render
