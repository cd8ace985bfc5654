#include "jobs/retry.h"

#include <algorithm>

namespace smartocr::jobs {

Backoff::Backoff(const RetryPolicy& policy) : policy_(policy) {
  uint64_t seed = policy.seed;
  if (seed == 0) {
    std::random_device rd;
    seed = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }
  rng_.seed(seed);
}

int64_t Backoff::CeilingMs(int attempt) const {
  const int64_t base = std::max<int64_t>(policy_.base_ms, 0);
  const int64_t cap = std::max<int64_t>(policy_.cap_ms, 0);
  int64_t ceiling = base;
  // Doubling stops at the cap, so the shift never overflows.
  for (int i = 1; i < attempt && ceiling < cap; ++i) ceiling *= 2;
  return std::min(ceiling, cap);
}

int64_t Backoff::DelayMs(int attempt) {
  const int64_t ceiling = CeilingMs(std::max(attempt, 1));
  std::uniform_int_distribution<int64_t> dist(0, ceiling);
  core::MutexLock lock(mu_);
  return dist(rng_);
}

bool IsTransient(core::StatusCode code) {
  switch (code) {
    case core::StatusCode::kUnavailable:
    case core::StatusCode::kResourceExhausted:
    case core::StatusCode::kIoError:
    case core::StatusCode::kDeadlineExceeded:
    case core::StatusCode::kInternal:
      return true;
    default:
      return false;
  }
}

bool IsPermanent(core::StatusCode code) {
  return core::IsInputRejection(code) || code == core::StatusCode::kInvalidArgument;
}

FailureDecision DecideOnFailure(const core::Status& error, int attempts, int max_attempts,
                                int64_t now, Backoff& backoff) {
  FailureDecision d;
  if (!IsTransient(error.code())) {
    d.action = FailureDecision::Action::kFail;
    d.final_status = store::JobStatus::kFailed;
    return d;
  }
  if (attempts < max_attempts) {
    d.action = FailureDecision::Action::kRetry;
    // A retry_at of `now` would read as "final" to the store (retry_at > 0 means
    // retry), and `now` is never 0 in practice; still keep it strictly positive.
    d.retry_at = std::max<int64_t>(now + backoff.DelayMs(attempts), 1);
    return d;
  }
  d.action = FailureDecision::Action::kQuarantine;
  d.final_status = store::JobStatus::kQuarantined;
  return d;
}

bool IsPoison(const store::Job& claimed) {
  return claimed.spec.max_attempts > 0 && claimed.attempts > claimed.spec.max_attempts;
}

core::Status PoisonError(const store::Job& claimed) {
  return core::Internal("poison_job",
                        "claimed " + std::to_string(claimed.attempts) + " times (limit " +
                            std::to_string(claimed.spec.max_attempts) +
                            "); earlier attempts ended without a report (worker crash?)");
}

}  // namespace smartocr::jobs
