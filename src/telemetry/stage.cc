#include "telemetry/stage.h"

#include "telemetry/metrics.h"
#include "telemetry/tracer.h"

namespace smartocr::telemetry {

int64_t RecordStage(const std::string& stage, const std::string& engine, int64_t start_unix_ns,
                    int page) {
  const int64_t end = UnixNanosNow();
  ObserveStage(stage, engine, static_cast<double>(end - start_unix_ns) / 1e9);
  Span span = Span::Start(stage, CurrentContext(), SpanKind::kInternal, start_unix_ns);
  span.SetAttribute("smartocr.engine", engine);
  if (page > 0) span.SetAttribute("smartocr.page", int64_t{page});
  span.End(end);
  return end;
}

}  // namespace smartocr::telemetry
