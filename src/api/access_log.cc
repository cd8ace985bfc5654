#include "api/access_log.h"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace smartocr::api {
namespace {

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Emit(const nlohmann::ordered_json& j) {
  const std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);  // one write: lines do not interleave
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
  nlohmann::ordered_json j;
  j["ts_ms"] = NowUs() / 1000;
  j["level"] = status >= 500 ? "error" : "info";
  j["msg"] = "request";
  j["request_id"] = f.request_id;
  j["tenant"] = f.tenant_id;
  j["key_id"] = f.key_id;
  j["method"] = method;
  j["route"] = f.route;
  j["status"] = status;
  if (!f.error_code.empty()) j["error_code"] = f.error_code;
  j["duration_ms"] = static_cast<double>(NowUs() - f.start_us) / 1000.0;
  Emit(j);
}

void LogEvent(const std::string& level, const std::string& message) {
  nlohmann::ordered_json j;
  j["ts_ms"] = NowUs() / 1000;
  j["level"] = level;
  j["msg"] = message;
  Emit(j);
}

}  // namespace smartocr::api
