// Reading order and paragraphs in Assemble(), on synthetic lines with known boxes.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "layout/layout.h"
#include "layout_test_util.h"

namespace smartocr::layout {
namespace {

using testing::LineAt;
using testing::LineOf;
using testing::ProseColumn;
using testing::TagSequence;

constexpr int kPageW = 1700;
constexpr int kPageH = 2200;

void Append(std::vector<core::Line>& to, const std::vector<core::Line>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

// Merges the lines of two columns row by row into lines spanning the gutter, as a
// recognizer that missed the columns would return them.
std::vector<core::Line> SpanGutter(const std::vector<core::Line>& left,
                                   const std::vector<core::Line>& right) {
  std::vector<core::Line> out;
  for (std::size_t i = 0; i < left.size(); ++i) {
    std::vector<core::Word> words = left[i].words;
    words.insert(words.end(), right[i].words.begin(), right[i].words.end());
    out.push_back(LineOf(std::move(words)));
  }
  return out;
}

void ExpectSortedByReadingOrder(const PageLayout& page) {
  for (std::size_t i = 0; i < page.blocks.size(); ++i) {
    EXPECT_EQ(page.blocks[i].reading_order, static_cast<int>(i));
  }
}

struct ColumnCase {
  const char* name;
  std::vector<core::Line> lines;
  std::string tags;  // expected column tags in reading order
};

std::vector<ColumnCase> ColumnCases() {
  std::vector<ColumnCase> cases;
  core::Line heading = LineAt("Headline Hxxxxx Hyyyyy Hzzzzzz Haaaaa Hbbbbbb Hcccc", 400, 100, 30);
  core::Line footer =
      LineAt("Footnote Fxxxx Fyyyyyy Fzzzz Faaaaaaa Fbbbbb Fcccccc Fddddd Feeeeee", 300, 1500);
  {
    ColumnCase c{"two columns, aligned baselines, heading and footer", {heading}, "HLRF"};
    Append(c.lines, ProseColumn("L", 100, 800, 200, 30));
    Append(c.lines, ProseColumn("R", 900, 1600, 200, 30));
    c.lines.push_back(footer);
    cases.push_back(c);
  }
  {
    ColumnCase c{"two columns, staggered baselines", {heading}, "HLRF"};
    Append(c.lines, ProseColumn("L", 100, 800, 200, 30, 31));
    Append(c.lines, ProseColumn("R", 900, 1600, 215, 28, 33));
    c.lines.push_back(footer);
    cases.push_back(c);
  }
  {
    ColumnCase c{"two columns with paragraph breaks", {heading}, "HLRF"};
    Append(c.lines, ProseColumn("L", 100, 800, 200, 12));
    Append(c.lines, ProseColumn("L", 100, 800, 600, 15));
    Append(c.lines, ProseColumn("R", 900, 1600, 200, 8));
    Append(c.lines, ProseColumn("R", 900, 1600, 480, 20));
    c.lines.push_back(footer);
    cases.push_back(c);
  }
  {
    ColumnCase c{"lines given right column first", {}, "HLRF"};
    Append(c.lines, ProseColumn("R", 900, 1600, 200, 30));
    c.lines.push_back(footer);
    Append(c.lines, ProseColumn("L", 100, 800, 200, 30));
    c.lines.push_back(heading);
    cases.push_back(c);
  }
  {
    ColumnCase c{"recognizer lines span the gutter", {heading}, "HLRF"};
    Append(c.lines,
           SpanGutter(ProseColumn("L", 100, 800, 200, 30), ProseColumn("R", 900, 1600, 200, 30)));
    c.lines.push_back(footer);
    cases.push_back(c);
  }
  {
    ColumnCase c{"three columns", {heading}, "HABC"};
    Append(c.lines, ProseColumn("A", 100, 560, 200, 25));
    Append(c.lines, ProseColumn("B", 620, 1080, 200, 25));
    Append(c.lines, ProseColumn("C", 1140, 1600, 200, 25));
    cases.push_back(c);
  }
  {
    ColumnCase c{"full-width section between two-column sections", {heading}, "HLRMPQ"};
    Append(c.lines, ProseColumn("L", 100, 800, 200, 10));
    Append(c.lines, ProseColumn("R", 900, 1600, 200, 10));
    Append(c.lines, ProseColumn("M", 100, 1600, 560, 4));
    Append(c.lines, ProseColumn("P", 100, 800, 720, 10));
    Append(c.lines, ProseColumn("Q", 900, 1600, 720, 10));
    cases.push_back(c);
  }
  {
    // Short sidebar lines on their own leading: not prose, but not rows either.
    core::Line wide = heading;
    for (core::Word& w : wide.words) w.box.x0 -= 300, w.box.x1 -= 300;
    wide.box.x0 -= 300, wide.box.x1 -= 300;
    ColumnCase c{"sidebar beside the text", {wide}, "HSM"};
    Append(c.lines, ProseColumn("S", 100, 300, 200, 8, 40));
    Append(c.lines, ProseColumn("M", 400, 1600, 200, 12));
    cases.push_back(c);
  }
  {
    ColumnCase c{"single column", {heading}, "HS"};
    Append(c.lines, ProseColumn("S", 100, 1600, 200, 40));
    cases.push_back(c);
  }
  return cases;
}

TEST(LayoutAssembleReadingOrder, ReadsColumnByColumn) {
  for (const ColumnCase& c : ColumnCases()) {
    SCOPED_TRACE(c.name);
    PageLayout page = Assemble(c.lines, {}, kPageW, kPageH);
    EXPECT_EQ(TagSequence(page), c.tags);
    EXPECT_TRUE(page.tables.empty());
    ExpectSortedByReadingOrder(page);
    for (const core::Block& b : page.blocks) {
      EXPECT_EQ(b.type, core::BlockType::kText);
      for (const core::Line& l : b.lines) {
        // No line mixes two columns.
        std::string tags;
        for (const core::Word& w : l.words) {
          if (tags.find(w.text[0]) == std::string::npos) tags += w.text[0];
        }
        EXPECT_EQ(tags.size(), 1u) << l.Text();
      }
    }
  }
}

TEST(LayoutAssembleReadingOrder, ColumnsThenTableThenFigure) {
  // A table under two columns whose gap lines up with the gutter, then a figure at
  // the right above a closing paragraph that ends just left of it.
  std::vector<core::Line> lines = ProseColumn("L", 100, 800, 200, 8);
  Append(lines, ProseColumn("R", 900, 1600, 200, 8));
  const char* rows[][3] = {{"Item", "Qty", "Price"},
                           {"Bolt", "2", "3.50"},
                           {"Nut", "10", "0.25"},
                           {"Gear", "1", "15.00"}};
  for (int r = 0; r < 4; ++r) {
    std::vector<core::Word> words = testing::WordsAt(rows[r][0], 100, 500 + 32.0 * r);
    words.push_back(testing::MakeWord(rows[r][1], 830, 500 + 32.0 * r));
    words.push_back(testing::MakeWord(rows[r][2], 1100, 500 + 32.0 * r));
    lines.push_back(LineOf(words));
  }
  Append(lines, ProseColumn("P", 100, 1100, 1000, 3));
  Regions regions;
  regions.figures.push_back({1150, 700, 1600, 950});
  PageLayout page = Assemble(lines, regions, kPageW, kPageH);
  std::vector<core::BlockType> types;
  std::string tags;
  for (const core::Block& b : page.blocks) {
    types.push_back(b.type);
    if (b.type == core::BlockType::kText) tags += b.lines[0].words[0].text[0];
  }
  using T = core::BlockType;
  EXPECT_EQ(types, (std::vector<T>{T::kText, T::kText, T::kTable, T::kFigure, T::kText}));
  EXPECT_EQ(tags, "LRP");
  ASSERT_EQ(page.tables.size(), 1u);
  EXPECT_EQ(page.tables[0].rows[3][2].text, "15.00");
}

TEST(LayoutAssembleReadingOrder, KeepsEveryWord) {
  for (const ColumnCase& c : ColumnCases()) {
    SCOPED_TRACE(c.name);
    std::size_t words_in = 0;
    for (const core::Line& l : c.lines) words_in += l.words.size();
    PageLayout page = Assemble(c.lines, {}, kPageW, kPageH);
    std::size_t words_out = 0;
    for (const core::Block& b : page.blocks) {
      for (const core::Line& l : b.lines) words_out += l.words.size();
    }
    EXPECT_EQ(words_out, words_in);
  }
}

TEST(LayoutAssembleReadingOrder, SingleColumnParagraphsTopDown) {
  std::vector<core::Line> lines;
  Append(lines, ProseColumn("P", 100, 1500, 100, 5));
  Append(lines, ProseColumn("Q", 100, 1500, 300, 6));  // a blank line above
  Append(lines, ProseColumn("S", 100, 1500, 530, 4));
  std::shuffle(lines.begin(), lines.end(), std::mt19937(7));
  PageLayout page = Assemble(lines, {}, kPageW, kPageH);
  ASSERT_EQ(page.blocks.size(), 3u);
  EXPECT_EQ(TagSequence(page), "PQS");
  std::vector<std::size_t> sizes;
  for (const core::Block& b : page.blocks) sizes.push_back(b.lines.size());
  EXPECT_EQ(sizes, (std::vector<std::size_t>{5, 6, 4}));
  for (const core::Block& b : page.blocks) {
    for (std::size_t i = 1; i < b.lines.size(); ++i) {
      EXPECT_LT(b.lines[i - 1].box.y0, b.lines[i].box.y0);
    }
  }
}

TEST(LayoutAssembleReadingOrder, HeadingIsItsOwnBlock) {
  std::vector<core::Line> lines{LineAt("Chapter One", 100, 100, 40)};
  Append(lines, ProseColumn("P", 100, 1500, 170, 5));
  PageLayout page = Assemble(lines, {}, kPageW, kPageH);
  ASSERT_EQ(page.blocks.size(), 2u);
  EXPECT_EQ(page.blocks[0].Text(), "Chapter One");
  EXPECT_EQ(page.blocks[1].lines.size(), 5u);
}

TEST(LayoutAssembleReadingOrder, ReceiptRowsStayWhole) {
  // Item and amount far apart on each row: rows, not two columns.
  std::vector<std::string> items{
      "Coffee", "Bagel with cream cheese", "Orange juice", "Muffin", "Tea", "Water"};
  std::vector<core::Word> words;
  for (std::size_t i = 0; i < items.size(); ++i) {
    double y = 200 + 30.0 * static_cast<double>(i);
    for (core::Word& w : testing::WordsAt(items[i], 100, y)) words.push_back(w);
    words.push_back(testing::MakeWord(std::to_string(i + 2) + ".50", 900, y));
  }
  std::shuffle(words.begin(), words.end(), std::mt19937(3));
  PageLayout page = Assemble(GroupWordsIntoLines(words), {}, kPageW, kPageH);
  std::vector<std::string> texts = testing::LineTexts(page);
  ASSERT_EQ(texts.size(), items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(texts[i], items[i] + " " + std::to_string(i + 2) + ".50");
  }
  EXPECT_TRUE(page.tables.empty());
}

TEST(LayoutAssembleReadingOrder, SameInputSameOutput) {
  std::vector<core::Line> lines = ProseColumn("L", 100, 800, 200, 20);
  Append(lines, ProseColumn("R", 900, 1600, 200, 20));
  PageLayout a = Assemble(lines, {}, kPageW, kPageH);
  PageLayout b = Assemble(lines, {}, kPageW, kPageH);
  std::reverse(lines.begin(), lines.end());
  PageLayout c = Assemble(lines, {}, kPageW, kPageH);
  EXPECT_EQ(testing::LineTexts(a), testing::LineTexts(b));
  EXPECT_EQ(testing::LineTexts(a), testing::LineTexts(c));
}

TEST(LayoutAssembleReadingOrder, BlockConfidenceIsMeanOfLines) {
  std::vector<core::Line> lines{LineAt("first line of text here", 100, 100, 20, 0.5),
                                LineAt("second line of text here", 100, 128, 20, 0.9)};
  PageLayout page = Assemble(lines, {}, kPageW, kPageH);
  ASSERT_EQ(page.blocks.size(), 1u);
  EXPECT_DOUBLE_EQ(page.blocks[0].confidence, 0.7);
}

}  // namespace
}  // namespace smartocr::layout
