// tests/unit/store/jobs_test.cc
//
// Job rows as tenants see them: idempotent creation, isolation, listing.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "repo_fixture.h"

namespace smartocr::store {
namespace {

using core::StatusCode;

class JobsTest : public RepoTest {};

TEST_P(JobsTest, CreateJobRoundTripsTheSpec) {
  JobSpec spec{"ext-9",
               "invoice",
               "blob://in/a.pdf",
               "https://hook",
               R"({"dpi":300})",
               "trace-1",
               "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
               5};
  spec.source_sha256 = std::string(64, 'a');
  bool created = false;
  core::Result<Job> job = repo_->CreateJob("t1", spec, 1000, &created);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_TRUE(created);
  EXPECT_EQ(job->id.substr(0, 4), "job_");
  EXPECT_EQ(job->status, JobStatus::kQueued);
  EXPECT_EQ(job->created_at, 1000);
  EXPECT_EQ(job->run_after, 1000);

  core::Result<Job> read = repo_->GetJob("t1", job->id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->tenant_id, "t1");
  EXPECT_EQ(read->spec.external_id, "ext-9");
  EXPECT_EQ(read->spec.doc_type, "invoice");
  EXPECT_EQ(read->spec.source_uri, "blob://in/a.pdf");
  EXPECT_EQ(read->spec.webhook_url, "https://hook");
  EXPECT_EQ(read->spec.options_json, R"({"dpi":300})");
  EXPECT_EQ(read->spec.trace_id, "trace-1");
  EXPECT_EQ(read->spec.trace_parent, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_EQ(read->spec.max_attempts, 5);
  EXPECT_EQ(read->spec.source_sha256, std::string(64, 'a'));
  EXPECT_EQ(read->attempts, 0);

  core::Result<Job> orphan = repo_->CreateJob("nope", spec, 1, nullptr);
  EXPECT_EQ(orphan.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(orphan.status().reason(), "tenant");
}

TEST_P(JobsTest, CreateJobIsIdempotentByExternalIdPerTenant) {
  bool created = false;
  core::Result<Job> first = repo_->CreateJob("t1", JobSpec{.external_id = "e1"}, 10, &created);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(created);
  core::Result<Job> again =
      repo_->CreateJob("t1", JobSpec{.external_id = "e1", .doc_type = "other"}, 20, &created);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(created);
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->created_at, 10);  // the existing job, unchanged

  core::Result<Job> other = repo_->CreateJob("t2", JobSpec{.external_id = "e1"}, 30, &created);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(created);
  EXPECT_NE(other->id, first->id);

  // No external id: never deduplicated.
  Job a = AddJob(40);
  Job b = AddJob(40);
  EXPECT_NE(a.id, b.id);
  EXPECT_EQ(repo_->ListJobs("t1", {})->jobs.size(), 3u);
}

TEST_P(JobsTest, OtherTenantsJobIsNotFoundAndUntouched) {
  Job job = AddJob(100);
  auto not_found = [](const core::Status& st) {
    return st.code() == StatusCode::kNotFound && st.reason() == "job";
  };
  EXPECT_TRUE(not_found(repo_->GetJob("t2", job.id).status()));
  EXPECT_TRUE(not_found(repo_->GetPages("t2", job.id).status()));
  EXPECT_TRUE(not_found(repo_->GetFields("t2", job.id).status()));
  EXPECT_TRUE(not_found(repo_->ListJobAttempts("t2", job.id).status()));
  EXPECT_TRUE(not_found(repo_->CancelJob("t2", job.id, 200)));
  EXPECT_TRUE(not_found(repo_->RequeueJob("t2", job.id, 200, {})));
  EXPECT_TRUE(not_found(repo_->DeleteJob("t2", job.id)));
  EXPECT_TRUE(repo_->ListJobs("t2", {})->jobs.empty());
  EXPECT_TRUE(repo_->CountJobs("t2")->empty());

  core::Result<Job> still = repo_->GetJob("t1", job.id);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->status, JobStatus::kQueued);
  EXPECT_TRUE(not_found(repo_->GetJob("t1", "job_missing").status()));
}

TEST_P(JobsTest, ListJobsPagesNewestFirstWithoutGapsOrRepeats) {
  // Equal created_at values on purpose: the id breaks ties.
  std::vector<Job> made;
  for (int i = 0; i < 7; ++i) made.push_back(AddJob(1000 + (i / 2) * 10));
  AddJob(5000, "t2");
  std::sort(made.begin(), made.end(), [](const Job& a, const Job& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
  });

  std::vector<std::string> seen;
  JobFilter filter;
  filter.limit = 3;
  std::vector<size_t> sizes;
  for (int page = 0; page < 10; ++page) {
    core::Result<JobPage> result = repo_->ListJobs("t1", filter);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    sizes.push_back(result->jobs.size());
    for (const Job& j : result->jobs) seen.push_back(j.id);
    if (result->next_cursor.empty()) break;
    filter.cursor = result->next_cursor;
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{3, 3, 1}));
  ASSERT_EQ(seen.size(), made.size());
  for (size_t i = 0; i < made.size(); ++i) EXPECT_EQ(seen[i], made[i].id) << i;

  JobFilter bad;
  bad.cursor = "zz-not-a-cursor";
  EXPECT_EQ(repo_->ListJobs("t1", bad).status().reason(), "cursor");
}

TEST_P(JobsTest, ListJobsFiltersByStatusDocTypeAndTime) {
  Job a = AddJob(100, "t1", "", "invoice");
  Job b = AddJob(200, "t1", "", "receipt");
  Job c = AddJob(300, "t1", "", "invoice");
  core::Result<std::optional<Job>> claimed = repo_->ClaimJob("w1", 1000, 60000);
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_EQ((*claimed)->id, a.id);

  auto ids = [&](JobFilter f) {
    std::vector<std::string> out;
    core::Result<JobPage> page = repo_->ListJobs("t1", f);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (page.ok()) {
      for (const Job& j : page->jobs) out.push_back(j.id);
    }
    return out;
  };
  EXPECT_EQ(ids({.status = JobStatus::kRunning}), std::vector<std::string>{a.id});
  EXPECT_EQ(ids({.status = JobStatus::kQueued}), (std::vector<std::string>{c.id, b.id}));
  EXPECT_EQ(ids({.doc_type = "invoice"}), (std::vector<std::string>{c.id, a.id}));
  EXPECT_EQ(ids({.created_from = 200}), (std::vector<std::string>{c.id, b.id}));
  EXPECT_EQ(ids({.created_to = 300}), (std::vector<std::string>{b.id, a.id}));
  EXPECT_EQ(ids({.status = JobStatus::kQueued, .doc_type = "invoice", .created_from = 150}),
            std::vector<std::string>{c.id});
}

TEST_P(JobsTest, CancelQueuedRunningAndFinishedJobs) {
  Job queued = AddJob(10);
  SMARTOCR_ASSERT_OK(repo_->CancelJob("t1", queued.id, 20));
  core::Result<Job> cancelled = repo_->GetJob("t1", queued.id);
  EXPECT_EQ(cancelled->status, JobStatus::kCancelled);
  EXPECT_EQ(cancelled->completed_at, 20);
  SMARTOCR_ASSERT_OK(repo_->CancelJob("t1", queued.id, 30));  // idempotent
  EXPECT_FALSE(repo_->ClaimJob("w", 100, 1000)->has_value());

  // A running job: the worker learns at its next heartbeat and cannot complete.
  Job running = AddJob(40);
  ASSERT_TRUE(repo_->ClaimJob("w", 100, 1000)->has_value());
  SMARTOCR_ASSERT_OK(repo_->CancelJob("t1", running.id, 110));
  core::Status beat = repo_->Heartbeat(running.id, "w", 120, 1000);
  EXPECT_EQ(beat.code(), StatusCode::kUnavailable);
  EXPECT_EQ(beat.reason(), "lease_lost");
  EXPECT_EQ(repo_->CompleteJob(running.id, "w", {}, {}, "blob://r", 130, {}).reason(),
            "lease_lost");
  EXPECT_EQ(repo_->GetJob("t1", running.id)->status, JobStatus::kCancelled);
  EXPECT_EQ(repo_->ListJobAttempts("t1", running.id)->back().outcome, "cancelled");

  Job done = AddJob(50);
  ASSERT_TRUE(repo_->ClaimJob("w", 200, 1000)->has_value());
  SMARTOCR_ASSERT_OK(repo_->CompleteJob(done.id, "w", {}, {}, "blob://r", 210, {}));
  core::Status late = repo_->CancelJob("t1", done.id, 220);
  EXPECT_EQ(late.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(late.reason(), "job_finished");
}

TEST_P(JobsTest, RequeueResetsAFinishedJob) {
  Job job = AddJob(10);
  EXPECT_EQ(repo_->RequeueJob("t1", job.id, 20, {}).reason(), "job_active");
  ASSERT_TRUE(repo_->ClaimJob("w", 100, 1000)->has_value());
  EXPECT_EQ(repo_->RequeueJob("t1", job.id, 110, {}).reason(), "job_active");
  SMARTOCR_ASSERT_OK(repo_->FailJob(job.id, "w", core::CorruptInput("png_truncated", "bad"), 0,
                                    JobStatus::kFailed, 120));
  SMARTOCR_ASSERT_OK(repo_->RequeueJob("t1", job.id, 130, {}));
  core::Result<Job> requeued = repo_->GetJob("t1", job.id);
  EXPECT_EQ(requeued->status, JobStatus::kQueued);
  EXPECT_EQ(requeued->attempts, 0);
  EXPECT_EQ(requeued->error_code, "");
  EXPECT_EQ(requeued->completed_at, 0);
  core::Result<std::optional<Job>> again = repo_->ClaimJob("w2", 140, 1000);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->id, job.id);
  EXPECT_EQ((*again)->attempts, 1);
}

TEST_P(JobsTest, RequeueChangesOnlyWhatTheRerunSets) {
  Job job = AddJob(10);
  ASSERT_TRUE(repo_->ClaimJob("w", 20, 1000)->has_value());
  SMARTOCR_ASSERT_OK(repo_->CompleteJob(job.id, "w", {}, {}, "blob://r", 30, {}));
  const std::string before_options = repo_->GetJob("t1", job.id)->spec.options_json;
  SMARTOCR_ASSERT_OK(repo_->RequeueJob("t1", job.id, 40, {.doc_type = "invoice"}));
  core::Result<Job> first = repo_->GetJob("t1", job.id);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->spec.doc_type, "invoice");
  EXPECT_EQ(first->spec.options_json, before_options);
  ASSERT_TRUE(repo_->ClaimJob("w", 50, 1000)->has_value());
  SMARTOCR_ASSERT_OK(repo_->CompleteJob(job.id, "w", {}, {}, "blob://r2", 60, {}));
  SMARTOCR_ASSERT_OK(
      repo_->RequeueJob("t1", job.id, 70, {.options_json = R"({"engine":"tesseract"})"}));
  core::Result<Job> second = repo_->GetJob("t1", job.id);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->spec.doc_type, "invoice");
  EXPECT_EQ(second->spec.options_json, R"({"engine":"tesseract"})");
  EXPECT_EQ(second->spec.source_uri, job.spec.source_uri);
  // Another tenant's job is not found and not changed.
  EXPECT_EQ(repo_->RequeueJob("t2", job.id, 80, {.doc_type = "receipt"}).code(),
            core::StatusCode::kNotFound);
}

TEST_P(JobsTest, DeleteRemovesResultsButKeepsAudit) {
  Job job = AddJob(10);
  ASSERT_TRUE(repo_->ClaimJob("w", 20, 1000)->has_value());
  PageRecord page{
      1,           100,
      200,         "ocr",
      "blob://p1", "hello",
      0.9,         R"([{"type":"text","bbox":[0,0,1,1],"confidence":0.9,"reading_order":0}])"};
  SMARTOCR_ASSERT_OK(
      repo_->CompleteJob(job.id, "w", {page}, {FieldRecord{.name = "total"}}, "blob://r", 30, {}));
  SMARTOCR_ASSERT_OK(repo_->AppendAudit(AuditEntry{.tenant_id = "t1",
                                                   .job_id = job.id,
                                                   .actor = "k1",
                                                   .action = "job.delete",
                                                   .created_at = 40}));
  SMARTOCR_ASSERT_OK(repo_->DeleteJob("t1", job.id));
  EXPECT_EQ(repo_->GetJob("t1", job.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repo_->GetPages("t1", job.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repo_->DeleteJob("t1", job.id).code(), StatusCode::kNotFound);
  EXPECT_EQ(repo_->ListAudit("t1", job.id, 10)->size(), 1u);
}

TEST_P(JobsTest, CountJobsPerStatus) {
  AddJob(1);
  AddJob(2);
  AddJob(3, "t2");
  ASSERT_TRUE(repo_->ClaimJob("w", 10, 1000)->has_value());
  auto as_map = [](const std::vector<std::pair<JobStatus, int64_t>>& v) {
    return std::map<JobStatus, int64_t>(v.begin(), v.end());
  };
  std::map<JobStatus, int64_t> t1 = as_map(*repo_->CountJobs("t1"));
  EXPECT_EQ(t1, (std::map<JobStatus, int64_t>{{JobStatus::kQueued, 1}, {JobStatus::kRunning, 1}}));
  std::map<JobStatus, int64_t> all = as_map(*repo_->CountJobs(""));
  EXPECT_EQ(all, (std::map<JobStatus, int64_t>{{JobStatus::kQueued, 2}, {JobStatus::kRunning, 1}}));
}

TEST_P(JobsTest, OldestQueuedAtIsTheOldestStillQueued) {
  EXPECT_EQ(*repo_->OldestQueuedAt(), 0);  // none queued
  AddJob(1);
  AddJob(2, "t2");
  AddJob(3);
  EXPECT_EQ(*repo_->OldestQueuedAt(), 1);  // any tenant's, by created_at
  // The oldest is claimed (ClaimJob takes the oldest runnable): the next one is oldest.
  ASSERT_TRUE(repo_->ClaimJob("w", 10'000'000'000'000, 1000)->has_value());
  EXPECT_EQ(*repo_->OldestQueuedAt(), 2);
  ASSERT_TRUE(repo_->ClaimJob("w", 10'000'000'000'000, 1000)->has_value());
  ASSERT_TRUE(repo_->ClaimJob("w", 10'000'000'000'000, 1000)->has_value());
  EXPECT_EQ(*repo_->OldestQueuedAt(), 0);
}

SMARTOCR_INSTANTIATE_BACKENDS(JobsTest);

}  // namespace
}  // namespace smartocr::store
