// /healthz (the process answers), /readyz (database reachable, blob store writable),
// /openapi.json and /metrics.
#include "api/access_log.h"
#include "api/api.h"
#include "telemetry/metrics.h"

namespace smartocr::api {

namespace {

// The blob store as the API uses it: an object written, read back and deleted (a
// store that answers but refuses writes, or a bucket that is not there, is not ready).
core::Status ProbeBlobStore(blobs::BlobStore& store) {
  const std::string key = "readyz/" + store::NewId("probe");
  SMARTOCR_RETURN_IF_ERROR(store.Put(key, "ready", "text/plain"));
  auto back = store.Get(key);
  core::Status deleted = store.Delete(key);
  if (!back.ok()) return back.status();
  if (*back != "ready") return core::IoError("blob_read", "the probe object read back differs");
  return deleted;
}

}  // namespace

void AddOpsRoutes(Router& router, Env& env) {
  router.Add({.method = "GET",
              .pattern = "/healthz",
              .permission = Permission::kPublic,
              .handler =
                  [](Ctx&) {
                    return JsonReply(200, {{"status", "ok"}});
                  },
              .summary = "Liveness: the process answers"});
  router.Add({.method = "GET",
              .pattern = "/readyz",
              .permission = Permission::kPublic,
              .handler =
                  [&env](Ctx&) {
                    nlohmann::ordered_json body;
                    auto version = env.deps.repo.SchemaVersion();
                    core::Status blob = ProbeBlobStore(env.deps.blobs);
                    body["database"] = version.ok() ? "ok" : "unreachable";
                    body["blobs"] = blob.ok() ? "ok" : "unreachable";
                    const bool ready = version.ok() && blob.ok();
                    body["status"] = ready ? "ok" : "unavailable";
                    if (!ready) {
                      // The caller learns which; the operator's log says why.
                      if (!version.ok()) {
                        LogEvent("error", "readyz: database: " + version.status().ToString());
                      }
                      if (!blob.ok()) {
                        LogEvent("error", "readyz: blob store: " + blob.ToString());
                      }
                      const char* what = !version.ok() && !blob.ok() ? "database and blob store"
                                         : !version.ok()             ? "database"
                                                                     : "blob store";
                      return ErrorReply(503, "unavailable", std::string(what) + " unreachable");
                    }
                    return JsonReply(200, body);
                  },
              .summary = "Readiness: database reachable, blob store writes, reads and deletes",
              .statuses = {503}});
  router.Add({.method = "GET",
              .pattern = "/openapi.json",
              .permission = Permission::kPublic,
              .handler = [&router](Ctx&) { return JsonReply(200, OpenApiSpec(router)); },
              .summary = "This API's OpenAPI 3.1 document"});
  // Public like the probes, for the scraper: labels carry routes, statuses and outcomes,
  // never tenants, ids or document content (telemetry/metrics.h).
  router.Add({.method = "GET",
              .pattern = "/metrics",
              .permission = Permission::kPublic,
              .handler =
                  [](Ctx&) {
                    Reply r;
                    r.content_type = telemetry::kMetricsContentType;
                    r.body = telemetry::RenderMetrics();
                    return r;
                  },
              .summary = "Prometheus metrics (text exposition format)"});
}

}  // namespace smartocr::api
