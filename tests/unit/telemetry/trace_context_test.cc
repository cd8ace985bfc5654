#include "telemetry/trace_context.h"

#include <gtest/gtest.h>

#include <set>

namespace smartocr::telemetry {
namespace {

constexpr char kExample[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(Traceparent, ParsesTheSpecExample) {
  auto c = ParseTraceparent(kExample);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(c->span_id, "00f067aa0ba902b7");
  EXPECT_TRUE(c->sampled);
  EXPECT_EQ(FormatTraceparent(*c), kExample);
  auto unsampled = ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  ASSERT_TRUE(unsampled.has_value());
  EXPECT_FALSE(unsampled->sampled);
}

TEST(Traceparent, RefusesMalformedHeaders) {
  for (const char* bad : {
           "",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",           // no flags
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",        // upper case
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",        // zero trace
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",        // zero span
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",        // version ff
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // v00 is exact
           "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",        // separator
           "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",        // not hex
       }) {
    EXPECT_FALSE(ParseTraceparent(bad).has_value()) << bad;
  }
  // A later version may append fields after a dash; its first four are read.
  EXPECT_TRUE(ParseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-later")
                  .has_value());
}

TEST(TraceIds, AreRandomHexOfTheRightLength) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string t = NewTraceId();
    const std::string s = NewSpanId();
    EXPECT_EQ(t.size(), 32u);
    EXPECT_EQ(s.size(), 16u);
    EXPECT_EQ(t.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(ScopedContext, SetsAndRestoresTheThreadsSpan) {
  EXPECT_FALSE(CurrentContext().valid());
  {
    ScopedContext outer({"4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true});
    EXPECT_EQ(CurrentContext().span_id, "00f067aa0ba902b7");
    {
      ScopedContext inner({"4bf92f3577b34da6a3ce929d0e0e4736", "1111111111111111", true});
      EXPECT_EQ(CurrentContext().span_id, "1111111111111111");
    }
    EXPECT_EQ(CurrentContext().span_id, "00f067aa0ba902b7");
  }
  EXPECT_FALSE(CurrentContext().valid());
}

}  // namespace
}  // namespace smartocr::telemetry
