#include "cli/jobs_command.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/extract_command.h"
#include "cli/worker_command.h"
#include "ingest/ingest.h"
#include "jobs/jobs.h"

namespace smartocr::cli {
namespace {

const char kSubmitUsage[] = R"(Usage: smartocr submit FILE... [options]

Stores each file as a blob and queues an OCR job for it; prints one job id per line.
Creates the tenant when it does not exist yet.

Options:
%s  --tenant T            tenant id (default: $SMARTOCR_TENANT or "default")
  --external-id ID      your id for the document (one FILE only); submitting the same
                        id again returns the existing job
  --webhook URL         POSTed a signed event when the job ends
  --doc-type TYPE       document type hint ("invoice", "receipt", ...)
  --max-attempts N      attempts before a failing job is quarantined (default: 3)
  --options JSON        pipeline options stored with the job (default: {})
  --trace-id ID         trace id carried through the worker's logs
  -h, --help            this help
)";

const char kJobsUsage[] = R"(Usage: smartocr jobs COMMAND [options]

Commands:
  get ID                print the job as JSON
  list [--status S] [--limit N]   print the tenant's jobs, newest first (JSON lines)
  attempts ID           print the job's claims (JSON lines)
  cancel ID             cancel a queued or running job
  requeue ID            put a failed, quarantined, cancelled or succeeded job back

Options:
%s  --tenant T            tenant id (default: $SMARTOCR_TENANT or "default")
  -h, --help            this help
)";

std::string DefaultTenant() {
  const char* t = std::getenv("SMARTOCR_TENANT");
  return t != nullptr && *t != '\0' ? t : "default";
}

int Fail(const char* command, const core::Status& status) {
  std::fprintf(stderr, "smartocr %s: %s\n", command, status.ToString().c_str());
  return ExitCodeFor(status);
}

int UsageError(const char* command, const std::string& message) {
  std::fprintf(stderr, "smartocr %s: %s (see --help)\n", command, message.c_str());
  return kExitUsage;
}

// Content type from the first bytes, as ingest will see them.
std::string ContentType(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[16] = {};
  in.read(head, sizeof head);
  return ingest::MediaTypeOf(
      ingest::SniffType(std::string_view(head, static_cast<size_t>(in.gcount()))));
}

core::Status EnsureTenant(store::Repository& repo, const std::string& tenant) {
  auto existing = repo.GetTenant(tenant);
  if (existing.ok()) return core::Status::Ok();
  if (existing.status().code() != core::StatusCode::kNotFound) return existing.status();
  store::Tenant t;
  t.id = tenant;
  t.name = tenant;
  t.created_at = jobs::RealClock().NowMs();
  core::Status st = repo.CreateTenant(t);
  // Another submit may have created it meanwhile.
  if (!st.ok() && st.reason() == "exists") return core::Status::Ok();
  return st;
}

}  // namespace

int RunSubmit(const std::vector<std::string>& args) {
  ServiceFlags service;
  std::vector<std::string> files;
  std::string tenant = DefaultTenant();
  store::JobSpec spec;
  std::string max_attempts;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    core::Status error;
    if (TakeServiceFlag(args, &i, &service, &error)) {
      if (!error.ok()) return UsageError("submit", error.message());
      continue;
    }
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    bool ok = true;
    if (arg == "-h" || arg == "--help") {
      std::printf(kSubmitUsage, ServiceFlagsUsage());
      return kExitOk;
    } else if (arg == "--tenant") {
      ok = value(&tenant);
    } else if (arg == "--external-id") {
      ok = value(&spec.external_id);
    } else if (arg == "--webhook") {
      ok = value(&spec.webhook_url);
    } else if (arg == "--doc-type") {
      ok = value(&spec.doc_type);
    } else if (arg == "--options") {
      ok = value(&spec.options_json);
    } else if (arg == "--trace-id") {
      ok = value(&spec.trace_id);
    } else if (arg == "--max-attempts") {
      ok = value(&max_attempts);
    } else if (!arg.empty() && arg[0] == '-' && arg != "-") {
      return UsageError("submit", "unknown option '" + arg + "'");
    } else {
      files.push_back(arg);
    }
    if (!ok) return UsageError("submit", arg + " needs a value");
  }
  if (files.empty()) return UsageError("submit", "no FILE given");
  if (!spec.external_id.empty() && files.size() > 1) {
    return UsageError("submit", "--external-id takes one FILE");
  }
  if (!max_attempts.empty()) {
    char* end = nullptr;
    long n = std::strtol(max_attempts.c_str(), &end, 10);
    if (*end != '\0' || n < 1 || n > 100) {
      return UsageError("submit", "--max-attempts needs a number from 1 to 100");
    }
    spec.max_attempts = static_cast<int>(n);
  }
  if (nlohmann::json::parse(spec.options_json, nullptr, false).is_discarded()) {
    return UsageError("submit", "--options is not valid JSON");
  }

  auto services = OpenServices(service, /*with_blobs=*/true, /*migrate=*/true);
  if (!services.ok()) return Fail("submit", services.status());
  core::Status st = EnsureTenant(*services->repo, tenant);
  if (!st.ok()) return Fail("submit", st);
  int exit_code = kExitOk;
  for (const std::string& file : files) {
    if (!std::filesystem::is_regular_file(file)) {
      std::fprintf(stderr, "smartocr submit: %s: no such file\n", file.c_str());
      exit_code = kExitInputRejected;
      continue;
    }
    const std::string key = "originals/" + tenant + "/" + store::NewId("src");
    st = services->blobs->PutFile(key, file, ContentType(file));
    if (!st.ok()) return Fail("submit", st.WithContext(file));
    store::JobSpec job_spec = spec;
    job_spec.source_uri = services->blobs->Uri(key);
    bool created = true;
    auto job = services->repo->CreateJob(tenant, job_spec, jobs::RealClock().NowMs(), &created);
    if (!job.ok()) return Fail("submit", job.status().WithContext(file));
    if (!created) {
      // The original stored above is not referenced by any job: remove it again.
      (void)services->blobs->Delete(key);
      std::fprintf(stderr, "smartocr submit: %s: external id already submitted\n", file.c_str());
    }
    std::printf("%s\n", job->id.c_str());
  }
  return exit_code;
}

int RunJobs(const std::vector<std::string>& args) {
  ServiceFlags service;
  std::string tenant = DefaultTenant();
  std::vector<std::string> positional;
  std::optional<store::JobStatus> status;
  int limit = 50;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    core::Status error;
    if (TakeServiceFlag(args, &i, &service, &error)) {
      if (!error.ok()) return UsageError("jobs", error.message());
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      std::printf(kJobsUsage, ServiceFlagsUsage());
      return kExitOk;
    }
    if (arg == "--tenant" || arg == "--status" || arg == "--limit") {
      if (i + 1 >= args.size()) return UsageError("jobs", arg + " needs a value");
      const std::string& v = args[++i];
      if (arg == "--tenant") {
        tenant = v;
      } else if (arg == "--status") {
        status = store::ParseJobStatus(v);
        if (!status) return UsageError("jobs", "unknown status '" + v + "'");
      } else {
        limit = std::atoi(v.c_str());
      }
    } else if (!arg.empty() && arg[0] == '-') {
      return UsageError("jobs", "unknown option '" + arg + "'");
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.empty()) return UsageError("jobs", "no command given");
  const std::string& command = positional[0];
  const bool needs_id = command != "list";
  if (positional.size() != (needs_id ? 2u : 1u)) {
    return UsageError("jobs", needs_id ? command + " needs one job ID" : "list takes no ID");
  }
  auto services = OpenServices(service, /*with_blobs=*/false, /*migrate=*/true);
  if (!services.ok()) return Fail("jobs", services.status());
  store::Repository& repo = *services->repo;
  const int64_t now = jobs::RealClock().NowMs();
  core::Status st;
  if (command == "get") {
    auto job = repo.GetJob(tenant, positional[1]);
    if (!job.ok()) return Fail("jobs", job.status());
    std::printf("%s\n", jobs::JobToJson(*job).dump(2).c_str());
  } else if (command == "list") {
    store::JobFilter filter;
    filter.status = status;
    filter.limit = limit;
    auto page = repo.ListJobs(tenant, filter);
    if (!page.ok()) return Fail("jobs", page.status());
    for (const store::Job& job : page->jobs) {
      std::printf("%s\n", jobs::JobToJson(job).dump().c_str());
    }
  } else if (command == "attempts") {
    auto attempts = repo.ListJobAttempts(tenant, positional[1]);
    if (!attempts.ok()) return Fail("jobs", attempts.status());
    for (const store::JobAttempt& a : *attempts) {
      nlohmann::ordered_json j = {{"attempt", a.attempt},       {"worker_id", a.worker_id},
                                  {"outcome", a.outcome},       {"error_code", a.error_code},
                                  {"started_at", a.started_at}, {"ended_at", a.ended_at}};
      std::printf("%s\n", j.dump().c_str());
    }
  } else if (command == "cancel") {
    st = repo.CancelJob(tenant, positional[1], now);
  } else if (command == "requeue") {
    st = repo.RequeueJob(tenant, positional[1], now);
  } else {
    return UsageError("jobs", "unknown command '" + command + "'");
  }
  if (!st.ok()) return Fail("jobs", st);
  return kExitOk;
}

}  // namespace smartocr::cli
