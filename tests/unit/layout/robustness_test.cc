// Assemble() on empty, degenerate and large inputs.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
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

// A dense two-column page of `words` words.
std::vector<core::Word> DenseWords(int count) {
  std::vector<core::Word> words;
  std::mt19937 rng(11);
  for (int i = 0; words.size() < static_cast<std::size_t>(count); ++i) {
    int row = i / 2;
    double x0 = i % 2 ? 1300 : 100;
    for (core::Word& w : testing::WordsAt("aa bbbb cc ddddd eee ff gggg hh iii jjjj kk", x0,
                                          100 + 22.0 * (row % 140), 16)) {
      w.box.x0 += (row / 140) * 2400, w.box.x1 += (row / 140) * 2400;  // wrap into new columns
      words.push_back(w);
    }
  }
  words.resize(static_cast<std::size_t>(count));
  std::shuffle(words.begin(), words.end(), rng);
  return words;
}

TEST(LayoutAssembleRobustness, FiveThousandWordsAreFast) {
  std::vector<core::Word> words = DenseWords(5000);
  auto start = std::chrono::steady_clock::now();
  std::vector<core::Line> lines = GroupWordsIntoLines(words);
  PageLayout page = Assemble(lines, {}, 10000, 3300);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("5000 words: %zu lines, %zu blocks, %.1f ms\n", lines.size(), page.blocks.size(), ms);
  std::size_t out = 0;
  for (const core::Block& b : page.blocks) {
    for (const core::Line& l : b.lines) out += l.words.size();
  }
  EXPECT_EQ(out, 5000u);
  EXPECT_LT(ms, 250);  // well under 50 ms in a release build; slack for sanitizers
}

TEST(LayoutAssembleRobustness, ScatteredWordsAreFast) {
  // No structure at all: every word its own line somewhere on the page.
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> x(0, 2400), y(0, 3200);
  std::vector<core::Word> words;
  for (int i = 0; i < 5000; ++i) words.push_back(testing::MakeWord("w", x(rng), y(rng)));
  auto start = std::chrono::steady_clock::now();
  PageLayout page = Assemble(GroupWordsIntoLines(words), {}, 2550, 3300);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("5000 scattered words: %zu blocks, %.1f ms\n", page.blocks.size(), ms);
  EXPECT_LT(ms, 500);
}

}  // namespace
}  // namespace smartocr::layout
