#include "jobs/retry.h"

#include <gtest/gtest.h>

#include <set>

namespace smartocr::jobs {
namespace {

using Action = FailureDecision::Action;
using core::StatusCode;

TEST(BackoffTest, CeilingDoublesUpToTheCap) {
  Backoff b({.base_ms = 100, .cap_ms = 1000, .seed = 1});
  const std::vector<std::pair<int, int64_t>> cases = {{0, 100}, {1, 100},  {2, 200},  {3, 400},
                                                      {4, 800}, {5, 1000}, {6, 1000}, {1000, 1000}};
  for (const auto& [attempt, ceiling] : cases) {
    SCOPED_TRACE("attempt " + std::to_string(attempt));
    EXPECT_EQ(b.CeilingMs(attempt), ceiling);
  }
}

TEST(BackoffTest, DelaysStayWithinFullJitterBounds) {
  Backoff b({.base_ms = 100, .cap_ms = 5000, .seed = 7});
  for (int attempt = 1; attempt <= 10; ++attempt) {
    int64_t lo = INT64_MAX, hi = 0;
    for (int i = 0; i < 500; ++i) {
      int64_t d = b.DelayMs(attempt);
      ASSERT_GE(d, 0);
      ASSERT_LE(d, b.CeilingMs(attempt)) << "attempt " << attempt;
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
    // Full jitter spreads over the whole range, not around the ceiling.
    EXPECT_LT(lo, b.CeilingMs(attempt) / 4) << "attempt " << attempt;
    EXPECT_GT(hi, b.CeilingMs(attempt) * 3 / 4) << "attempt " << attempt;
  }
}

TEST(BackoffTest, SameSeedSameDelays) {
  Backoff a({.base_ms = 1000, .cap_ms = 60000, .seed = 42});
  Backoff b({.base_ms = 1000, .cap_ms = 60000, .seed = 42});
  Backoff c({.base_ms = 1000, .cap_ms = 60000, .seed = 43});
  bool differs = false;
  for (int i = 1; i < 20; ++i) {
    int64_t da = a.DelayMs(i);
    EXPECT_EQ(da, b.DelayMs(i));
    differs |= da != c.DelayMs(i);
  }
  EXPECT_TRUE(differs);
}

TEST(BackoffTest, ZeroBaseMeansNoDelay) {
  Backoff b({.base_ms = 0, .cap_ms = 100, .seed = 3});
  EXPECT_EQ(b.DelayMs(5), 0);
}

TEST(RetryClassificationTest, TransientAndPermanentCodes) {
  struct Case {
    StatusCode code;
    bool transient;
    bool permanent;
  };
  const Case cases[] = {
      {StatusCode::kUnavailable, true, false},   {StatusCode::kResourceExhausted, true, false},
      {StatusCode::kIoError, true, false},       {StatusCode::kDeadlineExceeded, true, false},
      {StatusCode::kInternal, true, false},      {StatusCode::kInvalidArgument, false, true},
      {StatusCode::kNotFound, false, true},      {StatusCode::kUnsupportedFormat, false, true},
      {StatusCode::kCorruptInput, false, true},  {StatusCode::kEncrypted, false, true},
      {StatusCode::kLimitExceeded, false, true}, {StatusCode::kCancelled, false, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(core::StatusCodeName(c.code)));
    EXPECT_EQ(IsTransient(c.code), c.transient);
    EXPECT_EQ(IsPermanent(c.code), c.permanent);
  }
}

TEST(DecideOnFailureTest, Table) {
  struct Case {
    core::Status error;
    int attempts;
    int max_attempts;
    Action action;
  };
  const Case cases[] = {
      {core::CorruptInput("x", "bad"), 1, 3, Action::kFail},
      {core::InvalidArgument("x", "bad"), 1, 3, Action::kFail},
      {core::UnsupportedFormat("x", "bad"), 1, 3, Action::kFail},
      {core::Unavailable("x", "down"), 1, 3, Action::kRetry},
      {core::IoError("x", "disk"), 2, 3, Action::kRetry},
      {core::Internal("x", "bug"), 3, 3, Action::kQuarantine},
      {core::DeadlineExceeded("x", "slow"), 5, 3, Action::kQuarantine},
      {core::ResourceExhausted("x", "oom"), 1, 1, Action::kQuarantine},
      {core::Cancelled("x", "stop"), 1, 3, Action::kFail},
  };
  Backoff backoff({.base_ms = 1000, .cap_ms = 10000, .seed = 1});
  const int64_t now = 1'000'000;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.error.ToString() + " attempt " + std::to_string(c.attempts));
    FailureDecision d = DecideOnFailure(c.error, c.attempts, c.max_attempts, now, backoff);
    EXPECT_EQ(d.action, c.action);
    switch (c.action) {
      case Action::kRetry:
        EXPECT_GE(d.retry_at, now);
        EXPECT_LE(d.retry_at, now + backoff.CeilingMs(c.attempts));
        break;
      case Action::kFail:
        EXPECT_EQ(d.retry_at, 0);
        EXPECT_EQ(d.final_status, store::JobStatus::kFailed);
        break;
      case Action::kQuarantine:
        EXPECT_EQ(d.retry_at, 0);
        EXPECT_EQ(d.final_status, store::JobStatus::kQuarantined);
        break;
    }
  }
}

TEST(PoisonTest, AttemptsPastTheLimitArePoison) {
  store::Job job;
  job.spec.max_attempts = 3;
  for (int attempts : {1, 2, 3}) {
    job.attempts = attempts;
    EXPECT_FALSE(IsPoison(job)) << attempts;
  }
  job.attempts = 4;
  EXPECT_TRUE(IsPoison(job));
  core::Status st = PoisonError(job);
  EXPECT_EQ(st.code(), StatusCode::kInternal);
  EXPECT_EQ(st.reason(), "poison_job");
}

}  // namespace
}  // namespace smartocr::jobs
