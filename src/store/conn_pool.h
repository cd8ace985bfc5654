// src/store/conn_pool.h
//
// A small blocking pool of database connections. Connections are opened lazily up to
// max_size; Acquire waits while all are leased. A lease that saw the connection break
// calls Discard() so the pool opens a fresh one next time.
//
// Thread-safe. The pool must outlive its leases.
#ifndef SMARTOCR_STORE_CONN_POOL_H_
#define SMARTOCR_STORE_CONN_POOL_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "core/mutex.h"
#include "core/status.h"

namespace smartocr::store::internal {

template <typename Conn>
class ConnPool {
 public:
  using Opener = std::function<core::Result<std::unique_ptr<Conn>>()>;

  // Requires: max_size >= 1.
  ConnPool(Opener open, size_t max_size) : open_(std::move(open)), max_size_(max_size) {}
  ConnPool(const ConnPool&) = delete;
  ConnPool& operator=(const ConnPool&) = delete;

  // Gives the connection back to the pool when destroyed.
  class Lease {
   public:
    Lease(ConnPool* pool, std::unique_ptr<Conn> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), conn_(std::move(other.conn_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_ != nullptr) pool_->Return(std::move(conn_));
    }
    Conn& operator*() const { return *conn_; }
    Conn* operator->() const { return conn_.get(); }
    // The connection is broken: close it instead of returning it.
    void Discard() { conn_.reset(); }

   private:
    ConnPool* pool_;
    std::unique_ptr<Conn> conn_;
  };

  // Fails only when a new connection cannot be opened.
  core::Result<Lease> Acquire() EXCLUDES(mu_) {
    {
      core::MutexLock lock(mu_);
      while (idle_.empty() && open_count_ >= max_size_) cv_.Wait(mu_);
      if (!idle_.empty()) {
        std::unique_ptr<Conn> conn = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(conn));
      }
      ++open_count_;  // reserve the slot, open without holding the lock
    }
    core::Result<std::unique_ptr<Conn>> conn = open_();
    if (!conn.ok()) {
      Return(nullptr);
      return conn.status();
    }
    return Lease(this, std::move(*conn));
  }

 private:
  void Return(std::unique_ptr<Conn> conn) EXCLUDES(mu_) {
    {
      core::MutexLock lock(mu_);
      if (conn) {
        idle_.push_back(std::move(conn));
      } else {
        --open_count_;
      }
    }
    cv_.NotifyOne();
  }

  const Opener open_;
  const size_t max_size_;
  core::Mutex mu_;
  core::CondVar cv_;
  std::vector<std::unique_ptr<Conn>> idle_ GUARDED_BY(mu_);
  size_t open_count_ GUARDED_BY(mu_) = 0;  // leased + idle
};

// Wakes threads blocked in WaitForJobs. Thread-safe.
class WakeSignal {
 public:
  void Notify() EXCLUDES(mu_) {
    {
      core::MutexLock lock(mu_);
      ++generation_;
    }
    cv_.NotifyAll();
  }
  uint64_t generation() EXCLUDES(mu_) {
    core::MutexLock lock(mu_);
    return generation_;
  }
  // True when Notify() ran after generation() returned `seen`, within timeout_ms.
  bool WaitFor(int64_t timeout_ms, uint64_t seen) EXCLUDES(mu_) {
    core::MutexLock lock(mu_);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (generation_ == seen) {
      if (!cv_.WaitUntil(mu_, deadline)) return generation_ != seen;
    }
    return true;
  }

 private:
  core::Mutex mu_;
  core::CondVar cv_;
  uint64_t generation_ GUARDED_BY(mu_) = 0;
};

}  // namespace smartocr::store::internal

#endif  // SMARTOCR_STORE_CONN_POOL_H_
