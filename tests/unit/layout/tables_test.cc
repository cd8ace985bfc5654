// Tables in Assemble(): ruled grids given as regions, and tables found from column
// alignment alone.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "layout/layout.h"
#include "layout_test_util.h"

namespace smartocr::layout {
namespace {

using testing::LineAt;
using testing::MakeWord;
using testing::ProseColumn;
using testing::WordsAt;

constexpr int kPageW = 1700;
constexpr int kPageH = 2200;

// Words of a borderless table: first column left-aligned at x=100, the others
// right-aligned at the given right edges.
std::vector<core::Word> AlignedRows(const std::vector<std::vector<std::string>>& rows,
                                    const std::vector<double>& right_edges, double y) {
  std::vector<core::Word> words;
  for (const auto& row : rows) {
    for (core::Word& w : WordsAt(row[0], 100, y)) words.push_back(w);
    for (std::size_t c = 1; c < row.size(); ++c) {
      double width = testing::kCharWidth * static_cast<double>(row[c].size());
      words.push_back(MakeWord(row[c], right_edges[c - 1] - width, y));
    }
    y += 32;
  }
  return words;
}

const std::vector<std::vector<std::string>> kFruit{{"Item", "Qty", "Price"},
                                                   {"Apples", "3", "1.20"},
                                                   {"Pears", "12", "0.80"},
                                                   {"Plums", "7", "12.50"}};

std::vector<core::Line> ProsePage() {
  std::vector<core::Line> lines{LineAt("Intro", 100, 120, 30)};
  for (const core::Line& l : ProseColumn("P", 100, 1500, 200, 6)) lines.push_back(l);
  return lines;
}

TEST(LayoutAssembleTables, BorderlessAlignedTableIsFound) {
  std::vector<core::Word> words = AlignedRows(kFruit, {600, 900}, 400);
  struct Case {
    const char* name;
    std::vector<core::Line> lines;
  };
  std::vector<core::Line> whole;  // one recognizer line per row
  for (std::size_t r = 0; r < kFruit.size(); ++r) {
    std::vector<core::Word> row(words.begin() + static_cast<std::ptrdiff_t>(3 * r),
                                words.begin() + static_cast<std::ptrdiff_t>(3 * r + 3));
    whole.push_back(testing::LineOf(row));
  }
  std::vector<core::Word> shuffled = words;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(5));
  std::vector<Case> cases{{"whole rows", whole},
                          {"grouped from loose words", GroupWordsIntoLines(shuffled)}};
  for (Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<core::Line> lines = ProsePage();
    lines.insert(lines.end(), c.lines.begin(), c.lines.end());
    PageLayout page = Assemble(lines, {}, kPageW, kPageH);
    ASSERT_EQ(page.tables.size(), 1u);
    const core::Table& t = page.tables[0];
    ASSERT_EQ(t.rows.size(), 4u);
    for (std::size_t r = 0; r < 4; ++r) {
      ASSERT_EQ(t.rows[r].size(), 3u);
      for (std::size_t col = 0; col < 3; ++col) EXPECT_EQ(t.rows[r][col].text, kFruit[r][col]);
    }
    int table_blocks = 0;
    for (const core::Block& b : page.blocks) {
      if (b.type != core::BlockType::kTable) continue;
      ++table_blocks;
      EXPECT_EQ(b.lines.size(), 4u);
      EXPECT_EQ(b.reading_order, static_cast<int>(page.blocks.size()) - 1);  // last on page
    }
    EXPECT_EQ(table_blocks, 1);
  }
}

TEST(LayoutAssembleTables, ReceiptItemListIsATable) {
  std::vector<std::vector<std::string>> rows{{"Coffee large", "2", "3.50", "7.00"},
                                             {"Bagel", "1", "2.25", "2.25"},
                                             {"Orange juice", "3", "4.00", "12.00"}};
  std::vector<core::Word> words = AlignedRows(rows, {700, 900, 1100}, 300);
  for (core::Word& w : WordsAt("TOTAL", 100, 420)) words.push_back(w);
  words.push_back(MakeWord("21.25", 1050, 420));
  PageLayout page = Assemble(GroupWordsIntoLines(words), {}, kPageW, kPageH);
  ASSERT_EQ(page.tables.size(), 1u);
  EXPECT_GE(page.tables[0].rows.size(), 3u);
  EXPECT_EQ(page.tables[0].rows[0].size(), 4u);
  EXPECT_EQ(page.tables[0].rows[2][0].text, "Orange juice");
}

TEST(LayoutAssembleTables, NotTables) {
  struct Case {
    const char* name;
    std::vector<core::Line> lines;
  };
  std::vector<Case> cases;
  {
    Case c{"two-column prose", {}};
    for (const auto& l : ProseColumn("L", 100, 800, 200, 12)) c.lines.push_back(l);
    for (const auto& l : ProseColumn("R", 900, 1600, 200, 12)) c.lines.push_back(l);
    cases.push_back(c);
  }
  {
    Case c{"three-column prose", {}};
    for (const auto& l : ProseColumn("A", 100, 560, 200, 12)) c.lines.push_back(l);
    for (const auto& l : ProseColumn("B", 620, 1080, 200, 12)) c.lines.push_back(l);
    for (const auto& l : ProseColumn("C", 1140, 1600, 200, 12)) c.lines.push_back(l);
    cases.push_back(c);
  }
  {
    Case c{"amounts at the right edge", {}};
    const char* labels[] = {"Subtotal", "Tax", "Tip", "Total due"};
    for (int i = 0; i < 4; ++i) {
      std::vector<core::Word> w = WordsAt(labels[i], 100, 300 + 30.0 * i);
      w.push_back(MakeWord("12.00", 1000, 300 + 30.0 * i));
      c.lines.push_back(testing::LineOf(w));
    }
    cases.push_back(c);
  }
  cases.push_back({"single column prose", ProsePage()});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    PageLayout page = Assemble(c.lines, {}, kPageW, kPageH);
    EXPECT_TRUE(page.tables.empty());
    for (const core::Block& b : page.blocks) EXPECT_EQ(b.type, core::BlockType::kText);
  }
}

TEST(LayoutAssembleTables, RuledGridTakesItsWords) {
  RuledTable grid;
  grid.column_edges = {100, 400, 700, 1000};
  grid.row_edges = {500, 550, 600};
  grid.box = {100, 500, 1000, 600};
  Regions regions;
  regions.tables.push_back(grid);
  std::vector<core::Line> lines = ProsePage();
  // One recognizer line runs across the whole first row and beyond the table.
  std::vector<core::Word> row = WordsAt("Name", 120, 515);
  for (auto& w : WordsAt("Size", 420, 515)) row.push_back(w);
  for (auto& w : WordsAt("Colour red", 720, 515)) row.push_back(w);
  for (auto& w : WordsAt("outside", 1100, 515)) row.push_back(w);
  lines.push_back(testing::LineOf(row, 0.8));
  lines.push_back(LineAt("Bolt", 120, 565, 20, 0.6));
  lines.push_back(LineAt("M4", 420, 565, 20, 0.6));
  PageLayout page = Assemble(lines, regions, kPageW, kPageH);
  ASSERT_EQ(page.tables.size(), 1u);
  const core::Table& t = page.tables[0];
  ASSERT_EQ(t.rows.size(), 2u);
  ASSERT_EQ(t.rows[0].size(), 3u);
  EXPECT_EQ(t.rows[0][0].text, "Name");
  EXPECT_EQ(t.rows[0][2].text, "Colour red");
  EXPECT_EQ(t.rows[1][1].text, "M4");
  EXPECT_EQ(t.rows[1][2].text, "");
  EXPECT_EQ(t.rows[1][1].box, (core::BBox{400, 550, 700, 600}));
  const core::Block* table_block = nullptr;
  bool outside_kept = false;
  for (const core::Block& b : page.blocks) {
    if (b.type == core::BlockType::kTable) table_block = &b;
    if (b.type == core::BlockType::kText && b.Text().find("outside") != std::string::npos) {
      outside_kept = true;
    }
  }
  ASSERT_NE(table_block, nullptr);
  EXPECT_EQ(table_block->box, grid.box);
  EXPECT_NEAR(table_block->confidence, (0.8 + 0.6 + 0.6) / 3, 1e-9);
  EXPECT_TRUE(outside_kept);
}

TEST(LayoutAssembleTables, FigureKeepsItsTextAndPlace) {
  Regions regions;
  regions.figures.push_back({100, 450, 800, 900});
  std::vector<core::Line> lines = ProsePage();
  lines.push_back(LineAt("Axis label", 300, 600));
  lines.push_back(LineAt("After the figure comes more text here", 100, 950));
  PageLayout page = Assemble(lines, regions, kPageW, kPageH);
  std::vector<core::BlockType> types;
  for (const core::Block& b : page.blocks) types.push_back(b.type);
  ASSERT_EQ(types.size(), 4u);
  EXPECT_EQ(types[2], core::BlockType::kFigure);
  EXPECT_EQ(page.blocks[2].Text(), "Axis label");
  EXPECT_EQ(page.blocks[3].Text(), "After the figure comes more text here");
}

}  // namespace
}  // namespace smartocr::layout
