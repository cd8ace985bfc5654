// src/api/api.h
//
// The HTTP API (`smartocr serve`): an HTTP/1.1 server (http_server.h) in front of the
// store, the blob store and the pipeline. docs/api.md describes the routes,
// docs/errors.md the error codes.
//
//   api::ApiDeps deps{.repo = repo, .blobs = blobs, .pipelines = pipelines, ...};
//   api::ApiServer server(deps, options);
//   SMARTOCR_RETURN_IF_ERROR(server.Bind());
//   server.Run();   // until Stop() (e.g. from a SIGTERM thread); drains in-flight requests
#ifndef SMARTOCR_API_API_H_
#define SMARTOCR_API_API_H_

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/oidc.h"
#include "api/rate_limit.h"
#include "api/router.h"
#include "api/settings.h"
#include "blobs/blobs.h"
#include "blobs/webhook.h"
#include "core/core.h"
#include "core/mutex.h"
#include "document/document.h"
#include "pipeline/pipeline.h"
#include "pipeline/pipeline_set.h"
#include "store/store.h"

namespace smartocr::jobs {
class WebhookDispatcher;
}  // namespace smartocr::jobs

namespace smartocr::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;           // 0 = any free port (see ApiServer::port)
  int threads = 32;          // requests handled at once (slow clients hold none)
  int read_timeout_s = 10;   // deadline for a request's whole head
  int body_timeout_s = 120;  // deadline for a request's whole body
  int write_timeout_s = 10;  // deadline for a whole response
  int keep_alive_timeout_s = 5;
  int max_connections = 1024;           // open at once
  int max_connections_per_client = 64;  // open at once from one client address
  // Per client address: requests to public routes, and failed sign-ins.
  BucketSpec public_rate{.rate_per_s = 50, .burst = 100};
  BucketSpec auth_failure_rate{.rate_per_s = 5, .burst = 50};
  // Any JSON body, on every route (a JSON document request too: only a multipart or
  // raw upload gets the tenant's upload or sync limit).
  int64_t max_json_bytes = 1 << 20;
  TenantLimits defaults;                     // what a tenant gets unless it sets its own
  TenantLimits ceilings = kDefaultCeilings;  // the most a tenant may set (settings.h)
  // HMAC key for the local blob store's signed URLs (>= 16 bytes); random when empty.
  std::string signing_secret;
  // How clients reach this server ("http://host:port"); derived from host/port when empty.
  std::string public_url;
  bool allow_file_uris = false;   // source_uri "file://" outside the blob store
  blobs::UrlPolicy fetch_policy;  // http(s) source_uri fetches
  // Where webhooks may go (the workers' policy): a webhook_url it refuses is refused
  // at submit, not accepted and dropped at delivery.
  blobs::UrlPolicy webhook_policy;
  int64_t fetch_timeout_ms = 10'000;
  // The review UI's built files (web/review/dist); "" or missing: /review/ says so.
  std::string ui_dir;
  // HTTPS with this PEM certificate chain and key (api/tls_context.h); both "": HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Sign-in with an OpenID provider's tokens beside API keys (oidc.issuer "": off). Its
  // JWKS URL is fetched under fetch_policy.
  OidcOptions oidc;
};

// Everything the server uses and does not own: each is required, and must outlive it.
struct ApiDeps {
  store::Repository& repo;
  blobs::BlobStore& blobs;
  std::string blobs_url;  // "s3://..." uses presigned uploads
  // Page images and PDFs of finished jobs are rendered at the default pipeline's
  // resolution.
  const pipeline::PipelineSet& pipelines;
  // POST /ocr/extract runs each document through it (the pipeline its schema picks,
  // fields, the LLM when configured, review flags, redaction).
  const document::DocumentService& documents;
  RateLimiter& limiter;
  std::string data_dir;  // temp files live under <data_dir>/tmp
  // Review decisions' webhook events (null: none sent).
  jobs::WebhookDispatcher* webhooks = nullptr;
};

// Sync runs that outlived their request (deadline passed): Stop() waits for them.
class Background {
 public:
  void Begin() EXCLUDES(mu_);
  void End() EXCLUDES(mu_);
  void WaitIdle() EXCLUDES(mu_);

 private:
  core::Mutex mu_;
  core::CondVar cv_;
  int running_ GUARDED_BY(mu_) = 0;
};

// What route files get: dependencies, options, shared state.
struct Env {
  ApiDeps deps;
  ServerOptions options;
  Background background;
  // Verifies bearer JWTs; null without ServerOptions::oidc (set by ApiServer::Bind).
  std::shared_ptr<OidcVerifier> oidc;
  int64_t NowMs() const;
  // The tenant's limits (the server defaults when the tenant row cannot be read).
  TenantLimits Limits(const std::string& tenant_id) const;
};

// Appends an audit row for the caller (ctx.principal) in `tenant`: `action` on `job_id`
// ("" for none), `after_json` what it did. Best effort: the action happened, and a row
// the store refuses is logged by the store.
void AuditAction(Env& env, const Ctx& ctx, const std::string& tenant, const std::string& job_id,
                 const std::string& action, const std::string& after_json);

void AddOpsRoutes(Router& router, Env& env);          // /healthz, /readyz, /openapi.json
void AddExtractRoutes(Router& router, Env& env);      // POST /ocr/extract
void AddJobRoutes(Router& router, Env& env);          // /ocr/jobs...
void AddResultRoutes(Router& router, Env& env);       // results and pages
void AddReviewRoutes(Router& router, Env& env);       // PATCH /ocr/jobs/{id}/fields
void AddReviewFlowRoutes(Router& router, Env& env);   // claim, release, approve, reject
void AddReviewQueueRoutes(Router& router, Env& env);  // /review/queue, stats, export
void AddUiRoutes(Router& router, Env& env);           // /review/ (the web UI's files)
void AddUploadRoutes(Router& router, Env& env);       // /ocr/uploads, /blobs/{key+}
void AddAdminRoutes(Router& router, Env& env);        // /admin/...
void AddTenantDataRoutes(Router& router, Env& env);   // tenant export and erasure

// The OpenAPI 3.1 document for `router`'s routes.
nlohmann::ordered_json OpenApiSpec(const Router& router);

class ApiServer {
 public:
  ApiServer(ApiDeps deps, ServerOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Reads the OIDC provider's keys (when configured) and binds the listening socket.
  // kUnavailable "listen" when it cannot bind; OidcVerifier::Create's errors.
  core::Status Bind();
  int port() const { return port_; }
  // How clients reach this server (ServerOptions::public_url, derived at Bind()).
  const std::string& public_url() const { return env_.options.public_url; }
  // Serves until Stop(); then waits for requests in flight and late sync runs.
  void Run();
  // Thread-safe; may be called from a signal-watching thread.
  void Stop();
  // Thread-safe: reads the TLS certificate and key again (HttpServer::ReloadTls).
  core::Status ReloadTls();
  const Router& router() const { return router_; }

 private:
  class Impl;
  Env env_;
  Router router_;
  int port_ = 0;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smartocr::api

#endif  // SMARTOCR_API_API_H_
