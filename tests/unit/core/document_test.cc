#include "core/document.h"

#include <gtest/gtest.h>

namespace smartocr::core {
namespace {

TEST(BBox, UnionIntersectCover) {
  BBox a{0, 0, 10, 10};
  BBox b{5, 5, 20, 8};
  EXPECT_EQ(a.Union(b), (BBox{0, 0, 20, 10}));
  EXPECT_EQ(a.Intersect(b), (BBox{5, 5, 10, 8}));
  EXPECT_DOUBLE_EQ(b.CoveredBy(a), 15.0 / 45.0);
  EXPECT_EQ(BBox{}.Union(b), b);
  EXPECT_TRUE(a.Intersect(BBox{20, 20, 30, 30}).empty());
}

TEST(PageResult, TextFollowsReadingOrderAndConfidenceIsCharWeighted) {
  PageResult page;
  Block b1;
  b1.lines.push_back({{}, {{"Hello", {}, 1.0}, {"world", {}, 0.5}}, 0.75});
  Block b2;
  b2.lines.push_back({{}, {{"ab", {}, 0.0}}, 0});
  b2.lines.push_back({{}, {{"cd", {}, 1.0}}, 1});
  page.blocks = {b1, b2};
  page.FinalizeTextAndConfidence();
  EXPECT_EQ(page.text, "Hello world\n\nab\ncd");
  EXPECT_NEAR(page.confidence, (5 * 1.0 + 5 * 0.5 + 0 + 2) / 14.0, 1e-9);
}

}  // namespace
}  // namespace smartocr::core
