// src/cli/telemetry_setup.h
//
// What a long-running command (serve, worker) turns on for operations: tracing from the
// OTEL_* environment, the build-info metric, the queue gauges read from the store at
// each scrape, and for the worker a /metrics listener of its own.
#ifndef SMARTOCR_CLI_TELEMETRY_SETUP_H_
#define SMARTOCR_CLI_TELEMETRY_SETUP_H_

#include <memory>
#include <string>
#include <thread>

#include "api/http_server.h"
#include "core/core.h"
#include "store/store.h"

namespace smartocr::cli {

// Undoes what it set up when destroyed: exports the spans still queued, drops the queue
// source (the repository may go first).
class TelemetryScope {
 public:
  // kInvalidArgument "otel_config" for an OTEL_* value we cannot honour.
  static core::Result<std::unique_ptr<TelemetryScope>> Start(const std::string& service_name,
                                                             store::Repository& repo,
                                                             const std::string& engines);
  ~TelemetryScope();
  TelemetryScope(const TelemetryScope&) = delete;
  TelemetryScope& operator=(const TelemetryScope&) = delete;

 private:
  TelemetryScope() = default;
};

// GET /metrics and GET /healthz on their own port (`worker --metrics-listen`).
class MetricsListener {
 public:
  MetricsListener();
  ~MetricsListener();  // stops and joins
  MetricsListener(const MetricsListener&) = delete;
  MetricsListener& operator=(const MetricsListener&) = delete;

  // "HOST:PORT" (port 0: any free one). kInvalidArgument for a malformed address,
  // kUnavailable "listen" when the port is taken.
  core::Status Start(const std::string& address);
  int port() const { return server_.port(); }

 private:
  api::HttpServer server_;
  std::thread thread_;
};

// `smartocr metrics`: the metric families this build exports, one per line.
int RunMetrics(const std::vector<std::string>& args);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_TELEMETRY_SETUP_H_
