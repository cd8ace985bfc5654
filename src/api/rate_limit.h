// src/api/rate_limit.h
//
// Token-bucket rate limits, keyed by "key:<id>" and "tenant:<id>". In-process by
// default; RedisRateLimiter shares the buckets between API instances.
#ifndef SMARTOCR_API_RATE_LIMIT_H_
#define SMARTOCR_API_RATE_LIMIT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "core/core.h"
#include "core/mutex.h"

namespace smartocr::api {

struct BucketSpec {
  double rate_per_s = 0;  // refill; <= 0 = unlimited
  double burst = 1;       // capacity
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Takes one token from bucket `key`. Returns 0 when taken, else the milliseconds
  // until one will be available (the caller answers 429 with Retry-After). A limiter
  // that cannot reach its backend lets the request through (fail open) and logs.
  virtual int64_t Take(const std::string& key, const BucketSpec& spec, int64_t now_ms) = 0;
};

// Thread-safe, in memory.
class LocalRateLimiter final : public RateLimiter {
 public:
  int64_t Take(const std::string& key, const BucketSpec& spec, int64_t now_ms) override;

 private:
  struct Bucket {
    double tokens = 0;
    int64_t updated_ms = 0;
  };
  core::Mutex mu_;
  std::map<std::string, Bucket> buckets_ GUARDED_BY(mu_);
};

// Buckets in Redis ("redis://host:port"), updated atomically by one Lua script, so
// every API instance on the same Redis shares them. kInvalidArgument "redis_url" for a
// bad URL, kUnavailable "redis" when it cannot connect.
core::Result<std::unique_ptr<RateLimiter>> OpenRedisRateLimiter(const std::string& url);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_RATE_LIMIT_H_
