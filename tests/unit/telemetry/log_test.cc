#include "telemetry/log.h"

#include <gtest/gtest.h>

#include "telemetry/trace_context.h"

namespace smartocr::telemetry {
namespace {

TEST(LogJson, OneJsonLineWithTheCurrentTraceIds) {
  ::testing::internal::CaptureStderr();
  LogJson("info", "outside");
  {
    ScopedContext current({"4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true});
    LogJson("warn", "inside \"quoted\"\n", {{"job_id", "job_1"}});
  }
  const std::string out = ::testing::internal::GetCapturedStderr();
  const size_t newline = out.find('\n');
  ASSERT_NE(newline, std::string::npos);
  auto first = nlohmann::json::parse(out.substr(0, newline));
  auto second = nlohmann::json::parse(out.substr(newline + 1));
  EXPECT_EQ(first["msg"], "outside");
  EXPECT_FALSE(first.contains("trace_id"));
  EXPECT_EQ(second["level"], "warn");
  EXPECT_EQ(second["msg"], "inside \"quoted\"\n");  // escaped: still one line
  EXPECT_EQ(second["job_id"], "job_1");
  EXPECT_EQ(second["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(second["span_id"], "00f067aa0ba902b7");
  EXPECT_GT(second["ts_ms"].get<int64_t>(), 1'600'000'000'000);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2);
}

}  // namespace
}  // namespace smartocr::telemetry
