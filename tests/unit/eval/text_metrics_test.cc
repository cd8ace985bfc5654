// Expected figures come from ../shared/tools/score.py run on the same strings.
#include <gtest/gtest.h>

#include "eval/eval.h"

namespace smartocr::eval {
namespace {

TEST(EvalText, FoldAndTokens) {
  EXPECT_EQ(Fold("  a \t b\n\nc  "), "a b c");
  EXPECT_EQ(Fold(""), "");
  EXPECT_EQ(Tokens("x  y\fz"), (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(Upper("abc-Déf"), "ABC-DéF");
}

TEST(EvalText, CharErrorsMatchScorePy) {
  struct Case {
    const char* ref;
    const char* hyp;
    int64_t edits, length;
  };
  const Case cases[] = {
      {"kitten", "sitting", 3, 6},
      {"  a  b ", "a b", 0, 3},
      {"h\xc3\xa9llo", "hello", 1, 5},  // é is one code point
      {"", "abc", 3, 1},                // empty reference: length 1, as score.py
      {"same", "same", 0, 4},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.ref);
    EditCounts e = CharErrors(c.ref, c.hyp);
    EXPECT_EQ(e.edits, c.edits);
    EXPECT_EQ(e.length, c.length);
  }
}

TEST(EvalText, BagOfWordsIsCaseFoldedMultiset) {
  WordCounts w = BagOfWords("Hello world world", "WORLD hello foo");
  EXPECT_EQ(w.matched, 2);
  EXPECT_EQ(w.ref, 3);
  EXPECT_EQ(w.hyp, 3);
  EXPECT_NEAR(w.F1(), 2.0 / 3.0, 1e-12);
  WordCounts pooled = w;
  pooled += BagOfWords("a", "a");
  EXPECT_EQ(pooled.matched, 3);
  EXPECT_EQ(BagOfWords("", "").F1(), 0);
}

TEST(EvalText, SortedTokensIgnoreOrder) {
  EXPECT_EQ(SortedTokenCharErrors("TOTAL 9.00\nCASH", "cash total 9.00").edits, 0);
  EXPECT_GT(CharErrors("TOTAL 9.00 CASH", "CASH TOTAL 9.00").edits, 0);
}

TEST(EvalText, WordErrors) {
  EditCounts e = WordErrors("the quick brown fox", "the quick fox jumps");
  EXPECT_EQ(e.length, 4);
  EXPECT_EQ(e.edits, 2);
}

}  // namespace
}  // namespace smartocr::eval
