#include "cli/worker_command.h"

#include <cstdio>

#include "cli/common_flags.h"
#include "cli/extract_command.h"
#include "cli/flag_table.h"
#include "cli/service_setup.h"
#include "cli/signals.h"
#include "cli/telemetry_setup.h"
#include "document/document.h"
#include "jobs/jobs.h"
#include "telemetry/log.h"

namespace smartocr::cli {
namespace {

const char kWorkerIntro[] = R"(Usage: smartocr worker [options]

Takes OCR jobs off the queue and runs them until SIGTERM or SIGINT (jobs in flight
get --grace-ms to finish, then go back to the queue). A second signal exits at once.
)";

const char kMigrateIntro[] = R"(Usage: smartocr migrate [options]

Applies pending schema migrations.
)";

struct WorkerFlags {
  ServiceFlags service;
  jobs::WorkerOptions worker;
  EngineFlags engine;
  pipeline::PipelineOptions pipeline;  // threads and dpi
  WebhookFlags webhooks;
  bool llm = false;
  std::string metrics_listen;  // "" = no listener
  bool help = false;
};

FlagTable WorkerFlagTable(WorkerFlags* f) {
  jobs::WorkerOptions& w = f->worker;
  constexpr int64_t kDay = 86'400'000;  // ms
  return Concat({
      ServiceFlagRows(&f->service),
      {
          IntFlag("--concurrency", "N", "jobs processed at once (default: 1)", 1, 256,
                  &w.concurrency),
          ThreadsFlag(&f->pipeline.threads),
          SwitchFlag("--once", "exit once no job is queued or running anywhere", &w.exit_when_idle),
          TextFlag("--worker-id", "ID", "name in the job's lease (default: host-pid-random)",
                   &w.worker_id),
          IntFlag("--lease-ms", "N", "lease length (default: 30000); heartbeats every third", 100,
                  kDay, &w.lease_ms),
          IntFlag("--heartbeat-ms", "N", "heartbeat interval (default: lease / 3)", 10, kDay,
                  &w.heartbeat_ms),
          IntFlag("--poll-ms", "N", "wait between claims when the queue is empty (default: 500)", 1,
                  3'600'000, &w.poll_ms),
          IntFlag("--grace-ms", "N", "shutdown grace for jobs in flight (default: 30000)", 0, kDay,
                  &w.grace_ms),
          IntFlag("--retry-base-ms", "N",
                  "first retry delay ceiling (default: 2000), doubling per attempt", 0, kDay,
                  &w.retry.base_ms),
          IntFlag("--retry-cap-ms", "N", "longest retry delay (default: 300000)", 0, kDay,
                  &w.retry.cap_ms),
      },
      WebhookFlagRows(&f->webhooks),
      {IntFlag("--webhook-retry-base-ms", "N", "first webhook retry delay ceiling (default: 2000)",
               0, kDay, &w.webhooks.retry.base_ms),
       TextFlag("--api-url", "URL",
                "how webhook receivers reach the API (for result_url; default: a path)",
                &w.webhooks.api_url)},
      EngineFlagRows(&f->engine),
      {
          DpiFlag(&f->pipeline.ingest),
          {"--no-cache", "", "do not use or fill the stage cache",
           [&w](const std::string&) {
             w.use_cache = false;
             return core::Status::Ok();
           }},
          LlmFlag(&f->llm),
          TextFlag("--metrics-listen", "HOST:PORT",
                   "serve GET /metrics and /healthz there (Prometheus; default: off)",
                   &f->metrics_listen),
          HelpFlag(&f->help),
      },
  });
}

void LogStopped(const jobs::Worker& worker) {
  jobs::WorkerStats s = worker.stats();
  telemetry::LogJson("info", "stopped",
                     {{"worker", worker.options().worker_id},
                      {"claimed", s.claimed},
                      {"succeeded", s.succeeded},
                      {"retried", s.retried},
                      {"failed", s.failed},
                      {"quarantined", s.quarantined},
                      {"released", s.released},
                      {"lost", s.lost},
                      {"cache_hits", s.cache_hits},
                      {"page_cache_hits", s.page_cache_hits}});
}

}  // namespace

int RunMigrate(const std::vector<std::string>& args) {
  ServiceFlags service;
  bool help = false;
  const FlagTable table = Concat({ServiceFlagRows(&service), {HelpFlag(&help)}});
  if (auto exit = ParseCommandLine("migrate", table, help, kMigrateIntro, args, nullptr)) {
    return *exit;
  }
  service.without_keyring = true;  // the schema only: no sealed value is read or written
  auto services = OpenServices(service, /*with_blobs=*/false, /*migrate=*/false);
  core::Result<int> version =
      services.ok() ? services->repo->Migrate() : core::Result<int>(services.status());
  if (!version.ok()) return Fail("migrate", version.status());
  std::printf("schema version %d\n", *version);
  return kExitOk;
}

int RunWorker(const std::vector<std::string>& args) {
  ShutdownSignals signals;  // before any thread exists
  WorkerFlags flags;
  if (auto exit = ParseCommandLine("worker", WorkerFlagTable(&flags), flags.help, kWorkerIntro,
                                   args, nullptr)) {
    return *exit;
  }
  core::Status st = AllowWebhooksFromEnv(&flags.webhooks);
  if (!st.ok()) return FailUsage("worker", st);
  auto llm_client = MakeLlmClient(flags.llm);
  if (!llm_client.ok()) return FailUsage("worker", llm_client.status());
  auto services = OpenServices(flags.service, /*with_blobs=*/true, /*migrate=*/true);
  if (!services.ok()) return Fail("worker", services.status());
  auto pipelines = CreateServicePipelines(flags.engine, flags.pipeline);
  if (!pipelines.ok()) return Fail("worker", pipelines.status());

  WarnLegacyWebhookSecret("worker", flags.webhooks);
  auto transport = jobs::MakeBlobsWebhookTransport(flags.webhooks.policy);
  jobs::WorkerOptions options = flags.worker;
  options.pipeline_fingerprint = pipelines->fingerprint;
  // Fields, the LLM (null without --llm) and redaction as the sync API does them.
  document::DocumentService documents(*pipelines->set, llm_client->get());
  auto telemetry =
      TelemetryScope::Start("smartocr-worker", *services->repo, DescribeEngines(*pipelines->set));
  if (!telemetry.ok()) return FailUsage("worker", telemetry.status());
  MetricsListener metrics;
  if (!flags.metrics_listen.empty()) {
    st = metrics.Start(flags.metrics_listen);
    if (!st.ok()) {
      return st.code() == core::StatusCode::kInvalidArgument ? FailUsage("worker", st)
                                                             : Fail("worker", st);
    }
  }
  jobs::Worker worker(*services->repo, *services->blobs, documents, options, jobs::RealClock(),
                      transport.get());
  nlohmann::ordered_json started = {{"worker", worker.options().worker_id},
                                    {"store", services->repo->backend()},
                                    {"concurrency", worker.options().concurrency},
                                    {"engines", DescribeEngines(*pipelines->set)}};
  if (!flags.metrics_listen.empty()) started["metrics_port"] = metrics.port();
  telemetry::LogJson("info", "started", started);
  signals.Start([&worker](int signal) {
    telemetry::LogJson("info", "signal " + std::to_string(signal) + ": finishing jobs in flight",
                       {{"worker", worker.options().worker_id}});
    worker.Stop();
  });
  worker.Run();
  signals.Finish();
  LogStopped(worker);
  return kExitOk;
}

}  // namespace smartocr::cli
