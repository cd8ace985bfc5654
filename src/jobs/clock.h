// src/jobs/clock.h
//
// Clock: where the jobs module reads time and sleeps, so tests can run hours of
// leases and backoff in milliseconds. Times are milliseconds since the Unix epoch, the
// unit the store takes.
//
//   jobs::FakeClock clock(/*start_ms=*/1'000'000);
//   clock.SleepMs(5000);  // returns at once; NowMs() moved 5 s
#ifndef SMARTOCR_JOBS_CLOCK_H_
#define SMARTOCR_JOBS_CLOCK_H_

#include <atomic>
#include <cstdint>

namespace smartocr::jobs {

// Thread-safe: implementations may be called from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual int64_t NowMs() = 0;
  // Blocks the calling thread for about `ms` milliseconds (no-op when ms <= 0).
  virtual void SleepMs(int64_t ms) = 0;
};

// The system clock and real sleeps. Thread-safe.
class SystemClock final : public Clock {
 public:
  int64_t NowMs() override;
  void SleepMs(int64_t ms) override;
};

// The process-wide SystemClock (never destroyed).
Clock& RealClock();

// Time that moves only when told: SleepMs(ms) advances it by `ms` and returns after a
// real pause of about `real_sleep_us` microseconds, so worker loops polling a fake
// clock hand the CPU to other threads instead of spinning. Thread-safe; concurrent
// sleepers each advance the time (time runs faster than real, never backwards).
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms = 1'700'000'000'000, int real_sleep_us = 200)
      : now_ms_(start_ms), real_sleep_us_(real_sleep_us) {}

  int64_t NowMs() override { return now_ms_.load(); }
  void SleepMs(int64_t ms) override;
  void AdvanceMs(int64_t ms) { now_ms_.fetch_add(ms); }

 private:
  std::atomic<int64_t> now_ms_;
  const int real_sleep_us_;
};

}  // namespace smartocr::jobs

#endif  // SMARTOCR_JOBS_CLOCK_H_
