// The Redis-backed limiter: one hash per bucket {tokens, ts}, refilled and taken in a
// Lua script so concurrent instances never double-spend a token.
#include <hiredis/hiredis.h>

#include <cstdio>

#include "api/rate_limit.h"
#include "core/mutex.h"

namespace smartocr::api {
namespace {

constexpr char kScript[] = R"lua(
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local v = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(v[1])
local ts = tonumber(v[2])
if tokens == nil then tokens = burst; ts = now end
local elapsed = math.max(0, now - ts) / 1000.0
tokens = math.min(burst, tokens + elapsed * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / rate * 1000)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return wait
)lua";

class RedisRateLimiter final : public RateLimiter {
 public:
  RedisRateLimiter(std::string host, int port) : host_(std::move(host)), port_(port) {}
  ~RedisRateLimiter() override {
    if (ctx_ != nullptr) redisFree(ctx_);
  }
  RedisRateLimiter(const RedisRateLimiter&) = delete;
  RedisRateLimiter& operator=(const RedisRateLimiter&) = delete;

  core::Status Connect() EXCLUDES(mu_) {
    core::MutexLock lock(mu_);
    return ConnectLocked();
  }

  int64_t Take(const std::string& key, const BucketSpec& spec, int64_t now_ms) override
      EXCLUDES(mu_) {
    if (spec.rate_per_s <= 0) return 0;
    core::MutexLock lock(mu_);
    if (!ConnectLocked().ok()) return 0;  // fail open: a rate limiter must not take the API down
    const std::string rkey = "smartocr:rl:" + key;
    const std::string rate = std::to_string(spec.rate_per_s);
    const std::string burst = std::to_string(spec.burst);
    const std::string now = std::to_string(now_ms);
    const char* argv[] = {"EVAL",       kScript,       "1",        rkey.c_str(),
                          rate.c_str(), burst.c_str(), now.c_str()};
    auto* reply = static_cast<redisReply*>(
        redisCommandArgv(ctx_, 7, const_cast<const char**>(argv), nullptr));
    if (reply == nullptr) {
      std::fprintf(stderr, "{\"level\":\"warn\",\"msg\":\"redis rate limiter unreachable\"}\n");
      redisFree(ctx_);
      ctx_ = nullptr;
      return 0;
    }
    int64_t wait = reply->type == REDIS_REPLY_INTEGER ? reply->integer : 0;
    freeReplyObject(reply);
    return wait;
  }

 private:
  core::Status ConnectLocked() REQUIRES(mu_) {
    if (ctx_ != nullptr) return core::Status::Ok();
    timeval tv{1, 0};
    ctx_ = redisConnectWithTimeout(host_.c_str(), port_, tv);
    if (ctx_ == nullptr || ctx_->err != 0) {
      std::string why = ctx_ != nullptr ? ctx_->errstr : "out of memory";
      if (ctx_ != nullptr) redisFree(ctx_);
      ctx_ = nullptr;
      return core::Unavailable("redis", "cannot connect to redis: " + why);
    }
    redisSetTimeout(ctx_, tv);
    return core::Status::Ok();
  }

  std::string host_;
  int port_;
  core::Mutex mu_;
  redisContext* ctx_ GUARDED_BY(mu_) = nullptr;
};

}  // namespace

core::Result<std::unique_ptr<RateLimiter>> OpenRedisRateLimiter(const std::string& url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.rfind(kScheme, 0) != 0) {
    return core::InvalidArgument("redis_url", "expected redis://host:port, got '" + url + "'");
  }
  std::string rest = url.substr(kScheme.size());
  if (size_t slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
  std::string host = rest;
  int port = 6379;
  if (size_t colon = rest.rfind(':'); colon != std::string::npos) {
    host = rest.substr(0, colon);
    port = std::atoi(rest.c_str() + colon + 1);
  }
  if (host.empty() || port <= 0 || port > 65535) {
    return core::InvalidArgument("redis_url", "expected redis://host:port, got '" + url + "'");
  }
  auto limiter = std::make_unique<RedisRateLimiter>(host, port);
  SMARTOCR_RETURN_IF_ERROR(limiter->Connect());
  return std::unique_ptr<RateLimiter>(std::move(limiter));
}

}  // namespace smartocr::api
