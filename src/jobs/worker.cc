#include "jobs/worker.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "jobs/hashing.h"
#include "jobs/job_processor.h"
#include "telemetry/log.h"
#include "telemetry/metrics.h"
#include "telemetry/tracer.h"

namespace smartocr::jobs {
namespace {

// Loops sleep in slices this long so that Stop() is seen quickly.
constexpr int64_t kSliceMs = 50;
// Real milliseconds per Repository::WaitForJobs call (each may cost a round trip).
constexpr int64_t kWaitSliceMs = 250;

std::string DefaultWorkerId() {
  char host[256] = "host";
  gethostname(host, sizeof host - 1);
  return std::string(host) + "-" + std::to_string(getpid()) + "-" + internal::RandomHex(3);
}

bool IsLeaseLost(const core::Status& st) {
  return st.code() == core::StatusCode::kUnavailable && st.reason() == "lease_lost";
}

// A JSON log line (telemetry/log.h) naming the worker and, when given, the job; the
// trace ids come from the job's span when one is current.
void Log(const std::string& worker, const std::string& line, const std::string& job_id = "",
         const char* level = "warn") {
  nlohmann::ordered_json fields = {{"worker", worker}};
  if (!job_id.empty()) fields["job_id"] = job_id;
  telemetry::LogJson(level, line, fields);
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

struct Worker::InFlight {
  store::Job job;
  std::atomic<int> stop{static_cast<int>(internal::StopReason::kNone)};
  int64_t last_heartbeat_ok = 0;  // heartbeat loop only
  bool released = false;          // heartbeat loop only
};

namespace {

std::unique_ptr<pipeline::PipelineSet> OnePipeline(pipeline::Pipeline& pipeline,
                                                   const std::string& engine_version) {
  auto set = std::make_unique<pipeline::PipelineSet>();
  set->AddShared("default", pipeline, engine_version);
  return set;
}

}  // namespace

Worker::Worker(store::Repository& repo, blobs::BlobStore& blobs, pipeline::Pipeline& pipeline,
               WorkerOptions options, Clock& clock, WebhookTransport* webhook_transport)
    : Worker(repo, blobs, OnePipeline(pipeline, options.engine_version), nullptr,
             std::move(options), clock, webhook_transport) {}

Worker::Worker(store::Repository& repo, blobs::BlobStore& blobs,
               const document::DocumentService& service, WorkerOptions options, Clock& clock,
               WebhookTransport* webhook_transport)
    : Worker(repo, blobs, nullptr, &service, std::move(options), clock, webhook_transport) {}

Worker::Worker(store::Repository& repo, blobs::BlobStore& blobs,
               std::unique_ptr<pipeline::PipelineSet> own_pipelines,
               const document::DocumentService* service, WorkerOptions&& options, Clock& clock,
               WebhookTransport* webhook_transport)
    : repo_(repo),
      blobs_(blobs),
      own_pipelines_(std::move(own_pipelines)),
      own_service_(service != nullptr ? nullptr
                                      : std::make_unique<document::DocumentService>(
                                            *own_pipelines_, /*llm=*/nullptr)),
      service_(service != nullptr ? service : own_service_.get()),
      options_(std::move(options)),
      clock_(clock),
      backoff_(options_.retry) {
  if (options_.worker_id.empty()) options_.worker_id = DefaultWorkerId();
  if (options_.concurrency < 1) options_.concurrency = 1;
  if (options_.lease_ms < 1) options_.lease_ms = 1;
  if (options_.heartbeat_ms <= 0) {
    options_.heartbeat_ms = std::max<int64_t>(options_.lease_ms / 3, 1);
  }
  if (options_.poll_ms < 1) options_.poll_ms = 1;
  if (webhook_transport != nullptr) {
    webhooks_ =
        std::make_unique<WebhookDispatcher>(repo_, *webhook_transport, clock_, options_.webhooks);
  }
}

Worker::~Worker() { Stop(); }

void Worker::Stop() {
  int64_t expected = 0;
  stop_requested_at_.compare_exchange_strong(expected, clock_.NowMs());
  stopping_.store(true);
}

WorkerStats Worker::stats() const {
  core::MutexLock lock(mu_);
  return stats_;
}

void Worker::Count(int64_t WorkerStats::*field) {
  core::MutexLock lock(mu_);
  ++(stats_.*field);
}

void Worker::Run() {
  loops_running_.store(options_.concurrency);
  std::thread webhook_thread;
  if (webhooks_) webhook_thread = std::thread([this] { webhooks_->Run(); });
  std::thread heartbeat_thread([this] { HeartbeatLoop(); });
  std::vector<std::thread> loops;
  loops.reserve(static_cast<size_t>(std::max(options_.concurrency, 0)));
  for (int i = 0; i < options_.concurrency; ++i) loops.emplace_back([this] { ClaimLoop(); });
  for (std::thread& t : loops) t.join();
  heartbeat_thread.join();
  if (webhooks_) {
    // Idle exit (--once) waits for deliveries to finish; a stop gets the grace left.
    const int64_t deadline = stopping_.load() ? stop_requested_at_.load() + options_.grace_ms
                                              : std::numeric_limits<int64_t>::max();
    webhooks_->Stop(deadline);
    webhook_thread.join();
  }
}

bool Worker::QueueDrained() {
  auto counts = repo_.CountJobs("");
  if (!counts.ok()) return false;
  for (const auto& [status, n] : *counts) {
    if (n > 0 && (status == store::JobStatus::kQueued || status == store::JobStatus::kRunning)) {
      return false;
    }
  }
  return true;
}

void Worker::ClaimLoop() {
  while (!stopping_.load()) {
    auto claimed = repo_.ClaimJob(options_.worker_id, clock_.NowMs(), options_.lease_ms);
    if (claimed.ok() && claimed->has_value()) {
      Handle(**claimed);
      continue;
    }
    if (!claimed.ok()) Log(options_.worker_id, "claim failed: " + claimed.status().ToString());
    if (options_.exit_when_idle && claimed.ok() && QueueDrained()) break;
    // Nothing to claim: wait for the store's wake-up (PostgreSQL LISTEN/NOTIFY sees
    // other processes' submissions at once) or poll_ms, in slices so Stop() is seen.
    if (!claimed.ok()) {
      clock_.SleepMs(options_.poll_ms);  // the store is failing: back off, do not spin
      continue;
    }
    for (int64_t waited = 0; waited < options_.poll_ms && !stopping_.load();
         waited += kWaitSliceMs) {
      if (repo_.WaitForJobs(std::min(kWaitSliceMs, options_.poll_ms - waited))) break;
    }
  }
  loops_running_.fetch_sub(1);
}

void Worker::HeartbeatLoop() {
  int64_t next = clock_.NowMs() + options_.heartbeat_ms;
  while (loops_running_.load() > 0) {
    clock_.SleepMs(std::min(kSliceMs, std::max<int64_t>(next - clock_.NowMs(), 1)));
    const int64_t now = clock_.NowMs();
    const bool past_grace =
        stopping_.load() && now >= stop_requested_at_.load() + options_.grace_ms;
    if (now < next && !past_grace) continue;
    std::vector<std::shared_ptr<InFlight>> jobs;
    {
      core::MutexLock lock(mu_);
      for (const auto& [id, f] : in_flight_) jobs.push_back(f);
    }
    for (const auto& f : jobs) {
      if (f->released || f->stop.load() != 0) continue;
      if (past_grace) {
        // Hand the job back now (so another worker can take it at once) and stop the
        // run at its next page; its completion, if it still gets there, is refused.
        (void)repo_.ReleaseJob(f->job.id, options_.worker_id, now);
        f->released = true;
        f->stop.store(static_cast<int>(internal::StopReason::kShutdown));
        continue;
      }
      if (now < next) continue;
      core::Status st = repo_.Heartbeat(f->job.id, options_.worker_id, now, options_.lease_ms);
      if (st.ok()) {
        f->last_heartbeat_ok = now;
        Count(&WorkerStats::heartbeats);
      } else if (IsLeaseLost(st) || now >= f->last_heartbeat_ok + options_.lease_ms) {
        // Lost for sure, or unconfirmed for a whole lease: another worker may own it.
        Log(options_.worker_id, "job " + f->job.id + ": stopping: " + st.ToString(), f->job.id);
        f->stop.store(static_cast<int>(internal::StopReason::kLeaseLost));
      }
    }
    if (now >= next) next = now + options_.heartbeat_ms;
  }
}

void Worker::Handle(const store::Job& job) {
  Count(&WorkerStats::claimed);
  const auto started = std::chrono::steady_clock::now();
  telemetry::CountJobAttempt();
  telemetry::InFlightJob in_flight_metric;
  // The job span continues the trace of the request that enqueued the job (its stored
  // traceparent); the pipeline's page and stage spans nest under it.
  const std::optional<telemetry::SpanContext> enqueued =
      telemetry::ParseTraceparent(job.spec.trace_parent);
  telemetry::Span span = telemetry::Span::Start("job", enqueued.value_or(telemetry::SpanContext{}),
                                                telemetry::SpanKind::kConsumer);
  span.SetAttribute("smartocr.job.id", job.id);
  span.SetAttribute("smartocr.tenant", job.tenant_id);
  span.SetAttribute("smartocr.job.attempt", int64_t{job.attempts});
  span.SetAttribute("smartocr.doc_type", job.spec.doc_type);
  span.SetAttribute("smartocr.source_uri", job.spec.source_uri);
  const telemetry::ScopedContext current(span.context());
  auto finish = [&](const char* outcome, const core::Status& error = core::Status()) {
    span.SetAttribute("smartocr.job.outcome", std::string(outcome));
    span.SetError(error);
    telemetry::CountJobOutcome(outcome, SecondsSince(started));
  };
  if (IsPoison(job)) {
    const core::Status poison = PoisonError(job);
    finish(ReportFailure(job, poison), poison);
    return;
  }
  auto flight = std::make_shared<InFlight>();
  flight->job = job;
  flight->last_heartbeat_ok = clock_.NowMs();
  {
    core::MutexLock lock(mu_);
    in_flight_[job.id] = flight;
  }
  internal::JobProcessor processor(repo_, blobs_, *service_, options_, clock_);
  internal::ProcessOutcome outcome;
  core::Status st = processor.Process(job, flight->stop, &outcome);
  {
    core::MutexLock lock(mu_);
    in_flight_.erase(job.id);
  }
  if (outcome.cache_hit) Count(&WorkerStats::cache_hits);
  if (outcome.page_cache_hits > 0) {
    core::MutexLock lock(mu_);
    stats_.page_cache_hits += outcome.page_cache_hits;
  }
  const auto reason = static_cast<internal::StopReason>(flight->stop.load());
  if (reason == internal::StopReason::kShutdown) {
    Count(&WorkerStats::released);
    finish("released");
    return;
  }
  if (st.ok()) {
    Count(&WorkerStats::succeeded);
    finish("succeeded");
    SendWebhook(job);
    return;
  }
  if (reason == internal::StopReason::kLeaseLost || IsLeaseLost(st)) {
    // Another worker owns the job now, or it was cancelled: nothing to report.
    Count(&WorkerStats::lost);
    finish("lost");
    return;
  }
  finish(ReportFailure(job, st), st);
}

const char* Worker::ReportFailure(const store::Job& job, const core::Status& error) {
  const int64_t now = clock_.NowMs();
  FailureDecision d;
  if (IsPoison(job)) {
    d.action = FailureDecision::Action::kQuarantine;
    d.final_status = store::JobStatus::kQuarantined;
  } else {
    d = DecideOnFailure(error, job.attempts, job.spec.max_attempts, now, backoff_);
  }
  // The row (shown to the tenant, sent in webhooks) names no server file; the log does.
  core::Status st = repo_.FailJob(job.id, options_.worker_id, error.WithoutPaths(), d.retry_at,
                                  d.final_status, now);
  std::string retry;
  if (d.action == FailureDecision::Action::kRetry) {
    retry = " (retry in " + std::to_string(d.retry_at - now) + " ms)";
  }
  Log(options_.worker_id,
      "job " + job.id + " attempt " + std::to_string(job.attempts) + ": " + error.ToString() +
          retry + (st.ok() ? "" : " (not recorded: " + st.ToString() + ")"),
      job.id);
  if (!st.ok()) {
    Count(&WorkerStats::lost);
    return "lost";
  }
  const char* outcome = "failed";
  switch (d.action) {
    case FailureDecision::Action::kRetry:
      Count(&WorkerStats::retried);
      return "retried";
    case FailureDecision::Action::kFail:
      Count(&WorkerStats::failed);
      break;
    case FailureDecision::Action::kQuarantine:
      Count(&WorkerStats::quarantined);
      outcome = "quarantined";
      break;
  }
  SendWebhook(job);
  return outcome;
}

void Worker::SendWebhook(const store::Job& job) {
  if (!webhooks_ || job.spec.webhook_url.empty()) return;
  // The event carries the row as stored (status, page count, error, result URI).
  auto stored = repo_.GetJob(job.tenant_id, job.id);
  if (!stored.ok()) {
    Log(options_.worker_id, "job " + job.id + ": no webhook: " + stored.status().ToString(),
        job.id);
    return;
  }
  if (EventTypeFor(stored->status).empty()) return;
  WebhookEvent event = MakeWebhookEvent(*stored, clock_.NowMs(), options_.webhooks.api_url);
  // Signed with the job's own tenant's secret (read now, so a rotation applies at once);
  // without one the dispatcher records the delivery as failed rather than send it.
  auto tenant = repo_.GetTenant(job.tenant_id);
  if (tenant.ok()) event.secret = tenant->webhook_secret;
  webhooks_->Enqueue(std::move(event));
}

}  // namespace smartocr::jobs
