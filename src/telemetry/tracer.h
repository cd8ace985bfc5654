// src/telemetry/tracer.h
//
// Spans and their export. A Span is started under a parent (a client's traceparent, a
// job row's stored context, or the thread's current span), carries attributes, and on
// End() goes to the exporter's bounded queue when sampled. Export is OTLP/HTTP with the
// JSON encoding (no OpenTelemetry C++ SDK is packaged in Debian), configured from the
// standard OTEL_* environment variables; a full queue drops spans (counted in
// smartocr_trace_spans_total{outcome="dropped"}) rather than block a request or a page.
#ifndef SMARTOCR_TELEMETRY_TRACER_H_
#define SMARTOCR_TELEMETRY_TRACER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/status.h"
#include "telemetry/trace_context.h"

namespace smartocr::telemetry {

enum class SpanKind { kInternal = 1, kServer = 2, kClient = 3, kProducer = 4, kConsumer = 5 };

using AttributeValue = std::variant<std::string, int64_t, double, bool>;

struct SpanData {
  SpanContext context;
  std::string parent_span_id;  // "" for a root span
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  int64_t start_unix_ns = 0;
  int64_t end_unix_ns = 0;
  std::map<std::string, AttributeValue> attributes;
  std::vector<SpanContext> links;
  bool error = false;
  std::string status_message;
};

class Span {
 public:
  Span() = default;  // no span: every call is a no-op
  // A child of `parent` (same trace) or, when `parent` is invalid, a new trace whose
  // sampling the configured sampler decides.
  // `start_unix_ns` 0 means now.
  static Span Start(std::string name, const SpanContext& parent,
                    SpanKind kind = SpanKind::kInternal, int64_t start_unix_ns = 0);
  // A child of the thread's current span.
  static Span StartChild(std::string name);

  Span(Span&&) noexcept = default;
  Span& operator=(Span&& other) noexcept;
  ~Span() { End(); }
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;

  void SetName(std::string name);
  void SetAttribute(const std::string& key, AttributeValue value);
  void AddLink(const SpanContext& linked);
  // Marks the span failed (OTLP status ERROR) with the status's code and reason.
  void SetError(const core::Status& status);
  // Drops the span unexported (a probe or scrape nobody wants traced).
  void Discard() { data_.reset(); }
  // Ends the span now (or at `end_unix_ns` when given); later calls do nothing.
  void End(int64_t end_unix_ns = 0);

  // Invalid for a default-constructed span.
  const SpanContext& context() const;

 private:
  std::unique_ptr<SpanData> data_;
};

int64_t UnixNanosNow();

// What OTEL_* asked for
// (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
struct TracingConfig {
  std::string endpoint;                        // full URL of the traces endpoint; "" = no export
  std::map<std::string, std::string> headers;  // OTEL_EXPORTER_OTLP_(TRACES_)HEADERS
  std::string service_name = "smartocr";
  // always_on | always_off | traceidratio | parentbased_always_on |
  // parentbased_always_off | parentbased_traceidratio
  std::string sampler = "parentbased_always_on";
  double ratio = 1.0;
  size_t max_queue = 2048;            // OTEL_BSP_MAX_QUEUE_SIZE
  size_t max_batch = 512;             // OTEL_BSP_MAX_EXPORT_BATCH_SIZE
  int64_t schedule_ms = 1000;         // OTEL_BSP_SCHEDULE_DELAY
  int64_t export_timeout_ms = 10000;  // OTEL_EXPORTER_OTLP_TIMEOUT
};

// Reads the environment. An unsupported protocol (grpc, http/protobuf) or a bad value is
// an error naming the variable; OTEL_SDK_DISABLED=true gives a config with no endpoint.
core::Result<TracingConfig> TracingConfigFromEnv(const std::string& default_service_name);

// Installs the process's tracer (and its export thread when an endpoint is set).
void StartTracing(TracingConfig config);
// Exports what is queued (waiting at most the export timeout) and stops the thread.
void StopTracing();

}  // namespace smartocr::telemetry

#endif  // SMARTOCR_TELEMETRY_TRACER_H_
