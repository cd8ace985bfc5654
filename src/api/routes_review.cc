// PATCH /ocr/jobs/{id}/fields: reviewer edits, validated again, stored with an audit
// row (actor = the key id; before/after hold the edited fields only). Values go to
// the tenant's audit table, never to the process logs.
#include "api/api.h"
#include "api/request_body.h"
#include "api/review.h"
#include "render/line_item_cells.h"

namespace smartocr::api {
namespace {

nlohmann::json FieldsJson(const std::vector<store::FieldRecord>& fields,
                          const std::map<std::string, std::optional<std::string>>& edits) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, unused] : edits) {
    out[name] = nullptr;
    for (const store::FieldRecord& f : fields) {
      if (f.name == name) {
        out[name] = {{"value", f.value},
                     {"normalized", f.normalized},
                     {"validator_status", f.validator_status}};
      }
    }
  }
  return out;
}

nlohmann::ordered_json FieldList(const std::vector<store::FieldRecord>& fields) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const store::FieldRecord& f : fields) {
    list.push_back({{"name", f.name},
                    {"value", f.value},
                    {"normalized", f.normalized},
                    {"confidence", f.confidence},
                    {"validator_status", f.validator_status},
                    {"page", f.page},
                    {"source", f.source_model}});
  }
  return list;
}

Reply Patch(Env& env, Ctx& ctx) {
  const std::string& tenant = ctx.principal.tenant_id;
  Reply error;
  auto body = JsonBody(ctx, &error);
  if (!body) return error;
  auto fields_it = body->find("fields");
  if (fields_it == body->end() || !fields_it->is_object() || fields_it->empty()) {
    return ErrorReply(422, "invalid_field",
                      "fields must be an object of name -> new value (string or null; "
                      "line-item cells as line_items[ROW].COLUMN)");
  }
  std::map<std::string, std::optional<std::string>> edits;
  for (auto it = fields_it->begin(); it != fields_it->end(); ++it) {
    const bool cell = render::InLineItemNamespace(it.key());
    if (cell && !render::ParseLineItemCell(it.key())) {
      return ErrorReply(422, "invalid_field",
                        "line-item cells are named line_items[ROW].COLUMN: ROW 1 to " +
                            std::to_string(render::kMaxLineItemRows) +
                            ", COLUMN description, quantity, unit_price or amount");
    }
    if (cell && it.value().is_null()) {
      edits[it.key()] = "";  // a cleared cell; a row of cleared cells is no item
    } else if (it.value().is_null()) {
      edits[it.key()] = std::nullopt;
    } else if (it.value().is_string()) {
      edits[it.key()] = it.value().get<std::string>();
    } else {
      return ErrorReply(422, "invalid_field", "field values are strings (or null to remove)");
    }
  }
  std::string reason;
  if (!StringMember(*body, "reason", &reason, &error)) return error;
  auto job = env.deps.repo.GetJob(tenant, ctx.params["id"]);
  if (!job.ok()) return ErrorReply(job.status());
  if (job->status != store::JobStatus::kSucceeded) {
    return ErrorReply(409, "job_not_succeeded", "only a succeeded job's fields can be edited");
  }
  // A document another reviewer holds, or one already decided, is not edited here.
  auto review = env.deps.repo.GetReview(tenant, job->id);
  if (!review.ok()) return ErrorReply(review.status());
  if (*review) {
    const int64_t now = env.NowMs();
    if ((*review)->status != "to_review") {
      return ErrorReply(409, "review_decided", "this document's review is " + (*review)->status);
    }
    if ((*review)->StatusAt(now) == "in_review" && (*review)->claimed_by != ctx.principal.key_id) {
      return ErrorReply(409, "review_claimed", "another reviewer holds this document");
    }
  }
  auto before = env.deps.repo.GetFields(tenant, job->id);
  if (!before.ok()) return ErrorReply(before.status());
  std::vector<store::FieldRecord> after = ApplyEdits(*before, edits);
  store::AuditEntry audit;
  audit.tenant_id = tenant;
  audit.job_id = job->id;
  audit.actor = ctx.principal.key_id;
  audit.action = "fields.patch";
  audit.before_json = FieldsJson(*before, edits).dump();
  audit.after_json = FieldsJson(after, edits).dump();
  audit.reason = reason;
  audit.created_at = env.NowMs();
  core::Status st = env.deps.repo.ReplaceFields(tenant, job->id, after, audit);
  if (!st.ok()) return ErrorReply(st);
  return JsonReply(200, {{"job_id", job->id}, {"fields", FieldList(after)}});
}

// The job's fields as they stand now (the stored result keeps what was read).
Reply Fields(Env& env, Ctx& ctx) {
  auto fields = env.deps.repo.GetFields(ctx.principal.tenant_id, ctx.params["id"]);
  if (!fields.ok()) return ErrorReply(fields.status());
  return JsonReply(200, {{"job_id", ctx.params["id"]}, {"fields", FieldList(*fields)}});
}

}  // namespace

void AddReviewRoutes(Router& router, Env& env) {
  router.Add({.method = "GET",
              .pattern = "/ocr/jobs/{id}/fields",
              .permission = Permission::kRead,
              .handler = [&env](Ctx& ctx) { return Fields(env, ctx); },
              .summary = "The job's fields as they stand, reviewers' edits included",
              .statuses = {200},
              .audit_read = "job.fields.read"});
  router.Add({.method = "PATCH",
              .pattern = "/ocr/jobs/{id}/fields",
              .permission = Permission::kReview,
              .body = BodyKind::kJson,
              .handler = [&env](Ctx& ctx) { return Patch(env, ctx); },
              .summary = "Edit extracted fields; validators re-run; an audit row is written",
              .statuses = {200, 409, 422}});
}

}  // namespace smartocr::api
