// src/core/mutex.h
//
// core::Mutex, core::MutexLock and core::CondVar: std::mutex, a scoped lock and
// std::condition_variable with clang's thread-safety annotations
// (core/thread_annotations.h).
//
// Why the wrappers exist: libstdc++ does not annotate std::mutex or std::lock_guard, so
// a member marked GUARDED_BY(mu_) over a std::mutex is never checked, or warns at every
// access because the analysis cannot see the lock_guard lock anything. These thin
// wrappers add the annotations and nothing else (no extra state, no extra locking).
//
// Condition variables: CondVar waits on a core::Mutex the caller holds (REQUIRES), by
// adopting its std::mutex into a std::unique_lock for the duration of the wait, so it is
// a plain std::condition_variable underneath (std::condition_variable_any would work
// with MutexLock too, but takes a second, internal mutex on every wait). There is no
// predicate form: a predicate lambda is analysed as a function of its own that holds no
// lock, so callers write the loop instead, where the analysis sees the lock held:
//
//   core::MutexLock lock(mu_);
//   while (queue_.empty()) cv_.Wait(mu_);
//
// Thread safety: Mutex and CondVar are thread-safe; a MutexLock belongs to the thread
// that made it.
#ifndef SMARTOCR_CORE_MUTEX_H_
#define SMARTOCR_CORE_MUTEX_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "core/thread_annotations.h"

namespace smartocr::core {

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds `mu` from construction to destruction.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~MutexLock() RELEASE() { mu_.Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
};

class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // Releases `mu`, blocks until notified (or woken spuriously), then takes `mu` again.
  void Wait(Mutex& mu) REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();  // `mu` stays held: the caller's MutexLock releases it
  }

  // Like Wait, but gives up at `deadline`: false when it returned because the deadline
  // passed, true when notified (or woken spuriously) before.
  bool WaitUntil(Mutex& mu, std::chrono::steady_clock::time_point deadline) REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    const bool woken = cv_.wait_until(lock, deadline) == std::cv_status::no_timeout;
    lock.release();
    return woken;
  }

  void NotifyOne() { cv_.notify_one(); }
  void NotifyAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace smartocr::core

#endif  // SMARTOCR_CORE_MUTEX_H_
