// `smartocr admin`: bootstrap API keys, check a tenant's audit log, export or erase a
// tenant, make and rotate the master key.
#include "cli/admin_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "api/auth.h"
#include "api/tar_archive.h"
#include "api/tenant_data.h"
#include "cli/cli_log.h"
#include "cli/extract_command.h"
#include "cli/flag_table.h"
#include "cli/service_setup.h"
#include "jobs/jobs.h"

namespace smartocr::cli {
namespace {

const char kAdminIntro[] = R"(Usage: smartocr admin key create --tenant NAME --role ROLE [options]
       smartocr admin audit verify --tenant NAME [--head HASH] [options]
       smartocr admin tenant export --tenant NAME --out FILE.tar [options]
       smartocr admin tenant erase --tenant NAME --confirm NAME [options]
       smartocr admin keys new-master --out FILE
       smartocr admin keys rotate-master --master-key-file OLD --new-master-key-file NEW


key create: creates an API key (creating the tenant when needed) and prints it alone on
the last line. Roles: admin, reviewer, viewer, service. The key is not stored, only its
hash. A new tenant's webhook signing secret is printed once, on stderr.

audit verify: checks the tenant's audit log, a hash chain (docs/security.md), and
prints how many rows it covers and the newest row's hash. Exit 0 when intact; 4 with
the first row that does not verify (edited, or a row before it deleted or edited), or
when --head names a hash the chain no longer holds (its newest rows were deleted).

tenant export: everything of the tenant (rows as JSON Lines, blobs as files) in one
tar archive, written to FILE as it is built (docs/security.md).

tenant erase: deletes the tenant's blobs, then all its rows and keys; the erasure is
recorded in the system tenant's audit log. --confirm repeats the tenant's name.

keys new-master: writes a new random master key to FILE (mode 0600; an existing file is
never replaced) and prints its id. Give it to serve and worker as --master-key-file.

keys rotate-master: re-wraps every tenant's data key from the OLD master key to the NEW
one in one transaction (the data itself is not re-encrypted), then prints how many.
Restart the processes with the NEW key afterwards; keep OLD until they all run on NEW.
Repeating it after an interruption is safe.
)";

// `admin keys new-master`: a new master key in `out`; the exit code.
int NewMasterKey(const std::string& out) {
  if (out.empty()) {
    ReportError("admin", "keys new-master needs --out FILE");
    return kExitUsage;
  }
  const keys::MasterKey key = keys::MasterKey::Generate();
  const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Fail("admin", core::IoError("master_key_file",
                                       "cannot create " + out + ": " + std::strerror(errno) +
                                           " (an existing key is never replaced)"));
  }
  const std::string text = key.Hex() + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) {
    std::remove(out.c_str());
    return Fail("admin", core::IoError("master_key_file", "cannot write " + out));
  }
  std::printf("wrote master key %s to %s\n", key.id().c_str(), out.c_str());
  return kExitOk;
}

// `admin keys rotate-master`; the exit code.
int RotateMasterKey(ServiceFlags service, const std::string& new_key_file) {
  auto from = keys::MasterKeyFromFlagOrEnv(service.master_key_file);
  if (!from.ok()) return Fail("admin", from.status());
  if (!*from || new_key_file.empty()) {
    ReportError("admin",
                "keys rotate-master needs --master-key-file OLD (or SMARTOCR_MASTER_KEY_FILE) "
                "and --new-master-key-file NEW");
    return kExitUsage;
  }
  auto to = keys::MasterKey::FromFile(new_key_file);
  if (!to.ok()) return Fail("admin", to.status());
  service.without_keyring = true;
  auto services = OpenServices(service, /*with_blobs=*/false, /*migrate=*/true);
  if (!services.ok()) return Fail("admin", services.status());
  auto rewrapped = keys::RotateMasterKey(*services->repo, **from, *to);
  if (!rewrapped.ok()) return Fail("admin", rewrapped.status());
  const int64_t now = jobs::RealClock().NowMs();
  core::Status st = api::EnsureTenant(*services->repo, api::kSystemTenant, now);
  if (st.ok()) {
    store::AuditEntry audit;
    audit.tenant_id = api::kSystemTenant;
    audit.actor = "cli";
    audit.action = "keys.rotate_master";
    audit.after_json = "{\"from\":\"" + (*from)->id() + "\",\"to\":\"" + to->id() +
                       "\",\"keys\":" + std::to_string(*rewrapped) + "}";
    audit.created_at = now;
    st = services->repo->AppendAudit(audit);
  }
  if (!st.ok()) return Fail("admin", st);
  std::printf("re-wrapped %lld tenant keys from master key %s to %s\n",
              static_cast<long long>(*rewrapped), (*from)->id().c_str(), to->id().c_str());
  return kExitOk;
}

// Creates the key (and the tenant when missing) and prints it; the exit code.
int CreateKey(const ServiceFlags& service, const std::string& tenant, const std::string& role_name,
              store::Role role) {
  auto services = OpenServices(service, /*with_blobs=*/false, /*migrate=*/true);
  if (!services.ok()) return Fail("admin", services.status());
  const int64_t now = jobs::RealClock().NowMs();
  std::string webhook_secret;
  core::Status st = api::EnsureTenant(*services->repo, tenant, now, &webhook_secret);
  if (!st.ok()) return Fail("admin", st);
  if (!webhook_secret.empty()) {
    // Shown once: POST /admin/tenant/webhook-secret makes a new one.
    std::fprintf(stderr, "created tenant %s; its webhook secret: %s\n", tenant.c_str(),
                 webhook_secret.c_str());
  }
  api::NewKey key = api::GenerateKey(tenant, role, now);
  st = services->repo->CreateApiKey(key.row);
  if (!st.ok()) return Fail("admin", st);
  store::AuditEntry audit;
  audit.tenant_id = tenant;
  audit.actor = "cli";
  audit.action = "key.create";
  audit.after_json = "{\"key_id\":\"" + key.row.id + "\",\"role\":\"" + role_name + "\"}";
  audit.created_at = now;
  (void)services->repo->AppendAudit(audit);
  std::fprintf(stderr, "created key %s (prefix %s, tenant %s, role %s)\n", key.row.id.c_str(),
               key.row.prefix.c_str(), tenant.c_str(), role_name.c_str());
  std::printf("%s\n", key.key.c_str());
  return kExitOk;
}

// Checks the tenant's audit chain and prints what it found; the exit code.
int VerifyAudit(const ServiceFlags& service, const std::string& tenant, const std::string& head) {
  auto services = OpenServices(service, /*with_blobs=*/false, /*migrate=*/false);
  if (!services.ok()) return Fail("admin", services.status());
  auto report = services->repo->VerifyAuditChain(tenant, head);
  if (!report.ok()) return Fail("admin", report.status());
  if (!report->intact()) {
    std::printf("audit log of %s: BROKEN at row %lld: %s (%lld rows verified before it)\n",
                tenant.c_str(), static_cast<long long>(report->broken_at), report->problem.c_str(),
                static_cast<long long>(report->rows));
    return kExitProcessingFailed;
  }
  std::printf(
      "audit log of %s: intact, %lld rows in the chain (%lld keyed), %lld older rows not "
      "covered\n",
      tenant.c_str(), static_cast<long long>(report->rows), static_cast<long long>(report->keyed),
      static_cast<long long>(report->unchained));
  std::printf("head %s\n", report->head.empty() ? "(none)" : report->head.c_str());
  if (!head.empty() && !report->known_head_found) {
    std::printf(
        "audit log of %s: the head %s recorded earlier is not in the chain: rows were "
        "deleted from its end\n",
        tenant.c_str(), head.c_str());
    return kExitProcessingFailed;
  }
  return kExitOk;
}

// Writes the tenant's archive to `out` (through a temporary file renamed at the end).
int ExportTenantTo(const ServiceFlags& service, const std::string& tenant, const std::string& out) {
  auto services = OpenServices(service, /*with_blobs=*/true, /*migrate=*/false);
  if (!services.ok()) return Fail("admin", services.status());
  const std::string temp = out + ".partial";
  std::ofstream file(temp, std::ios::binary | std::ios::trunc);
  if (!file) return Fail("admin", core::IoError("export_file", "cannot write " + temp));
  api::TarArchive archive([&file, &temp](std::string_view bytes) {
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return file ? core::Status::Ok() : core::IoError("export_file", "cannot write " + temp);
  });
  const int64_t now = jobs::RealClock().NowMs();
  core::Status st = api::ExportTenant(*services->repo, *services->blobs, tenant, now, 0, archive);
  const size_t bytes = archive.size();
  if (st.ok()) std::move(archive).Finish(&st);
  file.close();
  if (st.ok() && !file) st = core::IoError("export_file", "cannot write " + temp);
  if (st.ok() && std::rename(temp.c_str(), out.c_str()) != 0) {
    st = core::IoError("export_file", "cannot rename " + temp + " to " + out);
  }
  if (!st.ok()) {
    std::remove(temp.c_str());
    return Fail("admin", st);
  }
  store::AuditEntry audit;
  audit.tenant_id = tenant;
  audit.actor = "cli";
  audit.action = "tenant.export";
  audit.after_json = "{\"bytes\":" + std::to_string(bytes) + "}";
  audit.created_at = now;
  (void)services->repo->AppendAudit(audit);
  std::printf("exported tenant %s to %s (%zu bytes)\n", tenant.c_str(), out.c_str(), bytes);
  return kExitOk;
}

int EraseTenant(const ServiceFlags& service, const std::string& tenant) {
  auto services = OpenServices(service, /*with_blobs=*/true, /*migrate=*/true);
  if (!services.ok()) return Fail("admin", services.status());
  auto report =
      api::EraseTenant(*services->repo, *services->blobs, tenant, "cli", jobs::RealClock().NowMs());
  if (!report.ok()) return Fail("admin", report.status());
  std::printf("erased tenant %s: %lld jobs, %lld blobs, its keys and audit log\n", tenant.c_str(),
              static_cast<long long>(report->jobs), static_cast<long long>(report->blobs));
  return kExitOk;
}

// `admin tenant export|erase`; the exit code.
int RunTenantCommand(const std::string& verb, const ServiceFlags& service,
                     const std::string& tenant, const std::string& out,
                     const std::string& confirm) {
  if (tenant.empty()) {
    ReportError("admin", "--tenant is required");
    return kExitUsage;
  }
  if (verb == "export") {
    if (out.empty()) {
      ReportError("admin", "tenant export needs --out FILE");
      return kExitUsage;
    }
    return ExportTenantTo(service, tenant, out);
  }
  if (confirm != tenant) {
    ReportError("admin", "tenant erase cannot be undone: add --confirm " + tenant);
    return kExitUsage;
  }
  return EraseTenant(service, tenant);
}

}  // namespace

int RunAdmin(const std::vector<std::string>& args) {
  ServiceFlags service;
  std::string tenant, role_name, head, out, confirm, new_master_key_file;
  bool help = false;
  const FlagTable table = Concat({
      {TextFlag("--tenant", "NAME", "the tenant (key create: created when missing)", &tenant),
       TextFlag("--role", "ROLE", "key create: admin, reviewer, viewer or service", &role_name),
       TextFlag("--head", "HASH", "audit verify: a head printed before, which must be in the chain",
                &head),
       TextFlag("--out", "FILE", "tenant export: the archive to write", &out),
       TextFlag("--confirm", "NAME", "tenant erase: the tenant's name again", &confirm),
       TextFlag("--new-master-key-file", "FILE", "keys rotate-master: the new master key",
                &new_master_key_file)},
      ServiceFlagRows(&service),
      {HelpFlag(&help)},
  });
  std::vector<std::string> command;
  if (auto exit = ParseCommandLine("admin", table, help, kAdminIntro, args, &command)) {
    return *exit;
  }
  if (command == std::vector<std::string>{"audit", "verify"}) {
    if (tenant.empty()) {
      ReportError("admin", "--tenant is required");
      return kExitUsage;
    }
    return VerifyAudit(service, tenant, head);
  }
  if (command == std::vector<std::string>{"keys", "new-master"}) return NewMasterKey(out);
  if (command == std::vector<std::string>{"keys", "rotate-master"}) {
    return RotateMasterKey(service, new_master_key_file);
  }
  if (command.size() == 2 && command[0] == "tenant" &&
      (command[1] == "export" || command[1] == "erase")) {
    return RunTenantCommand(command[1], service, tenant, out, confirm);
  }
  if (command != std::vector<std::string>{"key", "create"}) {
    ReportError("admin",
                "expected 'key create', 'audit verify', 'tenant export', 'tenant erase', "
                "'keys new-master' or 'keys rotate-master' (see --help)");
    return kExitUsage;
  }
  auto role = store::ParseRole(role_name);
  if (tenant.empty() || !role) {
    ReportError("admin", "--tenant and --role (admin, reviewer, viewer, service) are required");
    return kExitUsage;
  }
  return CreateKey(service, tenant, role_name, *role);
}

}  // namespace smartocr::cli
