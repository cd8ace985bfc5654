// src/telemetry/otlp_exporter.h (internal)
//
// The batching span exporter: a bounded queue drained by one thread that POSTs OTLP/JSON
// (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding) to the traces
// endpoint. Enqueue never blocks; a full queue drops the span.
#ifndef SMARTOCR_TELEMETRY_OTLP_EXPORTER_H_
#define SMARTOCR_TELEMETRY_OTLP_EXPORTER_H_

#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "core/mutex.h"
#include "telemetry/tracer.h"

namespace smartocr::telemetry::internal {

// The request body for one batch.
std::string EncodeOtlpJson(const std::vector<SpanData>& spans, const std::string& service_name);

class OtlpExporter {
 public:
  explicit OtlpExporter(TracingConfig config);
  ~OtlpExporter();  // flushes (bounded by the export timeout) and joins
  OtlpExporter(const OtlpExporter&) = delete;
  OtlpExporter& operator=(const OtlpExporter&) = delete;

  void Enqueue(SpanData span);

 private:
  void Loop();
  void Export(const std::vector<SpanData>& batch);

  const TracingConfig config_;
  core::Mutex mu_;
  core::CondVar wake_;
  std::deque<SpanData> queue_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace smartocr::telemetry::internal

#endif  // SMARTOCR_TELEMETRY_OTLP_EXPORTER_H_
