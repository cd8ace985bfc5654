// src/telemetry/metrics.h
//
// The process's Prometheus metrics (prometheus-cpp's registry and text format). Every
// family is named once, in the catalogue (metrics.cc), which `smartocr metrics` prints
// and docs/operations.md, the dashboards and the alert rules are checked against.
// Labels never carry job, key or document ids.
#ifndef SMARTOCR_TELEMETRY_METRICS_H_
#define SMARTOCR_TELEMETRY_METRICS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace smartocr::telemetry {

struct MetricInfo {
  std::string name;
  std::string type;    // counter | gauge | histogram
  std::string labels;  // comma-separated, "" for none
  std::string help;
};
const std::vector<MetricInfo>& MetricCatalogue();

// The exposition text (text/plain; version=0.0.4) of every family with a value, the
// process metrics and the queue gauges (when a queue source is set).
std::string RenderMetrics();
// The Content-Type RenderMetrics' text goes out with.
inline constexpr char kMetricsContentType[] = "text/plain; version=0.0.4; charset=utf-8";

// HTTP API.
void ObserveHttpRequest(std::string_view route, std::string_view method, int status,
                        double seconds);
// Counts a request in smartocr_http_requests_in_flight while alive.
class InFlightRequest {
 public:
  InFlightRequest();
  ~InFlightRequest();
  InFlightRequest(const InFlightRequest&) = delete;
  InFlightRequest& operator=(const InFlightRequest&) = delete;
};

// Pipeline.
void ObserveStage(std::string_view stage, std::string_view engine, double seconds);
void CountPage(std::string_view source);  // ocr | pdf-text | cache
void ObserveFieldConfidence(std::string_view doc_type, double confidence);

// Workers.
void CountJobAttempt();
void CountJobOutcome(std::string_view outcome, double seconds);
// Counts a job in smartocr_worker_jobs_in_flight while alive.
class InFlightJob {
 public:
  InFlightJob();
  ~InFlightJob();
  InFlightJob(const InFlightJob&) = delete;
  InFlightJob& operator=(const InFlightJob&) = delete;
};

// Dependencies.
void CountWebhookDelivery(std::string_view outcome);  // delivered | failed | retried
void CountLlmRequest(std::string_view outcome);       // ok | error | circuit_open
enum class CircuitState { kClosed = 0, kHalfOpen = 1, kOpen = 2 };
void SetCircuitState(std::string_view dependency, CircuitState state);
void SetGpuAvailable(bool available);
void CountSpans(std::string_view outcome, int64_t n);  // exported | dropped | failed

// Review: a decision (approved | rejected) `seconds` after the job completed.
void ObserveReviewDecision(std::string_view decision, double seconds);

// Build and engines: smartocr_build_info{version,commit,engines} 1.
void SetBuildInfo(std::string_view engines);

// The queue as the store sees it, read at each scrape.
struct QueueSnapshot {
  std::map<std::string, int64_t> depth_by_status;
  double oldest_queued_age_seconds = 0;
  int64_t review_queue_depth = -1;  // open reviews; < 0: unknown (left out)
};
using QueueSource = std::function<core::Result<QueueSnapshot>()>;
// Replaces the source (an empty function removes it). A failing source leaves the queue
// gauges out of that scrape.
void SetQueueSource(QueueSource source);

}  // namespace smartocr::telemetry

#endif  // SMARTOCR_TELEMETRY_METRICS_H_
