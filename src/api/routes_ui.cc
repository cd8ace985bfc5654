// The review web UI's built files (web/review, built with Vite into --ui-dir), served
// from the API's own origin: the UI signs in with an API key, or through the OIDC
// provider (authorization code with PKCE) when serve has one, and calls the API there.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "api/api.h"

namespace smartocr::api {
namespace {

namespace fs = std::filesystem;

const std::map<std::string, std::string>& ContentTypes() {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".map", "application/json"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"}};
  return kTypes;
}

// "https://id.example.com" of "https://id.example.com/realms/x"; "" when not http(s).
std::string OriginOf(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos ||
      (url.compare(0, scheme, "https") != 0 && url.compare(0, scheme, "http") != 0)) {
    return "";
  }
  return url.substr(0, url.find('/', scheme + 3));
}

// The UI's own files only: same origin for scripts, styles and images (page images are
// fetched with the key and shown as blob: URLs), never framed. With OIDC the UI also
// talks to the provider (its discovery document and token endpoint).
void AddUiHeaders(const Env& env, Reply* r) {
  std::string connect = "connect-src 'self'";
  if (const std::string provider = OriginOf(env.options.oidc.issuer); !provider.empty()) {
    connect += " " + provider;
  }
  r->headers.emplace_back("Content-Security-Policy",
                          "default-src 'self'; " + connect +
                              "; img-src 'self' blob: data:; "
                              "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
  r->headers.emplace_back("X-Frame-Options", "DENY");
  r->headers.emplace_back("Referrer-Policy", "no-referrer");
}

Reply ServeFile(const Env& env, const std::string& relative) {
  const std::string& dir = env.options.ui_dir;
  std::error_code ec;
  if (dir.empty() || !fs::is_regular_file(fs::path(dir) / "index.html", ec)) {
    return ErrorReply(503, "ui_not_built",
                      "the review UI is not built here: run web/review/build.sh and start "
                      "serve with --ui-dir web/review/dist");
  }
  // Only names below the UI directory: no "..", no absolute or hidden parts.
  for (const auto& part : fs::path(relative)) {
    const std::string p = part.string();
    if (p.empty() || p == ".." || p[0] == '.' || p.find('\\') != std::string::npos) {
      return ErrorReply(404, "not_found", "no such file");
    }
  }
  fs::path file = fs::path(dir) / relative;
  std::string ext = file.extension().string();
  if (!fs::is_regular_file(file, ec)) {
    // The app's own views (no file extension) are the app: it reads the path itself.
    if (!ext.empty()) return ErrorReply(404, "not_found", "no such file");
    file = fs::path(dir) / "index.html";
    ext = ".html";
  }
  auto type = ContentTypes().find(ext);
  if (type == ContentTypes().end()) return ErrorReply(404, "not_found", "no such file");
  std::ifstream in(file, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  if (!in.good() && !in.eof()) return ErrorReply(500, "internal", "the UI file could not be read");
  Reply r;
  r.content_type = type->second;
  r.body = bytes.str();
  // Vite names assets by content hash: cache them; the page itself always fresh.
  r.headers.emplace_back("Cache-Control", relative.rfind("assets/", 0) == 0
                                              ? "public, max-age=31536000, immutable"
                                              : "no-cache");
  AddUiHeaders(env, &r);
  return r;
}

}  // namespace

// What the UI needs to offer sign-in through the OIDC provider; "oidc": null without.
Reply AuthConfig(const Env& env) {
  const OidcOptions& o = env.options.oidc;
  if (env.oidc == nullptr) return JsonReply(200, {{"oidc", nullptr}});
  return JsonReply(200, {{"oidc",
                          {{"issuer", o.issuer},
                           {"client_id", o.client_id.empty() ? o.audience : o.client_id},
                           {"scope", "openid"}}}});
}

void AddUiRoutes(Router& router, Env& env) {
  router.Add({.method = "GET",
              .pattern = "/auth/config",
              .permission = Permission::kPublic,
              .handler = [&env](Ctx&) { return AuthConfig(env); },
              .summary = "How the review UI signs in: the OIDC provider, or null",
              .statuses = {200}});
  router.Add({.method = "GET",
              .pattern = "/review",
              .permission = Permission::kPublic,
              .handler =
                  [](Ctx&) {
                    Reply r;
                    r.status = 308;
                    r.content_type = "text/plain; charset=utf-8";
                    r.body = "/review/\n";
                    r.headers.emplace_back("Location", "/review/");
                    return r;
                  },
              .summary = "The review UI (redirects to /review/)",
              .statuses = {308}});
  router.Add({.method = "GET",
              .pattern = "/review/",
              .permission = Permission::kPublic,
              .handler = [&env](Ctx&) { return ServeFile(env, "index.html"); },
              .summary = "The review UI",
              .statuses = {200, 503}});
  router.Add({.method = "GET",
              .pattern = "/review/{path+}",
              .permission = Permission::kPublic,
              .handler = [&env](Ctx& ctx) { return ServeFile(env, ctx.params["path"]); },
              .summary = "The review UI's files",
              .statuses = {200, 404, 503}});
}

}  // namespace smartocr::api
