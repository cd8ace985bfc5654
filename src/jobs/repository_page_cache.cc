#include "jobs/repository_page_cache.h"

namespace smartocr::jobs {

std::optional<std::string> RepositoryPageCache::Get(const std::string& key) {
  auto value = repo_.GetCachedPage(scope_, key);
  if (!value.ok() || !value->has_value()) {  // an unreadable cache is a miss
    misses_.fetch_add(1);
    return std::nullopt;
  }
  hits_.fetch_add(1);
  return std::move(**value);
}

void RepositoryPageCache::Put(const std::string& key, const std::string& value) {
  (void)repo_.PutCachedPage(scope_, key, value, clock_.NowMs());  // best effort, see PageCache
}

}  // namespace smartocr::jobs
