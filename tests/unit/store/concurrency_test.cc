// tests/unit/store/concurrency_test.cc
//
// Several workers claiming from one queue at once: every job is claimed exactly once
// (on PostgreSQL this is what FOR UPDATE SKIP LOCKED must guarantee), and concurrent
// submissions of one external_id create one job.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include "repo_fixture.h"

namespace smartocr::store {
namespace {

class ConcurrencyTest : public RepoTest {};

TEST_P(ConcurrencyTest, EveryJobIsClaimedExactlyOnce) {
  constexpr int kJobs = 200;
  const int workers = GetParam() == "postgresql" ? 4 : 2;
  std::set<std::string> created;
  for (int i = 0; i < kJobs; ++i) created.insert(AddJob(1000 + i, i % 2 ? "t1" : "t2").id);
  ASSERT_EQ(created.size(), static_cast<size_t>(kJobs));

  std::mutex mu;
  std::vector<std::string> claimed;  // guarded by mu
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      const std::string worker = "worker-" + std::to_string(w);
      while (true) {
        core::Result<std::optional<Job>> job = repo_->ClaimJob(worker, 10000, 600000);
        if (!job.ok()) {
          ADD_FAILURE() << job.status().ToString();
          return;
        }
        if (!job->has_value()) return;
        EXPECT_EQ((*job)->lease_owner, worker);
        // Completing under the lease also exercises concurrent write transactions.
        core::Status done = repo_->CompleteJob((*job)->id, worker, {}, {}, "blob://r", 10001, {});
        EXPECT_TRUE(done.ok()) << done.ToString();
        std::lock_guard<std::mutex> lock(mu);
        claimed.push_back((*job)->id);
      }
    });
  }
  for (std::thread& t : threads) t.join();

  std::set<std::string> unique(claimed.begin(), claimed.end());
  EXPECT_EQ(unique.size(), claimed.size()) << "a job was claimed twice";
  EXPECT_EQ(unique, created) << "a job was never claimed";
  auto counts = repo_->CountJobs("");
  ASSERT_TRUE(counts.ok());
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ(counts->front().first, JobStatus::kSucceeded);
  EXPECT_EQ(counts->front().second, kJobs);
}

TEST_P(ConcurrencyTest, ConcurrentSubmissionsOfOneExternalIdCreateOneJob) {
  constexpr int kThreads = 4;
  std::mutex mu;
  std::vector<std::string> ids;
  int created_count = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      bool created = false;
      core::Result<Job> job =
          repo_->CreateJob("t1", JobSpec{.external_id = "same"}, 100 + t, &created);
      ASSERT_TRUE(job.ok()) << job.status().ToString();
      std::lock_guard<std::mutex> lock(mu);
      ids.push_back(job->id);
      created_count += created ? 1 : 0;
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(ids.size(), static_cast<size_t>(kThreads));
  EXPECT_EQ(created_count, 1);
  EXPECT_TRUE(std::all_of(ids.begin(), ids.end(),
                          [&](const std::string& id) { return id == ids.front(); }));
}

SMARTOCR_INSTANTIATE_BACKENDS(ConcurrencyTest);

}  // namespace
}  // namespace smartocr::store
