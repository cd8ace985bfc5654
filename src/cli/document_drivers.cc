#include "cli/document_drivers.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace smartocr::cli {

void ForEachDocument(size_t count, int threads, const std::function<void(size_t)>& fn) {
  std::atomic<size_t> next{0};
  size_t drivers = std::max<size_t>(std::min(count, static_cast<size_t>(std::max(threads, 1))), 1);
  std::vector<std::thread> pool;
  pool.reserve(drivers);
  for (size_t t = 0; t < drivers; ++t) {
    pool.emplace_back([&] {
      for (size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) fn(i);
    });
  }
  for (std::thread& t : pool) t.join();
}

}  // namespace smartocr::cli
