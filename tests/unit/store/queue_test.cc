// tests/unit/store/queue_test.cc
//
// The queue: claim order, leases and fencing of stale workers, exactly-once
// completion, failure and release.
#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "repo_fixture.h"

namespace smartocr::store {
namespace {

using core::StatusCode;

class QueueTest : public RepoTest {
 protected:
  // Claims one job and returns its id ("" when none).
  std::string Claim(const std::string& worker, int64_t now, int64_t lease_ms = 1000) {
    core::Result<std::optional<Job>> job = repo_->ClaimJob(worker, now, lease_ms);
    EXPECT_TRUE(job.ok()) << job.status().ToString();
    return job.ok() && job->has_value() ? (*job)->id : "";
  }

  static PageRecord Page(int number, const std::string& blocks_json) {
    return PageRecord{number,      800,  600,        "ocr", "blob://p" + std::to_string(number),
                      "page text", 0.75, blocks_json};
  }

  int64_t Count(const std::string& table, const std::string& job_id) {
    std::string where = table == "blocks"
                            ? "page_id IN (SELECT id FROM pages WHERE job_id = '" + job_id + "')"
                            : "job_id = '" + job_id + "'";
    return std::stoll(Sql("SELECT COUNT(*) FROM " + table + " WHERE " + where)[0][0]);
  }
};

TEST_P(QueueTest, ClaimsOldestFirstAndRespectsRunAfter) {
  EXPECT_EQ(Claim("w", 5), "");  // empty queue
  Job a = AddJob(10);
  Job b = AddJob(20);
  Job c = AddJob(30);
  core::Result<std::optional<Job>> first = repo_->ClaimJob("w1", 100, 1000);
  ASSERT_TRUE(first.ok() && first->has_value());
  const Job& job = **first;
  EXPECT_EQ(job.id, a.id);
  EXPECT_EQ(job.status, JobStatus::kRunning);
  EXPECT_EQ(job.lease_owner, "w1");
  EXPECT_EQ(job.lease_expires_at, 1100);
  EXPECT_EQ(job.attempts, 1);

  // b backs off until 500: c is claimed first.
  EXPECT_EQ(Claim("w1", 110), b.id);
  SMARTOCR_ASSERT_OK(repo_->FailJob(b.id, "w1", core::Unavailable("engine", "busy"), 500,
                                    JobStatus::kFailed, 120));
  EXPECT_EQ(Claim("w2", 130), c.id);
  EXPECT_EQ(Claim("w2", 140), "");
  EXPECT_EQ(Claim("w2", 500), b.id);
  EXPECT_EQ(repo_->GetJob("t1", b.id)->attempts, 2);
}

TEST_P(QueueTest, ExpiredLeaseIsReclaimedAndTheOldWorkerIsFenced) {
  Job job = AddJob(10);
  EXPECT_EQ(Claim("w1", 100, 1000), job.id);
  EXPECT_EQ(Claim("w2", 500), "");  // lease alive
  SMARTOCR_ASSERT_OK(repo_->Heartbeat(job.id, "w1", 600, 1000));
  EXPECT_EQ(Claim("w2", 1500), "");                                              // extended to 1600
  EXPECT_EQ(repo_->Heartbeat(job.id, "w2", 1500, 1000).reason(), "lease_lost");  // not its lease

  core::Result<std::optional<Job>> stolen = repo_->ClaimJob("w2", 1700, 1000);
  ASSERT_TRUE(stolen.ok() && stolen->has_value());
  EXPECT_EQ((*stolen)->lease_owner, "w2");
  EXPECT_EQ((*stolen)->attempts, 2);

  // The old worker wakes up: every write fails and changes nothing.
  core::Status beat = repo_->Heartbeat(job.id, "w1", 1710, 1000);
  EXPECT_EQ(beat.code(), StatusCode::kUnavailable);
  EXPECT_EQ(beat.reason(), "lease_lost");
  core::Status done =
      repo_->CompleteJob(job.id, "w1", {Page(1, R"([{"type":"text","bbox":[0,0,1,1]}])")},
                         {FieldRecord{.name = "total", .value = "1"}}, "blob://stale", 1720, {});
  EXPECT_EQ(done.reason(), "lease_lost");
  EXPECT_EQ(
      repo_->FailJob(job.id, "w1", core::Internal("x", "y"), 0, JobStatus::kFailed, 1730).reason(),
      "lease_lost");
  EXPECT_EQ(repo_->ReleaseJob(job.id, "w1", 1740).reason(), "lease_lost");
  EXPECT_TRUE(repo_->GetPages("t1", job.id)->empty());
  EXPECT_TRUE(repo_->GetFields("t1", job.id)->empty());
  EXPECT_EQ(Count("blocks", job.id), 0);
  core::Result<Job> now = repo_->GetJob("t1", job.id);
  EXPECT_EQ(now->status, JobStatus::kRunning);
  EXPECT_EQ(now->lease_owner, "w2");
  EXPECT_EQ(now->result_uri, "");

  SMARTOCR_ASSERT_OK(repo_->CompleteJob(job.id, "w2", {}, {}, "blob://good", 1800, {}));
  core::Result<std::vector<JobAttempt>> attempts = repo_->ListJobAttempts("t1", job.id);
  ASSERT_TRUE(attempts.ok());
  ASSERT_EQ(attempts->size(), 2u);
  EXPECT_EQ((*attempts)[0].worker_id, "w1");
  EXPECT_EQ((*attempts)[0].outcome, "lease_lost");
  EXPECT_EQ((*attempts)[0].ended_at, 1700);
  EXPECT_EQ((*attempts)[1].worker_id, "w2");
  EXPECT_EQ((*attempts)[1].attempt, 2);
  EXPECT_EQ((*attempts)[1].outcome, "succeeded");
  // Completed once: a second completion by the same worker is refused too.
  EXPECT_EQ(repo_->CompleteJob(job.id, "w2", {}, {}, "blob://again", 1900, {}).reason(),
            "lease_lost");
  EXPECT_EQ(repo_->GetJob("t1", job.id)->result_uri, "blob://good");
}

TEST_P(QueueTest, CompleteJobStoresPagesBlocksAndFieldsAndReplacesThem) {
  Job job = AddJob(10);
  ASSERT_EQ(Claim("w1", 100), job.id);
  const std::string blocks =
      R"([{"type":"heading","bbox":[0.1,0.1,0.9,0.2],"confidence":0.95,"reading_order":0,)"
      R"("lines":[{"text":"INVOICE"}]},)"
      R"({"type":"text","bbox":[0.1,0.3,0.9,0.5],"confidence":0.8,"reading_order":1,)"
      R"("lines":[{"text":"line one"},{"text":"line two"}]}])";
  std::vector<PageRecord> pages = {Page(1, blocks), Page(2, "[]")};
  std::vector<FieldRecord> fields = {
      FieldRecord{"total", "$12.50", "12.50", "[0.5,0.5,0.6,0.6]", 1, 0.875, "valid", "regex", "1"},
      FieldRecord{"date", "1 Jan 2024", "2024-01-01", "[]", 1, 0.5, "unchecked", "llm", "2"}};
  SMARTOCR_ASSERT_OK(repo_->CompleteJob(job.id, "w1", pages, fields, "blob://r1", 200, {}));

  core::Result<Job> done = repo_->GetJob("t1", job.id);
  EXPECT_EQ(done->status, JobStatus::kSucceeded);
  EXPECT_EQ(done->page_count, 2);
  EXPECT_EQ(done->result_uri, "blob://r1");
  EXPECT_EQ(done->completed_at, 200);
  EXPECT_EQ(done->lease_owner, "");
  core::Result<std::vector<PageRecord>> stored = repo_->GetPages("t1", job.id);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 2u);
  EXPECT_EQ((*stored)[0].page_number, 1);
  EXPECT_EQ((*stored)[0].width, 800);
  EXPECT_EQ((*stored)[0].source, "ocr");
  EXPECT_DOUBLE_EQ((*stored)[0].confidence, 0.75);
  EXPECT_EQ((*stored)[0].blocks_json, blocks);
  core::Result<std::vector<FieldRecord>> stored_fields = repo_->GetFields("t1", job.id);
  ASSERT_EQ(stored_fields->size(), 2u);
  EXPECT_EQ((*stored_fields)[0].name, "total");
  EXPECT_EQ((*stored_fields)[0].normalized, "12.50");
  EXPECT_EQ((*stored_fields)[0].bbox_json, "[0.5,0.5,0.6,0.6]");
  EXPECT_DOUBLE_EQ((*stored_fields)[0].confidence, 0.875);
  EXPECT_EQ((*stored_fields)[1].validator_status, "unchecked");

  // One row per block, derived from the JSON.
  auto rows =
      Sql("SELECT b.reading_order, b.type, b.text, b.bbox FROM blocks b"
          " JOIN pages p ON p.id = b.page_id ORDER BY p.page_number, b.reading_order");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1], "heading");
  EXPECT_EQ(rows[0][2], "INVOICE");
  EXPECT_EQ(rows[0][3], "[0.1,0.1,0.9,0.2]");
  EXPECT_EQ(rows[1][2], "line one\nline two");

  // Second run (requeued, claimed under a new lease): rows are replaced, not added.
  SMARTOCR_ASSERT_OK(repo_->RequeueJob("t1", job.id, 300, {}));
  ASSERT_EQ(Claim("w2", 400), job.id);
  SMARTOCR_ASSERT_OK(
      repo_->CompleteJob(job.id, "w2", {Page(1, blocks)}, {fields[1]}, "blob://r2", 500, {}));
  EXPECT_EQ(repo_->GetPages("t1", job.id)->size(), 1u);
  EXPECT_EQ(repo_->GetFields("t1", job.id)->size(), 1u);
  EXPECT_EQ(Count("pages", job.id), 1);
  EXPECT_EQ(Count("blocks", job.id), 2);
  EXPECT_EQ(Count("fields", job.id), 1);
  EXPECT_EQ(repo_->GetJob("t1", job.id)->page_count, 1);
}

TEST_P(QueueTest, BadBlocksJsonOrDuplicatePagesWriteNothing) {
  Job job = AddJob(10);
  ASSERT_EQ(Claim("w1", 100), job.id);
  core::Status bad = repo_->CompleteJob(job.id, "w1", {Page(1, "[]"), Page(2, "{not json")}, {},
                                        "blob://r", 200, {});
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.reason(), "blocks_json");
  core::Status dup = repo_->CompleteJob(job.id, "w1", {Page(1, "[]"), Page(1, "[]")},
                                        {FieldRecord{.name = "x"}}, "blob://r", 200, {});
  EXPECT_EQ(dup.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Count("pages", job.id), 0);
  EXPECT_EQ(Count("fields", job.id), 0);
  core::Result<Job> still = repo_->GetJob("t1", job.id);
  EXPECT_EQ(still->status, JobStatus::kRunning);
  EXPECT_EQ(still->lease_owner, "w1");
  SMARTOCR_ASSERT_OK(repo_->CompleteJob(job.id, "w1", {Page(1, "[]")}, {}, "blob://r", 300, {}));
}

TEST_P(QueueTest, FailJobRetriesOrEndsTheJob) {
  Job retry = AddJob(10);
  ASSERT_EQ(Claim("w", 100), retry.id);
  SMARTOCR_ASSERT_OK(repo_->FailJob(retry.id, "w", core::Unavailable("engine_busy", "try later"),
                                    700, JobStatus::kFailed, 110));
  core::Result<Job> r = repo_->GetJob("t1", retry.id);
  EXPECT_EQ(r->status, JobStatus::kQueued);
  EXPECT_EQ(r->run_after, 700);
  EXPECT_EQ(r->error_code, "UNAVAILABLE");
  EXPECT_EQ(r->error_reason, "engine_busy");
  EXPECT_EQ(r->error_message, "try later");
  EXPECT_EQ(r->lease_owner, "");
  EXPECT_EQ(r->completed_at, 0);

  Job failed = AddJob(20);
  ASSERT_EQ(Claim("w", 120), failed.id);
  EXPECT_EQ(repo_->FailJob(failed.id, "w", core::Internal("x", "y"), 0, JobStatus::kSucceeded, 130)
                .reason(),
            "final_status");
  SMARTOCR_ASSERT_OK(repo_->FailJob(failed.id, "w", core::CorruptInput("pdf_xref", "broken"), 0,
                                    JobStatus::kFailed, 140));
  core::Result<Job> f = repo_->GetJob("t1", failed.id);
  EXPECT_EQ(f->status, JobStatus::kFailed);
  EXPECT_EQ(f->error_code, "CORRUPT_INPUT");
  EXPECT_EQ(f->completed_at, 140);

  Job poison = AddJob(30);
  ASSERT_EQ(Claim("w", 150), poison.id);
  SMARTOCR_ASSERT_OK(repo_->FailJob(poison.id, "w", core::Internal("crash", "segv"), 0,
                                    JobStatus::kQuarantined, 160));
  EXPECT_EQ(repo_->GetJob("t1", poison.id)->status, JobStatus::kQuarantined);

  // Only the retried job is claimable, and only from its retry time.
  EXPECT_EQ(Claim("w", 600), "");
  EXPECT_EQ(Claim("w", 700), retry.id);
  auto outcome = [&](const Job& j) { return repo_->ListJobAttempts("t1", j.id)->front(); };
  EXPECT_EQ(outcome(retry).outcome, "retry");
  EXPECT_EQ(outcome(retry).error_code, "UNAVAILABLE");
  EXPECT_EQ(outcome(failed).outcome, "failed");
  EXPECT_EQ(outcome(poison).outcome, "quarantined");
}

TEST_P(QueueTest, ReleaseGivesTheJobBackWithoutCountingTheAttempt) {
  Job job = AddJob(10);
  ASSERT_EQ(Claim("w1", 100), job.id);
  EXPECT_EQ(repo_->ReleaseJob(job.id, "w2", 110).reason(), "lease_lost");
  SMARTOCR_ASSERT_OK(repo_->ReleaseJob(job.id, "w1", 120));
  core::Result<Job> released = repo_->GetJob("t1", job.id);
  EXPECT_EQ(released->status, JobStatus::kQueued);
  EXPECT_EQ(released->attempts, 0);
  EXPECT_EQ(Claim("w2", 130), job.id);
  EXPECT_EQ(repo_->GetJob("t1", job.id)->attempts, 1);
  EXPECT_EQ(repo_->ListJobAttempts("t1", job.id)->front().outcome, "released");
}

TEST_P(QueueTest, WaitForJobsWakesOnANewJob) {
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(repo_->WaitForJobs(100));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(90));

  // On PostgreSQL the job comes from another Repository (as from another process).
  std::unique_ptr<Repository> other = GetParam() == "postgresql" ? OpenUrl(url_) : nullptr;
  Repository& producer = other ? *other : *repo_;
  std::promise<void> waiting;
  auto woke = std::async(std::launch::async, [&] {
    waiting.set_value();
    return repo_->WaitForJobs(10000);
  });
  waiting.get_future().wait();
  // Without a handshake on the LISTEN itself, keep notifying until the waiter wakes.
  start = std::chrono::steady_clock::now();
  int n = 0;
  while (woke.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
    ASSERT_TRUE(producer.CreateJob("t1", JobSpec{}, 1000 + n++, nullptr).ok());
  }
  EXPECT_TRUE(woke.get());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

SMARTOCR_INSTANTIATE_BACKENDS(QueueTest);

}  // namespace
}  // namespace smartocr::store
