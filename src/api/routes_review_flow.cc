// The review workflow on one document (docs/review.md): claim and release, approve
// and reject (with the tenant's reason codes, a reviews row in the same transaction,
// and a webhook event), and the document's review history.
#include <algorithm>

#include "api/api.h"
#include "api/request_body.h"
#include "api/review_view.h"
#include "jobs/webhooks.h"
#include "telemetry/metrics.h"

namespace smartocr::api {
namespace {

ReviewSettings SettingsOf(Env& env, const std::string& tenant) {
  auto row = env.deps.repo.GetTenant(tenant);
  return ReviewSettingsFor(row.ok() ? row->settings_json : "{}");
}

Reply Claim(Env& env, Ctx& ctx) {
  const std::string& tenant = ctx.principal.tenant_id;
  const ReviewSettings settings = SettingsOf(env, tenant);
  const int64_t now = env.NowMs();
  auto review = env.deps.repo.ClaimReview(tenant, ctx.params["id"], ctx.principal.key_id, now,
                                          settings.claim_ms);
  if (!review.ok()) return ErrorReply(review.status());
  return JsonReply(200, {{"job_id", ctx.params["id"]}, {"review", ReviewView(*review, now)}});
}

Reply Release(Env& env, Ctx& ctx) {
  const std::string& tenant = ctx.principal.tenant_id;
  core::Status st = env.deps.repo.ReleaseReview(tenant, ctx.params["id"], ctx.principal.key_id);
  if (!st.ok()) return ErrorReply(st);
  auto review = env.deps.repo.GetReview(tenant, ctx.params["id"]);
  if (!review.ok()) return ErrorReply(review.status());
  return JsonReply(200,
                   {{"job_id", ctx.params["id"]}, {"review", ReviewView(*review, env.NowMs())}});
}

// Approve (`approve`) or reject: the decision, its reviews row and its webhook event.
Reply Decide(Env& env, Ctx& ctx, bool approve) {
  const std::string& tenant = ctx.principal.tenant_id;
  Reply error;
  auto body = JsonBody(ctx, &error, /*empty_ok=*/true);
  if (!body) return error;
  std::string reason_code;
  std::string comment;
  if (!StringMember(*body, "reason_code", &reason_code, &error) ||
      !StringMember(*body, "comment", &comment, &error)) {
    return error;
  }
  if (comment.size() > 2000) {
    return ErrorReply(422, "invalid_field", "comment is longer than 2000 bytes");
  }
  // One read of the tenant: its reason codes now, its webhook secret after.
  auto tenant_row = env.deps.repo.GetTenant(tenant);
  const ReviewSettings settings =
      ReviewSettingsFor(tenant_row.ok() ? tenant_row->settings_json : "{}");
  if (!approve) {
    const auto& codes = settings.reject_reasons;
    if (std::find(codes.begin(), codes.end(), reason_code) == codes.end()) {
      std::string list;
      for (const std::string& c : codes) list += (list.empty() ? "" : ", ") + c;
      return ErrorReply(422, "invalid_field", "reason_code must be one of: " + list);
    }
  } else if (!reason_code.empty()) {
    return ErrorReply(422, "invalid_field", "an approval takes no reason_code");
  }
  const int64_t now = env.NowMs();
  store::ReviewEntry entry{.actor = ctx.principal.key_id,
                           .action = approve ? "review.approve" : "review.reject",
                           .after_json = nlohmann::json({{"reason_code", reason_code}}).dump(),
                           .reason = comment,
                           .created_at = now};
  auto review =
      env.deps.repo.DecideReview(tenant, ctx.params["id"], approve, entry, reason_code, now);
  if (!review.ok()) return ErrorReply(review.status());
  telemetry::ObserveReviewDecision(review->status,
                                   static_cast<double>(now - review->completed_at) / 1000.0);
  auto job = env.deps.repo.GetJob(tenant, ctx.params["id"]);
  if (job.ok() && env.deps.webhooks != nullptr && !job->spec.webhook_url.empty()) {
    jobs::WebhookEvent event = jobs::MakeReviewEvent(*job, *review, now, env.options.public_url);
    if (tenant_row.ok()) event.secret = tenant_row->webhook_secret;
    env.deps.webhooks->Enqueue(std::move(event));
  }
  return JsonReply(200, {{"job_id", ctx.params["id"]}, {"review", ReviewView(*review, now)}});
}

Reply History(Env& env, Ctx& ctx) {
  auto entries = env.deps.repo.ListReviewEntries(ctx.principal.tenant_id, ctx.params["id"]);
  if (!entries.ok()) return ErrorReply(entries.status());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const store::ReviewEntry& e : *entries) {
    list.push_back({{"id", e.id},
                    {"actor", e.actor},
                    {"action", e.action},
                    {"before", nlohmann::ordered_json::parse(e.before_json, nullptr, false)},
                    {"after", nlohmann::ordered_json::parse(e.after_json, nullptr, false)},
                    {"reason", e.reason},
                    {"created_at", e.created_at}});
  }
  return JsonReply(200, {{"job_id", ctx.params["id"]}, {"reviews", list}});
}

}  // namespace

void AddReviewFlowRoutes(Router& router, Env& env) {
  router.Add({.method = "POST",
              .pattern = "/ocr/jobs/{id}/review/claim",
              .permission = Permission::kReview,
              .handler = [&env](Ctx& ctx) { return Claim(env, ctx); },
              .summary = "Claim a document for review (a lease; 409 while another holds it)",
              .statuses = {200, 409}});
  router.Add({.method = "POST",
              .pattern = "/ocr/jobs/{id}/review/release",
              .permission = Permission::kReview,
              .handler = [&env](Ctx& ctx) { return Release(env, ctx); },
              .summary = "Give a review claim back",
              .statuses = {200}});
  router.Add({.method = "POST",
              .pattern = "/ocr/jobs/{id}/review/approve",
              .permission = Permission::kReview,
              .body = BodyKind::kJson,
              .handler = [&env](Ctx& ctx) { return Decide(env, ctx, /*approve=*/true); },
              .summary = "Approve a reviewed document (webhook job.review.approved)",
              .statuses = {200, 409, 422}});
  router.Add({.method = "POST",
              .pattern = "/ocr/jobs/{id}/review/reject",
              .permission = Permission::kReview,
              .body = BodyKind::kJson,
              .handler = [&env](Ctx& ctx) { return Decide(env, ctx, /*approve=*/false); },
              .summary = "Reject with a reason code (webhook job.review.rejected)",
              .statuses = {200, 409, 422}});
  router.Add({.method = "GET",
              .pattern = "/ocr/jobs/{id}/reviews",
              .permission = Permission::kRead,
              .handler = [&env](Ctx& ctx) { return History(env, ctx); },
              .summary = "A document's review history: field edits and decisions",
              .statuses = {200}});
}

}  // namespace smartocr::api
