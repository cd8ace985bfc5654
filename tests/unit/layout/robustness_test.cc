// Assemble() on empty, degenerate and large inputs.
#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>
#include <vector>

#include "layout/layout.h"
#include "layout_test_util.h"

namespace smartocr::layout {
namespace {

TEST(LayoutAssembleRobustness, EmptyInputs) {
  PageLayout page = Assemble({}, {}, 0, 0);
  EXPECT_TRUE(page.blocks.empty());
  EXPECT_TRUE(page.tables.empty());
  core::Line no_words;
  no_words.box = {0, 0, 10, 10};
  EXPECT_TRUE(Assemble({no_words}, {}, 100, 100).blocks.empty());
  EXPECT_TRUE(GroupWordsIntoLines({}).empty());
}

TEST(LayoutAssembleRobustness, OneWord) {
  PageLayout page = Assemble({testing::LineAt("hello", 10, 10)}, {}, 100, 100);
  ASSERT_EQ(page.blocks.size(), 1u);
  EXPECT_EQ(page.blocks[0].Text(), "hello");
  EXPECT_EQ(page.blocks[0].reading_order, 0);
}

TEST(LayoutAssembleRobustness, DegenerateBoxes) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  double inf = std::numeric_limits<double>::infinity();
  core::Line line;
  line.words = {{"zero", {5, 5, 5, 5}, 0.5},
                {"inverted", {50, 40, 10, 20}, 0.5},
                {"nan", {nan, nan, nan, nan}, 0.5},
                {"inf", {0, 0, inf, 10}, 0.5},
                {"flat", {60, 30, 90, 30}, 0.5}};
  line.confidence = nan;
  Regions regions;
  regions.tables.push_back({{0, 0, 0, 0}, {}, {}});                  // no edges
  regions.tables.push_back({{10, 10, 20, 20}, {10, 20}, {10, 20}});  // one cell
  regions.figures.push_back({nan, 0, 1, 1});
  regions.figures.push_back({0, 0, 0, 0});
  PageLayout page = Assemble({line, line, core::Line{}}, regions, 100, 100);
  std::size_t words = 0;
  for (const core::Block& b : page.blocks) {
    for (const core::Line& l : b.lines) words += l.words.size();
  }
  EXPECT_EQ(words, 6u);  // NaN and infinite words dropped, three kept per line
}

// Every word of a dense page and of a page with no structure comes out once. How fast
// is bench/layout_bench.cc's job (a timed unit test proves nothing under sanitizers).
TEST(LayoutAssembleRobustness, FiveThousandWordsAllComeOut) {
  std::vector<core::Line> lines = GroupWordsIntoLines(testing::DenseWords(5000));
  PageLayout page = Assemble(lines, {}, 10000, 3300);
  std::size_t out = 0;
  for (const core::Block& b : page.blocks) {
    for (const core::Line& l : b.lines) out += l.words.size();
  }
  EXPECT_EQ(out, 5000u);
  EXPECT_GE(page.blocks.size(), 2u);  // two columns at least
}

TEST(LayoutAssembleRobustness, ScatteredWordsAllComeOut) {
  PageLayout page = Assemble(GroupWordsIntoLines(testing::ScatteredWords(5000)), {}, 2550, 3300);
  std::size_t out = 0;
  for (const core::Block& b : page.blocks) {
    for (const core::Line& l : b.lines) out += l.words.size();
  }
  EXPECT_EQ(out, 5000u);
}

}  // namespace
}  // namespace smartocr::layout
