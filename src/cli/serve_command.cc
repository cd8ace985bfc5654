#include "cli/serve_command.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "api/access_log.h"
#include "api/api.h"
#include "api/auth.h"
#include "api/retention.h"
#include "cli/engine_factory.h"
#include "cli/extract_command.h"
#include "cli/worker_command.h"
#include "jobs/jobs.h"
#include "jobs/repository_page_cache.h"
#include "recognize/recognize.h"

namespace smartocr::cli {
namespace {

const char kServeUsage[] = R"(Usage: smartocr serve [options]

Serves the HTTP API (docs/api.md) with in-process queue workers until SIGTERM or
SIGINT; requests in flight are finished first. With no flags: SQLite and local blobs
under ./smartocr-data, one worker.

Options:
  --listen HOST:PORT    address to listen on (default: 127.0.0.1:8080; port 0 = any)
  --port-file PATH      write the port listened on to PATH once listening
%s  --workers N           in-process job workers (default: 1; 0 = none)
  --threads N           page workers shared by sync and async runs (default: cores)
  --redis URL           share rate limits through Redis (redis://host:port)
  --signing-secret S    key for local upload URLs, >= 16 bytes (env
                        SMARTOCR_SIGNING_SECRET; default: random per process)
  --public-url URL      how clients reach this server (for upload URLs)
  --allow-file-uris     accept file:// source_uri (trusted deployments only)
  --fetch-allow X       let http(s) source_uri reach this host, IP or CIDR (repeatable)
  --webhook-allow X     let webhooks reach this host, IP or CIDR (repeatable)
  --webhook-secret S    HMAC key for SmartOCR-Signature (env SMARTOCR_WEBHOOK_SECRET)
  --sync-timeout-ms N   default POST /ocr/extract deadline (default: 10000)
  --sync-max-bytes N    default POST /ocr/extract body limit (default: 5 MiB)
  --upload-max-bytes N  default upload body limit (default: 50 MiB)
  --rate-per-s R        default requests/s per key (burst 2x; default: 20, 0 = off)
  --tenant-rate-per-s R default requests/s per tenant (burst 2x; default: 50, 0 = off)
  --read-timeout-s N    slow-client limit per read (default: 10)
  --http-threads N      connections served at once (default: 32)
  --poll-ms N           worker wait between claims when idle (default: 500)
  --retention-sweep-s N delete finished jobs past their tenant's retention_days every
                        N seconds (default: 3600; 0 = never; fractions allowed)
  --engine NAME         auto (default: receipts on hybrid when the PP-OCR models are
                        installed, everything else on tesseract), tesseract, ppocr or
                        hybrid for every document (see smartocr extract --help)
  --models-dir DIR      PP-OCR model folder (default: env SMARTOCR_MODELS_DIR, else the
                        one scripts/install-deps.sh fills)
  --device DEV          cpu (default) or cuda for the PP-OCR models
  --lang LANGS          Tesseract languages (default: eng)
  --dpi N               PDF rasterization resolution (default: 300)
  -h, --help            this help
)";

const char kAdminUsage[] = R"(Usage: smartocr admin key create --tenant NAME --role ROLE [options]

Creates an API key (creating the tenant when needed) and prints it alone on the last
line. Roles: admin, reviewer, viewer, service. The key is not stored, only its hash.

Options:
%s)";

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

struct ServeFlags {
  ServiceFlags service;
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string port_file;
  int workers = 1;
  int threads = 0;
  int http_threads = 32;
  int64_t poll_ms = 500;
  double retention_sweep_s = 3600;
  std::string redis;
  std::string lang = "eng";
  EngineFlags engine;
  int dpi = 300;
  std::string webhook_secret = Env("SMARTOCR_WEBHOOK_SECRET");
  std::vector<std::string> fetch_allow, webhook_allow;
  api::ServerOptions server;
  bool help = false;
};

bool ParseNumber(const std::string& text, double lo, double hi, double* out) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || v < lo || v > hi) return false;
  *out = v;
  return true;
}

core::Result<ServeFlags> ParseServeFlags(const std::vector<std::string>& args) {
  ServeFlags f;
  f.server.signing_secret = Env("SMARTOCR_SIGNING_SECRET");
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    core::Status error;
    if (TakeServiceFlag(args, &i, &f.service, &error)) {
      if (!error.ok()) return error;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      f.help = true;
      continue;
    }
    if (arg == "--allow-file-uris") {
      f.server.allow_file_uris = true;
      continue;
    }
    std::string name = arg, value;
    if (size_t eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return core::InvalidArgument("usage", "unknown argument or missing value: '" + arg + "'");
    }
    double n = 0;
    auto number = [&](double lo, double hi) {
      if (ParseNumber(value, lo, hi, &n)) return true;
      std::string message = name;
      message += " needs a number, not '" + value + "'";
      error = core::InvalidArgument("usage", message);
      return false;
    };
    if (name == "--listen") {
      size_t colon = value.rfind(':');
      if (colon == std::string::npos || !ParseNumber(value.substr(colon + 1), 0, 65535, &n)) {
        return core::InvalidArgument("usage", "--listen needs HOST:PORT");
      }
      f.host = value.substr(0, colon);
      f.port = static_cast<int>(n);
    } else if (name == "--port-file") {
      f.port_file = value;
    } else if (name == "--workers") {
      if (number(0, 256)) f.workers = static_cast<int>(n);
    } else if (name == "--threads") {
      if (number(1, 256)) f.threads = static_cast<int>(n);
    } else if (name == "--http-threads") {
      if (number(1, 1024)) f.http_threads = static_cast<int>(n);
    } else if (name == "--poll-ms") {
      if (number(1, 60'000)) f.poll_ms = static_cast<int64_t>(n);
    } else if (name == "--retention-sweep-s") {
      if (number(0, 7 * 86'400)) f.retention_sweep_s = n;
    } else if (name == "--redis") {
      f.redis = value;
    } else if (name == "--signing-secret") {
      f.server.signing_secret = value;
    } else if (name == "--public-url") {
      f.server.public_url = value;
    } else if (name == "--fetch-allow") {
      f.fetch_allow.push_back(value);
    } else if (name == "--webhook-allow") {
      f.webhook_allow.push_back(value);
    } else if (name == "--webhook-secret") {
      f.webhook_secret = value;
    } else if (name == "--sync-timeout-ms") {
      if (number(1, 3'600'000)) f.server.defaults.sync_timeout_ms = static_cast<int64_t>(n);
    } else if (name == "--sync-max-bytes") {
      if (number(1, 1e10)) f.server.defaults.sync_max_bytes = static_cast<int64_t>(n);
    } else if (name == "--upload-max-bytes") {
      if (number(1, 1e10)) f.server.defaults.upload_max_bytes = static_cast<int64_t>(n);
    } else if (name == "--rate-per-s") {
      if (number(0, 1e6)) f.server.defaults.key_rate = {n, std::max(1.0, 2 * n)};
    } else if (name == "--tenant-rate-per-s") {
      if (number(0, 1e6)) f.server.defaults.tenant_rate = {n, std::max(1.0, 2 * n)};
    } else if (name == "--read-timeout-s") {
      if (number(1, 3600)) f.server.read_timeout_s = static_cast<int>(n);
    } else if (name == "--lang") {
      f.lang = value;
    } else if (name == "--engine") {
      f.engine.engine = value;
      std::string bad = CheckEngineName(value);
      if (!bad.empty()) return core::InvalidArgument("usage", bad);
    } else if (name == "--models-dir") {
      f.engine.models_dir = value;
    } else if (name == "--device") {
      f.engine.device = value;
    } else if (name == "--dpi") {
      if (number(72, 1200)) f.dpi = static_cast<int>(n);
    } else {
      return core::InvalidArgument("usage", "unknown argument '" + arg + "'");
    }
    if (!error.ok()) return error;
  }
  return f;
}

// SIGTERM/SIGINT go to one thread, which stops the server and the workers; a second
// signal exits at once.
class Signals {
 public:
  Signals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  void Start(std::function<void()> on_signal) {
    thread_ = std::thread([this, on_signal = std::move(on_signal)] {
      int received = 0;
      for (int n = 0;; ++n) {
        if (sigwait(&set_, &received) != 0 || done_.load()) return;
        if (n > 0) std::_Exit(128 + received);
        api::LogEvent("info", "signal " + std::to_string(received) + ": draining");
        on_signal();
      }
    });
  }
  ~Signals() { Finish(); }
  // Ends the watcher (before what it stops goes away).
  void Finish() {
    if (!thread_.joinable()) return;
    done_.store(true);
    pthread_kill(thread_.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
    thread_.join();
  }
  Signals(const Signals&) = delete;
  Signals& operator=(const Signals&) = delete;

 private:
  sigset_t set_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

int Fail(const char* command, const core::Status& status) {
  std::fprintf(stderr, "smartocr %s: %s\n", command, status.ToString().c_str());
  return ExitCodeFor(status);
}

}  // namespace

int RunServe(const std::vector<std::string>& args) {
  Signals signals;  // before any thread exists
  auto flags = ParseServeFlags(args);
  if (!flags.ok()) {
    std::fprintf(stderr, "smartocr serve: %s (see --help)\n", flags.status().message().c_str());
    return kExitUsage;
  }
  if (flags->help) {
    std::printf(kServeUsage, ServiceFlagsUsage());
    return kExitOk;
  }
  auto services = OpenServices(flags->service, /*with_blobs=*/true, /*migrate=*/true);
  if (!services.ok()) return Fail("serve", services.status());
  EngineFlags engine_flags = flags->engine;
  engine_flags.tesseract.lang = flags->lang;
  pipeline::PipelineOptions pipeline_options;
  pipeline_options.threads = flags->threads;
  pipeline_options.ingest.dpi = flags->dpi;
  // Pages shared through the database, as in `smartocr worker`: a retried or re-run job,
  // or a page sent again to the sync API, skips the pages already read.
  jobs::RepositoryPageCache page_cache(*services->repo, jobs::RealClock());
  pipeline_options.page_cache = &page_cache;
  // One set for the sync API and the in-process workers: one pool of page workers.
  auto pipelines = CreatePipelineSet(engine_flags, pipeline_options);
  if (!pipelines.ok()) return Fail("serve", pipelines.status());
  // One document service for both: the sync API and the workers give the same results.
  document::DocumentService documents(**pipelines, /*llm=*/nullptr);

  api::ServerOptions options = flags->server;
  options.host = flags->host;
  options.port = flags->port;
  options.threads = flags->http_threads;
  if (options.signing_secret.empty()) options.signing_secret = store::NewId("sig");
  for (const std::string& entry : flags->fetch_allow) {
    core::Status st = options.fetch_policy.Allow(entry);
    if (!st.ok()) return Fail("serve", st);
  }
  std::unique_ptr<api::RateLimiter> limiter = std::make_unique<api::LocalRateLimiter>();
  if (!flags->redis.empty()) {
    auto redis = api::OpenRedisRateLimiter(flags->redis);
    if (!redis.ok()) return Fail("serve", redis.status());
    limiter = std::move(*redis);
  }
  std::string data_dir =
      !flags->service.data_dir.empty() ? flags->service.data_dir : Env("SMARTOCR_DATA_DIR");
  if (data_dir.empty()) data_dir = "smartocr-data";
  api::ApiDeps deps{.repo = services->repo.get(),
                    .blobs = services->blobs.get(),
                    .blobs_url = services->blobs_url,
                    .pipelines = pipelines->get(),
                    .documents = &documents,
                    .limiter = limiter.get(),
                    .data_dir = data_dir};
  api::ApiServer server(deps, options);
  core::Status st = server.Bind();
  if (!st.ok()) return Fail("serve", st);

  blobs::UrlPolicy webhook_policy;
  for (const std::string& entry : flags->webhook_allow) {
    st = webhook_policy.Allow(entry);
    if (!st.ok()) return Fail("serve", st);
  }
  auto transport = jobs::MakeBlobsWebhookTransport(flags->webhook_secret, webhook_policy);
  std::unique_ptr<jobs::Worker> worker;
  std::thread worker_thread;
  if (flags->workers > 0) {
    jobs::WorkerOptions wo;
    wo.concurrency = flags->workers;
    wo.poll_ms = flags->poll_ms;
    wo.grace_ms = 10'000;
    wo.pipeline_fingerprint = "lang=" + flags->lang + ";dpi=" + std::to_string(flags->dpi);
    worker = std::make_unique<jobs::Worker>(*services->repo, *services->blobs, documents, wo,
                                            jobs::RealClock(), transport.get());
    worker_thread = std::thread([&] { worker->Run(); });
  }
  std::unique_ptr<api::RetentionSweeper> retention;
  if (flags->retention_sweep_s > 0) {
    retention = std::make_unique<api::RetentionSweeper>(*services->repo, *services->blobs,
                                                        jobs::RealClock());
    retention->Start(std::max<int64_t>(1, std::llround(flags->retention_sweep_s * 1000)));
  }
  signals.Start([&] {
    server.Stop();
    if (worker) worker->Stop();
    if (retention) retention->Stop();
  });
  if (!flags->port_file.empty()) {
    std::ofstream(flags->port_file + ".tmp") << server.port() << "\n";
    std::rename((flags->port_file + ".tmp").c_str(), flags->port_file.c_str());
  }
  api::LogEvent("info", "listening on " + flags->host + ":" + std::to_string(server.port()) + " (" +
                            services->repo->backend() + ", " + std::to_string(flags->workers) +
                            " workers, engines " + DescribeEngines(**pipelines) + ")");
  server.Run();
  if (retention) retention->Stop();
  if (worker) {
    worker->Stop();
    worker_thread.join();
  }
  signals.Finish();
  api::LogEvent("info", "stopped");
  return kExitOk;
}

int RunAdmin(const std::vector<std::string>& args) {
  if (args.size() < 2 || args[0] != "key" || args[1] != "create") {
    if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
      std::printf(kAdminUsage, ServiceFlagsUsage());
      return kExitOk;
    }
    std::fprintf(stderr, "smartocr admin: expected 'key create' (see --help)\n");
    return kExitUsage;
  }
  ServiceFlags service;
  std::string tenant, role_name;
  for (size_t i = 2; i < args.size(); ++i) {
    core::Status error;
    if (TakeServiceFlag(args, &i, &service, &error)) {
      if (!error.ok()) return Fail("admin", error);
      continue;
    }
    if (args[i] == "-h" || args[i] == "--help") {
      std::printf(kAdminUsage, ServiceFlagsUsage());
      return kExitOk;
    }
    if ((args[i] == "--tenant" || args[i] == "--role") && i + 1 < args.size()) {
      (args[i] == "--tenant" ? tenant : role_name) = args[i + 1];
      ++i;
      continue;
    }
    std::fprintf(stderr, "smartocr admin: unknown argument '%s'\n", args[i].c_str());
    return kExitUsage;
  }
  auto role = store::ParseRole(role_name);
  if (tenant.empty() || !role) {
    std::fprintf(stderr,
                 "smartocr admin: --tenant and --role (admin, reviewer, viewer, service) are "
                 "required\n");
    return kExitUsage;
  }
  auto services = OpenServices(service, /*with_blobs=*/false, /*migrate=*/true);
  if (!services.ok()) return Fail("admin", services.status());
  const int64_t now = jobs::RealClock().NowMs();
  core::Status st = api::EnsureTenant(*services->repo, tenant, now);
  if (!st.ok()) return Fail("admin", st);
  api::NewKey key = api::GenerateKey(tenant, *role, now);
  st = services->repo->CreateApiKey(key.row);
  if (!st.ok()) return Fail("admin", st);
  store::AuditEntry audit;
  audit.tenant_id = tenant;
  audit.actor = "cli";
  audit.action = "key.create";
  audit.after_json = "{\"key_id\":\"" + key.row.id + "\",\"role\":\"" + role_name + "\"}";
  audit.created_at = now;
  (void)services->repo->AppendAudit(audit);
  std::fprintf(stderr, "created key %s (prefix %s, tenant %s, role %s)\n", key.row.id.c_str(),
               key.row.prefix.c_str(), tenant.c_str(), role_name.c_str());
  std::printf("%s\n", key.key.c_str());
  return kExitOk;
}

}  // namespace smartocr::cli
