// src/jobs/repository_page_cache.h
//
// The pipeline's page cache (pipeline/page_cache.h) kept in the repository's
// page_cache table, scoped to one job of one tenant: a job that a killed worker left
// half done, or that failed on page 7 of 10, is re-run by any worker sharing the
// database without redoing pages 1-6, but no other job, and no other tenant, ever
// reads these pages (docs/security/cachescope.md). The worker makes one per job run,
// and none for a job that asks for redaction (the pages hold the text as read).
#ifndef SMARTOCR_JOBS_REPOSITORY_PAGE_CACHE_H_
#define SMARTOCR_JOBS_REPOSITORY_PAGE_CACHE_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "jobs/clock.h"
#include "pipeline/page_cache.h"
#include "store/store.h"

namespace smartocr::jobs {

// Thread-safe as long as the repository is (both implementations are).
class RepositoryPageCache final : public pipeline::PageCache {
 public:
  // Both references must outlive this object.
  RepositoryPageCache(store::Repository& repo, Clock& clock, store::CacheScope scope)
      : repo_(repo), clock_(clock), scope_(std::move(scope)) {}

  std::optional<std::string> Get(const std::string& key) override;
  void Put(const std::string& key, const std::string& value) override;

  // Lookups so far (for the worker's stats and logs, never the result).
  int64_t hits() const { return hits_.load(); }
  int64_t misses() const { return misses_.load(); }

 private:
  store::Repository& repo_;
  Clock& clock_;
  const store::CacheScope scope_;
  std::atomic<int64_t> hits_{0};
  std::atomic<int64_t> misses_{0};
};

}  // namespace smartocr::jobs

#endif  // SMARTOCR_JOBS_REPOSITORY_PAGE_CACHE_H_
