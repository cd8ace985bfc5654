#include "cli/jobs_command.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "api/auth.h"
#include "cli/cli_log.h"
#include "cli/common_flags.h"
#include "cli/extract_command.h"
#include "cli/flag_table.h"
#include "cli/service_setup.h"
#include "ingest/ingest.h"
#include "jobs/jobs.h"
#include "jobs/original.h"

namespace smartocr::cli {
namespace {

const char kSubmitIntro[] = R"(Usage: smartocr submit FILE... [options]

Stores each file as a blob and queues an OCR job for it; prints one job id per line.
Creates the tenant when it does not exist yet.
)";

const char kJobsIntro[] = R"(Usage: smartocr jobs COMMAND [options]

Commands:
  get ID                print the job as JSON
  list [--status S] [--limit N]   print the tenant's jobs, newest first (JSON lines)
  attempts ID           print the job's claims (JSON lines)
  cancel ID             cancel a queued or running job
  requeue ID            put a failed, quarantined, cancelled or succeeded job back
)";

std::string DefaultTenant() {
  std::string t = EnvValue("SMARTOCR_TENANT");
  return !t.empty() ? t : "default";
}

FlagSpec TenantFlag(std::string* tenant) {
  return TextFlag("--tenant", "T", "tenant id (default: $SMARTOCR_TENANT or \"default\")", tenant);
}

struct SubmitFlags {
  ServiceFlags service;
  std::string tenant = DefaultTenant();
  store::JobSpec spec;
  bool help = false;
};

FlagTable SubmitFlagTable(SubmitFlags* f) {
  store::JobSpec& spec = f->spec;
  return Concat({
      ServiceFlagRows(&f->service),
      {
          TenantFlag(&f->tenant),
          TextFlag("--external-id", "ID",
                   "your id for the document (one FILE only); submitting the same id again "
                   "returns the existing job",
                   &spec.external_id),
          TextFlag("--webhook", "URL", "POSTed a signed event when the job ends",
                   &spec.webhook_url),
          TextFlag("--doc-type", "TYPE", "document type hint (\"invoice\", \"receipt\", ...)",
                   &spec.doc_type),
          IntFlag("--max-attempts", "N",
                  "attempts before a failing job is quarantined (default: 3)", 1, 100,
                  &spec.max_attempts),
          {"--options", "JSON", "pipeline options stored with the job (default: {})",
           [&spec](const std::string& value) {
             if (nlohmann::json::parse(value, nullptr, false).is_discarded()) {
               return UsageError("--options is not valid JSON");
             }
             spec.options_json = value;
             return core::Status::Ok();
           }},
          TextFlag("--trace-id", "ID", "trace id carried through the worker's logs",
                   &spec.trace_id),
          HelpFlag(&f->help),
      },
  });
}

struct JobsFlags {
  ServiceFlags service;
  std::string tenant = DefaultTenant();
  std::optional<store::JobStatus> status;  // list: only jobs in this status
  int limit = 50;                          // list: at most this many
  bool help = false;
};

FlagTable JobsFlagTable(JobsFlags* f) {
  return Concat({
      ServiceFlagRows(&f->service),
      {
          TenantFlag(&f->tenant),
          {"--status", "S", "list: only jobs in this status (queued, running, succeeded, ...)",
           [f](const std::string& value) {
             f->status = store::ParseJobStatus(value);
             if (!f->status) return UsageError("unknown status '" + value + "'");
             return core::Status::Ok();
           }},
          IntFlag("--limit", "N", "list: at most N jobs (default: 50)", 1, 1000, &f->limit),
          HelpFlag(&f->help),
      },
  });
}

int UsageExit(const char* command, const std::string& message) {
  ReportError(command, message + " (see --help)");
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

// Stores each file and queues its job, printing the job ids; the exit code.
int SubmitFiles(const SubmitFlags& flags, const std::vector<std::string>& files) {
  auto services = OpenServices(flags.service, /*with_blobs=*/true, /*migrate=*/true);
  if (!services.ok()) return Fail("submit", services.status());
  const std::string& tenant = flags.tenant;
  core::Status st = api::EnsureTenant(*services->repo, tenant, jobs::RealClock().NowMs());
  if (!st.ok()) return Fail("submit", st);
  int exit_code = kExitOk;
  for (const std::string& file : files) {
    if (!std::filesystem::is_regular_file(file)) {
      ReportError("submit", file + ": no such file");
      exit_code = kExitInputRejected;
      continue;
    }
    const std::string key = "originals/" + tenant + "/" + store::NewId("src");
    st = services->blobs->PutFile(key, file, ContentType(file));
    if (!st.ok()) return Fail("submit", st.WithContext(file));
    auto sha = jobs::OriginalSha256(file);
    if (!sha.ok()) return Fail("submit", sha.status().WithContext(file));
    store::JobSpec job_spec = flags.spec;
    job_spec.source_uri = services->blobs->Uri(key);
    job_spec.source_sha256 = *sha;  // every later read of the original is checked against it
    bool created = true;
    auto job = services->repo->CreateJob(tenant, job_spec, jobs::RealClock().NowMs(), &created);
    if (!job.ok()) return Fail("submit", job.status().WithContext(file));
    if (!created) {
      // The original stored above is not referenced by any job: remove it again.
      (void)services->blobs->Delete(key);
      ReportError("submit", file + ": external id already submitted");
    }
    std::printf("%s\n", job->id.c_str());
  }
  return exit_code;
}

// Runs `jobs COMMAND [ID]` on `repo`; the exit code.
int RunJobsCommand(store::Repository& repo, const JobsFlags& flags, const std::string& command,
                   const std::string& id) {
  const int64_t now = jobs::RealClock().NowMs();
  core::Status st;
  if (command == "get") {
    auto job = repo.GetJob(flags.tenant, id);
    if (!job.ok()) return Fail("jobs", job.status());
    std::printf("%s\n", jobs::JobToJson(*job).dump(2).c_str());
  } else if (command == "list") {
    store::JobFilter filter;
    filter.status = flags.status;
    filter.limit = flags.limit;
    auto page = repo.ListJobs(flags.tenant, filter);
    if (!page.ok()) return Fail("jobs", page.status());
    for (const store::Job& job : page->jobs) {
      std::printf("%s\n", jobs::JobToJson(job).dump().c_str());
    }
  } else if (command == "attempts") {
    auto attempts = repo.ListJobAttempts(flags.tenant, id);
    if (!attempts.ok()) return Fail("jobs", attempts.status());
    for (const store::JobAttempt& a : *attempts) {
      nlohmann::ordered_json j = {{"attempt", a.attempt},       {"worker_id", a.worker_id},
                                  {"outcome", a.outcome},       {"error_code", a.error_code},
                                  {"started_at", a.started_at}, {"ended_at", a.ended_at}};
      std::printf("%s\n", j.dump().c_str());
    }
  } else if (command == "cancel") {
    st = repo.CancelJob(flags.tenant, id, now);
  } else if (command == "requeue") {
    st = repo.RequeueJob(flags.tenant, id, now, {});
  }
  if (!st.ok()) return Fail("jobs", st);
  return kExitOk;
}

}  // namespace

int RunSubmit(const std::vector<std::string>& args) {
  SubmitFlags flags;
  std::vector<std::string> files;
  if (auto exit = ParseCommandLine("submit", SubmitFlagTable(&flags), flags.help, kSubmitIntro,
                                   args, &files)) {
    return *exit;
  }
  if (files.empty()) return UsageExit("submit", "no FILE given");
  if (!flags.spec.external_id.empty() && files.size() > 1) {
    return UsageExit("submit", "--external-id takes one FILE");
  }
  return SubmitFiles(flags, files);
}

int RunJobs(const std::vector<std::string>& args) {
  JobsFlags flags;
  std::vector<std::string> positional;
  if (auto exit = ParseCommandLine("jobs", JobsFlagTable(&flags), flags.help, kJobsIntro, args,
                                   &positional)) {
    return *exit;
  }
  if (positional.empty()) return UsageExit("jobs", "no command given");
  const std::string& command = positional[0];
  const char* const commands[] = {"get", "list", "attempts", "cancel", "requeue"};
  if (std::find(std::begin(commands), std::end(commands), command) == std::end(commands)) {
    return UsageExit("jobs", "unknown command '" + command + "'");
  }
  const bool needs_id = command != "list";
  if (positional.size() != (needs_id ? 2u : 1u)) {
    return UsageExit("jobs", needs_id ? command + " needs one job ID" : "list takes no ID");
  }
  auto services = OpenServices(flags.service, /*with_blobs=*/false, /*migrate=*/true);
  if (!services.ok()) return Fail("jobs", services.status());
  return RunJobsCommand(*services->repo, flags, command, needs_id ? positional[1] : "");
}

}  // namespace smartocr::cli
