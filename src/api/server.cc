// The API on its transport (http_server.h): once a request's head has arrived it finds
// the route, authenticates, rate-limits and sets the body limit; once the body has, it
// runs the handler and writes the reply (errors in the one JSON shape, X-Request-Id on
// everything).

#include <algorithm>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "api/access_log.h"
#include "api/api.h"
#include "api/http_server.h"
#include "api/multipart.h"
#include "store/store.h"
#include "telemetry/metrics.h"
#include "telemetry/tracer.h"

namespace smartocr::api {
namespace {

// What lives as long as one request: its in-flight count and its server span (ended
// when the last holder, the body's continuation or OnHead, lets go).
struct RequestScope {
  telemetry::InFlightRequest in_flight;
  telemetry::Span span;
};

bool SaneRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
  });
}

const char* CodeForHttpStatus(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 404:
      return "not_found";
    case 408:
      return "request_timeout";
    case 413:
      return "payload_too_large";
    case 414:
      return "uri_too_long";
    case 431:
      return "headers_too_large";
    default:
      return status >= 500 ? "internal" : "bad_request";
  }
}

// On every response: its request id; never stored by caches on the way (results,
// keys and page images are private); its type taken as sent, never sniffed.
void AddCommonHeaders(const std::string& request_id, HttpResponse* res) {
  res->headers.emplace_back("X-Request-Id", request_id);
  res->headers.emplace_back("Cache-Control", "no-store");
  res->headers.emplace_back("X-Content-Type-Options", "nosniff");
}

// The ApiServer options the transport takes.
HttpServerOptions TransportOptions(const ServerOptions& o) {
  HttpServerOptions t;
  t.handler_threads = o.threads;
  t.head_timeout_s = o.read_timeout_s;
  t.body_timeout_s = o.body_timeout_s;
  t.write_timeout_s = o.write_timeout_s;
  t.keep_alive_timeout_s = o.keep_alive_timeout_s;
  t.max_connections = o.max_connections;
  t.max_connections_per_client = o.max_connections_per_client;
  t.tls_cert_file = o.tls_cert_file;
  t.tls_key_file = o.tls_key_file;
  return t;
}

}  // namespace

void Background::Begin() {
  core::MutexLock lock(mu_);
  ++running_;
}
void Background::End() {
  core::MutexLock lock(mu_);
  if (--running_ == 0) cv_.NotifyAll();
}
void Background::WaitIdle() {
  core::MutexLock lock(mu_);
  while (running_ != 0) cv_.Wait(mu_);
}

int64_t Env::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TenantLimits Env::Limits(const std::string& tenant_id) const {
  auto tenant = deps.repo.GetTenant(tenant_id);
  if (!tenant.ok()) return options.defaults;
  return LimitsFor(tenant->settings_json, options.defaults, options.ceilings);
}

class ApiServer::Impl {
 public:
  Impl(Env& env, const Router& router)
      : http(TransportOptions(env.options),
             HttpHandler{
                 .on_head = [this](const HttpRequest& req) { return OnHead(req); },
                 .on_refused = [](int status,
                                  const HttpRequest& req) { return OnRefused(status, req); }}),
        env_(env),
        router_(router) {}

  HttpServer http;

 private:
  // Errors the transport answers itself (an unparsable request, a head or body too large).
  static HttpResponse OnRefused(int status, const HttpRequest& req) {
    ResetLog(store::NewId("req"));
    LogFields& log = CurrentLog();
    ApiError e{status, CodeForHttpStatus(status),
               std::string("request refused: ") + CodeForHttpStatus(status)};
    log.error_code = e.code;
    HttpResponse res{.status = status, .body = ErrorBody(e, log.request_id)};
    AddCommonHeaders(log.request_id, &res);
    WriteAccessLog(req.method, status);
    return res;
  }

  // The request's head has arrived: route, authenticate, rate-limit and pick the body
  // limit now, so a refused request's body is never read.
  HeadDecision OnHead(const HttpRequest& req) {
    std::string id = req.Header("X-Request-Id");
    if (!SaneRequestId(id)) id = store::NewId("req");
    ResetLog(id);
    auto ctx = std::make_shared<Ctx>();
    ctx->request_id = id;
    // A client's W3C traceparent makes this request part of its trace.
    auto scope = std::make_shared<RequestScope>();
    const std::optional<telemetry::SpanContext> parent =
        telemetry::ParseTraceparent(req.Header("traceparent"));
    scope->span =
        telemetry::Span::Start("HTTP " + req.method, parent.value_or(telemetry::SpanContext{}),
                               telemetry::SpanKind::kServer);
    scope->span.SetAttribute("http.request.method", req.method);
    scope->span.SetAttribute("smartocr.request_id", id);
    ctx->trace = scope->span.context();
    CurrentLog().trace_id = ctx->trace.trace_id;
    CurrentLog().span_id = ctx->trace.span_id;
    telemetry::ScopedContext current(ctx->trace);
    HeadDecision decision;
    const Route* route = nullptr;
    std::optional<Reply> refusal = Admit(req, ctx.get(), &route, &decision.body_limit);
    if (route != nullptr) {
      scope->span.SetName(req.method + " " + route->pattern);
      scope->span.SetAttribute("http.route", route->pattern);
      // Probes and scrapes arrive every few seconds and say nothing worth a trace.
      if (route->pattern == "/healthz" || route->pattern == "/readyz" ||
          route->pattern == "/metrics") {
        scope->span.Discard();
      }
    }
    if (refusal) {
      decision.reply = Finish(req, *ctx, std::move(*refusal), scope->span);
      return decision;
    }
    decision.finish = [this, ctx, scope, route, log = CurrentLog()](HttpRequest& full) {
      CurrentLog() = log;  // the head was handled on another handler thread
      telemetry::ScopedContext current(ctx->trace);
      ctx->http = &full;
      return Finish(full, *ctx, Run(*route, full, ctx.get()), scope->span);
    };
    return decision;
  }

  // Everything decided before the body: the matched route, the caller, the body limit.
  // A reply refuses the request.
  std::optional<Reply> Admit(const HttpRequest& req, Ctx* ctx, const Route** matched,
                             int64_t* body_limit) {
    ctx->http = &req;
    LogFields& log = CurrentLog();
    bool path_known = false;
    const Route* route = router_.Match(req.method, req.path, &ctx->params, &path_known);
    if (route == nullptr) {
      if (path_known) return ErrorReply(405, "method_not_allowed", "method not allowed here");
      return ErrorReply(404, "not_found", "no such route");
    }
    *matched = route;
    log.route = route->pattern;
    TenantLimits limits = env_.options.defaults;
    if (route->permission == Permission::kPublic) {
      // No key to count against: the client's address is all there is.
      if (std::optional<Reply> r =
              TakeToken("public:" + req.remote_addr, env_.options.public_rate)) {
        return r;
      }
    } else if (std::optional<Reply> refused = Authorize(req, *route, ctx, &limits)) {
      return refused;
    }
    // The route's own checks of the head (an upload URL's signature): a refusal costs
    // the sender its head only.
    if (route->before_body) {
      if (std::optional<Reply> refused = route->before_body(*ctx)) return refused;
    }
    // A document route's JSON form is held to the JSON limit: it is parsed into a tree
    // several times its size, while an upload is kept as bytes.
    int64_t limit = env_.options.max_json_bytes;
    if (route->body == BodyKind::kDocument && IsMultipartFormData(req.Header("Content-Type"))) {
      limit = route->sync ? limits.sync_max_bytes : limits.upload_max_bytes;
    } else if (route->body == BodyKind::kRaw) {
      limit = limits.upload_max_bytes;
    }
    *body_limit = limit;
    const std::string declared = req.Header("Content-Length");
    if (!declared.empty() && std::strtoll(declared.c_str(), nullptr, 10) > limit) {
      return ErrorReply(
          413, "payload_too_large",
          "the body is over this route's limit of " + std::to_string(limit) + " bytes");
    }
    return std::nullopt;
  }

  // The caller: a provider's token when OIDC is on and the bearer value is a JWT (API
  // keys never look like one), else an API key.
  core::Result<Principal> SignIn(const HttpRequest& req, std::optional<SignInFailure>* failure) {
    const std::string authorization = req.Header("Authorization");
    if (env_.oidc != nullptr) {
      const std::string_view bearer = BearerValue(authorization);
      if (LooksLikeJwt(bearer)) {
        return AuthenticateToken(env_.deps.repo, *env_.oidc, bearer, env_.NowMs());
      }
    }
    return Authenticate(env_.deps.repo, authorization,
                        {.remote_addr = req.remote_addr, .now_ms = env_.NowMs()}, failure);
  }

  // Authenticates the caller, checks its role and takes a token from its buckets.
  std::optional<Reply> Authorize(const HttpRequest& req, const Route& route, Ctx* ctx,
                                 TenantLimits* limits) {
    LogFields& log = CurrentLog();
    std::optional<SignInFailure> failure;
    auto principal = SignIn(req, &failure);
    if (!principal.ok()) {
      // Guessing keys from one address soon meets 429s.
      if (std::optional<Reply> r =
              TakeToken("auth_failure:" + req.remote_addr, env_.options.auth_failure_rate)) {
        return r;
      }
      // A known key's tenant sees the attempt (within the rate above), never the secret.
      if (failure) {
        store::AuditEntry audit;
        audit.tenant_id = failure->tenant_id;
        audit.actor = failure->key_id;
        audit.action = "auth.failed";
        audit.after_json = nlohmann::json{
            {"remote_addr", req.remote_addr},
            {"method", req.method},
            {"path", req.path}}.dump();
        audit.reason = failure->why;
        audit.created_at = env_.NowMs();
        (void)env_.deps.repo.AppendAudit(audit);
      }
      if (principal.status().reason() == "invalid_token") {
        // RFC 6750: what was wrong with the token is no secret from its bearer.
        Reply r = ErrorReply(401, "invalid_token", principal.status().message());
        r.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        return r;
      }
      if (principal.status().reason() == "unauthenticated") {
        Reply r = ErrorReply(401, "unauthenticated", "missing, invalid or revoked API key");
        r.headers.emplace_back("WWW-Authenticate", "Bearer");
        return r;
      }
      return ErrorReply(principal.status());
    }
    ctx->principal = *principal;
    log.tenant_id = principal->tenant_id;
    log.key_id = principal->key_id;
    if (!RoleAllows(principal->role, route.permission)) {
      return ErrorReply(
          403, "forbidden",
          std::string("this caller's role may not ") + PermissionName(route.permission));
    }
    if (!ScopesAllow(principal->scopes, route.permission)) {
      return ErrorReply(
          403, "forbidden",
          std::string("this caller's scopes do not include ") + ScopeName(route.permission));
    }
    *limits = env_.Limits(principal->tenant_id);
    if (std::optional<Reply> r = TakeToken("key:" + principal->key_id, limits->key_rate)) {
      return r;
    }
    return TakeToken("tenant:" + principal->tenant_id, limits->tenant_rate);
  }

  // A token from bucket `key`, or the 429 that says when to come back.
  std::optional<Reply> TakeToken(const std::string& key, const BucketSpec& spec) {
    const int64_t wait = env_.deps.limiter.Take(key, spec, env_.NowMs());
    if (wait == 0) return std::nullopt;
    Reply r = ErrorReply(429, "rate_limited", "too many requests; retry after Retry-After");
    r.headers.emplace_back("Retry-After", std::to_string((wait + 999) / 1000));
    return r;
  }

  // The body has arrived: hand it to the route's handler.
  Reply Run(const Route& route, const HttpRequest& req, Ctx* ctx) {
    if (route.body != BodyKind::kNone) {
      const std::string type = req.Header("Content-Type");
      if (route.body == BodyKind::kDocument && IsMultipartFormData(type)) {
        ctx->multipart = true;
        if (!ParseMultipart(type, req.body, &ctx->parts)) {
          return ErrorReply(400, "malformed_body", "the multipart body could not be parsed");
        }
      } else {
        ctx->body = req.body;
      }
    }
    try {
      Reply reply = route.handler(*ctx);
      if (!route.audit_read.empty() && reply.status >= 200 && reply.status < 300) {
        const auto id = ctx->params.find("id");
        AuditAction(env_, *ctx, ctx->principal.tenant_id, id == ctx->params.end() ? "" : id->second,
                    route.audit_read,
                    nlohmann::json{{"path", req.path}, {"query", req.query}}.dump());
      }
      return reply;
    } catch (const std::exception& e) {
      LogEvent("error", std::string("handler exception: ") + e.what());
      return ErrorReply(500, "internal", "internal error");
    }
  }

  // The reply on the wire: errors in the one JSON shape, the request id on everything.
  static HttpResponse Finish(const HttpRequest& req, const Ctx& ctx, Reply reply,
                             telemetry::Span& span) {
    HttpResponse res{.status = reply.status, .headers = std::move(reply.headers)};
    AddCommonHeaders(ctx.request_id, &res);
    span.SetAttribute("http.response.status_code", int64_t{reply.status});
    if (reply.error) {
      CurrentLog().error_code = reply.error->code;
      CurrentLog().error_cause = reply.error->cause;
      if (reply.status >= 500) {
        span.SetError(core::Status(core::StatusCode::kInternal, reply.error->code, ""));
      }
      res.body = ErrorBody(*reply.error, ctx.request_id);
    } else {
      res.content_type = std::move(reply.content_type);
      res.body = std::move(reply.body);
    }
    WriteAccessLog(req.method, res.status);
    return res;
  }

  Env& env_;
  const Router& router_;
};

ApiServer::ApiServer(ApiDeps deps, ServerOptions options)
    : env_{.deps = std::move(deps), .options = std::move(options)} {
  AddOpsRoutes(router_, env_);
  AddExtractRoutes(router_, env_);
  AddJobRoutes(router_, env_);
  AddResultRoutes(router_, env_);
  AddReviewRoutes(router_, env_);
  AddReviewFlowRoutes(router_, env_);
  AddReviewQueueRoutes(router_, env_);
  AddUiRoutes(router_, env_);
  AddUploadRoutes(router_, env_);
  AddAdminRoutes(router_, env_);
  AddTenantDataRoutes(router_, env_);
  impl_ = std::make_unique<Impl>(env_, router_);
}

ApiServer::~ApiServer() = default;

core::Status ApiServer::Bind() {
  if (!env_.options.oidc.issuer.empty()) {
    auto oidc = OidcVerifier::Create(env_.options.oidc, env_.options.fetch_policy,
                                     env_.options.fetch_timeout_ms);
    if (!oidc.ok()) return oidc.status();
    env_.oidc = std::move(*oidc);
  }
  SMARTOCR_RETURN_IF_ERROR(impl_->http.Bind(env_.options.host, env_.options.port));
  port_ = impl_->http.port();
  if (env_.options.public_url.empty()) {
    const bool tls = !env_.options.tls_cert_file.empty();
    env_.options.public_url =
        std::string(tls ? "https://" : "http://") + env_.options.host + ":" + std::to_string(port_);
  }
  return core::Status::Ok();
}

void ApiServer::Run() {
  impl_->http.Run();
  env_.background.WaitIdle();
}

void ApiServer::Stop() { impl_->http.Stop(); }

core::Status ApiServer::ReloadTls() { return impl_->http.ReloadTls(); }

}  // namespace smartocr::api
