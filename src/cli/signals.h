// src/cli/signals.h
//
// Graceful shutdown for the service commands (serve, worker): SIGTERM and SIGINT go
// to one watcher thread, which runs the command's stop callback; a second signal
// exits the process at once (status 128 + signal). Optionally SIGHUP too, which runs
// a reload callback (serve: the TLS certificate) and never stops the process.
#ifndef SMARTOCR_CLI_SIGNALS_H_
#define SMARTOCR_CLI_SIGNALS_H_

#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace smartocr::cli {

// One per process, owned by the command's run function. Construct it before any
// thread starts, so that every thread inherits the blocked signals and only the
// watcher receives them. Start and Finish: the owning thread only.
class ShutdownSignals {
 public:
  // `watch_hangup`: SIGHUP goes to Start's `on_hangup` (else it keeps its default
  // action, which ends the process).
  explicit ShutdownSignals(bool watch_hangup = false);
  ~ShutdownSignals();
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

  // Starts watching; `on_first_signal(signal)` runs on the watcher thread at the first
  // signal (it should log, then ask what runs to stop); `on_hangup` at every SIGHUP
  // when the constructor was asked to watch it.
  void Start(std::function<void(int signal)> on_first_signal,
             std::function<void()> on_hangup = nullptr);
  // Ends the watcher; call before what the callback stops goes away. Idempotent.
  void Finish();

 private:
  sigset_t set_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_SIGNALS_H_
