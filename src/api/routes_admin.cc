// /admin: API keys, tenants, tenant settings, re-queueing quarantined jobs, the audit
// log. Everything is scoped to the caller's tenant; creating tenants needs an admin
// key of the platform tenant ("system").
#include <string>
#include <vector>

#include "api/api.h"
#include "api/request_body.h"

namespace smartocr::api {
namespace {

// The longest a key may be made to live for (expires_in_s): ten years.
constexpr int64_t kMaxKeyLifetimeS = int64_t{10} * 366 * 86'400;

nlohmann::ordered_json KeyJson(const store::ApiKey& k) {
  return {{"id", k.id},
          {"tenant_id", k.tenant_id},
          {"prefix", k.prefix},
          {"role", store::RoleName(k.role)},
          {"scopes", SplitSpaceList(k.scopes)},
          {"allowed_networks", SplitSpaceList(k.allowed_networks)},
          {"created_at", k.created_at},
          {"expires_at", k.expires_at},
          {"last_used_at", k.last_used_at},
          {"revoked_at", k.revoked_at}};
}

// A new key's limits from its creation body: `expires_in_s`, `scopes`,
// `allowed_networks` (docs/api.md). False with a 422 in *error.
bool KeyLimits(const nlohmann::json& body, int64_t now, store::ApiKey* row, Reply* error) {
  if (auto it = body.find("expires_in_s"); it != body.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1 ||
        it->get<int64_t>() > kMaxKeyLifetimeS) {
      *error = ErrorReply(422, "invalid_field", "expires_in_s: whole seconds, 1 to ten years");
      return false;
    }
    row->expires_at = now + it->get<int64_t>() * 1000;
  }
  std::vector<std::string> scopes, networks;
  if (!StringArrayMember(body, "scopes", &scopes, error) ||
      !StringArrayMember(body, "allowed_networks", &networks, error)) {
    return false;
  }
  auto checked_scopes = CheckScopes(scopes);
  auto checked_networks = CheckNetworks(networks);
  for (const auto* checked : {&checked_scopes, &checked_networks}) {
    if (!checked->ok()) {
      *error = ErrorReply(422, "invalid_field", checked->status().message());
      return false;
    }
  }
  row->scopes = *checked_scopes;
  row->allowed_networks = *checked_networks;
  return true;
}

Reply CreateKey(Env& env, Ctx& ctx, const std::string& tenant) {
  Reply error;
  auto body = JsonBody(ctx, &error);
  if (!body) return error;
  std::string role_name;
  if (!StringMember(*body, "role", &role_name, &error)) return error;
  auto role = store::ParseRole(role_name);
  if (!role) return ErrorReply(422, "invalid_field", "role is admin, reviewer, viewer or service");
  NewKey key = GenerateKey(tenant, *role, env.NowMs());
  if (!KeyLimits(*body, env.NowMs(), &key.row, &error)) return error;
  core::Status st = env.deps.repo.CreateApiKey(key.row);
  if (!st.ok()) return ErrorReply(st);
  AuditAction(env, ctx, tenant, "", "key.create",
              nlohmann::json{{"key_id", key.row.id},
                             {"role", role_name},
                             {"scopes", key.row.scopes},
                             {"allowed_networks", key.row.allowed_networks},
                             {"expires_at", key.row.expires_at}}
                  .dump());
  nlohmann::ordered_json out = KeyJson(key.row);
  out["key"] = key.key;  // shown once
  return JsonReply(201, out);
}

Reply ListKeys(Env& env, Ctx& ctx) {
  auto keys = env.deps.repo.ListApiKeys(ctx.principal.tenant_id);
  if (!keys.ok()) return ErrorReply(keys.status());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const store::ApiKey& k : *keys) list.push_back(KeyJson(k));
  return JsonReply(200, {{"keys", list}});
}

Reply RevokeKey(Env& env, Ctx& ctx) {
  const std::string& tenant = ctx.principal.tenant_id;
  core::Status st = env.deps.repo.RevokeApiKey(tenant, ctx.params["id"], env.NowMs());
  if (!st.ok()) return ErrorReply(st);
  AuditAction(env, ctx, tenant, "", "key.revoke",
              nlohmann::json{{"key_id", ctx.params["id"]}}.dump());
  Reply r;
  r.status = 204;
  return r;
}

Reply CreateTenant(Env& env, Ctx& ctx) {
  if (ctx.principal.tenant_id != kSystemTenant) {
    return ErrorReply(403, "forbidden", "creating tenants needs an admin key of tenant 'system'");
  }
  Reply error;
  auto body = JsonBody(ctx, &error);
  if (!body) return error;
  store::Tenant t;
  if (!StringMember(*body, "id", &t.id, &error) || !StringMember(*body, "name", &t.name, &error) ||
      !StringMember(*body, "region", &t.region, &error)) {
    return error;
  }
  const bool slug =
      !t.id.empty() && t.id.size() <= 64 &&
      t.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos;
  if (!slug) return ErrorReply(422, "invalid_field", "id is 1-64 of [a-z0-9-_]");
  if (t.name.empty()) t.name = t.id;
  t.created_at = env.NowMs();
  t.webhook_secret = store::NewWebhookSecret();
  core::Status st = env.deps.repo.CreateTenant(t);
  if (!st.ok()) return ErrorReply(st);
  NewKey key = GenerateKey(t.id, store::Role::kAdmin, env.NowMs());
  st = env.deps.repo.CreateApiKey(key.row);
  if (!st.ok()) return ErrorReply(st);
  AuditAction(env, ctx, t.id, "", "tenant.create", nlohmann::json{{"tenant_id", t.id}}.dump());
  nlohmann::ordered_json out;
  out["tenant"] = {{"id", t.id}, {"name", t.name}, {"region", t.region}};
  out["admin_key"] = KeyJson(key.row);
  out["admin_key"]["key"] = key.key;
  out["webhook_secret"] = t.webhook_secret;  // shown once, like the key
  return JsonReply(201, out);
}

// A new webhook secret for the caller's tenant, shown once; deliveries from now on are
// signed with it (a receiver may accept both during the switch: docs/webhooks.md).
Reply RotateWebhookSecret(Env& env, Ctx& ctx) {
  const std::string& tenant = ctx.principal.tenant_id;
  const std::string secret = store::NewWebhookSecret();
  core::Status st = env.deps.repo.UpdateTenantWebhookSecret(tenant, secret);
  if (!st.ok()) return ErrorReply(st);
  AuditAction(env, ctx, tenant, "", "tenant.webhook_secret.rotate", "{}");
  return JsonReply(200, {{"tenant_id", tenant}, {"webhook_secret", secret}});
}

Reply GetSettings(Env& env, Ctx& ctx) {
  auto t = env.deps.repo.GetTenant(ctx.principal.tenant_id);
  if (!t.ok()) return ErrorReply(t.status());
  auto parsed = ParseJsonBounded<nlohmann::ordered_json>(t->settings_json);
  nlohmann::ordered_json settings = nlohmann::ordered_json::object();
  if (parsed.ok() && parsed->is_object()) settings = std::move(*parsed);
  return JsonReply(200, {{"tenant_id", t->id}, {"settings", settings}});
}

Reply PutSettings(Env& env, Ctx& ctx) {
  Reply error;
  auto body = JsonBody(ctx, &error);
  if (!body) return error;
  core::Status st = ValidateSettings(*body, env.options.defaults, env.options.ceilings);
  if (st.reason() == "setting_above_ceiling") {
    return ErrorReply(400, "setting_above_ceiling", st.message());
  }
  if (!st.ok()) return ErrorReply(422, "invalid_field", st.message());
  if (auto it = body->find("languages"); it != body->end()) {  // a string: checked above
    document::DocumentOptions wanted;
    wanted.lang = it->get<std::string>();
    st = env.deps.documents.CheckLanguage(wanted);
    if (!st.ok()) return ErrorReply(422, st.reason(), st.message());
  }
  st = env.deps.repo.UpdateTenantSettings(ctx.principal.tenant_id, body->dump());
  if (!st.ok()) return ErrorReply(st);
  AuditAction(env, ctx, ctx.principal.tenant_id, "", "tenant.settings", body->dump());
  return GetSettings(env, ctx);
}

Reply Requeue(Env& env, Ctx& ctx) {
  const std::string& tenant = ctx.principal.tenant_id;
  auto job = env.deps.repo.GetJob(tenant, ctx.params["id"]);
  if (!job.ok()) return ErrorReply(job.status());
  if (job->status != store::JobStatus::kQuarantined && job->status != store::JobStatus::kFailed) {
    return ErrorReply(409, "conflict", "only quarantined or failed jobs are re-queued here");
  }
  core::Status st = env.deps.repo.RequeueJob(tenant, job->id, env.NowMs(), {});
  if (!st.ok()) return ErrorReply(st);
  AuditAction(env, ctx, tenant, job->id, "job.requeue", "{}");
  return JsonReply(202, {{"id", job->id}, {"status", "queued"}});
}

Reply AuditLog(Env& env, Ctx& ctx) {
  int limit = 100;
  if (ctx.HasQuery("limit")) limit = std::atoi(ctx.Query("limit").c_str());
  if (limit < 1 || limit > 1000) return ErrorReply(400, "invalid_query", "limit is 1..1000");
  auto entries = env.deps.repo.ListAudit(ctx.principal.tenant_id, ctx.Query("job_id"), limit);
  if (!entries.ok()) return ErrorReply(entries.status());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const store::AuditEntry& e : *entries) {
    auto parse = [](const std::string& s) {
      auto j = ParseJsonBounded(s);
      return j.ok() ? std::move(*j) : nlohmann::json::object();
    };
    list.push_back({{"id", e.id},
                    {"job_id", e.job_id},
                    {"actor", e.actor},
                    {"action", e.action},
                    {"before", parse(e.before_json)},
                    {"after", parse(e.after_json)},
                    {"reason", e.reason},
                    {"created_at", e.created_at}});
  }
  return JsonReply(200, {{"entries", list}});
}

// The audit log's hash chain checked (store::AuditChainReport); ?head=HASH also asks
// whether a head recorded earlier is still in it.
Reply AuditVerify(Env& env, Ctx& ctx) {
  const std::string head = ctx.Query("head");
  auto report = env.deps.repo.VerifyAuditChain(ctx.principal.tenant_id, head);
  if (!report.ok()) return ErrorReply(report.status());
  nlohmann::ordered_json out = {{"intact", report->intact()},
                                {"rows", report->rows},
                                {"keyed", report->keyed},
                                {"unchained", report->unchained},
                                {"head", report->head}};
  if (!report->intact()) {
    out["broken_at"] = report->broken_at;
    out["problem"] = report->problem;
  }
  if (!head.empty()) out["head_found"] = report->known_head_found;
  return JsonReply(200, out);
}

}  // namespace

void AddAdminRoutes(Router& router, Env& env) {
  auto add = [&](const char* method, const char* pattern, BodyKind body,
                 const std::function<Reply(Env&, Ctx&)>& fn, const char* summary,
                 std::vector<int> statuses) {
    router.Add({.method = method,
                .pattern = pattern,
                .permission = Permission::kAdmin,
                .body = body,
                .handler = [&env, fn](Ctx& ctx) { return fn(env, ctx); },
                .summary = summary,
                .statuses = std::move(statuses)});
  };
  add("POST", "/admin/keys", BodyKind::kJson,
      [](Env& e, Ctx& c) { return CreateKey(e, c, c.principal.tenant_id); },
      "Create an API key in the caller's tenant (the key is shown once)", {201, 422});
  add("GET", "/admin/keys", BodyKind::kNone, ListKeys, "The tenant's API keys (no secrets)", {200});
  add("DELETE", "/admin/keys/{id}", BodyKind::kNone, RevokeKey,
      "Revoke a key (effective on its next request)", {204});
  add("POST", "/admin/tenants", BodyKind::kJson, CreateTenant,
      "Create a tenant with a first admin key (system tenant's admins only)", {201, 409, 422});
  add("GET", "/admin/tenant/settings", BodyKind::kNone, GetSettings, "The tenant's settings",
      {200});
  add("PUT", "/admin/tenant/settings", BodyKind::kJson, PutSettings,
      "Replace the tenant's settings (limits, rates, schemas, thresholds, retention)",
      {200, 400, 422});
  add("POST", "/admin/tenant/webhook-secret", BodyKind::kNone, RotateWebhookSecret,
      "Replace the tenant's webhook signing secret (the new one is shown once)", {200});
  add("POST", "/admin/jobs/{id}/requeue", BodyKind::kNone, Requeue,
      "Put a quarantined or failed job back in the queue", {202, 409});
  add("GET", "/admin/audit", BodyKind::kNone, AuditLog,
      "The tenant's audit log, newest first (?job_id, ?limit)", {200});
  add("GET", "/admin/audit/verify", BodyKind::kNone, AuditVerify,
      "Check the tenant's audit log hash chain (?head=HASH: a head recorded earlier)", {200});
}

}  // namespace smartocr::api
