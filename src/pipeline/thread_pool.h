// src/pipeline/thread_pool.h
//
// A fixed-size pool of worker threads running submitted tasks in FIFO order.
// Thread-safe. The destructor finishes the queued tasks, then joins.
#ifndef SMARTOCR_PIPELINE_THREAD_POOL_H_
#define SMARTOCR_PIPELINE_THREAD_POOL_H_

#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "core/mutex.h"

namespace smartocr::pipeline {

class ThreadPool {
 public:
  // Requires: threads >= 1.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()); }

  // Runs fn() on a worker; the future yields its result.
  template <typename Fn>
  auto Submit(Fn fn) -> std::future<decltype(fn())> {
    using R = decltype(fn());
    auto task = std::make_shared<std::packaged_task<R()>>(std::move(fn));
    std::future<R> result = task->get_future();
    Enqueue([task] { (*task)(); });
    return result;
  }

 private:
  void Enqueue(std::function<void()> task) EXCLUDES(mu_);
  void WorkerLoop() EXCLUDES(mu_);

  core::Mutex mu_;
  core::CondVar cv_;
  std::deque<std::function<void()>> queue_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace smartocr::pipeline

#endif  // SMARTOCR_PIPELINE_THREAD_POOL_H_
