// src/telemetry/log.h
//
// Log lines as JSON on stderr, one write per line: ts_ms, level, msg, the caller's
// fields, and the trace_id/span_id of the thread's current span. Callers never pass
// document text, field values or keys.
#ifndef SMARTOCR_TELEMETRY_LOG_H_
#define SMARTOCR_TELEMETRY_LOG_H_

#include <nlohmann/json.hpp>
#include <string_view>

namespace smartocr::telemetry {

// `fields` (an object, or null) follow msg; trace ids are added unless already there.
void LogJson(std::string_view level, std::string_view message,
             const nlohmann::ordered_json& fields = nullptr);

}  // namespace smartocr::telemetry

#endif  // SMARTOCR_TELEMETRY_LOG_H_
