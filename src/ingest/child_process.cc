#include "ingest/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace smartocr::ingest {

namespace {

// posix_spawn attributes: default dispositions and an empty mask for every signal,
// whatever the parent has set up (an ignored SIGPIPE or a blocked SIGTERM must not
// be inherited).
class SpawnAttr {
 public:
  SpawnAttr() {
    posix_spawnattr_init(&attr_);
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr_, &all);
    posix_spawnattr_setsigmask(&attr_, &none);
    posix_spawnattr_setflags(&attr_, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  }
  ~SpawnAttr() { posix_spawnattr_destroy(&attr_); }
  posix_spawnattr_t* get() { return &attr_; }

 private:
  posix_spawnattr_t attr_;
};

class SpawnActions {
 public:
  explicit SpawnActions(int stdout_fd) {
    posix_spawn_file_actions_init(&actions_);
    posix_spawn_file_actions_addopen(&actions_, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions_, stdout_fd, 1);
    posix_spawn_file_actions_addopen(&actions_, 2, "/dev/null", O_WRONLY, 0);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    // Descriptors the application opened without O_CLOEXEC stay out of the child.
    posix_spawn_file_actions_addclosefrom_np(&actions_, 3);
#endif
  }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

std::string SignalName(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  const char* desc = sigdescr_np(sig);
  return std::string("SIG") + (abbrev ? abbrev : std::to_string(sig)) + " (" +
         (desc ? desc : "unknown signal") + ")";
}

}  // namespace

core::Result<std::unique_ptr<ChildProcess>> ChildProcess::Spawn(
    const std::string& exe, const std::vector<std::string>& args) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return core::Unavailable("decoder_spawn", std::string("pipe: ") + std::strerror(errno));
  }
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(exe.c_str()));
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  SpawnAttr attr;
  SpawnActions actions(fds[1]);
  pid_t pid = 0;
  int err = posix_spawn(&pid, exe.c_str(), actions.get(), attr.get(), argv.data(), environ);
  close(fds[1]);
  if (err != 0) {
    close(fds[0]);
    return core::Unavailable("decoder_spawn", "cannot start " + exe + ": " + std::strerror(err));
  }
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, fds[0]));
}

ChildProcess::~ChildProcess() { Kill(); }

void ChildProcess::ClosePipe() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

void ChildProcess::Kill() {
  ClosePipe();
  if (reaped_) return;
  kill(pid_, SIGKILL);
  while (waitpid(pid_, &wait_status_, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
}

int ChildProcess::Reap(std::chrono::milliseconds grace) {
  ClosePipe();
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (!reaped_) {
    pid_t done = waitpid(pid_, &wait_status_, WNOHANG);
    if (done == pid_ || (done < 0 && errno == ECHILD)) {
      // ECHILD: someone else reaped it (SIGCHLD set to SIG_IGN); nothing to report.
      reaped_ = true;
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      Kill();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return wait_status_;
}

core::Status DescribeChildDeath(int wait_status) {
  if (WIFSIGNALED(wait_status)) {
    int sig = WTERMSIG(wait_status);
    std::string what = "the decoder was killed by " + SignalName(sig);
    if (sig == SIGKILL) {
      return core::ResourceExhausted("decoder_memory", what + ", most likely out of memory");
    }
    if (sig == SIGXCPU) return core::ResourceExhausted("decoder_cpu", what);
    return core::CorruptInput("decoder_crashed", what);
  }
  int code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
  return core::Internal("decoder_failed", "the decoder exited with status " + std::to_string(code) +
                                              " before finishing its output");
}

}  // namespace smartocr::ingest
