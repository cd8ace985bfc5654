#include "api/access_log.h"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "telemetry/log.h"
#include "telemetry/metrics.h"

namespace smartocr::api {
namespace {

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

LogFields& CurrentLog() {
  thread_local LogFields fields;
  return fields;
}

void ResetLog(std::string request_id) {
  LogFields& f = CurrentLog();
  f = LogFields{};
  f.request_id = std::move(request_id);
  f.start_us = NowUs();
}

void WriteAccessLog(const std::string& method, int status) {
  const LogFields& f = CurrentLog();
  const double seconds = static_cast<double>(NowUs() - f.start_us) / 1e6;
  telemetry::ObserveHttpRequest(f.route, method, status, seconds);
  nlohmann::ordered_json j;
  j["request_id"] = f.request_id;
  if (!f.trace_id.empty()) {
    j["trace_id"] = f.trace_id;
    j["span_id"] = f.span_id;
  }
  j["tenant"] = f.tenant_id;
  j["key_id"] = f.key_id;
  j["method"] = method;
  j["route"] = f.route;
  j["status"] = status;
  if (!f.error_code.empty()) j["error_code"] = f.error_code;
  if (!f.error_cause.empty()) j["error_cause"] = f.error_cause;
  j["duration_ms"] = seconds * 1000.0;
  telemetry::LogJson(status >= 500 ? "error" : "info", "request", j);
}

void LogEvent(const std::string& level, const std::string& message) {
  telemetry::LogJson(level, message);
}

}  // namespace smartocr::api
