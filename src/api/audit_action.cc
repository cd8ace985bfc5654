// The audit row of an action taken through the API (api.h: AuditAction).
#include "api/api.h"

namespace smartocr::api {

void AuditAction(Env& env, const Ctx& ctx, const std::string& tenant, const std::string& job_id,
                 const std::string& action, const std::string& after_json) {
  store::AuditEntry a;
  a.tenant_id = tenant;
  a.job_id = job_id;
  a.actor = ctx.principal.key_id;
  a.action = action;
  a.after_json = after_json;
  a.created_at = env.NowMs();
  (void)env.deps.repo.AppendAudit(a);
}

}  // namespace smartocr::api
