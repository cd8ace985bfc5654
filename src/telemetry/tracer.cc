#include "telemetry/tracer.h"

#include <chrono>
#include <cstdlib>
#include <memory>

#include "core/mutex.h"
#include "telemetry/otlp_exporter.h"

namespace smartocr::telemetry {
namespace {

struct Tracer {
  core::Mutex mu;
  TracingConfig config GUARDED_BY(mu);
  std::shared_ptr<internal::OtlpExporter> exporter GUARDED_BY(mu);
};

Tracer& TheTracer() {
  static Tracer tracer;
  return tracer;
}

// The sampler's decision for a new span
// (https://opentelemetry.io/docs/specs/otel/trace/sdk/#built-in-samplers).
bool Sample(const TracingConfig& config, const SpanContext& parent, const std::string& trace_id) {
  const std::string& s = config.sampler;
  const bool parent_based = s.rfind("parentbased_", 0) == 0;
  if (parent_based && parent.valid()) return parent.sampled;
  const std::string root = parent_based ? s.substr(12) : s;
  if (root == "always_off") return false;
  if (root == "traceidratio") {
    // The lowest 56 bits of the trace id against the ratio, so every service that
    // sees this trace decides the same way.
    const uint64_t bits = std::stoull(trace_id.substr(18), nullptr, 16);
    return static_cast<double>(bits) < config.ratio * static_cast<double>(uint64_t{1} << 56);
  }
  return true;  // always_on
}

}  // namespace

int64_t UnixNanosNow() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Span Span::Start(std::string name, const SpanContext& parent, SpanKind kind,
                 int64_t start_unix_ns) {
  Span span;
  span.data_ = std::make_unique<SpanData>();
  SpanData& d = *span.data_;
  d.name = std::move(name);
  d.kind = kind;
  d.start_unix_ns = start_unix_ns > 0 ? start_unix_ns : UnixNanosNow();
  d.context.trace_id = parent.valid() ? parent.trace_id : NewTraceId();
  d.context.span_id = NewSpanId();
  if (parent.valid()) d.parent_span_id = parent.span_id;
  Tracer& t = TheTracer();
  core::MutexLock lock(t.mu);
  d.context.sampled = Sample(t.config, parent, d.context.trace_id);
  return span;
}

Span Span::StartChild(std::string name) { return Start(std::move(name), CurrentContext()); }

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    End();
    data_ = std::move(other.data_);
  }
  return *this;
}

void Span::SetName(std::string name) {
  if (data_) data_->name = std::move(name);
}

void Span::SetAttribute(const std::string& key, AttributeValue value) {
  if (data_) data_->attributes[key] = std::move(value);
}

void Span::AddLink(const SpanContext& linked) {
  if (data_ && linked.valid()) data_->links.push_back(linked);
}

void Span::SetError(const core::Status& status) {
  if (!data_ || status.ok()) return;
  data_->error = true;
  data_->status_message = status.reason();
  data_->attributes["error.code"] = std::string(core::StatusCodeName(status.code()));
}

void Span::End(int64_t end_unix_ns) {
  if (!data_) return;
  std::unique_ptr<SpanData> data = std::move(data_);
  if (!data->context.sampled) return;
  data->end_unix_ns = end_unix_ns > 0 ? end_unix_ns : UnixNanosNow();
  std::shared_ptr<internal::OtlpExporter> exporter;
  {
    Tracer& t = TheTracer();
    core::MutexLock lock(t.mu);
    exporter = t.exporter;
  }
  if (exporter) exporter->Enqueue(std::move(*data));
}

const SpanContext& Span::context() const {
  static const SpanContext kNone;
  return data_ ? data_->context : kNone;
}

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

// "k1=v1,k2=v2" (values URL-encoded by the spec; we take them as written).
std::map<std::string, std::string> ParseHeaders(const std::string& list) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < list.size()) {
    size_t comma = list.find(',', pos);
    if (comma == std::string::npos) comma = list.size();
    const std::string item = list.substr(pos, comma - pos);
    const size_t eq = item.find('=');
    if (eq != std::string::npos && eq > 0) out[item.substr(0, eq)] = item.substr(eq + 1);
    pos = comma + 1;
  }
  return out;
}

core::Result<int64_t> PositiveInt(const char* name, int64_t fallback) {
  const std::string v = Env(name);
  if (v.empty()) return fallback;
  char* end = nullptr;
  const long long n = std::strtoll(v.c_str(), &end, 10);
  if (end == v.c_str() || *end != '\0' || n <= 0) {
    return core::InvalidArgument("otel_config", std::string(name) + " must be a positive integer");
  }
  return static_cast<int64_t>(n);
}

}  // namespace

core::Result<TracingConfig> TracingConfigFromEnv(const std::string& default_service_name) {
  TracingConfig c;
  c.service_name =
      Env("OTEL_SERVICE_NAME").empty() ? default_service_name : Env("OTEL_SERVICE_NAME");
  if (Env("OTEL_SDK_DISABLED") == "true") return c;
  const std::string protocol = Env("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL").empty()
                                   ? Env("OTEL_EXPORTER_OTLP_PROTOCOL")
                                   : Env("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL");
  const std::string traces = Env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  const std::string base = Env("OTEL_EXPORTER_OTLP_ENDPOINT");
  if (!traces.empty()) {
    c.endpoint = traces;  // used as given
  } else if (!base.empty()) {
    c.endpoint = base.back() == '/' ? base + "v1/traces" : base + "/v1/traces";
  }
  if (!c.endpoint.empty() && !protocol.empty() && protocol != "http/json") {
    return core::InvalidArgument("otel_config",
                                 "OTEL_EXPORTER_OTLP_PROTOCOL=" + protocol +
                                     " is not supported: SmartOCR exports traces as http/json");
  }
  if (!c.endpoint.empty() && c.endpoint.rfind("http://", 0) != 0 &&
      c.endpoint.rfind("https://", 0) != 0) {
    return core::InvalidArgument("otel_config", "the OTLP endpoint must be an http(s) URL");
  }
  c.headers = ParseHeaders(Env("OTEL_EXPORTER_OTLP_HEADERS"));
  for (const auto& [k, v] : ParseHeaders(Env("OTEL_EXPORTER_OTLP_TRACES_HEADERS"))) {
    c.headers[k] = v;
  }
  const std::string sampler = Env("OTEL_TRACES_SAMPLER");
  if (!sampler.empty()) {
    static const char* kSamplers[] = {"always_on",
                                      "always_off",
                                      "traceidratio",
                                      "parentbased_always_on",
                                      "parentbased_always_off",
                                      "parentbased_traceidratio"};
    bool known = false;
    for (const char* s : kSamplers) known = known || sampler == s;
    if (!known) {
      return core::InvalidArgument("otel_config",
                                   "OTEL_TRACES_SAMPLER=" + sampler + " is not known");
    }
    c.sampler = sampler;
  }
  const std::string arg = Env("OTEL_TRACES_SAMPLER_ARG");
  if (!arg.empty() && c.sampler.find("traceidratio") != std::string::npos) {
    char* end = nullptr;
    c.ratio = std::strtod(arg.c_str(), &end);
    if (end == arg.c_str() || *end != '\0' || c.ratio < 0 || c.ratio > 1) {
      return core::InvalidArgument("otel_config", "OTEL_TRACES_SAMPLER_ARG must be in [0, 1]");
    }
  }
  auto queue = PositiveInt("OTEL_BSP_MAX_QUEUE_SIZE", static_cast<int64_t>(c.max_queue));
  auto batch = PositiveInt("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", static_cast<int64_t>(c.max_batch));
  auto delay = PositiveInt("OTEL_BSP_SCHEDULE_DELAY", c.schedule_ms);
  auto timeout = PositiveInt("OTEL_EXPORTER_OTLP_TIMEOUT", c.export_timeout_ms);
  for (const auto* r : {&queue, &batch, &delay, &timeout}) {
    if (!r->ok()) return r->status();
  }
  c.max_queue = static_cast<size_t>(*queue);
  c.max_batch = static_cast<size_t>(*batch);
  c.schedule_ms = *delay;
  c.export_timeout_ms = *timeout;
  return c;
}

void StartTracing(TracingConfig config) {
  std::shared_ptr<internal::OtlpExporter> exporter;
  if (!config.endpoint.empty()) exporter = std::make_shared<internal::OtlpExporter>(config);
  Tracer& t = TheTracer();
  core::MutexLock lock(t.mu);
  t.config = std::move(config);
  t.exporter = std::move(exporter);
}

void StopTracing() {
  std::shared_ptr<internal::OtlpExporter> exporter;
  {
    Tracer& t = TheTracer();
    core::MutexLock lock(t.mu);
    exporter = std::move(t.exporter);
  }
  exporter.reset();  // the last holder's destructor flushes and joins
}

}  // namespace smartocr::telemetry
