// src/api/router.h
//
// The route table: method + path pattern ("/ocr/jobs/{id}", "{key+}" for the rest of
// the path), the permission a caller needs, what body it takes, and its handler. The
// table is also the source of /openapi.json's paths (a test checks they agree).
#ifndef SMARTOCR_API_ROUTER_H_
#define SMARTOCR_API_ROUTER_H_

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/auth.h"
#include "api/errors.h"
#include "api/http_server.h"
#include "api/multipart.h"
#include "telemetry/trace_context.h"

namespace smartocr::api {

// What a handler sees of a request.
struct Ctx {
  const HttpRequest* http = nullptr;
  std::string request_id;
  telemetry::SpanContext trace;               // the request's server span
  Principal principal;                        // empty tenant for public routes
  std::map<std::string, std::string> params;  // path parameters
  std::string body;                           // raw body (not multipart)
  bool multipart = false;
  std::vector<Part> parts;

  std::string Query(const std::string& name) const;
  bool HasQuery(const std::string& name) const;
  std::string Header(const std::string& name) const;
  const Part* FindPart(const std::string& name) const;
};

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<ApiError> error;  // rendered with the request id by the server
};

Reply JsonReply(int status, const nlohmann::ordered_json& body);
Reply ErrorReply(int status, std::string code, std::string message);
Reply ErrorReply(const core::Status& status);

// kNone: no body read. kJson: up to the server's JSON limit. kDocument: JSON (up to
// the JSON limit) or a multipart upload, up to the tenant's upload limit (`sync`
// routes: the sync limit). kRaw: bytes up to the tenant's upload limit.
enum class BodyKind { kNone, kJson, kDocument, kRaw };

using Handler = std::function<Reply(Ctx&)>;
// Checks made before the body is read: std::nullopt to go on, or the reply to send.
using BeforeBody = std::function<std::optional<Reply>(Ctx&)>;

struct Route {
  std::string method;  // "GET", "POST", ...
  std::string pattern;
  Permission permission = Permission::kRead;
  BodyKind body = BodyKind::kNone;
  bool sync = false;  // kDocument body limited by the tenant's sync limit
  Handler handler;
  // Optional; runs after authentication and before the body is read (Ctx::body is
  // still empty). A reply it returns is sent at once with "Connection: close" and the
  // body is never read, so a request refused by cheap checks (a public route's
  // signature) cannot hold a thread while its client sends, or withholds, the body.
  BeforeBody before_body;
  std::string summary;        // for the OpenAPI document
  std::vector<int> statuses;  // documented responses besides the common errors
  // A read of a document's content (e.g. "job.result.read"): each 2xx answer appends
  // an audit row with this action, the caller, the job ({id}, when the pattern has one)
  // and the path and query asked for. "": not audited.
  std::string audit_read;
};

class Router {
 public:
  void Add(Route route);
  // The route for `method` and `path`, with its path parameters. When no route has
  // that method but one has the path, *path_known is set (405, not 404).
  const Route* Match(const std::string& method, const std::string& path,
                     std::map<std::string, std::string>* params, bool* path_known) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace smartocr::api

#endif  // SMARTOCR_API_ROUTER_H_
