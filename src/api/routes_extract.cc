// POST /ocr/extract: runs the pipeline inline under the tenant's deadline. The run
// happens on its own thread; when the deadline passes the request answers 504 at
// once and the run is cancelled: pages not started are skipped and the page being
// recognized stops inside the engine (Tesseract polls the flag between words), so it
// does not keep working for a client that left.
#include <fstream>
#include <thread>

#include "api/api.h"
#include "api/request_body.h"
#include "api/source.h"
#include "core/mutex.h"
#include "document/document.h"
#include "render/render.h"

namespace smartocr::api {
namespace {

struct SyncRun {
  core::Mutex mu;
  core::CondVar cv;
  bool done GUARDED_BY(mu) = false;
  core::Result<std::string> json GUARDED_BY(mu) = core::Internal("not_run", "not run");
  std::atomic<bool> cancel{false};
  std::unique_ptr<TempPath> file;
};

core::Result<std::string> RunDocument(const document::DocumentService& service,
                                      const std::string& path,
                                      const document::DocumentOptions& options,
                                      const std::atomic<bool>& cancel) {
  auto done = service.Process({.path = path, .input_name = "upload", .cancel = &cancel}, options);
  if (!done.ok()) return done.status();
  return render::RenderJson(done->doc);
}

Reply Extract(Env& env, Ctx& ctx) {
  const std::string& tenant = ctx.principal.tenant_id;
  const TenantLimits limits = env.Limits(tenant);
  auto run = std::make_shared<SyncRun>();
  run->file = std::make_unique<TempPath>(env);
  std::string schema = "auto";
  std::string lang;
  if (ctx.multipart) {
    const Part* file = ctx.FindPart("file");
    if (file == nullptr) return ErrorReply(400, "missing_file", "no multipart part named 'file'");
    if (const Part* s = ctx.FindPart("schema")) schema = s->data;
    if (const Part* l = ctx.FindPart("lang")) lang = l->data;
    core::Status st = CheckDocumentBytes(file->data);
    if (!st.ok()) return ErrorReply(st);
    std::ofstream out(run->file->path(), std::ios::binary);
    out.write(file->data.data(), static_cast<std::streamsize>(file->data.size()));
    if (!out.good()) return ErrorReply(500, "internal", "cannot buffer the upload");
  } else {
    Reply error;
    auto body = JsonBody(ctx, &error);
    if (!body) return error;
    std::string source_uri;
    if (!StringMember(*body, "source_uri", &source_uri, &error) ||
        !StringMember(*body, "schema", &schema, &error) ||
        !StringMember(*body, "lang", &lang, &error)) {
      return error;
    }
    if (source_uri.empty()) return ErrorReply(422, "invalid_field", "source_uri is required");
    auto uri = AdmitSourceUri(env, tenant, source_uri, limits.sync_max_bytes);
    if (!uri.ok()) return ErrorReply(uri.status());
    core::Status st = FetchToFile(env, *uri, run->file->path());
    if (!st.ok()) return ErrorReply(st);
  }
  // The tenant's schemas, redaction and review threshold (settings.h).
  auto tenant_row = env.deps.repo.GetTenant(tenant);
  auto options = DocumentOptionsFor(tenant_row.ok() ? tenant_row->settings_json : "{}", schema);
  if (!options.ok()) return ErrorReply(422, "invalid_field", options.status().message());
  // The request's languages over the tenant's, checked against what the engine reads.
  if (!lang.empty()) options->lang = lang;
  core::Status language = env.deps.documents.CheckLanguage(*options);
  if (!language.ok()) return ErrorReply(422, language.reason(), language.message());

  env.background.Begin();
  std::thread([run, &env, options = std::move(*options)] {
    auto json = RunDocument(env.deps.documents, run->file->path(), options, run->cancel);
    {
      core::MutexLock lock(run->mu);
      run->json = std::move(json);
      run->done = true;
    }
    run->cv.NotifyAll();
    env.background.End();
  }).detach();

  core::MutexLock lock(run->mu);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(limits.sync_timeout_ms);
  while (!run->done) {
    if (!run->cv.WaitUntil(run->mu, deadline)) break;  // deadline passed
  }
  if (!run->done) {
    run->cancel.store(true);
    return ErrorReply(504, "sync_timeout",
                      "the document did not finish within " +
                          std::to_string(limits.sync_timeout_ms) +
                          " ms; submit it with POST /ocr/jobs instead");
  }
  if (!run->json.ok()) {
    if (run->json.status().reason() == "schema") {
      return ErrorReply(422, "invalid_field", run->json.status().message());
    }
    return ErrorReply(run->json.status());
  }
  Reply r;
  r.body = std::move(*run->json);
  return r;
}

}  // namespace

void AddExtractRoutes(Router& router, Env& env) {
  router.Add({.method = "POST",
              .pattern = "/ocr/extract",
              .permission = Permission::kSubmit,
              .body = BodyKind::kDocument,
              .sync = true,
              .handler = [&env](Ctx& ctx) { return Extract(env, ctx); },
              .summary = "Synchronous OCR of one document (multipart 'file' or JSON source_uri)",
              .statuses = {200, 413, 415, 422, 504}});
}

}  // namespace smartocr::api
