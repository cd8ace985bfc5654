// The HTTP plumbing: cpp-httplib with every path sent to one dispatcher, which finds
// the route, authenticates, rate-limits, reads the body under the route's limit and
// writes the reply (errors in the one JSON shape, X-Request-Id on everything).
#include <httplib.h>

#include <algorithm>
#include <chrono>

#include "api/access_log.h"
#include "api/api.h"
#include "store/store.h"

namespace smartocr::api {
namespace {

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

// Reads the body through httplib's reader, stopping (not buffering on) once `limit`
// bytes have arrived.
enum class ReadOutcome { kOk, kTooLarge, kMalformed };

ReadOutcome ReadBody(const httplib::Request& req, const httplib::ContentReader& reader,
                     int64_t limit, Ctx* ctx) {
  int64_t total = 0;
  bool too_large = false;
  auto count = [&](size_t n) {
    total += static_cast<int64_t>(n);
    if (total > limit) too_large = true;
    return !too_large;
  };
  bool ok = false;
  if (req.is_multipart_form_data()) {
    ctx->multipart = true;
    ok = reader(
        [&](const httplib::MultipartFormData& file) {
          ctx->parts.push_back(Part{file.name, file.filename, file.content_type, ""});
          return true;
        },
        [&](const char* data, size_t n) {
          if (!count(n) || ctx->parts.empty()) return false;
          ctx->parts.back().data.append(data, n);
          return true;
        });
  } else {
    ok = reader([&](const char* data, size_t n) {
      if (!count(n)) return false;
      ctx->body.append(data, n);
      return true;
    });
  }
  if (too_large) return ReadOutcome::kTooLarge;
  return ok ? ReadOutcome::kOk : ReadOutcome::kMalformed;
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
  return LimitsFor(tenant->settings_json, options.defaults);
}

class ApiServer::Impl {
 public:
  Impl(Env& env, const Router& router) : env_(env), router_(router) {}

  void Setup() {
    const int threads = env_.options.threads;
    // httplib's hook hands back a raw pointer and takes ownership of it.
    svr.new_task_queue = [threads] {
      return new httplib::ThreadPool(threads);  // NOLINT(cppcoreguidelines-owning-memory)
    };
    svr.set_read_timeout(env_.options.read_timeout_s, 0);
    svr.set_write_timeout(env_.options.write_timeout_s, 0);
    svr.set_keep_alive_timeout(env_.options.keep_alive_timeout_s);
    svr.set_keep_alive_max_count(1000);
    // A hard cap for any body; routes enforce their own, smaller limits while reading.
    svr.set_payload_max_length(static_cast<size_t>(std::max<int64_t>(
        {env_.options.defaults.upload_max_bytes, env_.options.defaults.sync_max_bytes,
         env_.options.max_json_bytes, int64_t{256} << 20})));
    svr.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
      std::string id = req.get_header_value("X-Request-Id");
      if (!SaneRequestId(id)) id = store::NewId("req");
      ResetLog(id);
      res.set_header("X-Request-Id", id);
      return httplib::Server::HandlerResponse::Unhandled;
    });
    // Errors httplib answers itself (unparsable request line, body over the hard cap).
    svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return;
      LogFields& log = CurrentLog();
      if (log.request_id.empty()) log.request_id = store::NewId("req");
      if (!res.has_header("X-Request-Id")) res.set_header("X-Request-Id", log.request_id);
      ApiError e{res.status, CodeForHttpStatus(res.status),
                 std::string("request refused: ") + CodeForHttpStatus(res.status)};
      log.error_code = e.code;
      res.set_content(ErrorBody(e, log.request_id), "application/json");
    });
    svr.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, const std::exception_ptr&) {
          res.status = 500;
          CurrentLog().error_code = "internal";
          res.set_content(ErrorBody({500, "internal", "internal error"}, CurrentLog().request_id),
                          "application/json");
        });
    svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      WriteAccessLog(req.method, res.status);
    });
    auto plain = [this](const httplib::Request& req, httplib::Response& res) {
      Dispatch(req, res, nullptr);
    };
    auto with_body = [this](const httplib::Request& req, httplib::Response& res,
                            const httplib::ContentReader& reader) { Dispatch(req, res, &reader); };
    svr.Get(".*", plain);
    svr.Delete(".*", plain);
    svr.Options(".*", plain);
    svr.Post(".*", with_body);
    svr.Put(".*", with_body);
    svr.Patch(".*", with_body);
  }

  httplib::Server svr;

 private:
  void Dispatch(const httplib::Request& req, httplib::Response& res,
                const httplib::ContentReader* reader) {
    Ctx ctx;
    ctx.http = &req;
    ctx.request_id = CurrentLog().request_id;
    Reply reply = Handle(req, reader, &ctx);
    res.status = reply.status;
    for (const auto& [name, value] : reply.headers) res.set_header(name, value);
    if (reply.error) {
      CurrentLog().error_code = reply.error->code;
      res.set_content(ErrorBody(*reply.error, ctx.request_id), "application/json");
    } else {
      res.set_content(reply.body, reply.content_type);
    }
  }

  Reply Handle(const httplib::Request& req, const httplib::ContentReader* reader, Ctx* ctx) {
    LogFields& log = CurrentLog();
    bool path_known = false;
    const Route* route = router_.Match(req.method, req.path, &ctx->params, &path_known);
    if (route == nullptr) {
      if (path_known) return ErrorReply(405, "method_not_allowed", "method not allowed here");
      return ErrorReply(404, "not_found", "no such route");
    }
    log.route = route->pattern;
    TenantLimits limits = env_.options.defaults;
    if (route->permission != Permission::kPublic) {
      auto principal = Authenticate(env_.deps.repo, req.get_header_value("Authorization"));
      if (!principal.ok()) {
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
      if (!RoleAllows(principal->role, route->permission)) {
        return ErrorReply(
            403, "forbidden",
            std::string("this key's role may not ") + PermissionName(route->permission));
      }
      limits = env_.Limits(principal->tenant_id);
      const int64_t now = env_.NowMs();
      int64_t wait = env_.deps.limiter.Take("key:" + principal->key_id, limits.key_rate, now);
      if (wait == 0) {
        wait = env_.deps.limiter.Take("tenant:" + principal->tenant_id, limits.tenant_rate, now);
      }
      if (wait > 0) {
        Reply r = ErrorReply(429, "rate_limited", "too many requests; retry after Retry-After");
        r.headers.emplace_back("Retry-After", std::to_string((wait + 999) / 1000));
        return r;
      }
    }
    if (route->before_body) {
      if (std::optional<Reply> refused = route->before_body(*ctx)) {
        // The body is never read, so the connection cannot be reused.
        refused->headers.emplace_back("Connection", "close");
        return *refused;
      }
    }
    if (route->body != BodyKind::kNone && reader != nullptr) {
      if (std::optional<Reply> refused = ReadRouteBody(*route, req, *reader, limits, ctx)) {
        return *refused;
      }
    }
    try {
      return route->handler(*ctx);
    } catch (const std::exception& e) {
      LogEvent("error", std::string("handler exception: ") + e.what());
      return ErrorReply(500, "internal", "internal error");
    }
  }

  // Reads the route's body into *ctx under its limit; std::nullopt when it was read,
  // else the reply refusing it.
  std::optional<Reply> ReadRouteBody(const Route& route, const httplib::Request& req,
                                     const httplib::ContentReader& reader,
                                     const TenantLimits& limits, Ctx* ctx) {
    // Neither Content-Length nor Transfer-Encoding: a request without a body (RFC 9112
    // section 6.3). httplib would wait for the client to close the connection instead.
    if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding")) {
      return std::nullopt;
    }
    int64_t limit = env_.options.max_json_bytes;
    if (route.body == BodyKind::kDocument) {
      limit = route.sync ? limits.sync_max_bytes : limits.upload_max_bytes;
    } else if (route.body == BodyKind::kRaw) {
      limit = limits.upload_max_bytes;
    }
    Reply too_large =
        ErrorReply(413, "payload_too_large",
                   "the body is over this route's limit of " + std::to_string(limit) + " bytes");
    // The rest of the body is never read, so the connection cannot be reused.
    too_large.headers.emplace_back("Connection", "close");
    const std::string declared = req.get_header_value("Content-Length");
    if (!declared.empty() && std::strtoll(declared.c_str(), nullptr, 10) > limit) {
      return too_large;
    }
    switch (ReadBody(req, reader, limit, ctx)) {
      case ReadOutcome::kOk:
        return std::nullopt;
      case ReadOutcome::kTooLarge:
        return too_large;
      case ReadOutcome::kMalformed: {
        Reply r = ErrorReply(400, "malformed_body",
                             ctx->multipart ? "the multipart body could not be parsed"
                                            : "the body could not be read");
        r.headers.emplace_back("Connection", "close");
        return r;
      }
    }
    return std::nullopt;
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
  AddUploadRoutes(router_, env_);
  AddAdminRoutes(router_, env_);
  impl_ = std::make_unique<Impl>(env_, router_);
  impl_->Setup();
}

ApiServer::~ApiServer() = default;

core::Status ApiServer::Bind() {
  if (env_.options.port == 0) {
    port_ = impl_->svr.bind_to_any_port(env_.options.host);
  } else if (impl_->svr.bind_to_port(env_.options.host, env_.options.port)) {
    port_ = env_.options.port;
  } else {
    port_ = -1;
  }
  if (port_ <= 0) {
    return core::Unavailable("listen", "cannot listen on " + env_.options.host + ":" +
                                           std::to_string(env_.options.port));
  }
  if (env_.options.public_url.empty()) {
    env_.options.public_url = "http://" + env_.options.host + ":" + std::to_string(port_);
  }
  return core::Status::Ok();
}

void ApiServer::Run() {
  impl_->svr.listen_after_bind();
  env_.background.WaitIdle();
}

void ApiServer::Stop() { impl_->svr.stop(); }

}  // namespace smartocr::api
