// src/pipeline/thread_pool.h
//
// A fixed-size pool of worker threads running submitted tasks in FIFO order.
// Thread-safe. The destructor finishes the queued tasks, then joins.
#ifndef SMARTOCR_PIPELINE_THREAD_POOL_H_
#define SMARTOCR_PIPELINE_THREAD_POOL_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

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
  void Enqueue(std::function<void()> task);
  void WorkerLoop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> workers_;
};

}  // namespace smartocr::pipeline

#endif  // SMARTOCR_PIPELINE_THREAD_POOL_H_
