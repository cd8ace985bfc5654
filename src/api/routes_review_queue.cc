// The review queue, its statistics and exports of reviewed documents (docs/review.md).
#include <algorithm>
#include <cstdlib>
#include <map>

#include "api/api.h"
#include "api/review_dataset.h"
#include "api/review_view.h"
#include "render/line_item_cells.h"

namespace smartocr::api {
namespace {

// Most queue rows an export or the stats read (oldest first); beyond it they say so.
constexpr int kMaxReviewScan = 10'000;
constexpr int kQueuePage = 200;  // rows per store read while scanning

const std::vector<std::string> kQueueStatuses = {"to_review", "in_review", "approved", "rejected"};

bool KnownStatus(const std::string& s) {
  return std::find(kQueueStatuses.begin(), kQueueStatuses.end(), s) != kQueueStatuses.end();
}

// A query parameter as a number in [lo, hi]; nullopt (and an error reply) otherwise.
std::optional<double> NumberParam(const Ctx& ctx, const char* name, double lo, double hi,
                                  Reply* error) {
  const std::string text = ctx.Query(name);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || v < lo || v > hi) {
    *error = ErrorReply(400, "invalid_query",
                        std::string(name) + " must be a number in [" + nlohmann::json(lo).dump() +
                            ", " + nlohmann::json(hi).dump() + "]");
    return std::nullopt;
  }
  return v;
}

// The query from GET parameters, or an error reply.
std::optional<store::ReviewQuery> QueryFrom(const Ctx& ctx, Reply* error) {
  store::ReviewQuery q;
  if (ctx.HasQuery("status") && ctx.Query("status") != "all") {
    if (!KnownStatus(ctx.Query("status"))) {
      *error = ErrorReply(400, "invalid_query",
                          "status must be to_review, in_review, approved, rejected or all");
      return std::nullopt;
    }
    q.statuses = {ctx.Query("status")};
  } else if (ctx.Query("status") == "all") {
    q.statuses = kQueueStatuses;
  }
  q.doc_type = ctx.Query("doc_type");
  for (auto [name, out] : {std::pair{"min_confidence", &q.min_confidence},
                           std::pair{"max_confidence", &q.max_confidence}}) {
    if (!ctx.HasQuery(name)) continue;
    auto v = NumberParam(ctx, name, 0, 1, error);
    if (!v) return std::nullopt;
    *out = *v;
  }
  if (ctx.HasQuery("older_than")) {
    auto v = NumberParam(ctx, "older_than", 1, 1e15, error);
    if (!v) return std::nullopt;
    q.older_than = static_cast<int64_t>(*v);
  }
  if (ctx.HasQuery("limit")) {
    auto v = NumberParam(ctx, "limit", 1, kQueuePage, error);
    if (!v) return std::nullopt;
    q.limit = static_cast<int>(*v);
  }
  q.cursor = ctx.Query("cursor");
  return q;
}

// Every row `query` matches, oldest first, up to kMaxReviewScan (*truncated then).
core::Result<std::vector<store::ReviewRecord>> ScanReviews(Env& env, const std::string& tenant,
                                                           store::ReviewQuery query, int64_t now,
                                                           bool* truncated) {
  std::vector<store::ReviewRecord> all;
  query.limit = kQueuePage;
  *truncated = false;
  while (true) {
    auto page = env.deps.repo.ListReviews(tenant, query, now);
    if (!page.ok()) return page.status();
    for (store::ReviewRecord& r : page->items) all.push_back(std::move(r));
    if (page->next_cursor.empty()) break;
    if (all.size() >= static_cast<size_t>(kMaxReviewScan)) {
      *truncated = true;
      break;
    }
    query.cursor = page->next_cursor;
  }
  return all;
}

Reply Queue(Env& env, Ctx& ctx) {
  Reply error;
  auto query = QueryFrom(ctx, &error);
  if (!query) return error;
  const int64_t now = env.NowMs();
  auto page = env.deps.repo.ListReviews(ctx.principal.tenant_id, *query, now);
  if (!page.ok()) {
    if (page.status().reason() == "cursor") {
      return ErrorReply(400, "invalid_cursor", "the cursor is not one this API returned");
    }
    return ErrorReply(page.status());
  }
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const store::ReviewRecord& r : page->items) {
    auto job = env.deps.repo.GetJob(ctx.principal.tenant_id, r.job_id);
    items.push_back(QueueItemView(r, job.ok() ? job->spec.trace_id : "", now));
  }
  // The tenant's reason codes, for the reviewer's reject dialog (settings are admin-only).
  auto tenant_row = env.deps.repo.GetTenant(ctx.principal.tenant_id);
  const ReviewSettings settings =
      ReviewSettingsFor(tenant_row.ok() ? tenant_row->settings_json : "{}");
  return JsonReply(200, {{"items", items},
                         {"counts", page->counts},
                         {"next_cursor", page->next_cursor},
                         {"reject_reasons", settings.reject_reasons}});
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return v[i];
}

Reply Stats(Env& env, Ctx& ctx) {
  const std::string& tenant = ctx.principal.tenant_id;
  const int64_t now = env.NowMs();
  bool truncated = false;
  auto rows = ScanReviews(env, tenant, {.statuses = kQueueStatuses}, now, &truncated);
  if (!rows.ok()) return ErrorReply(rows.status());
  std::map<std::string, int64_t> counts;
  for (const std::string& s : kQueueStatuses) counts[s] = 0;
  std::map<std::string, int64_t> rejections;
  std::vector<double> approve_s;
  int64_t oldest_open = 0;
  for (const store::ReviewRecord& r : *rows) {
    const std::string status = r.StatusAt(now);
    ++counts[status];
    if (status == "to_review" || status == "in_review") {
      if (oldest_open == 0 || r.completed_at < oldest_open) oldest_open = r.completed_at;
    } else if (status == "approved") {
      approve_s.push_back(static_cast<double>(r.decided_at - r.completed_at) / 1000.0);
    } else {
      ++rejections[r.reason_code];
    }
  }
  auto entries = env.deps.repo.ListTenantReviewEntries(tenant, 0);
  if (!entries.ok()) return ErrorReply(entries.status());
  std::map<std::string, int64_t> by_field;
  int64_t edited = 0;
  for (const store::ReviewEntry& e : *entries) {
    if (e.action != "fields.patch") continue;
    auto after = nlohmann::json::parse(e.after_json, nullptr, /*allow_exceptions=*/false);
    if (!after.is_object()) continue;
    for (const auto& [name, unused] : after.items()) {
      // Cells count by column: line_items[].amount, whatever the row.
      const auto cell = render::ParseLineItemCell(name);
      ++by_field[cell ? "line_items[]." + cell->column : name];
      ++edited;
    }
  }
  nlohmann::ordered_json body;
  body["queue"] = {
      {"to_review", counts["to_review"]},
      {"in_review", counts["in_review"]},
      {"oldest_age_s", oldest_open == 0 ? 0.0 : static_cast<double>(now - oldest_open) / 1000.0}};
  body["time_to_approve_s"] = {{"count", approve_s.size()},
                               {"p50", Percentile(approve_s, 0.5)},
                               {"p90", Percentile(approve_s, 0.9)}};
  body["edits"] = {{"documents_decided", counts["approved"] + counts["rejected"]},
                   {"fields_edited", edited},
                   {"by_field", by_field}};
  body["rejections"] = rejections;
  body["counts"] = counts;
  body["truncated"] = truncated;
  return JsonReply(200, body);
}

// A CSV cell: quoted when it holds a separator, quote or line break; a leading = + - @
// gets a quote mark first so a spreadsheet does not run it as a formula.
std::string CsvCell(std::string s) {
  if (!s.empty() && std::string("=+-@").find(s[0]) != std::string::npos) s = "'" + s;
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

Reply Export(Env& env, Ctx& ctx) {
  const std::string& tenant = ctx.principal.tenant_id;
  const std::string format = ctx.HasQuery("format") ? ctx.Query("format") : "json";
  if (format != "json" && format != "csv" && format != "dataset") {
    return ErrorReply(400, "invalid_query", "format must be json, csv or dataset");
  }
  const std::string status = ctx.HasQuery("status") ? ctx.Query("status") : "approved";
  if (status != "all" && !KnownStatus(status)) {
    return ErrorReply(400, "invalid_query",
                      "status must be to_review, in_review, approved, rejected or all");
  }
  // A labelled set holds what a person confirmed, nothing else.
  if (format == "dataset" && status != "approved") {
    return ErrorReply(400, "invalid_query", "format=dataset exports approved documents only");
  }
  store::ReviewQuery query;
  query.statuses = status == "all" ? kQueueStatuses : std::vector<std::string>{status};
  query.doc_type = ctx.Query("doc_type");
  const int64_t now = env.NowMs();
  bool truncated = false;
  auto rows = ScanReviews(env, tenant, query, now, &truncated);
  if (!rows.ok()) return ErrorReply(rows.status());
  if (format == "dataset") return DatasetExport(env, tenant, *rows, truncated);
  nlohmann::ordered_json docs = nlohmann::ordered_json::array();
  std::string csv =
      "job_id,external_id,doc_type,review_status,field,value,normalized,confidence,"
      "validator_status\r\n";
  for (const store::ReviewRecord& r : *rows) {
    auto job = env.deps.repo.GetJob(tenant, r.job_id);
    auto fields = env.deps.repo.GetFields(tenant, r.job_id);
    if (!job.ok() || !fields.ok()) continue;  // deleted meanwhile
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const store::FieldRecord& f : *fields) {
      list.push_back({{"name", f.name},
                      {"value", f.value},
                      {"normalized", f.normalized},
                      {"confidence", f.confidence},
                      {"validator_status", f.validator_status},
                      {"source", f.source_model}});
      csv += CsvCell(r.job_id) + "," + CsvCell(job->spec.external_id) + "," + CsvCell(r.doc_type) +
             "," + r.StatusAt(now) + "," + CsvCell(f.name) + "," + CsvCell(f.value) + "," +
             CsvCell(f.normalized) + "," + nlohmann::json(f.confidence).dump() + "," +
             CsvCell(f.validator_status) + "\r\n";
    }
    docs.push_back({{"job_id", r.job_id},
                    {"external_id", job->spec.external_id},
                    {"doc_type", r.doc_type},
                    {"review", ReviewView(r, now)},
                    {"fields", list}});
  }
  Reply reply;
  if (format == "csv") {
    reply.content_type = "text/csv; charset=utf-8";
    reply.body = std::move(csv);
  } else {
    reply = JsonReply(200, {{"documents", docs}, {"truncated", truncated}});
  }
  if (truncated) reply.headers.emplace_back("X-SmartOCR-Truncated", "true");
  return reply;
}

}  // namespace

void AddReviewQueueRoutes(Router& router, Env& env) {
  router.Add({.method = "GET",
              .pattern = "/review/queue",
              .permission = Permission::kRead,
              .handler = [&env](Ctx& ctx) { return Queue(env, ctx); },
              .summary = "Documents needing review, oldest first, with counts per status",
              .statuses = {200}});
  router.Add({.method = "GET",
              .pattern = "/review/stats",
              .permission = Permission::kRead,
              .handler = [&env](Ctx& ctx) { return Stats(env, ctx); },
              .summary = "Review queue depth and age, time to approve, edits, rejections",
              .statuses = {200}});
  router.Add({.method = "GET",
              .pattern = "/review/export",
              .permission = Permission::kRead,
              .handler = [&env](Ctx& ctx) { return Export(env, ctx); },
              .summary = "Reviewed documents and their fields as JSON or CSV, or approved "
                         "ones as a labelled set (format=dataset: tar of originals and labels "
                         "for `smartocr eval --dataset reviewed`)",
              .statuses = {200},
              .audit_read = "review.export"});
}

}  // namespace smartocr::api
