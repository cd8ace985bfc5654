// Many small jobs through several worker processes: each job runs exactly once.
#include <gtest/gtest.h>

#include <chrono>

#include "fixtures.h"
#include "jobs_harness.h"
#include "postgres_harness.h"
#include "required.h"

namespace smartocr::testing {
namespace {

constexpr int kJobs = 200;

// Born-digital one-page PDFs (text layer: no OCR), each with its own text so the
// stage cache cannot short-cut them.
std::vector<std::string> TinyPdfs(const std::string& dir) {
  std::vector<std::string> paths;
  for (int i = 0; i < kJobs; ++i) {
    FixturePage page;
    page.width_pt = 300;
    page.height_pt = 200;
    page.runs =
        Paragraph({"Receipt number " + std::to_string(i), "Total amount 42.00 EUR"}, 20, 40);
    std::string path = dir + "/doc-" + std::to_string(i) + ".pdf";
    WritePdf(path, {page});
    paths.push_back(path);
  }
  return paths;
}

void RunAll(JobsEnv& env, int workers) {
  std::vector<std::string> ids = env.Submit(TinyPdfs(env.dir()), {"--tenant", "bulk"});
  ASSERT_EQ(ids.size(), static_cast<size_t>(kJobs));
  auto t0 = std::chrono::steady_clock::now();
  std::vector<pid_t> pids;
  for (int w = 0; w < workers; ++w) {
    pids.push_back(env.StartWorker({"--once", "--concurrency", "2", "--threads", "1", "--poll-ms",
                                    "50", "--worker-id", "w" + std::to_string(w)}));
  }
  for (pid_t pid : pids) EXPECT_EQ(env.WaitWorker(pid, 300), 0) << env.WorkerLog(pid);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%d jobs, %d workers on %s: %.1f s (%.1f jobs/s)\n", kJobs, workers,
              env.repo().backend().c_str(), s, kJobs / s);

  auto counts = env.repo().CountJobs("bulk");
  ASSERT_TRUE(counts.ok());
  for (const auto& [status, n] : *counts) {
    EXPECT_EQ(status, store::JobStatus::kSucceeded) << store::JobStatusName(status) << ": " << n;
  }
  std::map<std::string, int> per_worker;
  for (const std::string& id : ids) {
    store::Job job = env.Job("bulk", id);
    EXPECT_EQ(job.status, store::JobStatus::kSucceeded) << id << " " << job.error_message;
    EXPECT_EQ(job.attempts, 1) << id;
    auto attempts = env.repo().ListJobAttempts("bulk", id);
    ASSERT_TRUE(attempts.ok());
    EXPECT_EQ(attempts->size(), 1u) << id;
    if (!attempts->empty()) ++per_worker[(*attempts)[0].worker_id];
    auto pages = env.repo().GetPages("bulk", id);
    ASSERT_TRUE(pages.ok());
    EXPECT_EQ(pages->size(), 1u) << id;
  }
  for (const auto& [worker, n] : per_worker) std::printf("  %s: %d jobs\n", worker.c_str(), n);
  // The work is shared: every worker process claimed some of it (200 jobs take seconds;
  // a worker starts in well under one), none did it all.
  EXPECT_EQ(per_worker.size(), static_cast<size_t>(workers));
  for (const auto& [worker, n] : per_worker) {
    EXPECT_GE(n, 1) << worker;
    EXPECT_LT(n, kJobs) << worker;
  }
}

TEST(JobsScaleTest, TwoWorkersOnSqlite) {
  JobsEnv env;
  RunAll(env, 2);
}

TEST(JobsScaleTest, FourWorkersOnPostgres) {
  std::string why;
  std::string url = PostgresDatabase(&why);
  if (url.empty()) SMARTOCR_SKIP_OR_FAIL(why);
  JobsEnv env(url);
  RunAll(env, 4);
}

}  // namespace
}  // namespace smartocr::testing
