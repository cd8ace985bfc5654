#include "jobs_harness.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "fixtures.h"
#include "postgres_harness.h"

namespace smartocr::testing {

JobsEnv::JobsEnv() : JobsEnv("") {}

JobsEnv::JobsEnv(std::string database_url) : dir_(MakeTempDir()) {
  database_url_ = database_url.empty() ? "sqlite://" + dir_ + "/smartocr.db" : database_url;
}

JobsEnv::~JobsEnv() {
  for (pid_t pid : workers_) {
    if (::kill(pid, SIGKILL) == 0) ::waitpid(pid, nullptr, 0);
  }
  repo_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::vector<std::string> JobsEnv::ServiceArgs() const {
  return {"--data-dir",  dir_,      "--database",
          database_url_, "--blobs", blobs_url_.empty() ? dir_ + "/blobs" : blobs_url_};
}

CliResult JobsEnv::Cli(std::vector<std::string> args) {
  for (const std::string& a : ServiceArgs()) args.push_back(a);
  return RunCli(args, 120);
}

std::vector<std::string> JobsEnv::Submit(const std::vector<std::string>& files,
                                         const std::vector<std::string>& args) {
  std::vector<std::string> all = {"submit"};
  all.insert(all.end(), files.begin(), files.end());
  all.insert(all.end(), args.begin(), args.end());
  CliResult r = Cli(all);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> ids;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) ids.push_back(line);
  }
  EXPECT_EQ(ids.size(), files.size()) << r.out << r.err;
  return ids;
}

pid_t JobsEnv::StartWorker(const std::vector<std::string>& args,
                           const std::vector<std::string>& env) {
  std::vector<std::string> argv = {SMARTOCR_BIN, "worker"};
  argv.insert(argv.end(), args.begin(), args.end());
  for (const std::string& a : ServiceArgs()) argv.push_back(a);
  const std::string log = dir_ + "/worker-" + std::to_string(workers_.size()) + ".log";
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 2);
      ::dup2(fd, 1);
    }
    for (const std::string& e : env) ::putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> cargv;
    for (std::string& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
  }
  workers_.push_back(pid);
  // Remember the log by pid for WorkerLog.
  std::filesystem::create_symlink(log, dir_ + "/pid-" + std::to_string(pid) + ".log");
  return pid;
}

int JobsEnv::WaitWorker(pid_t pid, int timeout_s) {
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  int status = 0;
  while (true) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (std::chrono::steady_clock::now() > end) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      std::erase(workers_, pid);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::erase(workers_, pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string JobsEnv::WorkerLog(pid_t pid) const {
  return ReadFile(dir_ + "/pid-" + std::to_string(pid) + ".log");
}

store::Repository& JobsEnv::repo() {
  if (!repo_) {
    auto repo = store::OpenRepository(database_url_);
    if (!repo.ok()) {
      ADD_FAILURE() << repo.status().ToString();
      std::abort();
    }
    repo_ = std::move(*repo);
  }
  return *repo_;
}

store::Job JobsEnv::Job(const std::string& tenant, const std::string& id) {
  auto job = repo().GetJob(tenant, id);
  EXPECT_TRUE(job.ok()) << job.status().ToString();
  return job.ok() ? *job : store::Job();
}

int64_t WorkerStoppedCount(const std::string& log, const std::string& count) {
  int64_t value = -1;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_object() && j.value("msg", "") == "stopped" && j.contains(count)) {
      value = j[count].get<int64_t>();
    }
  }
  return value;
}

bool WaitUntil(const std::function<bool()>& done, int timeout_ms) {
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

std::string SixPageScan(const std::string& dir) {
  std::vector<FixturePage> pages(6);
  for (int i = 0; i < 6; ++i) {
    std::vector<std::string> lines;
    for (int l = 0; l < 14; ++l) {
      lines.push_back("Page " + std::to_string(i + 1) + " line " + std::to_string(l + 1) +
                      " the quick brown fox jumps over the lazy dog");
    }
    pages[i].runs = Paragraph(lines, 72, 96, 12, 18);
    pages[i].scanned = true;
  }
  std::string path = dir + "/six.pdf";
  WritePdf(path, pages, 150);
  return path;
}

std::vector<std::string> SqliteColumn(const JobsEnv& env, const std::string& query) {
  const std::string path = env.database_url().substr(std::string("sqlite://").size());
  std::vector<std::string> out;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return out;
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, query.c_str(), -1, &stmt, nullptr);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      out.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
    }
  }
  if (rc != SQLITE_DONE) ADD_FAILURE() << query << ": " << sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

std::string CachedPagesQuery(const std::string& job_id) {
  return "SELECT COUNT(*) FROM page_cache WHERE key LIKE 'page/%' AND job_id = '" + job_id + "'";
}

int SqliteCount(const JobsEnv& env, const std::string& query) {
  std::vector<std::string> rows = SqliteColumn(env, query);
  return rows.empty() ? -1 : std::stoi(rows.front());
}

std::string PostgresDatabase(std::string* why) {
  PostgresServer* pg = SharedPostgresServer(why);
  if (pg == nullptr) return "";
  return pg->CreateDatabase(why);
}

}  // namespace smartocr::testing
