// src/jobs/webhooks.h
//
// Webhook delivery: when a job ends (succeeded, failed, quarantined) the worker hands
// an event to a WebhookDispatcher, whose own thread POSTs it to the job's webhook_url,
// signed (SmartOCR-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>), and retries
// with backoff, so a slow or failing receiver never holds up OCR. Every attempt is
// recorded with Repository::RecordWebhookDelivery. A URL the UrlPolicy refuses
// (loopback, private ranges...) is recorded once as a failed delivery with the
// reason and not retried. docs/webhooks.md describes the format for receivers.
//
// Pending deliveries live in memory: a worker killed with -9 loses those not yet
// delivered (the delivery log shows what was attempted).
#ifndef SMARTOCR_JOBS_WEBHOOKS_H_
#define SMARTOCR_JOBS_WEBHOOKS_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/core.h"
#include "core/mutex.h"
#include "jobs/clock.h"
#include "jobs/retry.h"
#include "store/store.h"

namespace smartocr::jobs {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// How events leave the process; the default wraps blobs' PostJson, UrlPolicy and
// SignWebhook (MakeBlobsWebhookTransport), tests substitute a fake. Thread-safe.
class WebhookTransport {
 public:
  virtual ~WebhookTransport() = default;
  // OK when the policy allows POSTing to `url`; otherwise the refusal (its message is
  // recorded as the delivery error).
  virtual core::Status CheckUrl(const std::string& url) = 0;
  // The SmartOCR-Signature header value for `body` sent at `unix_seconds`, keyed by
  // `secret` (the tenant's); an error when it cannot sign (an empty secret).
  virtual core::Result<std::string> Sign(const std::string& secret, int64_t unix_seconds,
                                         const std::string& body) = 0;
  // POSTs `body` as application/json; returns the HTTP status, or an error when no
  // response came (connection refused, timeout).
  virtual core::Result<int> Post(const std::string& url, const std::string& body,
                                 const HttpHeaders& headers, int64_t timeout_ms) = 0;
};

struct WebhookEvent {
  std::string id;    // "evt_<32 hex>": receivers de-duplicate on it
  std::string type;  // "job.succeeded" | "job.failed" | "job.quarantined"
  std::string tenant_id;
  std::string job_id;
  std::string url;
  std::string body;    // the JSON sent, identical on every attempt
  std::string secret;  // the tenant's webhook secret (store::Tenant); never sent
};

// The event type for a job's final status ("" for statuses that send none).
std::string EventTypeFor(store::JobStatus status);

// Builds the event for a job that just ended (job.status final, fields as stored):
// {"id","type","created_at" (RFC 3339 UTC),"data":{"job_id","tenant_id","external_id",
// "status","page_count","error_code","error_reason","error_message","result_url"}}.
// result_url is the API's result route (`api_url` + "/ocr/jobs/<id>/result"; a path
// when `api_url` is empty), set for a succeeded job only: never a storage location.
// The event's secret is left empty for the caller to fill.
WebhookEvent MakeWebhookEvent(const store::Job& job, int64_t now_ms,
                              const std::string& api_url = "");

// The event for a review decision (docs/review.md): "job.review.approved" or
// "job.review.rejected", with the decision (status, reviewer key id, reason code).
WebhookEvent MakeReviewEvent(const store::Job& job, const store::ReviewRecord& review,
                             int64_t now_ms, const std::string& api_url = "");

struct WebhookOptions {
  RetryPolicy retry{.base_ms = 2000, .cap_ms = 60'000, .max_attempts = 5};
  int64_t timeout_ms = 10'000;  // per POST
  std::string api_url;          // how receivers reach the API (for result_url)
};

// Delivers events on one background thread (Run). Thread-safe: Enqueue and Stop may be
// called from any thread. `repo`, `transport` and `clock` must outlive the dispatcher.
class WebhookDispatcher {
 public:
  WebhookDispatcher(store::Repository& repo, WebhookTransport& transport, Clock& clock,
                    WebhookOptions options);

  // Queues the event for delivery now. Events with an empty url are dropped. An event
  // without a secret is recorded as a failed delivery ("no_webhook_secret"), never
  // sent unsigned.
  void Enqueue(WebhookEvent event) EXCLUDES(mu_);
  // Delivers until Stop: due attempts in order, sleeping in short slices otherwise.
  void Run() EXCLUDES(mu_);
  // Makes Run return once nothing is pending or `deadline_ms` (clock time) has passed,
  // whichever is first; pending deliveries left then are dropped (and counted).
  void Stop(int64_t deadline_ms) EXCLUDES(mu_);

  // Deliveries neither succeeded nor given up yet.
  size_t pending() const EXCLUDES(mu_);
  // Deliveries abandoned: refused URL, attempts exhausted, or dropped at Stop.
  int64_t given_up() const EXCLUDES(mu_);
  int64_t delivered() const EXCLUDES(mu_);

 private:
  struct Pending {
    WebhookEvent event;
    int attempt = 0;      // attempts made so far
    int64_t next_at = 0;  // clock ms of the next attempt
  };
  // Makes one attempt; returns true when the delivery is finished (either way).
  bool Attempt(Pending& p) EXCLUDES(mu_);
  void Record(const Pending& p, int http_status, const std::string& error);

  store::Repository& repo_;
  WebhookTransport& transport_;
  Clock& clock_;
  const WebhookOptions options_;
  Backoff backoff_;

  mutable core::Mutex mu_;
  std::deque<Pending> queue_ GUARDED_BY(mu_);
  int in_attempt_ GUARDED_BY(mu_) = 0;  // popped, attempt in progress
  bool stopping_ GUARDED_BY(mu_) = false;
  int64_t stop_deadline_ms_ GUARDED_BY(mu_) = 0;
  int64_t given_up_ GUARDED_BY(mu_) = 0;
  int64_t delivered_ GUARDED_BY(mu_) = 0;
};

}  // namespace smartocr::jobs

#endif  // SMARTOCR_JOBS_WEBHOOKS_H_
