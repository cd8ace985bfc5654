// Failures through the real worker: a bad input fails at once; a transient failure
// retries with backoff, is quarantined after max attempts, and a requeue recovers it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <vector>

#include "fixtures.h"
#include "jobs_harness.h"

namespace smartocr::testing {
namespace {

TEST(JobsFailureTest, BadInputFailsAtOnceWithItsCode) {
  JobsEnv env;
  std::mt19937 rng(11);
  std::string junk(8192, '\0');
  for (char& c : junk) c = static_cast<char>(rng());
  WriteFile(env.dir() + "/junk.bin", junk);
  std::string id = env.Submit({env.dir() + "/junk.bin"}, {"--tenant", "t1"})[0];
  pid_t worker = env.StartWorker({"--once", "--poll-ms", "50"});
  ASSERT_EQ(env.WaitWorker(worker), 0) << env.WorkerLog(worker);

  store::Job job = env.Job("t1", id);
  EXPECT_EQ(job.status, store::JobStatus::kFailed);
  EXPECT_EQ(job.attempts, 1);
  EXPECT_EQ(job.error_code, "UNSUPPORTED_FORMAT");
  auto attempts = env.repo().ListJobAttempts("t1", id);
  ASSERT_TRUE(attempts.ok());
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ((*attempts)[0].outcome, "failed");

  // `smartocr jobs get` shows the same.
  CliResult r = env.Cli({"jobs", "get", id, "--tenant", "t1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["status"], "failed");
  EXPECT_EQ(j["error_code"], "UNSUPPORTED_FORMAT");
  // Another tenant cannot see it.
  EXPECT_NE(env.Cli({"jobs", "get", id, "--tenant", "t2"}).exit_code, 0);
}

TEST(JobsFailureTest, TransientFailureRetriesThenQuarantinesAndRequeueRecovers) {
  JobsEnv env;
  FixturePage page;
  page.width_pt = 300;
  page.height_pt = 200;
  page.runs = Paragraph({"Transient failure document", "Line two of the text"}, 20, 40);
  WritePdf(env.dir() + "/doc.pdf", {page});
  std::string id =
      env.Submit({env.dir() + "/doc.pdf"}, {"--tenant", "t1", "--max-attempts", "3"})[0];

  // No temp directory: fetching the source fails with IO_ERROR (transient) every time.
  pid_t worker = env.StartWorker({"--once", "--poll-ms", "20", "--retry-base-ms", "300"},
                                 {"TMPDIR=" + env.dir() + "/no-such-dir"});
  ASSERT_EQ(env.WaitWorker(worker), 0) << env.WorkerLog(worker);
  store::Job job = env.Job("t1", id);
  EXPECT_EQ(job.status, store::JobStatus::kQuarantined) << env.WorkerLog(worker);
  EXPECT_EQ(job.attempts, 3);
  EXPECT_EQ(job.error_code, "IO_ERROR");
  auto attempts = env.repo().ListJobAttempts("t1", id);
  ASSERT_TRUE(attempts.ok());
  ASSERT_EQ(attempts->size(), 3u);
  EXPECT_EQ((*attempts)[0].outcome, "retry");
  EXPECT_EQ((*attempts)[1].outcome, "retry");
  EXPECT_EQ((*attempts)[2].outcome, "quarantined");
  // Backoff: the worker says which delay it drew for each retry (full jitter: uniform
  // up to 300 ms, then 600 ms), and the retry started no sooner than that after the
  // failed attempt ended.
  const std::string log = env.WorkerLog(worker);
  const std::regex said("retry in ([0-9]+) ms");
  std::vector<int64_t> delays;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), said); it != std::sregex_iterator();
       ++it) {
    delays.push_back(std::stoll((*it)[1]));
  }
  ASSERT_EQ(delays.size(), 2u) << log;
  for (size_t i = 0; i < delays.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_LE(delays[i], 300 << i);
    EXPECT_GE((*attempts)[i + 1].started_at, (*attempts)[i].ended_at + delays[i]);
  }
  EXPECT_GT(delays[0] + delays[1], 0) << "no delay at all: the retries did not back off";

  CliResult r = env.Cli({"jobs", "requeue", id, "--tenant", "t1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(env.Job("t1", id).status, store::JobStatus::kQueued);
  worker = env.StartWorker({"--once", "--poll-ms", "20"});
  ASSERT_EQ(env.WaitWorker(worker), 0) << env.WorkerLog(worker);
  job = env.Job("t1", id);
  EXPECT_EQ(job.status, store::JobStatus::kSucceeded) << job.error_message;
  EXPECT_EQ(job.attempts, 1);
  EXPECT_EQ(job.page_count, 1);
}

}  // namespace
}  // namespace smartocr::testing
