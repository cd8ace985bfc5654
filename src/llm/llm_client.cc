// The chat-completions client: memo lookup, circuit breaker, request with retries.
// The memo holds the raw response body, which is parsed again on a hit, so a cached
// answer goes through the same strict checks as a fresh one.
#include <sodium.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "blobs/http_client.h"
#include "llm/llm.h"
#include "telemetry/metrics.h"

namespace smartocr::llm {
namespace {

std::string Hex(const unsigned char* data, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 15];
  }
  return out;
}

// BLAKE2b-256 of the request body: it holds the model, the schema and the page text
// with coordinates, so equal keys mean equal questions.
std::string KeyOf(const std::string& body) {
  unsigned char hash[32];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(body.data()),
                     body.size(), nullptr, 0);
  return Hex(hash, sizeof hash);
}

bool Retryable(long status) { return status == 408 || status == 429 || status >= 500; }

}  // namespace

core::Result<std::optional<LlmConfig>> ConfigFromEnv(
    const std::function<const char*(const char*)>& getenv) {
  auto get = [&](const char* name) {
    const char* v = getenv(name);
    return std::string(v == nullptr ? "" : v);
  };
  LlmConfig config;
  config.base_url = get("SMARTOCR_LLM_BASE_URL");
  if (config.base_url.empty()) return std::optional<LlmConfig>();
  if (config.base_url.rfind("http://", 0) != 0 && config.base_url.rfind("https://", 0) != 0) {
    return core::InvalidArgument("llm_config", "SMARTOCR_LLM_BASE_URL must be an http(s) URL");
  }
  while (!config.base_url.empty() && config.base_url.back() == '/') config.base_url.pop_back();
  config.model = get("SMARTOCR_LLM_MODEL");
  if (config.model.empty()) {
    return core::InvalidArgument("llm_config", "SMARTOCR_LLM_MODEL is not set");
  }
  config.api_key = get("SMARTOCR_LLM_API_KEY");
  config.cache_dir = get("SMARTOCR_LLM_CACHE_DIR");
  std::string timeout = get("SMARTOCR_LLM_TIMEOUT_S");
  if (!timeout.empty()) {
    char* end = nullptr;
    double s = std::strtod(timeout.c_str(), &end);
    if (end != timeout.c_str() + timeout.size() || !(s > 0) || s > 3600) {
      return core::InvalidArgument("llm_config", "SMARTOCR_LLM_TIMEOUT_S must be 1..3600 seconds");
    }
    config.timeout = std::chrono::milliseconds(static_cast<long long>(s * 1000));
  }
  return std::optional<LlmConfig>(std::move(config));
}

LlmClient::LlmClient(LlmConfig config) : config_(std::move(config)) {
  if (sodium_init() < 0) std::abort();  // only fails when the OS has no entropy source
}

int LlmClient::requests_sent() const {
  core::MutexLock lock(mu_);
  return requests_;
}

bool LlmClient::breaker_open() const {
  core::MutexLock lock(mu_);
  return std::chrono::steady_clock::now() < open_until_;
}

std::optional<std::string> LlmClient::CacheGet(const std::string& key) {
  {
    core::MutexLock lock(mu_);
    auto it = memo_.find(key);
    if (it != memo_.end()) return it->second;
  }
  if (config_.cache_dir.empty()) return std::nullopt;
  std::ifstream in(config_.cache_dir + "/" + key + ".json", std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buf;
  buf << in.rdbuf();
  core::MutexLock lock(mu_);
  memo_[key] = buf.str();
  return buf.str();
}

void LlmClient::CachePut(const std::string& key, const std::string& body) {
  {
    core::MutexLock lock(mu_);
    memo_[key] = body;
  }
  if (config_.cache_dir.empty()) return;
  // Written aside and renamed, so a reader never sees half an answer. A cache that
  // cannot be written only costs a request next time.
  std::error_code ec;
  std::filesystem::create_directories(config_.cache_dir, ec);
  std::string path = config_.cache_dir + "/" + key + ".json";
  std::string tmp =
      path + ".tmp" + std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << body;
    if (!out) {
      std::filesystem::remove(tmp, ec);
      return;
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) std::filesystem::remove(tmp, ec);
}

core::Result<std::string> LlmClient::Call(const std::string& body) {
  blobs::internal::HttpRequest request;
  request.method = "POST";
  request.url = config_.base_url + "/chat/completions";
  request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  if (!config_.api_key.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + config_.api_key);
  }
  request.body = body;
  request.connect_timeout = std::min(config_.timeout, std::chrono::milliseconds(10000));
  request.total_timeout = config_.timeout;
  request.max_body_bytes = 16 << 20;
  core::Status last;
  std::chrono::milliseconds asked_wait{0};  // the server's Retry-After, if any
  for (int attempt = 1; attempt <= std::max(1, config_.max_attempts); ++attempt) {
    if (attempt > 1) {
      auto wait = config_.backoff * (1 << std::min(attempt - 2, 4));
      wait = std::max<std::chrono::milliseconds>(wait, asked_wait);
      std::this_thread::sleep_for(
          std::min<std::chrono::milliseconds>(wait, std::chrono::seconds(8)));
    }
    {
      core::MutexLock lock(mu_);
      ++requests_;
    }
    core::Result<blobs::internal::HttpResponse> response = blobs::internal::Perform(request);
    if (!response.ok()) {
      last = response.status().WithContext("LLM request");
      continue;  // transport errors and timeouts are transient
    }
    if (response->status >= 200 && response->status < 300) return std::move(response->body);
    last = core::Unavailable("llm_http", "LLM request failed: HTTP " +
                                             std::to_string(response->status) + ": " +
                                             response->body.substr(0, 200));
    if (!Retryable(response->status)) break;  // bad key, bad model: retrying cannot help
    // Rate limits say when to come back (seconds; the HTTP-date form is ignored).
    std::string retry_after = response->Header("retry-after");
    char* end = nullptr;
    long seconds = std::strtol(retry_after.c_str(), &end, 10);
    asked_wait = !retry_after.empty() && *end == '\0' && seconds > 0
                     ? std::chrono::milliseconds(seconds * 1000)
                     : std::chrono::milliseconds(0);
  }
  return last;
}

core::Result<LlmAnswer> LlmClient::Extract(const core::DocumentResult& doc,
                                           const extract::Schema& schema) {
  const std::string body = BuildRequest(doc, schema, config_.model).dump();
  const std::string key = KeyOf(body);
  if (std::optional<std::string> cached = CacheGet(key)) {
    core::Result<LlmAnswer> answer = ParseResponse(*cached, schema);
    if (answer.ok()) {
      answer->model = config_.model;
      answer->from_cache = true;
      return answer;
    }
  }
  {
    core::MutexLock lock(mu_);
    if (std::chrono::steady_clock::now() < open_until_) {
      telemetry::CountLlmRequest("circuit_open");
      return core::Unavailable(
          "llm_circuit_open",
          "LLM calls suspended after " + std::to_string(failures_in_a_row_) + " failures in a row");
    }
  }
  core::Result<LlmAnswer> answer = core::Unavailable("llm_answer", "no attempt made");
  core::Result<std::string> response = Call(body);
  if (response.ok()) {
    answer = ParseResponse(*response, schema);
    // A malformed answer is worth one more try: models are not deterministic.
    if (!answer.ok() && config_.max_attempts > 1) {
      response = Call(body);
      if (response.ok()) answer = ParseResponse(*response, schema);
    }
  }
  const bool ok = response.ok() && answer.ok();
  {
    core::MutexLock lock(mu_);
    if (ok) {
      failures_in_a_row_ = 0;
      open_until_ = {};
    } else if (++failures_in_a_row_ >= config_.breaker_failures) {
      open_until_ = std::chrono::steady_clock::now() + config_.breaker_cooldown;
    }
    // After the cooldown the next call is the probe; the gauge shows the state after it.
    telemetry::SetCircuitState("llm", failures_in_a_row_ >= config_.breaker_failures
                                          ? telemetry::CircuitState::kOpen
                                          : telemetry::CircuitState::kClosed);
  }
  telemetry::CountLlmRequest(ok ? "ok" : "error");
  if (!ok) return response.ok() ? answer.status() : response.status();
  CachePut(key, *response);
  answer->model = config_.model;
  return answer;
}

}  // namespace smartocr::llm
