// tests/support/fixtures.h
//
// Test fixtures built at test time with cairo: page images with known text, and PDFs
// that are born-digital (real text layer), scanned (image only) or mixed.
#ifndef SMARTOCR_TESTS_SUPPORT_FIXTURES_H_
#define SMARTOCR_TESTS_SUPPORT_FIXTURES_H_

#include <array>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace smartocr::testing {

struct TextRun {
  std::string text;
  double x_pt = 72;     // left edge, points from the page's left
  double y_pt = 72;     // baseline, points from the page's top
  double size_pt = 12;  // font size
  bool bold = false;
  bool mono = false;  // DejaVu Sans Mono instead of DejaVu Sans
};

struct FixturePage {
  double width_pt = 612;  // US Letter by default
  double height_pt = 792;
  std::vector<TextRun> runs;
  // Ruling lines (x0, y0, x1, y1 in points), drawn 1 pt wide.
  std::vector<std::array<double, 4>> rules;
  // Filled dark rectangles (x0, y0, x1, y1 in points), e.g. a figure.
  std::vector<std::array<double, 4>> boxes;
  // In a PDF: paint the page as an image (no text layer) instead of as text.
  bool scanned = false;
  // Turns the drawn content counter-clockwise by this many degrees around the page
  // centre (a skewed scan).
  double rotate_deg = 0;
};

// Lines of text starting at (x, y) with `leading` points between baselines.
std::vector<TextRun> Paragraph(const std::vector<std::string>& lines, double x_pt, double y_pt,
                               double size_pt = 12, double leading_pt = 16);

// Renders a page to an 8-bit gray image at `dpi`.
cv::Mat RenderPage(const FixturePage& page, double dpi);

// Writes a PDF with one page per FixturePage; scanned pages are rasterized at `scan_dpi`.
void WritePdf(const std::string& path, const std::vector<FixturePage>& pages,
              double scan_dpi = 200);

// Attaches `data` to the PDF at `path` as an embedded file named `name` (a PDF/A-3
// e-invoice's XML), by an incremental update: the catalog gets /Names /EmbeddedFiles
// and /AF. Aborts the test binary on a PDF it cannot update (one whose catalog is not a
// plain object, as cairo writes it).
void AttachFileToPdf(const std::string& path, const std::string& name, const std::string& data);

// A fresh empty directory under $TMPDIR (or /tmp), removed by the caller if wanted.
std::string MakeTempDir();

// Writes bytes to a file; aborts the test binary if it cannot.
void WriteFile(const std::string& path, const std::string& bytes);
std::string ReadFile(const std::string& path);

// Root of ../shared/data when present (env SMARTOCR_SHARED_DATA or a path relative to
// the source tree), else "" (tests that use it skip).
std::string SharedDataDir();

// Lower-cased words of `text` (letters and digits), for comparing recognized text.
std::vector<std::string> Words(const std::string& text);
// Fraction of `expected` words found in `actual` (multiset).
double WordRecall(const std::string& expected, const std::string& actual);

}  // namespace smartocr::testing

#endif  // SMARTOCR_TESTS_SUPPORT_FIXTURES_H_
