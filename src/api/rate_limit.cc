#include "api/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace smartocr::api {

int64_t LocalRateLimiter::Take(const std::string& key, const BucketSpec& spec, int64_t now_ms) {
  if (spec.rate_per_s <= 0) return 0;
  core::MutexLock lock(mu_);
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{spec.burst, now_ms});
  Bucket& b = it->second;
  if (!fresh) {
    const double elapsed_s = static_cast<double>(std::max<int64_t>(0, now_ms - b.updated_ms)) / 1e3;
    b.tokens = std::min(spec.burst, b.tokens + elapsed_s * spec.rate_per_s);
    b.updated_ms = now_ms;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return static_cast<int64_t>(std::ceil((1 - b.tokens) / spec.rate_per_s * 1e3));
}

}  // namespace smartocr::api
