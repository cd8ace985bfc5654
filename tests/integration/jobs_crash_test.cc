// A worker SIGKILLed in the middle of a multi-page job: the next worker takes the job
// over when the lease expires, and the job completes exactly once.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <set>

#include "fixtures.h"
#include "jobs_harness.h"

namespace smartocr::testing {
namespace {

TEST(JobsCrashTest, KilledWorkerJobCompletesOnceOnAnotherWorker) {
  JobsEnv env;
  const std::string pdf = SixPageScan(env.dir());
  std::vector<std::string> ids = env.Submit({pdf}, {"--tenant", "acme"});
  ASSERT_EQ(ids.size(), 1u);
  const std::string id = ids[0];
  const std::vector<std::string> worker_args = {"--lease-ms", "2000", "--threads", "1",
                                                "--dpi",      "150",  "--poll-ms", "50"};

  // Killed once a heartbeat has extended the lease and a page is finished (in the
  // stage cache): an event, not a guess at how long OCR takes.
  const std::string cached_pages = CachedPagesQuery(id);
  pid_t first = env.StartWorker(worker_args);
  int64_t first_lease = 0;
  ASSERT_TRUE(WaitUntil(
      [&] {
        store::Job job = env.Job("acme", id);
        if (job.status != store::JobStatus::kRunning) return false;
        if (first_lease == 0) first_lease = job.lease_expires_at;
        return job.lease_expires_at > first_lease && SqliteCount(env, cached_pages) >= 1;
      },
      120000))
      << env.WorkerLog(first);
  ASSERT_EQ(::kill(first, SIGKILL), 0);
  EXPECT_EQ(env.WaitWorker(first), 128 + SIGKILL);
  ASSERT_EQ(env.Job("acme", id).status, store::JobStatus::kRunning)
      << "the job finished before the kill; make the document slower";
  const int finished_before = SqliteCount(env, cached_pages);
  ASSERT_GE(finished_before, 1);
  ASSERT_LT(finished_before, 6);

  std::vector<std::string> once_args = worker_args;
  once_args.push_back("--once");
  pid_t second = env.StartWorker(once_args);
  ASSERT_EQ(env.WaitWorker(second, 240), 0) << env.WorkerLog(second);

  store::Job job = env.Job("acme", id);
  EXPECT_EQ(job.status, store::JobStatus::kSucceeded) << job.error_message;
  EXPECT_EQ(job.attempts, 2);
  EXPECT_EQ(job.page_count, 6);

  auto pages = env.repo().GetPages("acme", id);
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  ASSERT_EQ(pages->size(), 6u);
  std::set<int> numbers;
  size_t stored_blocks = 0;
  for (const store::PageRecord& p : *pages) {
    numbers.insert(p.page_number);
    stored_blocks += nlohmann::json::parse(p.blocks_json).size();
    EXPECT_NE(p.text.find("Page " + std::to_string(p.page_number)), std::string::npos) << p.text;
  }
  EXPECT_EQ(numbers, (std::set<int>{1, 2, 3, 4, 5, 6}));

  // The blocks stored are exactly the result's, not a crashed run's plus the retry's.
  ASSERT_EQ(job.result_uri.rfind("file://", 0), 0u) << job.result_uri;
  nlohmann::json result = nlohmann::json::parse(ReadFile(job.result_uri.substr(7)));
  size_t result_blocks = 0;
  for (const auto& page : result["pages"]) result_blocks += page["blocks"].size();
  EXPECT_EQ(stored_blocks, result_blocks);
  EXPECT_GT(stored_blocks, 0u);

  auto attempts = env.repo().ListJobAttempts("acme", id);
  ASSERT_TRUE(attempts.ok()) << attempts.status().ToString();
  ASSERT_EQ(attempts->size(), 2u);
  EXPECT_EQ((*attempts)[0].outcome, "lease_lost");
  EXPECT_EQ((*attempts)[1].outcome, "succeeded");
  // The takeover read only the pages the killed worker had not finished: the others
  // came from the stage cache.
  EXPECT_EQ(WorkerStoppedCount(env.WorkerLog(second), "page_cache_hits"), finished_before)
      << env.WorkerLog(second);
}

}  // namespace
}  // namespace smartocr::testing
