// src/api/access_log.h
//
// One JSON line per request on stderr: time, request id, tenant, key id, method,
// route pattern (never the query: it may carry values), status, error code and
// duration. Never bodies, keys, document text or field values.
#ifndef SMARTOCR_API_ACCESS_LOG_H_
#define SMARTOCR_API_ACCESS_LOG_H_

#include <cstdint>
#include <string>

namespace smartocr::api {

// Per-request fields, filled while the request is handled on its thread.
struct LogFields {
  std::string request_id;
  std::string trace_id;  // the request's server span
  std::string span_id;
  std::string tenant_id;
  std::string key_id;
  std::string route;  // the pattern, e.g. "/ocr/jobs/{id}"
  std::string error_code;
  std::string error_cause;  // a 5xx's failing Status (ApiError::cause)
  int64_t start_us = 0;
};

LogFields& CurrentLog();  // this thread's
void ResetLog(std::string request_id);
void WriteAccessLog(const std::string& method, int status);
// A server event (start, stop) as a JSON line.
void LogEvent(const std::string& level, const std::string& message);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_ACCESS_LOG_H_
