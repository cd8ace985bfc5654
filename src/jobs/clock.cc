#include "jobs/clock.h"

#include <chrono>
#include <thread>

namespace smartocr::jobs {

int64_t SystemClock::NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SystemClock::SleepMs(int64_t ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

Clock& RealClock() {
  static SystemClock clock;  // stateless: safe to share
  return clock;
}

void FakeClock::SleepMs(int64_t ms) {
  if (ms > 0) now_ms_.fetch_add(ms);
  std::this_thread::sleep_for(std::chrono::microseconds(real_sleep_us_));
}

}  // namespace smartocr::jobs
