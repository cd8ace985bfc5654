#include "cli/serve_command.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <thread>

#include "api/access_log.h"
#include "api/api.h"
#include "api/auth.h"
#include "api/retention.h"
#include "cli/cli_log.h"
#include "cli/common_flags.h"
#include "cli/extract_command.h"
#include "cli/flag_table.h"
#include "cli/service_setup.h"
#include "cli/signals.h"
#include "cli/telemetry_setup.h"
#include "document/document.h"
#include "jobs/jobs.h"
#include "llm/llm.h"

namespace smartocr::cli {
namespace {

// How long a stopping server keeps delivering review events still queued.
constexpr int64_t kReviewWebhookDrainMs = 5'000;

const char kServeIntro[] = R"(Usage: smartocr serve [options]

Serves the HTTP API (docs/api.md) with in-process queue workers until SIGTERM or
SIGINT; requests in flight are finished first. With no flags: SQLite and local blobs
under ./smartocr-data, one worker. With --tls-cert and --tls-key it speaks HTTPS only
(TLS 1.2+), and SIGHUP reads both files again (docs/security.md). With --oidc-issuer,
--oidc-audience and --oidc-jwks it also takes an OpenID provider's tokens.
)";

struct ServeFlags {
  ServiceFlags service;
  std::string port_file;
  int workers = 1;
  int64_t poll_ms = 500;
  double retention_sweep_s = 3600;
  double upload_ttl_s = 86'400;  // an upload never submitted lives a day
  std::string redis;
  EngineFlags engine;
  pipeline::PipelineOptions pipeline;  // threads and dpi
  WebhookFlags webhooks;
  api::ServerOptions server;  // listen address, HTTP threads, limits, URLs
  bool llm = false;
  bool help = false;
};

// --listen HOST:PORT into server.host and server.port.
core::Status SetListen(const std::string& value, api::ServerOptions* server) {
  size_t colon = value.rfind(':');
  int port = -1;
  if (colon != std::string::npos) {
    const char* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data() + colon + 1, end, port);
    if (ec != std::errc() || ptr != end) port = -1;
  }
  if (port < 0 || port > 65535) return UsageError("--listen needs HOST:PORT");
  server->host = value.substr(0, colon);
  server->port = port;
  return core::Status::Ok();
}

FlagSpec ListenFlag(api::ServerOptions* server) {
  return {"--listen", "HOST:PORT", "address to listen on (default: 127.0.0.1:8080; port 0 = any)",
          [server](const std::string& value) { return SetListen(value, server); }};
}

// Sets a rate and its burst (twice the rate, at least 1).
std::function<void(double)> RateSetter(api::BucketSpec* bucket) {
  return [bucket](double n) { *bucket = {n, std::max(1.0, 2 * n)}; };
}

// The API server's own rows but --listen.
FlagTable ServerFlagRows(api::ServerOptions* s) {
  api::TenantLimits& d = s->defaults;
  return {
      TextFlag("--signing-secret", "S",
               "key for local upload URLs, >= 16 bytes (env SMARTOCR_SIGNING_SECRET; default: "
               "random per process)",
               &s->signing_secret),
      TextFlag("--public-url", "URL", "how clients reach this server (for upload URLs)",
               &s->public_url),
      TextFlag("--tls-cert", "FILE",
               "serve HTTPS with this PEM certificate chain (with --tls-key; SIGHUP reloads)",
               &s->tls_cert_file),
      TextFlag("--tls-key", "FILE", "the certificate's PEM private key (unencrypted)",
               &s->tls_key_file),
      TextFlag("--ui-dir", "DIR",
               "the review UI's built files, served at /review/ (env SMARTOCR_UI_DIR; default: "
               "this build's web/review/dist)",
               &s->ui_dir),
      SwitchFlag("--allow-file-uris", "accept file:// source_uri (trusted deployments only)",
                 &s->allow_file_uris),
      {"--fetch-allow", "X", "let http(s) source_uri reach this host, IP or CIDR (repeatable)",
       [s](const std::string& value) {
         core::Status st = s->fetch_policy.Allow(value);
         return st.ok() ? st : UsageError("--fetch-allow: " + st.message());
       }},
      IntFlag("--sync-timeout-ms", "N", "default POST /ocr/extract deadline (default: 10000)", 1,
              3'600'000, &d.sync_timeout_ms),
      IntFlag("--sync-max-bytes", "N", "default POST /ocr/extract body limit (default: 5 MiB)", 1,
              10'000'000'000, &d.sync_max_bytes),
      IntFlag("--upload-max-bytes", "N", "default upload body limit (default: 50 MiB)", 1,
              10'000'000'000, &d.upload_max_bytes),
      RealFlag("--rate-per-s", "R", "default requests/s per key (burst 2x; default: 20, 0 = off)",
               0, 1e6, RateSetter(&d.key_rate)),
      RealFlag("--tenant-rate-per-s", "R",
               "default requests/s per tenant (burst 2x; default: 50, 0 = off)", 0, 1e6,
               RateSetter(&d.tenant_rate)),
      RealFlag("--public-rate-per-s", "R",
               "requests/s per client address to public routes (burst 2x; default: 50)", 0.01, 1e6,
               RateSetter(&s->public_rate)),
      RealFlag("--auth-failure-rate-per-s", "R",
               "failed sign-ins/s per client address before 429 (burst 10x; default: 5)", 0.01, 1e6,
               [s](double n) {
                 s->auth_failure_rate = {n, std::max(1.0, 10 * n)};
               }),
      IntFlag("--read-timeout-s", "N", "deadline for a request's head (default: 10)", 1, 3600,
              &s->read_timeout_s),
      IntFlag("--body-timeout-s", "N", "deadline for a request's body (default: 120)", 1, 3600,
              &s->body_timeout_s),
      IntFlag("--http-threads", "N", "requests handled at once (default: 32)", 1, 1024,
              &s->threads),
      IntFlag("--max-connections", "N", "connections open at once (default: 1024)", 1, 1'000'000,
              &s->max_connections),
      IntFlag("--max-connections-per-client", "N",
              "connections open at once from one address (default: 64)", 1, 1'000'000,
              &s->max_connections_per_client),
  };
}

// Sign-in with an OpenID provider's tokens (api/oidc.h).
FlagTable OidcFlagRows(api::OidcOptions* o) {
  return {
      TextFlag("--oidc-issuer", "URL", "accept bearer JWTs from this issuer (iss) beside API keys",
               &o->issuer),
      TextFlag("--oidc-audience", "AUD", "the audience (aud) tokens must be for", &o->audience),
      TextFlag("--oidc-jwks", "FILE|URL",
               "the issuer's signing keys (JWKS); a URL is fetched under --fetch-allow", &o->jwks),
      TextFlag("--oidc-tenant-claim", "NAME", "the claim naming the tenant (default: tenant)",
               &o->tenant_claim),
      TextFlag("--oidc-role-claim", "NAME",
               "the claim (string or array) giving the role (default: roles)", &o->role_claim),
      {"--oidc-role-map", "G=ROLE,...",
       "map claim values (groups) to roles; default: the values are role names",
       [o](const std::string& value) {
         auto map = api::ParseRoleMap(value);
         if (!map.ok()) return UsageError("--oidc-role-map: " + map.status().message());
         o->role_map = std::move(*map);
         return core::Status::Ok();
       }},
      TextFlag("--oidc-client-id", "ID", "the review UI's public client id (default: the audience)",
               &o->client_id),
  };
}

// The operator's ceilings on what tenants may set for themselves (settings.h), and the
// JSON body limit.
FlagTable CeilingFlagRows(api::ServerOptions* s) {
  api::TenantLimits& c = s->ceilings;
  return {
      IntFlag("--max-json-bytes", "N", "limit of any JSON request body (default: 1 MiB)", 1024,
              1'000'000'000, &s->max_json_bytes),
      IntFlag("--tenant-max-sync-timeout-ms", "N",
              "most a tenant may set sync_timeout_ms to (default: 120000)", 1, 3'600'000,
              &c.sync_timeout_ms),
      IntFlag("--tenant-max-sync-bytes", "N",
              "most a tenant may set sync_max_bytes to (default: 50 MiB)", 1, 10'000'000'000,
              &c.sync_max_bytes),
      IntFlag("--tenant-max-upload-bytes", "N",
              "most a tenant may set upload_max_bytes to (default: 200 MiB)", 1, 10'000'000'000,
              &c.upload_max_bytes),
      RealFlag("--tenant-max-rate-per-s", "R",
               "most a tenant may set rate_per_s to (burst: 2x; default: 200; 0 = no ceiling)", 0,
               1e6, RateSetter(&c.key_rate)),
      RealFlag("--tenant-max-tenant-rate-per-s", "R",
               "most a tenant may set tenant_rate_per_s to (burst: 2x; default: 500; 0 = no "
               "ceiling)",
               0, 1e6, RateSetter(&c.tenant_rate)),
  };
}

FlagTable ServeFlagTable(ServeFlags* f) {
  return Concat({
      {ListenFlag(&f->server),
       TextFlag("--port-file", "PATH", "write the port listened on to PATH once listening",
                &f->port_file)},
      ServiceFlagRows(&f->service),
      {IntFlag("--workers", "N", "in-process job workers (default: 1; 0 = none)", 0, 256,
               &f->workers),
       ThreadsFlag(&f->pipeline.threads),
       TextFlag("--redis", "URL", "share rate limits through Redis (redis://host:port)",
                &f->redis)},
      ServerFlagRows(&f->server),
      CeilingFlagRows(&f->server),
      OidcFlagRows(&f->server.oidc),
      WebhookFlagRows(&f->webhooks),
      {IntFlag("--poll-ms", "N", "worker wait between claims when idle (default: 500)", 1, 60'000,
               &f->poll_ms),
       RealFlag("--retention-sweep-s", "N",
                "delete finished jobs past their tenant's retention_days every N seconds "
                "(default: 3600; 0 = never; fractions allowed)",
                0, 7 * 86'400, [f](double n) { f->retention_sweep_s = n; }),
       RealFlag("--upload-ttl-s", "N",
                "delete uploads never submitted as a job N seconds after their URL was "
                "issued, at the next retention sweep (default: 86400)",
                1, 365 * 86'400, [f](double n) { f->upload_ttl_s = n; })},
      EngineFlagRows(&f->engine),
      {DpiFlag(&f->pipeline.ingest), LlmFlag(&f->llm), HelpFlag(&f->help)},
  });
}

// What the server and its workers run on, built once the flags are read.
struct ServeDeps {
  Services services;
  ServicePipelines pipelines;  // one set for the sync API and the in-process workers
  std::unique_ptr<api::RateLimiter> limiter;
  std::unique_ptr<jobs::WebhookTransport> webhooks;
  std::unique_ptr<llm::LlmClient> llm;  // null without --llm
};

core::Result<ServeDeps> OpenServeDeps(const ServeFlags& flags,
                                      std::unique_ptr<llm::LlmClient> llm) {
  ServeDeps deps;
  auto services = OpenServices(flags.service, /*with_blobs=*/true, /*migrate=*/true);
  if (!services.ok()) return services.status();
  deps.services = std::move(*services);
  auto pipelines = CreateServicePipelines(flags.engine, flags.pipeline);
  if (!pipelines.ok()) return pipelines.status();
  deps.pipelines = std::move(*pipelines);
  deps.limiter = std::make_unique<api::LocalRateLimiter>();
  if (!flags.redis.empty()) {
    auto redis = api::OpenRedisRateLimiter(flags.redis);
    if (!redis.ok()) return redis.status();
    deps.limiter = std::move(*redis);
  }
  WarnLegacyWebhookSecret("serve", flags.webhooks);
  deps.webhooks = jobs::MakeBlobsWebhookTransport(flags.webhooks.policy);
  deps.llm = std::move(llm);
  return deps;
}

// SIGHUP: the TLS certificate and key read again; a failure keeps the old ones.
void ReloadOnHangup(api::ApiServer& server, const api::ServerOptions& options) {
  if (options.tls_cert_file.empty()) {
    api::LogEvent("info", "SIGHUP: nothing to reload (no --tls-cert)");
    return;
  }
  core::Status reloaded = server.ReloadTls();
  if (reloaded.ok()) {
    api::LogEvent("info", "SIGHUP: TLS certificate and key reloaded");
  } else {
    api::LogEvent("error",
                  "SIGHUP: TLS reload failed, the old certificate stays: " + reloaded.message());
  }
}

// Runs the server (and the workers and the retention sweeper) until a signal.
int Serve(const ServeFlags& flags, ServeDeps& deps, ShutdownSignals& signals) {
  api::ServerOptions options = flags.server;
  if (options.signing_secret.empty()) options.signing_secret = store::NewId("sig");
  store::Repository& repo = *deps.services.repo;
  // One document service for the sync API and the in-process workers: the same
  // pipelines and the same LLM (null without --llm), so both give the same results.
  document::DocumentService documents(*deps.pipelines.set, deps.llm.get());
  auto telemetry =
      TelemetryScope::Start("smartocr-api", repo, DescribeEngines(*deps.pipelines.set));
  if (!telemetry.ok()) return FailUsage("serve", telemetry.status());
  // Review decisions' webhook events, delivered (and retried) beside the workers' own.
  jobs::WebhookDispatcher review_webhooks(repo, *deps.webhooks, jobs::RealClock(), {});
  std::thread review_webhooks_thread([&review_webhooks] { review_webhooks.Run(); });
  api::ApiDeps api_deps{.repo = repo,
                        .blobs = *deps.services.blobs,
                        .blobs_url = deps.services.blobs_url,
                        .pipelines = *deps.pipelines.set,
                        .documents = documents,
                        .limiter = *deps.limiter,
                        .data_dir = deps.services.data_dir,
                        .webhooks = &review_webhooks};
  api::ApiServer server(api_deps, options);
  auto stop_review_webhooks = [&] {
    review_webhooks.Stop(jobs::RealClock().NowMs() + kReviewWebhookDrainMs);
    review_webhooks_thread.join();
  };
  core::Status st = server.Bind();
  if (!st.ok()) {
    stop_review_webhooks();
    return Fail("serve", st);
  }

  std::unique_ptr<jobs::Worker> worker;
  std::thread worker_thread;
  if (flags.workers > 0) {
    jobs::WorkerOptions wo;
    wo.concurrency = flags.workers;
    wo.poll_ms = flags.poll_ms;
    wo.grace_ms = 10'000;
    wo.pipeline_fingerprint = deps.pipelines.fingerprint;
    wo.webhooks.api_url = server.public_url();  // result_url in webhook events
    worker = std::make_unique<jobs::Worker>(repo, *deps.services.blobs, documents, wo,
                                            jobs::RealClock(), deps.webhooks.get());
    worker_thread = std::thread([&] { worker->Run(); });
  }
  std::unique_ptr<api::RetentionSweeper> retention;
  if (flags.retention_sweep_s > 0) {
    retention = std::make_unique<api::RetentionSweeper>(
        repo, *deps.services.blobs, jobs::RealClock(), std::llround(flags.upload_ttl_s * 1000));
    retention->Start(std::max<int64_t>(1, std::llround(flags.retention_sweep_s * 1000)));
  }
  signals.Start(
      [&](int signal) {
        api::LogEvent("info", "signal " + std::to_string(signal) + ": draining");
        server.Stop();
        if (worker) worker->Stop();
        if (retention) retention->Stop();
      },
      [&] { ReloadOnHangup(server, options); });
  if (!flags.port_file.empty()) {
    std::ofstream(flags.port_file + ".tmp") << server.port() << "\n";
    std::rename((flags.port_file + ".tmp").c_str(), flags.port_file.c_str());
  }
  api::LogEvent("info", "listening on " + options.host + ":" + std::to_string(server.port()) +
                            " (" + repo.backend() + ", " + std::to_string(flags.workers) +
                            " workers, engines " + DescribeEngines(*deps.pipelines.set) + ")");
  server.Run();
  if (retention) retention->Stop();
  if (worker) {
    worker->Stop();
    worker_thread.join();
  }
  stop_review_webhooks();
  signals.Finish();
  api::LogEvent("info", "stopped");
  return kExitOk;
}

}  // namespace

int RunServe(const std::vector<std::string>& args) {
  ShutdownSignals signals(/*watch_hangup=*/true);  // before any thread exists
  ServeFlags flags;
  flags.server.signing_secret = EnvValue("SMARTOCR_SIGNING_SECRET");
  flags.server.ui_dir = EnvValue("SMARTOCR_UI_DIR");
  if (flags.server.ui_dir.empty()) flags.server.ui_dir = SMARTOCR_DEFAULT_UI_DIR;
  if (auto exit = ParseCommandLine("serve", ServeFlagTable(&flags), flags.help, kServeIntro, args,
                                   nullptr)) {
    return *exit;
  }
  // The example deployment's placeholder passes the length check; anyone who read the
  // manifests could sign upload URLs with it.
  if (flags.server.signing_secret.find("CHANGE-ME") != std::string::npos) {
    return FailUsage("serve", core::InvalidArgument(
                                  "signing_secret",
                                  "the signing secret is the example deployment's placeholder; "
                                  "set a random one (e.g. openssl rand -hex 32)"));
  }
  if (flags.server.tls_cert_file.empty() != flags.server.tls_key_file.empty()) {
    return FailUsage("serve", UsageError("--tls-cert and --tls-key go together"));
  }
  const api::OidcOptions& oidc = flags.server.oidc;
  if ((!oidc.issuer.empty() || !oidc.audience.empty() || !oidc.jwks.empty()) &&
      (oidc.issuer.empty() || oidc.audience.empty() || oidc.jwks.empty())) {
    return FailUsage("serve", UsageError("--oidc-issuer, --oidc-audience and --oidc-jwks go "
                                         "together"));
  }
  core::Status st = AllowWebhooksFromEnv(&flags.webhooks);
  if (!st.ok()) return FailUsage("serve", st);
  flags.server.webhook_policy = flags.webhooks.policy;
  auto llm_client = MakeLlmClient(flags.llm);
  if (!llm_client.ok()) return FailUsage("serve", llm_client.status());
  auto deps = OpenServeDeps(flags, std::move(*llm_client));
  if (!deps.ok()) return Fail("serve", deps.status());
  return Serve(flags, *deps, signals);
}

}  // namespace smartocr::cli
