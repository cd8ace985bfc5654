#include "cli/worker_command.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "blobs/webhook.h"
#include "cli/engine_factory.h"
#include "cli/extract_command.h"
#include "jobs/jobs.h"
#include "jobs/repository_page_cache.h"
#include "pipeline/pipeline.h"
#include "recognize/recognize.h"

namespace smartocr::cli {
namespace {

const char kWorkerUsage[] = R"(Usage: smartocr worker [options]

Takes OCR jobs off the queue and runs them until SIGTERM or SIGINT (jobs in flight
get --grace-ms to finish, then go back to the queue). A second signal exits at once.

Options:
%s  --concurrency N       jobs processed at once (default: 1)
  --threads N           page workers shared by those jobs (default: cores)
  --once                exit once no job is queued or running anywhere
  --worker-id ID        name in the job's lease (default: host-pid-random)
  --lease-ms N          lease length (default: 30000); heartbeats every third
  --heartbeat-ms N      heartbeat interval (default: lease / 3)
  --poll-ms N           wait between claims when the queue is empty (default: 500)
  --grace-ms N          shutdown grace for jobs in flight (default: 30000)
  --retry-base-ms N     first retry delay ceiling (default: 2000), doubling per attempt
  --retry-cap-ms N      longest retry delay (default: 300000)
  --webhook-secret S    HMAC key for SmartOCR-Signature (env SMARTOCR_WEBHOOK_SECRET)
  --webhook-allow X     also allow webhooks to this host, IP or CIDR (repeatable; env
                        SMARTOCR_WEBHOOK_ALLOW, comma-separated)
  --webhook-retry-base-ms N  first webhook retry delay ceiling (default: 2000)
  --lang LANGS          Tesseract languages (default: eng)
  --engine NAME         auto (default: receipts on hybrid when the PP-OCR models are
                        installed, everything else on tesseract), tesseract, ppocr or
                        hybrid for every job (see smartocr extract --help)
  --models-dir DIR      PP-OCR model folder (default: env SMARTOCR_MODELS_DIR, else the
                        one scripts/install-deps.sh fills)
  --device DEV          cpu (default) or cuda for the PP-OCR models
  --dpi N               PDF rasterization resolution (default: 300)
  --no-cache            do not use or fill the stage cache
  -h, --help            this help
)";

const char kServiceFlags[] =
    "  --data-dir DIR        data directory (default: ./smartocr-data; env SMARTOCR_DATA_DIR)\n"
    "  --database URL        sqlite:///path.db or postgresql://... (default:\n"
    "                        sqlite:///<data-dir>/smartocr.db; env SMARTOCR_DATABASE_URL)\n"
    "  --blobs URL           directory, file:///dir or s3://bucket?endpoint=... (default:\n"
    "                        <data-dir>/blobs; env SMARTOCR_BLOBS_URL)\n";

core::Status Usage(const std::string& message) { return core::InvalidArgument("usage", message); }

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

// "--flag value" or "--flag=value": true when args[*i] is `name`; the value goes to
// *value (an error when missing).
bool TakeValue(const std::vector<std::string>& args, size_t* i, const std::string& name,
               std::string* value, core::Status* error) {
  const std::string& arg = args[*i];
  if (arg.rfind(name + "=", 0) == 0) {
    *value = arg.substr(name.size() + 1);
    return true;
  }
  if (arg != name) return false;
  if (*i + 1 >= args.size()) {
    *error = Usage(name + " needs a value");
    return true;
  }
  *value = args[++*i];
  return true;
}

core::Status ParseInt(const std::string& name, const std::string& text, int64_t lo, int64_t hi,
                      int64_t* out) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi) {
    return Usage(name + " needs a number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                 ", not '" + text + "'");
  }
  *out = v;
  return core::Status::Ok();
}

struct WorkerFlags {
  ServiceFlags service;
  jobs::WorkerOptions worker;
  int threads = 0;
  std::string lang = "eng";
  EngineFlags engine;
  int dpi = 300;
  std::string webhook_secret = Env("SMARTOCR_WEBHOOK_SECRET");
  std::vector<std::string> webhook_allow;
  bool help = false;
};

core::Result<WorkerFlags> ParseWorkerFlags(const std::vector<std::string>& args) {
  WorkerFlags f;
  for (std::string entry = Env("SMARTOCR_WEBHOOK_ALLOW"); !entry.empty();) {
    size_t comma = entry.find(',');
    if (!entry.substr(0, comma).empty()) f.webhook_allow.push_back(entry.substr(0, comma));
    entry = comma == std::string::npos ? "" : entry.substr(comma + 1);
  }
  struct IntFlag {
    const char* name;
    int64_t lo, hi;
    int64_t* out;
  };
  int64_t concurrency = 1, threads = 0, dpi = 300;
  jobs::WorkerOptions& w = f.worker;
  const IntFlag int_flags[] = {
      {"--concurrency", 1, 256, &concurrency},
      {"--threads", 1, 256, &threads},
      {"--dpi", 72, 1200, &dpi},
      {"--lease-ms", 100, 86'400'000, &w.lease_ms},
      {"--heartbeat-ms", 10, 86'400'000, &w.heartbeat_ms},
      {"--poll-ms", 1, 3'600'000, &w.poll_ms},
      {"--grace-ms", 0, 86'400'000, &w.grace_ms},
      {"--retry-base-ms", 0, 86'400'000, &w.retry.base_ms},
      {"--retry-cap-ms", 0, 86'400'000, &w.retry.cap_ms},
      {"--webhook-retry-base-ms", 0, 86'400'000, &w.webhooks.retry.base_ms},
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    core::Status error;
    std::string value;
    bool matched = TakeServiceFlag(args, &i, &f.service, &error);
    for (const IntFlag& flag : int_flags) {
      if (matched) break;
      if (!TakeValue(args, &i, flag.name, &value, &error)) continue;
      matched = true;
      if (error.ok()) error = ParseInt(flag.name, value, flag.lo, flag.hi, flag.out);
    }
    if (matched || TakeValue(args, &i, "--worker-id", &w.worker_id, &error) ||
        TakeValue(args, &i, "--webhook-secret", &f.webhook_secret, &error) ||
        TakeValue(args, &i, "--lang", &f.lang, &error) ||
        TakeValue(args, &i, "--engine", &f.engine.engine, &error) ||
        TakeValue(args, &i, "--models-dir", &f.engine.models_dir, &error) ||
        TakeValue(args, &i, "--device", &f.engine.device, &error)) {
      // the value is stored
    } else if (TakeValue(args, &i, "--webhook-allow", &value, &error)) {
      f.webhook_allow.push_back(value);
    } else if (arg == "--once") {
      w.exit_when_idle = true;
    } else if (arg == "--no-cache") {
      w.use_cache = false;
    } else if (arg == "-h" || arg == "--help") {
      f.help = true;
    } else {
      return Usage("unknown argument '" + arg + "'");
    }
    if (!error.ok()) return error;
  }
  std::string bad_engine = CheckEngineName(f.engine.engine);
  if (!bad_engine.empty()) return Usage(bad_engine);
  w.concurrency = static_cast<int>(concurrency);
  f.threads = static_cast<int>(threads);
  f.dpi = static_cast<int>(dpi);
  return f;
}

// Signals go to one thread, which asks the worker to stop; a second signal exits.
class SignalWatcher {
 public:
  // Must run before any thread starts, so every thread inherits the blocked mask.
  SignalWatcher() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  void Start(jobs::Worker& worker) {
    thread_ = std::thread([this, &worker] {
      int received = 0;
      for (int n = 0; !done_.load(); ++n) {
        if (sigwait(&set_, &received) != 0 || done_.load()) return;
        if (n > 0) std::_Exit(128 + received);
        std::fprintf(stderr, "smartocr worker: signal %d: finishing jobs in flight\n", received);
        worker.Stop();
      }
    });
  }
  ~SignalWatcher() { Finish(); }
  // Ends the watching thread (call before the worker it stops goes away).
  void Finish() {
    if (!thread_.joinable()) return;
    done_.store(true);
    // Wakes sigwait; the watcher thread returns because done_ is set, it is not killed.
    pthread_kill(thread_.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
    thread_.join();
  }

 private:
  sigset_t set_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace

const char* ServiceFlagsUsage() { return kServiceFlags; }

bool TakeServiceFlag(const std::vector<std::string>& args, size_t* i, ServiceFlags* flags,
                     core::Status* error) {
  return TakeValue(args, i, "--data-dir", &flags->data_dir, error) ||
         TakeValue(args, i, "--database", &flags->database, error) ||
         TakeValue(args, i, "--blobs", &flags->blobs, error);
}

core::Result<Services> OpenServices(const ServiceFlags& flags, bool with_blobs, bool migrate) {
  Services s;
  std::string dir = !flags.data_dir.empty() ? flags.data_dir : Env("SMARTOCR_DATA_DIR");
  if (dir.empty()) dir = "smartocr-data";
  std::error_code ec;
  const std::filesystem::path data_dir = std::filesystem::absolute(dir, ec);
  s.database_url = !flags.database.empty() ? flags.database : Env("SMARTOCR_DATABASE_URL");
  s.blobs_url = !flags.blobs.empty() ? flags.blobs : Env("SMARTOCR_BLOBS_URL");
  const bool uses_data_dir = s.database_url.empty() || (with_blobs && s.blobs_url.empty());
  if (uses_data_dir && !std::filesystem::is_directory(data_dir)) {
    std::filesystem::create_directories(data_dir, ec);
    if (ec) {
      return core::IoError("data_dir", "cannot create " + data_dir.string() + ": " + ec.message());
    }
  }
  if (s.database_url.empty()) s.database_url = "sqlite://" + (data_dir / "smartocr.db").string();
  if (s.blobs_url.empty()) s.blobs_url = (data_dir / "blobs").string();

  auto repo = store::OpenRepository(s.database_url);
  if (!repo.ok()) return repo.status();
  s.repo = std::move(*repo);
  if (migrate) {
    auto version = s.repo->Migrate();
    if (!version.ok()) return version.status().WithContext("migrating " + s.database_url);
  }
  if (with_blobs) {
    auto blobs = blobs::OpenBlobStore(s.blobs_url);
    if (!blobs.ok()) return blobs.status();
    s.blobs = std::move(*blobs);
  }
  return s;
}

int ExitCodeFor(const core::Status& status) {
  if (status.code() == core::StatusCode::kInvalidArgument && status.reason() == "usage") {
    return kExitUsage;
  }
  if (core::IsInputRejection(status.code()) ||
      status.code() == core::StatusCode::kInvalidArgument) {
    return kExitInputRejected;
  }
  return kExitProcessingFailed;
}

int RunMigrate(const std::vector<std::string>& args) {
  ServiceFlags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    core::Status error;
    if (args[i] == "-h" || args[i] == "--help") {
      std::printf("Usage: smartocr migrate [options]\n\nApplies pending schema migrations.\n\n%s",
                  kServiceFlags);
      return kExitOk;
    }
    if (!TakeServiceFlag(args, &i, &flags, &error)) {
      error = Usage("unknown argument '" + args[i] + "'");
    }
    if (!error.ok()) {
      std::fprintf(stderr, "smartocr migrate: %s\n", error.message().c_str());
      return kExitUsage;
    }
  }
  auto services = OpenServices(flags, /*with_blobs=*/false, /*migrate=*/false);
  core::Result<int> version =
      services.ok() ? services->repo->Migrate() : core::Result<int>(services.status());
  if (!version.ok()) {
    std::fprintf(stderr, "smartocr migrate: %s\n", version.status().ToString().c_str());
    return ExitCodeFor(version.status());
  }
  std::printf("schema version %d\n", *version);
  return kExitOk;
}

int RunWorker(const std::vector<std::string>& args) {
  SignalWatcher signals;  // before any thread exists
  auto flags = ParseWorkerFlags(args);
  if (!flags.ok()) {
    std::fprintf(stderr, "smartocr worker: %s\n", flags.status().message().c_str());
    return kExitUsage;
  }
  if (flags->help) {
    std::printf(kWorkerUsage, kServiceFlags);
    return kExitOk;
  }
  auto services = OpenServices(flags->service, /*with_blobs=*/true, /*migrate=*/true);
  if (!services.ok()) {
    std::fprintf(stderr, "smartocr worker: %s\n", services.status().ToString().c_str());
    return ExitCodeFor(services.status());
  }
  EngineFlags engine_flags = flags->engine;
  engine_flags.tesseract.lang = flags->lang;
  pipeline::PipelineOptions pipeline_options;
  pipeline_options.threads = flags->threads;
  pipeline_options.ingest.dpi = flags->dpi;
  // Pages shared through the database: a retried or re-run job skips finished pages.
  // Their keys name the engine, so the pipelines of several engines share it.
  jobs::RepositoryPageCache page_cache(*services->repo, jobs::RealClock());
  if (flags->worker.use_cache) pipeline_options.page_cache = &page_cache;
  auto pipelines = CreatePipelineSet(engine_flags, pipeline_options);
  if (!pipelines.ok()) {
    std::fprintf(stderr, "smartocr worker: %s\n", pipelines.status().ToString().c_str());
    return ExitCodeFor(pipelines.status());
  }

  blobs::UrlPolicy policy;
  for (const std::string& entry : flags->webhook_allow) {
    core::Status st = policy.Allow(entry);
    if (!st.ok()) {
      std::fprintf(stderr, "smartocr worker: --webhook-allow %s: %s\n", entry.c_str(),
                   st.message().c_str());
      return kExitUsage;
    }
  }
  if (flags->webhook_secret.empty()) {
    std::fprintf(stderr,
                 "smartocr worker: warning: no webhook secret; signatures use an empty key\n");
  }
  auto transport = jobs::MakeBlobsWebhookTransport(flags->webhook_secret, policy);

  jobs::WorkerOptions options = flags->worker;
  options.pipeline_fingerprint = "lang=" + flags->lang + ";dpi=" + std::to_string(flags->dpi);
  document::DocumentService documents(**pipelines, /*llm=*/nullptr);
  jobs::Worker worker(*services->repo, *services->blobs, documents, options, jobs::RealClock(),
                      transport.get());
  std::fprintf(stderr, "smartocr worker %s: started (%s, concurrency %d, engines %s)\n",
               worker.options().worker_id.c_str(), services->repo->backend().c_str(),
               worker.options().concurrency, DescribeEngines(**pipelines).c_str());
  signals.Start(worker);
  worker.Run();
  signals.Finish();
  jobs::WorkerStats s = worker.stats();
  std::fprintf(stderr,
               "smartocr worker %s: stopped: claimed %lld, succeeded %lld, retried %lld, "
               "failed %lld, quarantined %lld, released %lld, lost %lld, cache hits %lld "
               "(documents), %lld (pages)\n",
               worker.options().worker_id.c_str(), static_cast<long long>(s.claimed),
               static_cast<long long>(s.succeeded), static_cast<long long>(s.retried),
               static_cast<long long>(s.failed), static_cast<long long>(s.quarantined),
               static_cast<long long>(s.released), static_cast<long long>(s.lost),
               static_cast<long long>(s.cache_hits), static_cast<long long>(page_cache.hits()));
  return kExitOk;
}

}  // namespace smartocr::cli
