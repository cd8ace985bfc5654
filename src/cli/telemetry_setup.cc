#include "cli/telemetry_setup.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "cli/cli_log.h"
#include "cli/extract_command.h"
#include "jobs/clock.h"
#include "telemetry/log.h"
#include "telemetry/metrics.h"
#include "telemetry/tracer.h"

namespace smartocr::cli {
namespace {

core::Result<telemetry::QueueSnapshot> ReadQueue(store::Repository& repo) {
  auto counts = repo.CountJobs("");
  if (!counts.ok()) return counts.status();
  auto oldest = repo.OldestQueuedAt();
  if (!oldest.ok()) return oldest.status();
  telemetry::QueueSnapshot snapshot;
  // Every status, zeros included, so a series does not vanish when its queue drains.
  for (store::JobStatus status :
       {store::JobStatus::kQueued, store::JobStatus::kRunning, store::JobStatus::kSucceeded,
        store::JobStatus::kFailed, store::JobStatus::kCancelled, store::JobStatus::kQuarantined}) {
    snapshot.depth_by_status[store::JobStatusName(status)] = 0;
  }
  for (const auto& [status, n] : *counts) {
    snapshot.depth_by_status[store::JobStatusName(status)] = n;
  }
  auto reviews = repo.CountOpenReviews();
  if (reviews.ok()) snapshot.review_queue_depth = *reviews;
  if (*oldest > 0) {
    const int64_t age_ms = jobs::RealClock().NowMs() - *oldest;
    snapshot.oldest_queued_age_seconds = static_cast<double>(std::max<int64_t>(age_ms, 0)) / 1000.0;
  }
  return snapshot;
}

api::HttpResponse MetricsOnly(const api::HttpRequest& req) {
  if (req.method == "GET" && req.path == "/metrics") {
    return {.status = 200,
            .content_type = telemetry::kMetricsContentType,
            .body = telemetry::RenderMetrics()};
  }
  if (req.method == "GET" && req.path == "/healthz") {
    return {.status = 200, .body = R"({"status":"ok"})"};
  }
  return {
      .status = 404,
      .body =
          R"({"error":{"code":"not_found","message":"this listener serves /metrics and /healthz"}})"};
}

}  // namespace

core::Result<std::unique_ptr<TelemetryScope>> TelemetryScope::Start(const std::string& service_name,
                                                                    store::Repository& repo,
                                                                    const std::string& engines) {
  auto config = telemetry::TracingConfigFromEnv(service_name);
  if (!config.ok()) return config.status();
  if (!config->endpoint.empty()) {
    telemetry::LogJson("info", "exporting traces",
                       {{"endpoint", config->endpoint}, {"sampler", config->sampler}});
  }
  telemetry::StartTracing(std::move(*config));
  telemetry::SetBuildInfo(engines);
  telemetry::SetQueueSource([&repo] { return ReadQueue(repo); });
  return std::unique_ptr<TelemetryScope>(new TelemetryScope());
}

TelemetryScope::~TelemetryScope() {
  telemetry::SetQueueSource({});
  telemetry::StopTracing();
}

namespace {

api::HttpServerOptions ListenerOptions() {
  api::HttpServerOptions options;
  options.handler_threads = 2;  // a scraper or two
  return options;
}

}  // namespace

MetricsListener::MetricsListener()
    : server_(ListenerOptions(),
              api::HttpHandler{.on_head =
                                   [](const api::HttpRequest& req) {
                                     return api::HeadDecision{.reply = MetricsOnly(req)};
                                   },
                               .on_refused =
                                   [](int status, const api::HttpRequest&) {
                                     return api::HttpResponse{.status = status, .close = true};
                                   }}) {}

MetricsListener::~MetricsListener() {
  if (thread_.joinable()) {
    server_.Stop();
    thread_.join();
  }
}

core::Status MetricsListener::Start(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return core::InvalidArgument("metrics_listen", "--metrics-listen must be HOST:PORT");
  }
  const std::string host = address.substr(0, colon);
  const std::string port_text = address.substr(colon + 1);
  char* end = nullptr;
  const long port = std::strtol(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port < 0 || port > 65535) {
    return core::InvalidArgument("metrics_listen", "--metrics-listen port must be 0-65535");
  }
  SMARTOCR_RETURN_IF_ERROR(server_.Bind(host, static_cast<int>(port)));
  thread_ = std::thread([this] { server_.Run(); });
  return core::Status::Ok();
}

int RunMetrics(const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
    std::printf(
        "Usage: smartocr metrics\n\nLists the Prometheus metric families SmartOCR exports (GET "
        "/metrics on\n`serve`, `worker --metrics-listen`), one per line: NAME TYPE LABELS HELP.\n");
    return kExitOk;
  }
  if (!args.empty()) {
    ReportError("metrics", "takes no arguments");
    return kExitUsage;
  }
  for (const telemetry::MetricInfo& m : telemetry::MetricCatalogue()) {
    std::printf("%s %s %s %s\n", m.name.c_str(), m.type.c_str(),
                m.labels.empty() ? "-" : m.labels.c_str(), m.help.c_str());
  }
  return kExitOk;
}

}  // namespace smartocr::cli
