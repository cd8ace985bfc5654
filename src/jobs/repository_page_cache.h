// src/jobs/repository_page_cache.h
//
// The pipeline's page cache (pipeline/page_cache.h) kept in the repository's
// page_cache table, so every worker sharing a database shares the pages: a job that a
// killed worker left half done, or that failed on page 7 of 10, is re-run by any
// worker without redoing pages 1-6.
#ifndef SMARTOCR_JOBS_REPOSITORY_PAGE_CACHE_H_
#define SMARTOCR_JOBS_REPOSITORY_PAGE_CACHE_H_

#include <atomic>
#include <cstdint>

#include "jobs/clock.h"
#include "pipeline/page_cache.h"
#include "store/store.h"

namespace smartocr::jobs {

// Thread-safe as long as the repository is (both implementations are).
class RepositoryPageCache final : public pipeline::PageCache {
 public:
  // Both references must outlive this object.
  RepositoryPageCache(store::Repository& repo, Clock& clock) : repo_(repo), clock_(clock) {}

  std::optional<std::string> Get(const std::string& key) override;
  void Put(const std::string& key, const std::string& value) override;

  int64_t hits() const { return hits_.load(); }
  int64_t misses() const { return misses_.load(); }

 private:
  store::Repository& repo_;
  Clock& clock_;
  std::atomic<int64_t> hits_{0};
  std::atomic<int64_t> misses_{0};
};

}  // namespace smartocr::jobs

#endif  // SMARTOCR_JOBS_REPOSITORY_PAGE_CACHE_H_
