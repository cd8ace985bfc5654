// DetectRegions on pages rendered with cairo at 300 dpi.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "fixtures.h"
#include "layout/layout.h"

namespace smartocr::layout {
namespace {

using smartocr::testing::FixturePage;
using smartocr::testing::Paragraph;
using smartocr::testing::RenderPage;

constexpr double kDpi = 300;
constexpr double kPx = kDpi / 72;  // pixels per point
constexpr double kEdgeTolPx = 4;

const std::vector<double> kColumnsPt{72, 200, 300, 400, 540};  // 4 columns
const std::vector<double> kRowsPt{400, 430, 460, 490};         // 3 rows

std::vector<std::string> Body() {
  return {"Plain body text of a page that has no table and no figure on it at all.",
          "It goes on for a few lines so that the text height is well measured.",
          "Nothing here should be mistaken for a ruling line or an image region.",
          "The last line of the paragraph ends a little shorter than the others."};
}

// A 3 x 4 grid of rules with text in the cells; `gap_pt` > 0 breaks every rule into
// pieces with gaps that wide, as on a poor scan.
FixturePage RuledTablePage(double gap_pt) {
  FixturePage page;
  page.runs = Paragraph(Body(), 72, 150);
  auto rule = [&](double x0, double y0, double x1, double y1) {
    if (gap_pt <= 0) return page.rules.push_back({x0, y0, x1, y1});
    bool horizontal = y0 == y1;
    double len = horizontal ? x1 - x0 : y1 - y0;
    for (double s = 0; s < len; s += 40) {
      double e = std::min(len, s + 40 - gap_pt);
      if (horizontal)
        page.rules.push_back({x0 + s, y0, x0 + e, y1});
      else
        page.rules.push_back({x0, y0 + s, x1, y0 + e});
    }
  };
  for (double y : kRowsPt) rule(kColumnsPt.front(), y, kColumnsPt.back(), y);
  for (double x : kColumnsPt) rule(x, kRowsPt.front(), x, kRowsPt.back());
  for (std::size_t r = 0; r + 1 < kRowsPt.size(); ++r) {
    for (std::size_t c = 0; c + 1 < kColumnsPt.size(); ++c) {
      page.runs.push_back({"cell " + std::to_string(r) + std::to_string(c), kColumnsPt[c] + 6,
                           kRowsPt[r] + 20, 11});
    }
  }
  return page;
}

void ExpectEdges(const std::vector<double>& found, const std::vector<double>& expected_pt) {
  ASSERT_EQ(found.size(), expected_pt.size());
  for (std::size_t i = 0; i < found.size(); ++i) {
    EXPECT_NEAR(found[i], expected_pt[i] * kPx, kEdgeTolPx) << "edge " << i;
  }
}

TEST(LayoutDetectRegions, FindsRuledTableGrid) {
  struct Case {
    const char* name;
    double gap_pt;
  };
  for (Case c : {Case{"solid rules", 0}, Case{"broken rules", 1.5}}) {
    SCOPED_TRACE(c.name);
    Regions regions = DetectRegions(RenderPage(RuledTablePage(c.gap_pt), kDpi));
    ASSERT_EQ(regions.tables.size(), 1u);
    const RuledTable& t = regions.tables[0];
    ExpectEdges(t.column_edges, kColumnsPt);
    ExpectEdges(t.row_edges, kRowsPt);
    EXPECT_NEAR(t.box.x0, kColumnsPt.front() * kPx, kEdgeTolPx);
    EXPECT_NEAR(t.box.y1, kRowsPt.back() * kPx, kEdgeTolPx);
    EXPECT_TRUE(regions.figures.empty());
  }
}

TEST(LayoutDetectRegions, TableCellsFromRenderedPage) {
  Regions regions = DetectRegions(RenderPage(RuledTablePage(0), kDpi));
  ASSERT_EQ(regions.tables.size(), 1u);
  // A word centred in cell (1, 2).
  double x = (kColumnsPt[2] + 10) * kPx, y = (kRowsPt[1] + 10) * kPx;
  core::Line line;
  line.words.push_back({"value", {x, y, x + 80, y + 40}, 0.9});
  line.box = line.words[0].box;
  PageLayout page = Assemble({line}, regions, 2550, 3300);
  ASSERT_EQ(page.tables.size(), 1u);
  ASSERT_EQ(page.tables[0].rows.size(), 3u);
  ASSERT_EQ(page.tables[0].rows[1].size(), 4u);
  EXPECT_EQ(page.tables[0].rows[1][2].text, "value");
}

TEST(LayoutDetectRegions, NoGridNoTable) {
  struct Case {
    const char* name;
    FixturePage page;
  };
  std::vector<Case> cases;
  {
    Case c{"plain text with a heading", {}};
    c.page.runs = Paragraph(Body(), 72, 200);
    c.page.runs.push_back({"A Large Bold Heading", 72, 120, 28, true});
    cases.push_back(c);
  }
  {
    Case c{"underlines and a page border", {}};
    c.page.runs = Paragraph(Body(), 72, 200);
    c.page.rules = {{72, 205, 300, 205}, {72, 400, 540, 400},  // underlines
                    {36, 36, 576, 36},   {576, 36, 576, 756},  // border
                    {576, 756, 36, 756}, {36, 756, 36, 36}};
    cases.push_back(c);
  }
  {
    Case c{"frame split by one horizontal rule", {}};
    c.page.runs = Paragraph(Body(), 80, 200);
    c.page.rules = {{72, 180, 540, 180},
                    {72, 300, 540, 300},
                    {72, 240, 540, 240},
                    {72, 180, 72, 300},
                    {540, 180, 540, 300}};
    cases.push_back(c);
  }
  {
    Case c{"blank page", {}};
    cases.push_back(c);
  }
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Regions regions = DetectRegions(RenderPage(c.page, kDpi));
    EXPECT_TRUE(regions.tables.empty());
    EXPECT_TRUE(regions.figures.empty());
  }
}

TEST(LayoutDetectRegions, FilledBoxIsFigure) {
  FixturePage page;
  page.runs = Paragraph(Body(), 72, 150);
  page.boxes.push_back({100, 300, 400, 500});
  page.runs.push_back({"Figure 1: a dark box.", 100, 520, 10});
  Regions regions = DetectRegions(RenderPage(page, kDpi));
  EXPECT_TRUE(regions.tables.empty());
  ASSERT_EQ(regions.figures.size(), 1u);
  const core::BBox& f = regions.figures[0];
  EXPECT_NEAR(f.x0, 100 * kPx, 6);
  EXPECT_NEAR(f.y0, 300 * kPx, 6);
  EXPECT_NEAR(f.x1, 400 * kPx, 6);
  EXPECT_NEAR(f.y1, 500 * kPx, 6);
}

TEST(LayoutDetectRegions, ColumnGutterMeansMultiColumn) {
  const std::vector<std::string> column = {
      "Short column lines of prose",   "that continue down the page", "for quite a few lines here",
      "so that the gutter between",    "the two columns is long and", "clearly visible to anyone",
      "who looks at the printed page", "from a little distance away"};
  FixturePage two;
  two.runs.push_back({"A heading across both columns of the page", 72, 100, 16});
  auto left = Paragraph(column, 72, 140, 11, 15);
  auto right = Paragraph(column, 320, 140, 11, 15);
  two.runs.insert(two.runs.end(), left.begin(), left.end());
  two.runs.insert(two.runs.end(), right.begin(), right.end());
  EXPECT_TRUE(DetectRegions(RenderPage(two, 200)).multi_column);

  FixturePage one;
  one.runs = Paragraph(Body(), 72, 150);
  auto more = Paragraph(Body(), 72, 230);
  one.runs.insert(one.runs.end(), more.begin(), more.end());
  EXPECT_FALSE(DetectRegions(RenderPage(one, 200)).multi_column);

  // Receipt-like rows: a label at the left and an amount at the right on every row
  // still read as one column when long lines cross the gap.
  FixturePage receipt;
  receipt.width_pt = 230;
  receipt.height_pt = 400;
  for (int i = 0; i < 12; ++i) {
    double y = 60 + 18 * i;
    if (i % 3 == 0) {
      receipt.runs.push_back({"ITEM DESCRIPTION LONG NAME 12", 10, y, 10});
    } else {
      receipt.runs.push_back({"ITEM " + std::to_string(i), 10, y, 10});
      receipt.runs.push_back({std::to_string(i) + ".50", 180, y, 10});
    }
  }
  EXPECT_FALSE(DetectRegions(RenderPage(receipt, 150)).multi_column);
}

TEST(LayoutDetectRegions, OddInputs) {
  EXPECT_TRUE(DetectRegions(cv::Mat()).tables.empty());
  EXPECT_TRUE(DetectRegions(cv::Mat(3, 3, CV_8UC1, cv::Scalar(0))).tables.empty());
  cv::Mat black(400, 300, CV_8UC1, cv::Scalar(0));
  Regions all_black = DetectRegions(black);
  EXPECT_TRUE(all_black.tables.empty());
  cv::Mat color;
  cv::cvtColor(RenderPage(RuledTablePage(0), 150), color, cv::COLOR_GRAY2BGR);
  EXPECT_EQ(DetectRegions(color).tables.size(), 1u);
  EXPECT_TRUE(DetectRegions(cv::Mat(100, 100, CV_32FC1, cv::Scalar(0))).tables.empty());
}

TEST(LayoutDetectRegions, FastOnA300DpiPage) {
  FixturePage page = RuledTablePage(0);
  page.boxes.push_back({100, 550, 400, 700});
  cv::Mat gray = RenderPage(page, kDpi);
  ASSERT_EQ(gray.cols, 2550);
  DetectRegions(gray);  // warm up
  auto start = std::chrono::steady_clock::now();
  constexpr int kRuns = 5;
  for (int i = 0; i < kRuns; ++i) DetectRegions(gray);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() /
      kRuns;
  std::printf("DetectRegions on 2550x3300: %.1f ms\n", ms);
  // Generous for sanitizer and debug builds; a release build takes tens of ms.
  EXPECT_LT(ms, 500);
}

}  // namespace
}  // namespace smartocr::layout
