#include "core/page_range.h"

#include <gtest/gtest.h>

namespace smartocr::core {
namespace {

TEST(PageRange, DefaultSelectsAll) {
  PageRange r;
  EXPECT_TRUE(r.all());
  EXPECT_TRUE(r.Contains(1));
  EXPECT_TRUE(r.Contains(999));
  EXPECT_EQ(r.CountIn(5), 5);
}

TEST(PageRange, ParsesListsAndRanges) {
  struct Case {
    const char* spec;
    int page_count;
    std::vector<int> pages;
  };
  const Case cases[] = {
      {"1-3,7", 10, {1, 2, 3, 7}}, {"2", 3, {2}},      {"8-", 10, {8, 9, 10}},
      {"1,1,2", 3, {1, 2}},        {"5-7", 6, {5, 6}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.spec);
    Result<PageRange> r = PageRange::Parse(c.spec);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    std::vector<int> got;
    for (int p = 1; p <= c.page_count; ++p) {
      if (r->Contains(p)) got.push_back(p);
    }
    EXPECT_EQ(got, c.pages);
    EXPECT_EQ(r->CountIn(c.page_count), static_cast<int>(c.pages.size()));
  }
}

TEST(PageRange, RejectsMalformed) {
  for (const char* spec : {"", "0", "a", "3-1", "1,,2", "-2", "1-2-3", " 1", "1;2"}) {
    SCOPED_TRACE(spec);
    Result<PageRange> r = PageRange::Parse(spec);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().reason(), "page_range");
  }
}

}  // namespace
}  // namespace smartocr::core
