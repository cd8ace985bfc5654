// src/ingest/child_process.h
//
// Private to the ingest module. A child process whose stdout is a pipe to us, and
// the bookkeeping that makes sure it is always killed and reaped (no zombies, no
// leaked descriptors).
#ifndef SMARTOCR_INGEST_CHILD_PROCESS_H_
#define SMARTOCR_INGEST_CHILD_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/core.h"

namespace smartocr::ingest {

// One thread only. The destructor kills (SIGKILL) and reaps a child still running.
class ChildProcess {
 public:
  // Starts `exe` with `args` (after argv[0]) and our environment; stdin and stderr
  // are /dev/null and no other descriptor of ours leaks into it. Fails with
  // kUnavailable "decoder_spawn".
  static core::Result<std::unique_ptr<ChildProcess>> Spawn(const std::string& exe,
                                                           const std::vector<std::string>& args);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Read end of the child's stdout.
  int stdout_fd() const { return fd_; }
  pid_t pid() const { return pid_; }

  // Kills the child with SIGKILL (if still running) and reaps it.
  void Kill();
  // Waits up to `grace` for the child to exit, kills it after that, and returns its
  // wait status (as from waitpid). Closes the pipe first, so a child blocked writing
  // to it fails with EPIPE and ends.
  int Reap(std::chrono::milliseconds grace);

 private:
  ChildProcess(pid_t pid, int fd) : pid_(pid), fd_(fd) {}
  void ClosePipe();

  pid_t pid_;
  int fd_;
  bool reaped_ = false;
  int wait_status_ = 0;
};

// The Status for a decoder child that ended with `wait_status` before it finished
// its output: kResourceExhausted "decoder_memory" (SIGKILL we did not send: the
// OOM killer), "decoder_cpu" (SIGXCPU), kCorruptInput "decoder_crashed" (another
// signal: the input crashed a decoder), or kInternal "decoder_failed" (an exit).
core::Status DescribeChildDeath(int wait_status);

}  // namespace smartocr::ingest

#endif  // SMARTOCR_INGEST_CHILD_PROCESS_H_
