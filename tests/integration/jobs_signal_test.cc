// SIGTERM to a real `smartocr worker` in the middle of a job (README: "SIGTERM: finish
// or release, then exit"), and `worker --no-cache`.
#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <vector>

#include "fixtures.h"
#include "jobs_harness.h"

namespace smartocr::testing {
namespace {

const std::vector<std::string> kWorkerArgs = {"--threads", "1", "--dpi", "150", "--poll-ms", "50"};

// Submits the six-page scan and starts a worker with `extra` args; waits until the job
// runs and a page of it is finished (in the stage cache). The job id.
std::string RunUntilAPageIsDone(JobsEnv& env, const std::vector<std::string>& extra,
                                pid_t* worker) {
  std::vector<std::string> ids = env.Submit({SixPageScan(env.dir())}, {"--tenant", "acme"});
  EXPECT_EQ(ids.size(), 1u);
  if (ids.size() != 1) return "";
  std::vector<std::string> args = kWorkerArgs;
  args.insert(args.end(), extra.begin(), extra.end());
  *worker = env.StartWorker(args);
  EXPECT_TRUE(WaitUntil(
      [&] {
        return env.Job("acme", ids[0]).status == store::JobStatus::kRunning &&
               SqliteCount(env, CachedPagesQuery(ids[0])) >= 1;
      },
      120000))
      << env.WorkerLog(*worker);
  return ids[0];
}

// With the default grace (30 s), the job in flight finishes before the worker exits.
TEST(JobsSignalTest, SigtermLetsTheJobInFlightFinish) {
  JobsEnv env;
  pid_t worker = -1;
  const std::string id = RunUntilAPageIsDone(env, {}, &worker);
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(::kill(worker, SIGTERM), 0);
  ASSERT_EQ(env.WaitWorker(worker, 240), 0) << env.WorkerLog(worker);
  store::Job job = env.Job("acme", id);
  EXPECT_EQ(job.status, store::JobStatus::kSucceeded) << job.error_message;
  EXPECT_EQ(job.page_count, 6);
  EXPECT_EQ(job.attempts, 1);
  EXPECT_EQ(WorkerStoppedCount(env.WorkerLog(worker), "succeeded"), 1) << env.WorkerLog(worker);
}

// With no grace, the job goes back to the queue at once (not failed, not lost); the
// next worker finishes it, reading only the pages not finished before.
TEST(JobsSignalTest, SigtermPastTheGraceReleasesTheJob) {
  JobsEnv env;
  pid_t worker = -1;
  const std::string id = RunUntilAPageIsDone(env, {"--grace-ms", "0"}, &worker);
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(::kill(worker, SIGTERM), 0);
  ASSERT_EQ(env.WaitWorker(worker, 60), 0) << env.WorkerLog(worker);
  EXPECT_EQ(WorkerStoppedCount(env.WorkerLog(worker), "released"), 1) << env.WorkerLog(worker);
  EXPECT_EQ(env.Job("acme", id).status, store::JobStatus::kQueued);
  const int finished_before = SqliteCount(env, CachedPagesQuery(id));
  ASSERT_GE(finished_before, 1);

  std::vector<std::string> once = kWorkerArgs;
  once.push_back("--once");
  pid_t next = env.StartWorker(once);
  ASSERT_EQ(env.WaitWorker(next, 240), 0) << env.WorkerLog(next);
  store::Job job = env.Job("acme", id);
  EXPECT_EQ(job.status, store::JobStatus::kSucceeded) << job.error_message;
  EXPECT_EQ(job.page_count, 6);
  EXPECT_EQ(WorkerStoppedCount(env.WorkerLog(next), "page_cache_hits"), finished_before)
      << env.WorkerLog(next);
}

// README: "`smartocr worker --no-cache` turns both off": a job run with it leaves no
// stage-cache row (pages or document), where the same job run without it leaves some.
TEST(JobsSignalTest, NoCacheWritesNoStageCacheRows) {
  FixturePage page;
  page.width_pt = 300;
  page.height_pt = 200;
  page.runs = Paragraph({"Stage cache check", "one scanned page"}, 20, 40);
  page.scanned = true;
  for (const bool cache : {false, true}) {
    SCOPED_TRACE(cache ? "cache" : "--no-cache");
    JobsEnv env;
    WritePdf(env.dir() + "/one.pdf", {page}, 150);
    const std::vector<std::string> ids = env.Submit({env.dir() + "/one.pdf"}, {"--tenant", "t"});
    ASSERT_EQ(ids.size(), 1u);
    std::vector<std::string> args = kWorkerArgs;
    args.push_back("--once");
    if (!cache) args.push_back("--no-cache");
    pid_t worker = env.StartWorker(args);
    ASSERT_EQ(env.WaitWorker(worker, 120), 0) << env.WorkerLog(worker);
    EXPECT_EQ(env.Job("t", ids[0]).status, store::JobStatus::kSucceeded);
    const int rows =
        SqliteCount(env, "SELECT COUNT(*) FROM page_cache WHERE job_id = '" + ids[0] + "'");
    if (cache) {
      EXPECT_GT(rows, 0);
    } else {
      EXPECT_EQ(rows, 0);
    }
  }
}

}  // namespace
}  // namespace smartocr::testing
