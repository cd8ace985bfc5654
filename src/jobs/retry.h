// src/jobs/retry.h
//
// Retry policy of the queue: which failures are worth another attempt, how long to
// wait before it (exponential backoff with full jitter), and when a job is given up
// on (failed for a bad input at once; quarantined after max_attempts transient
// failures, or when it keeps killing its worker).
//
//   jobs::Backoff backoff({.base_ms = 1000, .cap_ms = 60000, .seed = 42});
//   FailureDecision d = DecideOnFailure(error, job.attempts, job.spec.max_attempts,
//                                       now, backoff);
//   repo.FailJob(job.id, worker_id, error, d.retry_at, d.final_status, now);
#ifndef SMARTOCR_JOBS_RETRY_H_
#define SMARTOCR_JOBS_RETRY_H_

#include <cstdint>
#include <random>

#include "core/core.h"
#include "core/mutex.h"
#include "store/store.h"

namespace smartocr::jobs {

struct RetryPolicy {
  int64_t base_ms = 2000;    // ceiling of the first delay
  int64_t cap_ms = 300'000;  // no delay exceeds this
  // Used where the job row has no limit of its own (webhook deliveries).
  int max_attempts = 5;
  uint64_t seed = 0;  // 0: seeded from std::random_device
};

// Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff
// and Jitter"): the delay before retry n is uniform in [0, min(cap, base * 2^(n-1))].
// Jitter spreads the retries of jobs that failed together (a store outage) so they do
// not all come back at once. Thread-safe.
class Backoff {
 public:
  explicit Backoff(const RetryPolicy& policy);

  // Delay before the retry that follows failed attempt `attempt` (1-based; values
  // below 1 count as 1). Always within [0, CeilingMs(attempt)].
  int64_t DelayMs(int attempt) EXCLUDES(mu_);
  // min(cap, base * 2^(attempt-1)), without overflow for any attempt.
  int64_t CeilingMs(int attempt) const;

  const RetryPolicy& policy() const { return policy_; }

 private:
  const RetryPolicy policy_;
  core::Mutex mu_;
  std::mt19937_64 rng_ GUARDED_BY(mu_);
};

// True for codes that say "try again later": the environment failed, not the input
// (kUnavailable, kResourceExhausted, kIoError, kDeadlineExceeded, kInternal).
bool IsTransient(core::StatusCode code);
// True for codes that no retry can fix: the input was rejected (core::IsInputRejection)
// or the request was malformed (kInvalidArgument). Such a job fails at once.
bool IsPermanent(core::StatusCode code);

struct FailureDecision {
  enum class Action { kRetry, kFail, kQuarantine };
  Action action = Action::kFail;
  int64_t retry_at = 0;                                       // > 0 only for kRetry
  store::JobStatus final_status = store::JobStatus::kFailed;  // for kFail / kQuarantine
};

// What to do after attempt number `attempts` (as counted by the store's claims) of a
// job allowed `max_attempts` failed with `error`:
//   permanent code                       -> kFail (status failed, no retry)
//   transient, attempts < max_attempts   -> kRetry at now + backoff.DelayMs(attempts)
//   transient, attempts >= max_attempts  -> kQuarantine (an admin may requeue it)
// Codes neither transient nor permanent (kCancelled) -> kFail.
FailureDecision DecideOnFailure(const core::Status& error, int attempts, int max_attempts,
                                int64_t now, Backoff& backoff);

// True when a freshly claimed job is poison: its claims already exceed max_attempts
// although it is still running. Every reported failure either retries (attempts <
// max) or ends the job, so attempts can only pass the limit when earlier attempts
// ended without a report: the lease expired because the worker crashed or hung, most
// likely on this very input. Such a job is quarantined instead of run again.
bool IsPoison(const store::Job& claimed);

// The error recorded for a poison job (kInternal "poison_job").
core::Status PoisonError(const store::Job& claimed);

}  // namespace smartocr::jobs

#endif  // SMARTOCR_JOBS_RETRY_H_
