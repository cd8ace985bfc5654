// GET /admin/tenant/export and DELETE /admin/tenants/{id}: a tenant's data as one
// archive, and its erasure (api/tenant_data.h; docs/security.md).
#include "api/api.h"
#include "api/auth.h"
#include "api/tenant_data.h"

namespace smartocr::api {
namespace {

// What an export over HTTP may hold (in memory); larger tenants use the CLI, which
// writes to a file as it goes.
constexpr int64_t kMaxHttpExportBytes = int64_t{256} << 20;

Reply Export(Env& env, Ctx& ctx) {
  const std::string& tenant = ctx.principal.tenant_id;
  TarArchive archive;
  core::Status st = ExportTenant(env.deps.repo, env.deps.blobs, tenant, env.NowMs(),
                                 kMaxHttpExportBytes, archive);
  if (!st.ok()) return ErrorReply(st);
  AuditAction(env, ctx, tenant, "", "tenant.export",
              nlohmann::json{{"bytes", archive.size()}}.dump());
  Reply r;
  r.content_type = "application/x-tar";
  r.body = std::move(archive).Finish();
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"tenant-" + tenant + ".tar\"");
  return r;
}

Reply Erase(Env& env, Ctx& ctx) {
  if (ctx.principal.tenant_id != kSystemTenant) {
    return ErrorReply(403, "forbidden", "erasing tenants needs an admin key of tenant 'system'");
  }
  const std::string& tenant = ctx.params["id"];
  // The id twice: an erasure cannot be undone, so a mistyped path must not be one.
  if (ctx.Query("confirm") != tenant) {
    return ErrorReply(400, "confirmation_required",
                      "add ?confirm=" + tenant + " to erase this tenant and all its data");
  }
  auto report =
      EraseTenant(env.deps.repo, env.deps.blobs, tenant, ctx.principal.key_id, env.NowMs());
  if (!report.ok()) return ErrorReply(report.status());
  return JsonReply(200, {{"tenant_id", tenant}, {"jobs", report->jobs}, {"blobs", report->blobs}});
}

}  // namespace

void AddTenantDataRoutes(Router& router, Env& env) {
  router.Add({.method = "GET",
              .pattern = "/admin/tenant/export",
              .permission = Permission::kAdmin,
              .handler = [&env](Ctx& ctx) { return Export(env, ctx); },
              .summary = "Everything of the caller's tenant as a tar archive (up to 256 MiB)",
              .statuses = {200, 413}});
  router.Add({.method = "DELETE",
              .pattern = "/admin/tenants/{id}",
              .permission = Permission::kAdmin,
              .handler = [&env](Ctx& ctx) { return Erase(env, ctx); },
              .summary = "Erase a tenant: its rows, blobs and keys (system tenant's admins; "
                         "?confirm={id})",
              .statuses = {200, 400, 403, 404}});
}

}  // namespace smartocr::api
