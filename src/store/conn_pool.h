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
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

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
  core::Result<Lease> Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !idle_.empty() || open_count_ < max_size_; });
    if (!idle_.empty()) {
      std::unique_ptr<Conn> conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
    ++open_count_;  // reserve the slot, open without holding the lock
    lock.unlock();
    core::Result<std::unique_ptr<Conn>> conn = open_();
    if (!conn.ok()) {
      Return(nullptr);
      return conn.status();
    }
    return Lease(this, std::move(*conn));
  }

 private:
  void Return(std::unique_ptr<Conn> conn) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (conn) {
        idle_.push_back(std::move(conn));
      } else {
        --open_count_;
      }
    }
    cv_.notify_one();
  }

  const Opener open_;
  const size_t max_size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;  // guarded by mu_
  size_t open_count_ = 0;                    // leased + idle; guarded by mu_
};

// Wakes threads blocked in WaitForJobs. Thread-safe.
class WakeSignal {
 public:
  void Notify() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++generation_;
    }
    cv_.notify_all();
  }
  uint64_t generation() {
    std::lock_guard<std::mutex> lock(mu_);
    return generation_;
  }
  // True when Notify() ran after generation() returned `seen`, within timeout_ms.
  bool WaitFor(int64_t timeout_ms, uint64_t seen) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                        [&] { return generation_ != seen; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t generation_ = 0;  // guarded by mu_
};

}  // namespace smartocr::store::internal

#endif  // SMARTOCR_STORE_CONN_POOL_H_
