#include "jobs/webhooks.h"

#include <algorithm>
#include <utility>

#include "telemetry/metrics.h"

namespace smartocr::jobs {
namespace {

// How long Run sleeps when nothing is due; bounds how late a retry or Stop is seen.
constexpr int64_t kIdleSliceMs = 20;

}  // namespace

WebhookDispatcher::WebhookDispatcher(store::Repository& repo, WebhookTransport& transport,
                                     Clock& clock, WebhookOptions options)
    : repo_(repo),
      transport_(transport),
      clock_(clock),
      options_(std::move(options)),
      backoff_(options.retry) {}

void WebhookDispatcher::Enqueue(WebhookEvent event) {
  if (event.url.empty()) return;
  core::MutexLock lock(mu_);
  queue_.push_back(Pending{std::move(event), 0, clock_.NowMs()});
}

void WebhookDispatcher::Stop(int64_t deadline_ms) {
  core::MutexLock lock(mu_);
  stopping_ = true;
  stop_deadline_ms_ = deadline_ms;
}

size_t WebhookDispatcher::pending() const {
  core::MutexLock lock(mu_);
  return queue_.size() + in_attempt_;
}

int64_t WebhookDispatcher::given_up() const {
  core::MutexLock lock(mu_);
  return given_up_;
}

int64_t WebhookDispatcher::delivered() const {
  core::MutexLock lock(mu_);
  return delivered_;
}

void WebhookDispatcher::Run() {
  while (true) {
    Pending p;
    bool have = false;
    {
      core::MutexLock lock(mu_);
      const int64_t now = clock_.NowMs();
      if (stopping_ && (queue_.empty() || now >= stop_deadline_ms_)) {
        given_up_ += static_cast<int64_t>(queue_.size());
        queue_.clear();
        return;
      }
      auto due = std::find_if(queue_.begin(), queue_.end(),
                              [now](const Pending& q) { return q.next_at <= now; });
      if (due != queue_.end()) {
        p = std::move(*due);
        queue_.erase(due);
        ++in_attempt_;
        have = true;
      }
    }
    if (!have) {
      clock_.SleepMs(kIdleSliceMs);
      continue;
    }
    const bool finished = Attempt(p);
    core::MutexLock lock(mu_);
    --in_attempt_;
    if (!finished) queue_.push_back(std::move(p));
  }
}

bool WebhookDispatcher::Attempt(Pending& p) {
  ++p.attempt;
  if (p.attempt == 1) {
    core::Status allowed = transport_.CheckUrl(p.event.url);
    if (!allowed.ok()) {
      // A refused URL stays refused: record why and give up without retrying.
      Record(p, 0, "url_refused: " + allowed.ToString());
      core::MutexLock lock(mu_);
      ++given_up_;
      return true;
    }
  }
  core::Result<std::string> signature =
      transport_.Sign(p.event.secret, clock_.NowMs() / 1000, p.event.body);
  if (!signature.ok()) {
    // No key, no delivery: an unsigned (or empty-key) event could be anyone's.
    Record(p, 0, "no_webhook_secret: " + signature.status().ToString());
    telemetry::CountWebhookDelivery("failed");
    core::MutexLock lock(mu_);
    ++given_up_;
    return true;
  }
  const HttpHeaders headers = {
      {"SmartOCR-Signature", *signature},
      {"SmartOCR-Event-Id", p.event.id},
      {"SmartOCR-Event-Type", p.event.type},
  };
  core::Result<int> http = transport_.Post(p.event.url, p.event.body, headers, options_.timeout_ms);
  const int status = http.ok() ? *http : 0;
  const bool ok = status >= 200 && status < 300;
  std::string error;
  if (!http.ok()) {
    error = http.status().ToString();
  } else if (!ok) {
    error = "http_status " + std::to_string(status);
  }
  Record(p, status, error);
  if (ok || p.attempt >= options_.retry.max_attempts) {
    telemetry::CountWebhookDelivery(ok ? "delivered" : "failed");
    core::MutexLock lock(mu_);
    ++(ok ? delivered_ : given_up_);
    return true;
  }
  telemetry::CountWebhookDelivery("retried");
  p.next_at = clock_.NowMs() + backoff_.DelayMs(p.attempt);
  return false;
}

void WebhookDispatcher::Record(const Pending& p, int http_status, const std::string& error) {
  store::WebhookDelivery d;
  d.tenant_id = p.event.tenant_id;
  d.job_id = p.event.job_id;
  d.event = p.event.type;
  d.url = p.event.url;
  d.attempt = p.attempt;
  d.http_status = http_status;
  d.error = error;
  d.created_at = clock_.NowMs();
  // The delivery log is best effort: a store hiccup must not stop the delivery.
  (void)repo_.RecordWebhookDelivery(d);
}

}  // namespace smartocr::jobs
