#include "telemetry/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <memory>

#include "core/mutex.h"
#include "core/version.h"
#include "telemetry/process_metrics.h"

namespace smartocr::telemetry {
namespace {

// Bucket bounds, each with a bucket at an SLO: API answers in 1 s (status, listings),
// sync OCR in 30 s; a page's stage in 0.25 / 1 / 5 s; a job attempt in 60 s.
const std::vector<double> kHttpBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                          1,     2.5,  5,     10,   30,  60,   120};
const std::vector<double> kStageBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                           0.5,   1,    2.5,   5,    10,  30};
const std::vector<double> kJobBuckets = {0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600};
// Review happens in minutes to days: an SLO bucket at 1 h and at 1 day.
const std::vector<double> kReviewBuckets = {60, 300, 900, 1800, 3600, 4 * 3600, 86400, 3 * 86400};
const std::vector<double> kConfidenceBuckets = {0.1, 0.2, 0.3, 0.4,  0.5,  0.6,
                                                0.7, 0.8, 0.9, 0.95, 0.99, 1};

// The scrape-time gauges (queue, process) are produced by collectors, not the registry.
const std::vector<MetricInfo> kCatalogue = {
    {"smartocr_http_requests_total", "counter", "route,method,status",
     "API requests by route pattern, method and HTTP status."},
    {"smartocr_http_request_duration_seconds", "histogram", "route", "API request latency."},
    {"smartocr_http_requests_in_flight", "gauge", "", "API requests being handled now."},
    {"smartocr_stage_duration_seconds", "histogram", "stage,engine",
     "Time one page spent in a pipeline stage."},
    {"smartocr_pages_total", "counter", "source", "Pages read, by source: ocr, pdf-text, cache."},
    {"smartocr_field_confidence", "histogram", "doc_type", "Confidence of each extracted field."},
    {"smartocr_queue_depth", "gauge", "status", "Jobs in the store by status."},
    {"smartocr_queue_oldest_age_seconds", "gauge", "",
     "Age of the oldest queued job (0 when none is queued)."},
    {"smartocr_quarantined_jobs", "gauge", "", "Jobs in quarantine now."},
    {"smartocr_jobs_total", "counter", "outcome",
     "Job attempts finished by this process's workers, by outcome."},
    {"smartocr_job_attempts_total", "counter", "", "Job attempts started by this process."},
    {"smartocr_job_duration_seconds", "histogram", "outcome", "Run time of one job attempt."},
    {"smartocr_worker_jobs_in_flight", "gauge", "", "Jobs this process's workers run now."},
    {"smartocr_webhook_deliveries_total", "counter", "outcome",
     "Webhook delivery attempts: delivered, failed, retried."},
    {"smartocr_llm_requests_total", "counter", "outcome",
     "Requests to the LLM extractor: ok, error, circuit_open."},
    {"smartocr_circuit_state", "gauge", "dependency",
     "Circuit breaker state: 0 closed, 1 half-open, 2 open."},
    {"smartocr_gpu_available", "gauge", "",
     "1 when --device cuda found a GPU, 0 when it was asked for and is not there."},
    {"smartocr_trace_spans_total", "counter", "outcome",
     "Trace spans: exported, dropped (queue full), failed (export error)."},
    {"smartocr_review_queue_depth", "gauge", "",
     "Documents waiting for a person (to_review or in_review), every tenant."},
    {"smartocr_review_decisions_total", "counter", "decision",
     "Review decisions: approved, rejected."},
    {"smartocr_review_time_to_approve_seconds", "histogram", "",
     "From a job's completion to its approval in review."},
    {"smartocr_build_info", "gauge", "version,commit,engines", "Always 1; labels name the build."},
    {"process_cpu_seconds_total", "counter", "", "User and system CPU time."},
    {"process_resident_memory_bytes", "gauge", "", "Resident memory size."},
    {"process_virtual_memory_bytes", "gauge", "", "Virtual memory size."},
    {"process_open_fds", "gauge", "", "Open file descriptors."},
    {"process_max_fds", "gauge", "", "The open file descriptor limit."},
    {"process_start_time_seconds", "gauge", "", "Start time since the Unix epoch."},
};

const MetricInfo& Info(std::string_view name) {
  for (const MetricInfo& m : kCatalogue) {
    if (m.name == name) return m;
  }
  std::abort();  // a name missing from the catalogue is a programming error
}

template <typename Builder>
auto& Register(Builder builder, std::string_view name, prometheus::Registry& registry) {
  const MetricInfo& info = Info(name);
  return builder.Name(info.name).Help(info.help).Register(registry);
}

struct Families {
  prometheus::Registry registry;
  prometheus::Family<prometheus::Counter>& http_requests =
      Register(prometheus::BuildCounter(), "smartocr_http_requests_total", registry);
  prometheus::Family<prometheus::Histogram>& http_duration =
      Register(prometheus::BuildHistogram(), "smartocr_http_request_duration_seconds", registry);
  prometheus::Gauge& http_in_flight =
      Register(prometheus::BuildGauge(), "smartocr_http_requests_in_flight", registry).Add({});
  prometheus::Family<prometheus::Histogram>& stage =
      Register(prometheus::BuildHistogram(), "smartocr_stage_duration_seconds", registry);
  prometheus::Family<prometheus::Counter>& pages =
      Register(prometheus::BuildCounter(), "smartocr_pages_total", registry);
  prometheus::Family<prometheus::Histogram>& field_confidence =
      Register(prometheus::BuildHistogram(), "smartocr_field_confidence", registry);
  prometheus::Family<prometheus::Counter>& jobs =
      Register(prometheus::BuildCounter(), "smartocr_jobs_total", registry);
  prometheus::Counter& attempts =
      Register(prometheus::BuildCounter(), "smartocr_job_attempts_total", registry).Add({});
  prometheus::Family<prometheus::Histogram>& job_duration =
      Register(prometheus::BuildHistogram(), "smartocr_job_duration_seconds", registry);
  prometheus::Gauge& jobs_in_flight =
      Register(prometheus::BuildGauge(), "smartocr_worker_jobs_in_flight", registry).Add({});
  prometheus::Family<prometheus::Counter>& webhooks =
      Register(prometheus::BuildCounter(), "smartocr_webhook_deliveries_total", registry);
  prometheus::Family<prometheus::Counter>& llm =
      Register(prometheus::BuildCounter(), "smartocr_llm_requests_total", registry);
  prometheus::Family<prometheus::Gauge>& circuit =
      Register(prometheus::BuildGauge(), "smartocr_circuit_state", registry);
  prometheus::Family<prometheus::Gauge>& gpu =
      Register(prometheus::BuildGauge(), "smartocr_gpu_available", registry);
  prometheus::Family<prometheus::Counter>& spans =
      Register(prometheus::BuildCounter(), "smartocr_trace_spans_total", registry);
  prometheus::Family<prometheus::Counter>& review_decisions =
      Register(prometheus::BuildCounter(), "smartocr_review_decisions_total", registry);
  prometheus::Family<prometheus::Histogram>& review_time =
      Register(prometheus::BuildHistogram(), "smartocr_review_time_to_approve_seconds", registry);
  prometheus::Family<prometheus::Gauge>& build =
      Register(prometheus::BuildGauge(), "smartocr_build_info", registry);
};

Families& F() {
  static Families families;
  return families;
}

struct QueueState {
  core::Mutex mu;
  QueueSource source GUARDED_BY(mu);
};

QueueState& Queue() {
  static QueueState state;
  return state;
}

prometheus::MetricFamily GaugeFamily(std::string_view name) {
  const MetricInfo& info = Info(name);
  return {info.name, info.help, prometheus::MetricType::Gauge, {}};
}

prometheus::ClientMetric GaugeValue(double value,
                                    std::vector<prometheus::ClientMetric::Label> labels = {}) {
  prometheus::ClientMetric m;
  m.label = std::move(labels);
  m.gauge.value = value;
  return m;
}

void AppendQueueFamilies(std::vector<prometheus::MetricFamily>* out) {
  QueueSource source;
  {
    QueueState& q = Queue();
    core::MutexLock lock(q.mu);
    source = q.source;
  }
  if (!source) return;
  core::Result<QueueSnapshot> snapshot = source();
  if (!snapshot.ok()) return;
  prometheus::MetricFamily depth = GaugeFamily("smartocr_queue_depth");
  double quarantined = 0;
  for (const auto& [status, n] : snapshot->depth_by_status) {
    depth.metric.push_back(GaugeValue(static_cast<double>(n), {{"status", status}}));
    if (status == "quarantined") quarantined = static_cast<double>(n);
  }
  out->push_back(std::move(depth));
  prometheus::MetricFamily oldest = GaugeFamily("smartocr_queue_oldest_age_seconds");
  oldest.metric.push_back(GaugeValue(snapshot->oldest_queued_age_seconds));
  out->push_back(std::move(oldest));
  prometheus::MetricFamily quarantine = GaugeFamily("smartocr_quarantined_jobs");
  quarantine.metric.push_back(GaugeValue(quarantined));
  out->push_back(std::move(quarantine));
  if (snapshot->review_queue_depth >= 0) {
    prometheus::MetricFamily review = GaugeFamily("smartocr_review_queue_depth");
    review.metric.push_back(GaugeValue(static_cast<double>(snapshot->review_queue_depth)));
    out->push_back(std::move(review));
  }
}

void AppendProcessFamilies(std::vector<prometheus::MetricFamily>* out) {
  const ProcessStats p = ReadProcessStats();
  if (!p.ok) return;
  prometheus::MetricFamily cpu{Info("process_cpu_seconds_total").name,
                               Info("process_cpu_seconds_total").help,
                               prometheus::MetricType::Counter,
                               {}};
  prometheus::ClientMetric cpu_value;
  cpu_value.counter.value = p.cpu_seconds;
  cpu.metric.push_back(cpu_value);
  out->push_back(std::move(cpu));
  const std::pair<const char*, double> gauges[] = {
      {"process_resident_memory_bytes", p.resident_bytes},
      {"process_virtual_memory_bytes", p.virtual_bytes},
      {"process_open_fds", p.open_fds},
      {"process_max_fds", p.max_fds},
      {"process_start_time_seconds", p.start_time_seconds}};
  for (const auto& [name, value] : gauges) {
    prometheus::MetricFamily f = GaugeFamily(name);
    f.metric.push_back(GaugeValue(value));
    out->push_back(std::move(f));
  }
}

}  // namespace

const std::vector<MetricInfo>& MetricCatalogue() { return kCatalogue; }

std::string RenderMetrics() {
  std::vector<prometheus::MetricFamily> families = F().registry.Collect();
  AppendQueueFamilies(&families);
  AppendProcessFamilies(&families);
  return prometheus::TextSerializer().Serialize(families);
}

void ObserveHttpRequest(std::string_view route, std::string_view method, int status,
                        double seconds) {
  // Unmatched paths are one label value: a scanner's paths must not grow the series.
  const std::string r = route.empty() ? "unmatched" : std::string(route);
  F().http_requests
      .Add({{"route", r}, {"method", std::string(method)}, {"status", std::to_string(status)}})
      .Increment();
  F().http_duration.Add({{"route", r}}, kHttpBuckets).Observe(seconds);
}

InFlightRequest::InFlightRequest() { F().http_in_flight.Increment(); }
InFlightRequest::~InFlightRequest() { F().http_in_flight.Decrement(); }

void ObserveStage(std::string_view stage, std::string_view engine, double seconds) {
  F().stage.Add({{"stage", std::string(stage)}, {"engine", std::string(engine)}}, kStageBuckets)
      .Observe(seconds);
}

void CountPage(std::string_view source) {
  F().pages.Add({{"source", std::string(source)}}).Increment();
}

void ObserveFieldConfidence(std::string_view doc_type, double confidence) {
  const std::string type = doc_type.empty() ? "unknown" : std::string(doc_type);
  F().field_confidence.Add({{"doc_type", type}}, kConfidenceBuckets).Observe(confidence);
}

void CountJobAttempt() { F().attempts.Increment(); }

void CountJobOutcome(std::string_view outcome, double seconds) {
  F().jobs.Add({{"outcome", std::string(outcome)}}).Increment();
  F().job_duration.Add({{"outcome", std::string(outcome)}}, kJobBuckets).Observe(seconds);
}

InFlightJob::InFlightJob() { F().jobs_in_flight.Increment(); }
InFlightJob::~InFlightJob() { F().jobs_in_flight.Decrement(); }

void CountWebhookDelivery(std::string_view outcome) {
  F().webhooks.Add({{"outcome", std::string(outcome)}}).Increment();
}

void CountLlmRequest(std::string_view outcome) {
  F().llm.Add({{"outcome", std::string(outcome)}}).Increment();
}

void SetCircuitState(std::string_view dependency, CircuitState state) {
  F().circuit.Add({{"dependency", std::string(dependency)}}).Set(static_cast<double>(state));
}

void SetGpuAvailable(bool available) { F().gpu.Add({}).Set(available ? 1 : 0); }

void CountSpans(std::string_view outcome, int64_t n) {
  F().spans.Add({{"outcome", std::string(outcome)}}).Increment(static_cast<double>(n));
}

void ObserveReviewDecision(std::string_view decision, double seconds) {
  F().review_decisions.Add({{"decision", std::string(decision)}}).Increment();
  if (decision == "approved") F().review_time.Add({}, kReviewBuckets).Observe(seconds);
}

void SetBuildInfo(std::string_view engines) {
#ifdef SMARTOCR_GIT_COMMIT
  const std::string commit = SMARTOCR_GIT_COMMIT;
#else
  const std::string commit = "unknown";
#endif
  F().build
      .Add({{"version", core::kVersion}, {"commit", commit}, {"engines", std::string(engines)}})
      .Set(1);
}

void SetQueueSource(QueueSource source) {
  QueueState& q = Queue();
  core::MutexLock lock(q.mu);
  q.source = std::move(source);
}

}  // namespace smartocr::telemetry
