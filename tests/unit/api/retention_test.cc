// tests/unit/api/retention_test.cc
//
// The retention setting and the sweeper, on an in-memory SQLite repository and a local
// blob store in a temp dir, with a fixed clock so "40 days ago" needs no waiting.
#include "api/retention.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "api/settings.h"

namespace smartocr::api {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kHour = 3'600'000;

class FixedClock : public jobs::Clock {
 public:
  int64_t NowMs() override { return now; }
  void SleepMs(int64_t) override {}
  int64_t now = 100 * kDay;
};

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("smartocr_retention_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    auto repo = store::OpenRepository("sqlite::memory:");
    ASSERT_TRUE(repo.ok()) << repo.status().ToString();
    repo_ = std::move(*repo);
    ASSERT_TRUE(repo_->Migrate().ok());
    auto blobs = blobs::OpenLocalBlobStore(dir_);
    ASSERT_TRUE(blobs.ok()) << blobs.status().ToString();
    blobs_ = std::move(*blobs);
    ASSERT_TRUE(repo_->CreateTenant({"t1", "One", "eu", R"({"retention_days":30})", 0}).ok());
    ASSERT_TRUE(repo_->CreateTenant({"t2", "Two", "eu", R"({"burst":5})", 0}).ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A queued job created `age_days` before the clock's now, with its original stored.
  std::string NewJob(const std::string& tenant, const std::string& name, int64_t age_days) {
    const std::string key = "originals/" + tenant + "/" + name;
    EXPECT_TRUE(blobs_->Put(key, "%PDF-1.4", "application/pdf").ok());
    store::JobSpec spec;
    spec.source_uri = blobs_->Uri(key);
    auto job = repo_->CreateJob(tenant, spec, clock_.now - age_days * kDay, nullptr);
    EXPECT_TRUE(job.ok()) << job.status().ToString();
    return job.ok() ? job->id : "";
  }
  bool HasBlob(const std::string& key) { return *blobs_->Exists(key); }
  bool HasJob(const std::string& tenant, const std::string& id) {
    return repo_->GetJob(tenant, id).ok();
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Repository> repo_;
  blobs::BlobStorePtr blobs_;
  FixedClock clock_;
};

TEST_F(RetentionTest, DeletesOnlyFinishedJobsPastTheTenantsRetention) {
  // Old and succeeded, with a result and a page image: claimed and completed at once
  // so it is the only claimable job.
  const std::string done = NewJob("t1", "done", 40);
  auto claimed = repo_->ClaimJob("w", clock_.now - 40 * kDay, 60'000);
  ASSERT_TRUE(claimed.ok() && claimed->has_value() && (*claimed)->id == done);
  ASSERT_TRUE(blobs_->Put("results/t1/done.json", "{}", "application/json").ok());
  ASSERT_TRUE(blobs_->Put("pages/t1/done-1.png", "png", "image/png").ok());
  store::PageRecord page;
  page.page_number = 1;
  page.artifact_uri = blobs_->Uri("pages/t1/done-1.png");
  ASSERT_TRUE(repo_
                  ->CompleteJob(done, "w", {page}, {}, blobs_->Uri("results/t1/done.json"),
                                clock_.now - 40 * kDay + 1, {})
                  .ok());
  // Old but running (claimed long ago, lease still held): never deleted.
  const std::string running = NewJob("t1", "running", 50);
  claimed = repo_->ClaimJob("w", clock_.now, 60'000);
  ASSERT_TRUE(claimed.ok() && claimed->has_value() && (*claimed)->id == running);
  const std::string queued = NewJob("t1", "queued", 60);
  const std::string cancelled = NewJob("t1", "cancelled", 31);
  ASSERT_TRUE(repo_->CancelJob("t1", cancelled, clock_.now).ok());
  const std::string recent = NewJob("t1", "recent", 29);
  ASSERT_TRUE(repo_->CancelJob("t1", recent, clock_.now).ok());
  // Another tenant without retention_days keeps everything.
  const std::string other = NewJob("t2", "other", 400);
  ASSERT_TRUE(repo_->CancelJob("t2", other, clock_.now).ok());

  RetentionSweeper sweeper(*repo_, *blobs_, clock_, kDay);
  auto n = sweeper.SweepOnce();
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2);

  EXPECT_FALSE(HasJob("t1", done));
  EXPECT_FALSE(HasBlob("originals/t1/done"));
  EXPECT_FALSE(HasBlob("results/t1/done.json"));
  EXPECT_FALSE(HasBlob("pages/t1/done-1.png"));
  EXPECT_FALSE(HasJob("t1", cancelled));
  EXPECT_FALSE(HasBlob("originals/t1/cancelled"));
  for (const auto& [tenant, id, blob] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"t1", running, "originals/t1/running"},
           {"t1", queued, "originals/t1/queued"},
           {"t1", recent, "originals/t1/recent"},
           {"t2", other, "originals/t2/other"}}) {
    EXPECT_TRUE(HasJob(tenant, id)) << blob;
    EXPECT_TRUE(HasBlob(blob)) << blob;
  }

  auto audit = repo_->ListAudit("t1", "", 0);
  ASSERT_TRUE(audit.ok());
  std::vector<std::string> deleted;
  for (const store::AuditEntry& e : *audit) {
    EXPECT_EQ(e.actor, kRetentionActor);
    EXPECT_EQ(e.action, "job.delete");
    EXPECT_EQ(e.created_at, clock_.now);
    deleted.push_back(e.job_id);
  }
  EXPECT_EQ(deleted.size(), 2u);
  EXPECT_TRUE(repo_->ListAudit("t2", "", 0)->empty());

  // Nothing more to do until the recent job ages past 30 days.
  EXPECT_EQ(*sweeper.SweepOnce(), 0);
  clock_.now += 2 * kDay;
  EXPECT_EQ(*sweeper.SweepOnce(), 1);
  EXPECT_FALSE(HasJob("t1", recent));
  EXPECT_TRUE(HasJob("t1", queued));
}

// Stage-cache rows: those of a job the sweep deletes go with it; those of a job it
// keeps (running) expire once older than the retention; another tenant's stay.
TEST_F(RetentionTest, ExpiresStageCacheRowsPastTheTenantsRetention) {
  const std::string old = NewJob("t1", "old", 40);
  ASSERT_TRUE(repo_->CancelJob("t1", old, clock_.now).ok());
  const std::string running = NewJob("t1", "running", 50);
  ASSERT_TRUE(repo_->ClaimJob("w", clock_.now, 60'000).ok());
  const std::string other = NewJob("t2", "other", 400);
  const int64_t long_ago = clock_.now - 35 * kDay;
  ASSERT_TRUE(repo_->PutCachedPage({"t1", old}, "page/v1/a", "{}", clock_.now).ok());
  ASSERT_TRUE(repo_->PutCachedPage({"t1", running}, "page/v1/a", "{}", long_ago).ok());
  ASSERT_TRUE(repo_->PutCachedPage({"t1", running}, "page/v1/b", "{}", clock_.now).ok());
  ASSERT_TRUE(repo_->PutCachedPage({"t2", other}, "page/v1/a", "{}", long_ago).ok());

  RetentionSweeper sweeper(*repo_, *blobs_, clock_, kDay);
  auto n = sweeper.SweepOnce();
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  EXPECT_FALSE(repo_->GetCachedPage({"t1", old}, "page/v1/a")->has_value());
  EXPECT_FALSE(repo_->GetCachedPage({"t1", running}, "page/v1/a")->has_value());
  EXPECT_TRUE(repo_->GetCachedPage({"t1", running}, "page/v1/b")->has_value());
  EXPECT_TRUE(repo_->GetCachedPage({"t2", other}, "page/v1/a")->has_value());
}

// Uploads never submitted as a job go, blob and row, once issued longer ago than the
// TTL, whatever the tenant's retention (t2 has none); a submitted one, a recent one and
// one whose job was created just before the sweep reached it stay.
TEST_F(RetentionTest, DeletesUploadsNeverSubmittedAfterTheirTtl) {
  const auto upload = [&](const std::string& tenant, const std::string& id, int64_t age_ms) {
    EXPECT_TRUE(blobs_->Put("uploads/" + tenant + "/" + id, "%PDF-1.4", "").ok());
    EXPECT_TRUE(repo_->RecordUpload({tenant, id, clock_.now - age_ms}).ok());
  };
  upload("t1", "upl_old", 2 * kDay);
  upload("t2", "upl_old", 25 * kHour);
  upload("t1", "upl_recent", 23 * kHour);
  upload("t1", "upl_submitted", 3 * kDay);
  ASSERT_TRUE(*repo_->MarkUploadSubmitted("t1", "upl_submitted", clock_.now - 2 * kDay));
  EXPECT_FALSE(*repo_->MarkUploadSubmitted("t1", "upl_never_issued", clock_.now));
  EXPECT_EQ(repo_->RecordUpload({"nobody", "upl_x", 0}).reason(), "tenant");

  RetentionSweeper sweeper(*repo_, *blobs_, clock_, kDay);
  auto n = sweeper.SweepUploads();
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2);
  EXPECT_FALSE(HasBlob("uploads/t1/upl_old"));
  EXPECT_FALSE(HasBlob("uploads/t2/upl_old"));
  EXPECT_TRUE(HasBlob("uploads/t1/upl_recent"));
  EXPECT_TRUE(HasBlob("uploads/t1/upl_submitted"));
  EXPECT_TRUE(repo_->ListUnsubmittedUploads(clock_.now, 10)->size() == 1);  // upl_recent
  // The rows went with the blobs: nothing is left to sweep a second time.
  EXPECT_EQ(*sweeper.SweepUploads(), 0);
  // A job created from an upload between the listing and the delete keeps it.
  EXPECT_FALSE(*repo_->DeleteUpload("t1", "upl_submitted", store::UploadRows::kOnlyUnsubmitted));
  EXPECT_TRUE(*repo_->DeleteUpload("t1", "upl_submitted", store::UploadRows::kAny));
}

TEST_F(RetentionTest, ThreadSweepsAtStartAndStopsPromptly) {
  const std::string old = NewJob("t1", "old", 45);
  ASSERT_TRUE(repo_->CancelJob("t1", old, clock_.now).ok());
  RetentionSweeper sweeper(*repo_, *blobs_, clock_, kDay);
  sweeper.Start(3'600'000);
  for (int i = 0; i < 200 && HasJob("t1", old); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_FALSE(HasJob("t1", old));
  // The thread now waits an hour for its next sweep: Stop wakes it.
  const auto start = std::chrono::steady_clock::now();
  sweeper.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  sweeper.Stop();  // idempotent
}

TEST(RetentionSettings, ValidatesAndReadsRetentionDays) {
  EXPECT_TRUE(ValidateSettings({{"retention_days", 30}}).ok());
  EXPECT_TRUE(ValidateSettings({{"retention_days", 0.5}}).ok());
  for (const nlohmann::json& bad : {nlohmann::json(0), nlohmann::json(-3), nlohmann::json("30"),
                                    nlohmann::json(true), nlohmann::json(1e9)}) {
    core::Status st = ValidateSettings({{"retention_days", bad}});
    EXPECT_EQ(st.code(), core::StatusCode::kInvalidArgument) << bad.dump();
    EXPECT_NE(st.message().find("retention_days"), std::string::npos) << st.message();
  }
  EXPECT_EQ(RetentionDays(R"({"retention_days":7})"), 7);
  EXPECT_EQ(RetentionDays(R"({"retention_days":0.25})"), 0.25);
  EXPECT_EQ(RetentionDays("{}"), 0);
  EXPECT_EQ(RetentionDays("not json"), 0);
}

}  // namespace
}  // namespace smartocr::api
