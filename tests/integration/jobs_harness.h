// tests/integration/jobs_harness.h
//
// For the jobs integration tests: a service environment (data dir, database URL on
// SQLite or a throwaway PostgreSQL, blob dir), `smartocr` worker processes started
// and killed like a supervisor would, and direct store access for checks.
#ifndef SMARTOCR_TESTS_INTEGRATION_JOBS_HARNESS_H_
#define SMARTOCR_TESTS_INTEGRATION_JOBS_HARNESS_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "store/store.h"

namespace smartocr::testing {

class JobsEnv {
 public:
  // SQLite under a fresh temp dir.
  JobsEnv();
  // With `database_url` (e.g. a PostgreSQL database from the harness).
  explicit JobsEnv(std::string database_url);
  ~JobsEnv();  // SIGKILLs workers still running

  const std::string& dir() const { return dir_; }
  const std::string& database_url() const { return database_url_; }
  // --data-dir, --database and --blobs for any service command.
  std::vector<std::string> ServiceArgs() const;
  // Blob store for every later command (default: <dir>/blobs).
  void set_blobs_url(std::string url) { blobs_url_ = std::move(url); }
  // `smartocr submit FILES... ARGS...`; the job ids printed (fails the test otherwise).
  std::vector<std::string> Submit(const std::vector<std::string>& files,
                                  const std::vector<std::string>& args = {});
  CliResult Cli(std::vector<std::string> args);

  // Starts `smartocr worker ARGS...` with the service args; stderr goes to a log file.
  // `env` entries are "NAME=value" added to the environment.
  pid_t StartWorker(const std::vector<std::string>& args, const std::vector<std::string>& env = {});
  // Waits for the process; returns its exit code, or 128 + signal. -1 on timeout
  // (then it is killed).
  int WaitWorker(pid_t pid, int timeout_s = 120);
  std::string WorkerLog(pid_t pid) const;

  // A repository on the same database (opened on first use).
  store::Repository& repo();
  store::Job Job(const std::string& tenant, const std::string& id);

 private:
  std::string dir_;
  std::string database_url_;
  std::string blobs_url_;
  std::unique_ptr<store::Repository> repo_;
  std::vector<pid_t> workers_;
};

// A six-page scanned PDF (150 dpi, 14 lines a page, "Page N line L ..."): seconds of
// OCR, so a test can act on a worker while the job runs. Written to <dir>/six.pdf.
std::string SixPageScan(const std::string& dir);

// The first column of each row `query` gives on `env`'s SQLite database, read as
// another process would (read-only, beside a running server or worker). Fails the test
// on an SQL error (e.g. a column the schema lacks).
std::vector<std::string> SqliteColumn(const JobsEnv& env, const std::string& query);
// The integer a one-value query gives (a COUNT(*)); -1 when it gives no row.
int SqliteCount(const JobsEnv& env, const std::string& query);
// The query counting the job's pages in the stage cache (finished pages).
std::string CachedPagesQuery(const std::string& job_id);

// A count from a worker log's last "stopped" JSON line (claimed, succeeded, released,
// page_cache_hits, ...); -1 when there is no such line or count.
int64_t WorkerStoppedCount(const std::string& log, const std::string& count);

// Polls `done` every 20 ms until true or `timeout_ms`; returns its last value.
bool WaitUntil(const std::function<bool()>& done, int timeout_ms);

// A PostgreSQL database URL from the shared harness, or "" with *why set.
std::string PostgresDatabase(std::string* why);

}  // namespace smartocr::testing

#endif  // SMARTOCR_TESTS_INTEGRATION_JOBS_HARNESS_H_
