// /ocr/jobs: submit (JSON or multipart; idempotent by external_id), list with
// filters and cursor pagination, get, re-run, delete.
#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/job_delete.h"
#include "api/job_view.h"
#include "api/request_body.h"
#include "api/review_view.h"
#include "api/source.h"
#include "extract/fields.h"

namespace smartocr::api {
namespace {

bool ParseMs(const std::string& text, int64_t* out) {
  if (text.empty()) return true;
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (*end != '\0' || v < 0) return false;
  *out = v;
  return true;
}

using ReviewLookup = std::function<core::Result<std::optional<store::ReviewRecord>>()>;

// The job's review state (docs/review.md) into its view: none needed before it
// succeeds, else what `lookup` reads; left out when the store cannot read it (the job
// itself is still shown).
void AddReview(const store::Job& job, const ReviewLookup& lookup, int64_t now,
               nlohmann::ordered_json* view) {
  if (job.status != store::JobStatus::kSucceeded) {
    (*view)["review"] = ReviewView(std::nullopt, now);
    return;
  }
  auto review = lookup();
  if (review.ok()) (*view)["review"] = ReviewView(*review, now);
}

// The job's document options as stored with it. Fields are extracted for every job: the
// doc_type hint picks the schema when it names a built-in or a tenant schema, else the
// document is classified. The tenant's redaction and review settings travel with the
// job (settings.h).
core::Result<std::string> JobOptionsJson(Env& env, const std::string& tenant,
                                         const std::string& doc_type, const std::string& lang) {
  std::string schema = extract::FindDocType(doc_type) != nullptr ? doc_type : "auto";
  auto tenant_row = env.deps.repo.GetTenant(tenant);
  const std::string settings = tenant_row.ok() ? tenant_row->settings_json : "{}";
  if (schema == "auto" && !doc_type.empty() && DocumentOptionsFor(settings, doc_type).ok()) {
    schema = doc_type;
  }
  auto options = DocumentOptionsFor(settings, schema);
  if (!options.ok()) return options.status();
  // The request's languages over the tenant's, checked against what the engine reads.
  if (!lang.empty()) options->lang = lang;
  SMARTOCR_RETURN_IF_ERROR(env.deps.documents.CheckLanguage(*options));
  return document::DocumentOptionsToJson(*options).dump();
}

Reply Submit(Env& env, Ctx& ctx) {
  const std::string& tenant = ctx.principal.tenant_id;
  store::JobSpec spec;
  std::string uploaded_uri;
  std::string lang;
  Reply error;
  if (ctx.multipart) {
    const Part* file = ctx.FindPart("file");
    if (file == nullptr) return ErrorReply(400, "missing_file", "no multipart part named 'file'");
    for (auto [name, out] :
         {std::pair{"external_id", &spec.external_id}, std::pair{"doc_type", &spec.doc_type},
          std::pair{"webhook_url", &spec.webhook_url}, std::pair{"lang", &lang}}) {
      if (const Part* p = ctx.FindPart(name)) *out = p->data;
    }
    auto uri = StoreDocument(env, tenant, file->data);
    if (!uri.ok()) return ErrorReply(uri.status());
    uploaded_uri = *uri;
    spec.source_uri = *uri;
  } else {
    auto body = JsonBody(ctx, &error);
    if (!body) return error;
    std::string source_uri;
    if (!StringMember(*body, "source_uri", &source_uri, &error) ||
        !StringMember(*body, "external_id", &spec.external_id, &error) ||
        !StringMember(*body, "doc_type", &spec.doc_type, &error) ||
        !StringMember(*body, "webhook_url", &spec.webhook_url, &error) ||
        !StringMember(*body, "lang", &lang, &error)) {
      return error;
    }
    if (source_uri.empty()) return ErrorReply(422, "invalid_field", "source_uri is required");
    auto uri = AdmitSourceUri(env, tenant, source_uri, env.Limits(tenant).upload_max_bytes);
    if (!uri.ok()) return ErrorReply(uri.status());
    spec.source_uri = *uri;
  }
  // The original is immutable from here on: every later read checks this hash.
  auto sha = SourceSha256(env, spec.source_uri);
  if (!sha.ok()) return ErrorReply(sha.status());
  spec.source_sha256 = *sha;
  if (spec.external_id.size() > 200) {
    return ErrorReply(422, "invalid_field", "external_id is longer than 200 bytes");
  }
  if (!spec.webhook_url.empty() && spec.webhook_url.rfind("https://", 0) != 0 &&
      spec.webhook_url.rfind("http://", 0) != 0) {
    return ErrorReply(422, "invalid_field", "webhook_url must be an http(s) URL");
  }
  if (!spec.webhook_url.empty()) {
    // Refused now rather than dropped at delivery. A name that does not resolve yet may
    // later; the message does not say what a name resolves to.
    auto target = env.options.webhook_policy.Check(spec.webhook_url);
    if (!target.ok() && target.status().reason() != "webhook_dns") {
      return ErrorReply(422, "webhook_url_refused",
                        "webhook_url is not allowed: it is malformed or names a private, "
                        "loopback or otherwise internal address (see --webhook-allow)");
    }
  }
  auto options = JobOptionsJson(env, tenant, spec.doc_type, lang);
  if (!options.ok()) {
    const std::string& reason = options.status().reason();
    const bool language = reason == "unsupported_language" || reason == "bad_language";
    return ErrorReply(422, language ? reason : "invalid_field", options.status().message());
  }
  spec.options_json = *options;
  // The worker continues this request's trace (its job span is a child of this one).
  spec.trace_id = ctx.trace.trace_id;
  spec.trace_parent = telemetry::FormatTraceparent(ctx.trace);
  bool created = true;
  auto job = env.deps.repo.CreateJob(tenant, spec, env.NowMs(), &created);
  if (!job.ok()) return ErrorReply(job.status());
  if (!created && !uploaded_uri.empty()) {
    if (auto key = blobs::KeyInStore(env.deps.blobs, uploaded_uri)) {
      (void)env.deps.blobs.Delete(*key);
    }
  }
  if (created) NoteUploadSubmitted(env, tenant, spec.source_uri);
  Reply r = JsonReply(created ? 202 : 200, JobView(*job, ctx.principal.role));
  r.headers.emplace_back("Location", "/ocr/jobs/" + job->id);
  return r;
}

Reply List(Env& env, Ctx& ctx) {
  store::JobFilter filter;
  if (ctx.HasQuery("status")) {
    filter.status = store::ParseJobStatus(ctx.Query("status"));
    if (!filter.status) return ErrorReply(400, "invalid_query", "unknown status");
  }
  filter.doc_type = ctx.Query("doc_type");
  filter.cursor = ctx.Query("cursor");
  int64_t limit = 50;
  if (!ParseMs(ctx.Query("created_from"), &filter.created_from) ||
      !ParseMs(ctx.Query("created_to"), &filter.created_to) ||
      !ParseMs(ctx.Query("limit"), &limit) || limit < 1 || limit > 1000) {
    return ErrorReply(400, "invalid_query",
                      "created_from/created_to are ms since the epoch; limit is 1..1000");
  }
  filter.limit = static_cast<int>(limit);
  auto page = env.deps.repo.ListJobs(ctx.principal.tenant_id, filter);
  if (!page.ok()) {
    if (page.status().reason() == "cursor") {
      return ErrorReply(400, "invalid_cursor", "the cursor is not one this API returned");
    }
    return ErrorReply(page.status());
  }
  // The page's reviews in one lookup, not one per job.
  std::vector<std::string> succeeded;
  for (const store::Job& job : page->jobs) {
    if (job.status == store::JobStatus::kSucceeded) succeeded.push_back(job.id);
  }
  auto reviews = env.deps.repo.GetReviews(ctx.principal.tenant_id, succeeded);
  nlohmann::ordered_json body;
  body["jobs"] = nlohmann::ordered_json::array();
  const int64_t now = env.NowMs();
  for (const store::Job& job : page->jobs) {
    nlohmann::ordered_json view = JobView(job, ctx.principal.role);
    AddReview(
        job,
        [&]() -> core::Result<std::optional<store::ReviewRecord>> {
          if (!reviews.ok()) return reviews.status();
          auto it = reviews->find(job.id);
          if (it == reviews->end()) return std::optional<store::ReviewRecord>();
          return std::optional<store::ReviewRecord>(it->second);
        },
        now, &view);
    body["jobs"].push_back(std::move(view));
  }
  body["next_cursor"] = page->next_cursor;
  return JsonReply(200, body);
}

Reply Get(Env& env, Ctx& ctx) {
  auto job = env.deps.repo.GetJob(ctx.principal.tenant_id, ctx.params["id"]);
  if (!job.ok()) return ErrorReply(job.status());
  nlohmann::ordered_json view = JobView(*job, ctx.principal.role);
  AddReview(
      *job, [&] { return env.deps.repo.GetReview(ctx.principal.tenant_id, job->id); }, env.NowMs(),
      &view);
  if (job->status == store::JobStatus::kSucceeded) {
    auto pages = env.deps.repo.GetPages(ctx.principal.tenant_id, job->id);
    if (pages.ok() && !pages->empty()) {
      double sum = 0, low = 1;
      for (const store::PageRecord& p : *pages) {
        sum += p.confidence;
        low = std::min(low, p.confidence);
      }
      view["confidence"] = {{"mean", sum / static_cast<double>(pages->size())}, {"min", low}};
    }
  }
  return JsonReply(200, view);
}

// The `pages` member of a re-run body: page numbers of the job's document, at least one.
bool RerunPages(const nlohmann::json& body, int page_count, std::vector<int>* pages, Reply* error) {
  auto it = body.find("pages");
  if (it == body.end()) return true;
  if (!it->is_array() || it->empty()) {
    *error = ErrorReply(422, "invalid_field", "pages: not a non-empty array of page numbers");
    return false;
  }
  for (const nlohmann::json& page : *it) {
    if (!page.is_number_integer() || page.get<int64_t>() < 1 || page.get<int64_t>() > page_count) {
      *error = ErrorReply(422, "invalid_field",
                          "pages: " + page.dump() + " is not a page of this document (1-" +
                              std::to_string(page_count) + ")");
      return false;
    }
    pages->push_back(page.get<int>());
  }
  return true;
}

// What a re-run body changes: `doc_type` picks the schema again as at submit (with the
// tenant's current settings); `engine` and `extractor` replace the job's versions (its
// own are kept otherwise, experiment variant and languages included). With `pages`, `engine` reads
// those pages only (options.page_engines); the others come from the stage cache. The
// merged options are checked as the worker will read them.
core::Result<store::RerunChange> RerunChangeFor(Env& env, const std::string& tenant,
                                                const store::Job& job, const nlohmann::json& body,
                                                Reply* error) {
  store::RerunChange change;
  std::string doc_type, engine, extractor;
  if (!StringMember(body, "doc_type", &doc_type, error) ||
      !StringMember(body, "engine", &engine, error) ||
      !StringMember(body, "extractor", &extractor, error)) {
    return core::InvalidArgument("body", "a member is not a string");
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "doc_type" && key != "engine" && key != "extractor" && key != "pages") {
      *error = ErrorReply(422, "invalid_field",
                          "unknown member '" + key + "' (doc_type, engine, extractor, pages)");
      return core::InvalidArgument("body", "unknown member");
    }
  }
  std::vector<int> pages;
  if (!RerunPages(body, job.page_count, &pages, error)) {
    return core::InvalidArgument("body", "bad pages");
  }
  if (!pages.empty() && !body.contains("engine")) {
    *error = ErrorReply(422, "invalid_field", "pages: needs the engine to read them with");
    return core::InvalidArgument("body", "pages without engine");
  }
  if (body.empty()) return change;
  auto stored = ParseJsonBounded(job.spec.options_json);
  nlohmann::json options = stored.ok() && stored->is_object() ? *stored : nlohmann::json::object();
  if (body.contains("doc_type")) {
    auto fresh = JobOptionsJson(env, tenant, doc_type, "");
    if (!fresh.ok()) {
      *error = ErrorReply(422, "invalid_field", fresh.status().message());
      return fresh.status();
    }
    nlohmann::json merged = nlohmann::json::parse(*fresh);
    for (const char* key : {"engine", "page_engines", "extractor", "variant", "lang"}) {
      if (options.contains(key)) {
        merged[key] = options[key];
      } else {
        merged.erase(key);
      }
    }
    options = std::move(merged);
    change.doc_type = doc_type;
  }
  if (body.contains("extractor")) options["extractor"] = extractor;
  if (!pages.empty()) {
    for (int page : pages) options["page_engines"][std::to_string(page)] = engine;
  } else if (body.contains("engine")) {
    // The whole document with one engine: no page keeps another.
    options["engine"] = engine;
    options.erase("page_engines");
  }
  auto checked = document::DocumentOptionsFromJson(options);
  if (!checked.ok()) {
    *error = ErrorReply(422, "invalid_field", checked.status().message());
    return checked.status();
  }
  change.options_json = document::DocumentOptionsToJson(*checked).dump();
  return change;
}

Reply Rerun(Env& env, Ctx& ctx) {
  const std::string& tenant = ctx.principal.tenant_id;
  Reply error;
  auto body = JsonBody(ctx, &error, /*empty_ok=*/true);
  if (!body) return error;
  auto before = env.deps.repo.GetJob(tenant, ctx.params["id"]);
  if (!before.ok()) return ErrorReply(before.status());
  auto change = RerunChangeFor(env, tenant, *before, *body, &error);
  if (!change.ok()) return error;
  core::Status st = env.deps.repo.RequeueJob(tenant, ctx.params["id"], env.NowMs(), *change);
  if (!st.ok()) return ErrorReply(st);
  store::AuditEntry audit;
  audit.tenant_id = tenant;
  audit.job_id = ctx.params["id"];
  audit.actor = ctx.principal.key_id;
  audit.action = "job.rerun";
  // What changed, never document content: the doc_type and version names.
  if (!body->empty()) {
    auto old_options = ParseJsonBounded(before->spec.options_json);
    nlohmann::json was = nlohmann::json::object();
    for (const auto& [key, value] : body->items()) {
      if (key == "doc_type") {
        was[key] = before->spec.doc_type;
      } else if (old_options.ok() && old_options->contains(key)) {
        was[key] = (*old_options)[key];
      }
    }
    audit.before_json = was.dump();
    audit.after_json = body->dump();
  }
  audit.created_at = env.NowMs();
  (void)env.deps.repo.AppendAudit(audit);
  auto job = env.deps.repo.GetJob(tenant, ctx.params["id"]);
  if (!job.ok()) return ErrorReply(job.status());
  return JsonReply(202, JobView(*job, ctx.principal.role));
}

Reply Delete(Env& env, Ctx& ctx) {
  core::Status st =
      DeleteJobAndBlobs(env.deps.repo, env.deps.blobs, ctx.principal.tenant_id, ctx.params["id"],
                        ctx.principal.key_id, env.NowMs(), ActiveJob::kCancel);
  if (!st.ok()) return ErrorReply(st);
  Reply r;
  r.status = 204;
  return r;
}

}  // namespace

void AddJobRoutes(Router& router, Env& env) {
  router.Add({.method = "POST",
              .pattern = "/ocr/jobs",
              .permission = Permission::kSubmit,
              .body = BodyKind::kDocument,
              .handler = [&env](Ctx& ctx) { return Submit(env, ctx); },
              .summary = "Queue a document (JSON source_uri or multipart 'file'); idempotent "
                         "by external_id",
              .statuses = {200, 202, 413, 415, 422}});
  router.Add({.method = "GET",
              .pattern = "/ocr/jobs",
              .handler = [&env](Ctx& ctx) { return List(env, ctx); },
              .summary = "The tenant's jobs, newest first (status, doc_type, created_from, "
                         "created_to, cursor, limit)",
              .statuses = {200}});
  router.Add({.method = "GET",
              .pattern = "/ocr/jobs/{id}",
              .handler = [&env](Ctx& ctx) { return Get(env, ctx); },
              .summary = "A job's status, page count, error and confidence summary",
              .statuses = {200}});
  router.Add({.method = "POST",
              .pattern = "/ocr/jobs/{id}/rerun",
              .permission = Permission::kReview,
              .body = BodyKind::kJson,
              .handler = [&env](Ctx& ctx) { return Rerun(env, ctx); },
              .summary = "Run a finished job again, optionally with another doc_type (schema), "
                         "engine or extractor, or only some pages with another engine",
              .statuses = {202, 409, 422}});
  router.Add({.method = "DELETE",
              .pattern = "/ocr/jobs/{id}",
              .permission = Permission::kAdmin,
              .handler = [&env](Ctx& ctx) { return Delete(env, ctx); },
              .summary = "Cancel (when active) and delete a job, its results and its original",
              .statuses = {204}});
}

}  // namespace smartocr::api
