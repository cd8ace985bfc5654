// src/llm/llm.h
//
// Optional LLM field extraction: an OpenAI-compatible chat-completions provider is
// sent the schema and the page text with coordinates, and must answer with JSON that
// fits a JSON schema (`response_format: json_schema`, strict). The answer is parsed
// strictly (every field present, string or null, nothing else). Calls time out, are
// retried with exponential backoff on transient failures (transport errors, 429, 5xx,
// malformed answers), go through a circuit breaker (after `breaker_failures` failed
// calls in a row, calls fail fast for `breaker_cooldown`), and are memoized by a hash
// of (model, schema, page text with coordinates) in memory and optionally on disk, so
// re-runs and retries of a job do not pay twice.
//
// Rules stay the default: MergeLlmFields only fills fields the rules did not find and
// replaces a rule value only when it fails its validator and the LLM's passes
// (docs/schemas.md, "LLM merge policy").
//
//   auto config = llm::ConfigFromEnv(std::getenv);   // SMARTOCR_LLM_*
//   llm::LlmClient client(**config);
//   auto answer = client.Extract(doc, schema);
//   if (answer.ok()) llm::MergeLlmFields(doc, *answer, schema, options);
//
// Thread safety: LlmClient is thread-safe (the cache and the breaker are locked).
#ifndef SMARTOCR_LLM_LLM_H_
#define SMARTOCR_LLM_LLM_H_

#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/core.h"
#include "core/mutex.h"
#include "extract/schema.h"

namespace smartocr::llm {

struct LlmConfig {
  std::string base_url;  // e.g. "https://api.openai.com/v1"; POSTs to <base>/chat/completions
  std::string model;
  std::string api_key;  // sent as "Authorization: Bearer"; may be empty (local servers)
  std::chrono::milliseconds timeout{60000};  // per request, connect to last byte
  int max_attempts = 3;                      // per call, the first try included
  // Before retry n: backoff * 2^(n-1), or the server's Retry-After when longer; max 8 s.
  std::chrono::milliseconds backoff{500};
  int breaker_failures = 3;  // failed calls in a row that open the breaker
  std::chrono::milliseconds breaker_cooldown{60000};
  std::string cache_dir;  // memoized answers on disk; "" keeps them in memory only
};

// SMARTOCR_LLM_BASE_URL, SMARTOCR_LLM_MODEL, SMARTOCR_LLM_API_KEY,
// SMARTOCR_LLM_TIMEOUT_S (default 60), SMARTOCR_LLM_CACHE_DIR. nullopt when
// SMARTOCR_LLM_BASE_URL is unset. Fails with kInvalidArgument "llm_config" when the
// URL is not http(s) or the model is missing.
core::Result<std::optional<LlmConfig>> ConfigFromEnv(
    const std::function<const char*(const char*)>& getenv);

// One line item as the LLM reported it.
struct LlmLineItem {
  std::string description, quantity, unit_price, amount;
};

struct LlmAnswer {
  std::map<std::string, std::optional<std::string>> fields;  // every schema field
  std::vector<LlmLineItem> line_items;
  std::string model;
  bool from_cache = false;
};

// The chat-completions request body for `doc` and `schema` (exposed for tests).
nlohmann::json BuildRequest(const core::DocumentResult& doc, const extract::Schema& schema,
                            const std::string& model);
// Strictly parses a chat-completions response body. Fails with kUnavailable
// "llm_answer" saying what is wrong (not JSON, no choices, refusal, truncated, content
// not the schema's shape).
core::Result<LlmAnswer> ParseResponse(const std::string& body, const extract::Schema& schema);

class LlmClient {
 public:
  explicit LlmClient(LlmConfig config);

  // Asks for `schema`'s fields of `doc`. Fails with kUnavailable: "llm_circuit_open"
  // (no request sent), "llm_http" (a status after the retries; 4xx other than 429 are
  // not retried), "http_timeout"/"http_connect"/"http_transfer", "llm_answer".
  core::Result<LlmAnswer> Extract(const core::DocumentResult& doc, const extract::Schema& schema)
      EXCLUDES(mu_);

  int requests_sent() const EXCLUDES(mu_);  // HTTP requests, retries included
  bool breaker_open() const EXCLUDES(mu_);
  const LlmConfig& config() const { return config_; }

 private:
  // One call, with retries.
  core::Result<std::string> Call(const std::string& body) EXCLUDES(mu_);
  std::optional<std::string> CacheGet(const std::string& key) EXCLUDES(mu_);
  void CachePut(const std::string& key, const std::string& content) EXCLUDES(mu_);

  const LlmConfig config_;
  mutable core::Mutex mu_;
  std::map<std::string, std::string> memo_ GUARDED_BY(mu_);  // key -> response body
  int requests_ GUARDED_BY(mu_) = 0;
  int failures_in_a_row_ GUARDED_BY(mu_) = 0;
  std::chrono::steady_clock::time_point open_until_ GUARDED_BY(mu_) = {};
};

// Merges an answer into doc.fields (see the header comment): each LLM value is
// located in the page text (page, box and recognition confidence of its words; a value
// not found there is capped at confidence 0.5), typed and validated per the schema
// field, and gets source "llm" and engine_version "llm <model>". Line items are taken
// from the LLM only when the rules found none.
void MergeLlmFields(core::DocumentResult& doc, const LlmAnswer& answer,
                    const extract::Schema& schema, const extract::ExtractOptions& options);

}  // namespace smartocr::llm

#endif  // SMARTOCR_LLM_LLM_H_
