// GroupWordsIntoLines on synthetic words.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "layout/layout.h"
#include "layout_test_util.h"

namespace smartocr::layout {
namespace {

using testing::MakeWord;
using testing::WordsAt;

std::vector<std::string> Texts(const std::vector<core::Line>& lines) {
  std::vector<std::string> out;
  for (const core::Line& l : lines) out.push_back(l.Text());
  return out;
}

struct GroupCase {
  const char* name;
  std::vector<core::Word> words;
  std::vector<std::string> lines;  // expected, top to bottom then left to right
};

std::vector<GroupCase> GroupCases() {
  std::vector<GroupCase> cases;
  auto concat = [](std::vector<std::vector<core::Word>> parts) {
    std::vector<core::Word> all;
    for (auto& p : parts) all.insert(all.end(), p.begin(), p.end());
    return all;
  };
  cases.push_back({"one line", WordsAt("the quick brown fox", 100, 100), {"the quick brown fox"}});
  cases.push_back({"three lines",
                   concat({WordsAt("first line here", 100, 100), WordsAt("second one", 100, 130),
                           WordsAt("and the third", 100, 160)}),
                   {"first line here", "second one", "and the third"}});
  cases.push_back(
      {"two columns at the same height stay apart",
       concat({WordsAt("left column text", 100, 100), WordsAt("right column text", 500, 100)}),
       {"left column text", "right column text"}});
  {
    // Baseline jitter and a superscript still make one line.
    std::vector<core::Word> words = WordsAt("E equals mc", 100, 100);
    words[1].box.y0 += 3, words[1].box.y1 += 3;
    words.push_back({"2", {218, 97, 226, 110}, 0.9});
    cases.push_back({"jitter and superscript", words, {"E equals mc 2"}});
  }
  cases.push_back({"tight lines do not merge",
                   concat({WordsAt("upper line", 100, 100), WordsAt("lower line", 100, 119)}),
                   {"upper line", "lower line"}});
  cases.push_back({"single word", {MakeWord("alone", 10, 10)}, {"alone"}});
  cases.push_back({"empty", {}, {}});
  return cases;
}

TEST(LayoutGroupWordsIntoLines, GroupsByRowAndGap) {
  for (const GroupCase& c : GroupCases()) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Texts(GroupWordsIntoLines(c.words)), c.lines);
    // Any input order gives the same lines.
    std::vector<core::Word> shuffled = c.words;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(42));
    EXPECT_EQ(Texts(GroupWordsIntoLines(shuffled)), c.lines);
  }
}

TEST(LayoutGroupWordsIntoLines, ShuffledPageComesBackInLines) {
  std::vector<core::Word> words;
  std::vector<std::string> expected;
  for (int l = 0; l < 40; ++l) {
    std::string text;
    for (int k = 0; k < 8; ++k)
      text += (k ? " w" : "w") + std::to_string(l) + "_" + std::to_string(k);
    expected.push_back(text);
    for (core::Word& w : WordsAt(text, 100, 100 + 28.0 * l)) words.push_back(w);
  }
  std::shuffle(words.begin(), words.end(), std::mt19937(1));
  std::vector<core::Line> lines = GroupWordsIntoLines(words);
  EXPECT_EQ(Texts(lines), expected);
}

TEST(LayoutGroupWordsIntoLines, BoxAndConfidence) {
  std::vector<core::Word> words{{"a", {100, 100, 120, 120}, 0.5}, {"b", {125, 98, 150, 121}, 1.0}};
  std::vector<core::Line> lines = GroupWordsIntoLines(words);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].box, (core::BBox{100, 98, 150, 121}));
  EXPECT_DOUBLE_EQ(lines[0].confidence, 0.75);
}

TEST(LayoutGroupWordsIntoLines, SurvivesDegenerateBoxes) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<core::Word> words{{"zero", {10, 10, 10, 10}, 0.5},
                                {"inverted", {200, 130, 100, 100}, 0.5},
                                {"nan", {nan, 0, 1, 1}, 0.5},
                                {"flat", {300, 50, 400, 50}, 0.5}};
  std::vector<core::Line> lines = GroupWordsIntoLines(words);
  std::size_t count = 0;
  for (const core::Line& l : lines) count += l.words.size();
  EXPECT_EQ(count, 3u);  // the NaN word is dropped
}

}  // namespace
}  // namespace smartocr::layout
