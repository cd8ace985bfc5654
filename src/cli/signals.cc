#include "cli/signals.h"

#include <pthread.h>

#include <cstdlib>
#include <utility>

namespace smartocr::cli {

ShutdownSignals::ShutdownSignals(bool watch_hangup) {
  sigemptyset(&set_);
  sigaddset(&set_, SIGTERM);
  sigaddset(&set_, SIGINT);
  if (watch_hangup) sigaddset(&set_, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
}

ShutdownSignals::~ShutdownSignals() { Finish(); }

void ShutdownSignals::Start(std::function<void(int signal)> on_first_signal,
                            std::function<void()> on_hangup) {
  thread_ = std::thread(
      [this, on_first_signal = std::move(on_first_signal), on_hangup = std::move(on_hangup)] {
        int received = 0;
        for (int n = 0;;) {
          if (sigwait(&set_, &received) != 0 || done_.load()) return;
          if (received == SIGHUP) {
            if (on_hangup) on_hangup();
            continue;
          }
          if (n++ > 0) std::_Exit(128 + received);
          on_first_signal(received);
        }
      });
}

void ShutdownSignals::Finish() {
  if (!thread_.joinable()) return;
  done_.store(true);
  // Wakes sigwait; the watcher returns because done_ is set, it is not killed.
  pthread_kill(thread_.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  thread_.join();
}

}  // namespace smartocr::cli
