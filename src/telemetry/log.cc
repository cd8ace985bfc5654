#include "telemetry/log.h"

#include <chrono>
#include <cstdio>

#include "telemetry/trace_context.h"

namespace smartocr::telemetry {

void LogJson(std::string_view level, std::string_view message,
             const nlohmann::ordered_json& fields) {
  nlohmann::ordered_json j;
  j["ts_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  j["level"] = level;
  j["msg"] = message;
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) j[key] = value;
  }
  const SpanContext& span = CurrentContext();
  if (span.valid() && !j.contains("trace_id")) {
    j["trace_id"] = span.trace_id;
    j["span_id"] = span.span_id;
  }
  const std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);  // one write: lines do not interleave
}

}  // namespace smartocr::telemetry
