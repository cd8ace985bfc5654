#include "jobs/worker.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <thread>

#include "fake_repository.h"
#include "fakes.h"
#include "fixtures.h"
#include "jobs/original.h"

namespace smartocr::jobs {
namespace {

using testing::FakeBlobStore;
using testing::FakeEngine;
using testing::FakeRepository;
using testing::FakeTransport;

std::string PngPage(const std::string& text) {
  smartocr::testing::FixturePage page;
  page.width_pt = 300;
  page.height_pt = 200;
  page.runs = {{text, 20, 60, 18}};
  std::vector<uchar> png;
  cv::imencode(".png", smartocr::testing::RenderPage(page, 100), png);
  return std::string(png.begin(), png.end());
}

std::string ScannedPdf(int pages) {
  std::vector<smartocr::testing::FixturePage> fixture(pages);
  for (int i = 0; i < pages; ++i) {
    fixture[i].width_pt = 300;
    fixture[i].height_pt = 200;
    fixture[i].runs = {{"Page " + std::to_string(i + 1), 20, 60, 18}};
    fixture[i].scanned = true;
  }
  std::string path = smartocr::testing::MakeTempDir() + "/doc.pdf";
  smartocr::testing::WritePdf(path, fixture, 72);
  return smartocr::testing::ReadFile(path);
}

bool WaitFor(const std::function<bool()>& done, int timeout_ms = 20000) {
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

class WorkerTest : public ::testing::Test {
 protected:
  explicit WorkerTest(int engine_delay_ms = 0) : engine_(engine_delay_ms) {}

  std::unique_ptr<pipeline::Pipeline> MakePipeline() {
    pipeline::PipelineOptions p;
    p.threads = 2;
    p.ingest.dpi = 72;
    return std::make_unique<pipeline::Pipeline>(engine_, p);
  }

  WorkerOptions Options() {
    WorkerOptions o;
    o.worker_id = "w1";
    o.concurrency = 2;
    o.lease_ms = 5000;
    o.heartbeat_ms = 20;
    o.poll_ms = 5;
    o.grace_ms = 10000;
    o.retry = {.base_ms = 5, .cap_ms = 20, .seed = 1};
    o.webhooks.retry = {.base_ms = 1, .cap_ms = 5, .max_attempts = 3, .seed = 1};
    o.engine_version = "fake 1.0";
    o.exit_when_idle = true;
    return o;
  }

  std::string Submit(const std::string& bytes, int max_attempts = 3,
                     const std::string& webhook = "") {
    store::JobSpec spec;
    spec.max_attempts = max_attempts;
    spec.webhook_url = webhook;
    return Submit(bytes, spec);
  }

  std::string Submit(const std::string& bytes, store::JobSpec spec) {
    std::string key = "originals/t1/" + std::to_string(++submitted_);
    EXPECT_TRUE(blobs_.Put(key, bytes, "application/octet-stream").ok());
    spec.source_uri = blobs_.Uri(key);
    auto job = repo_.CreateJob("t1", spec, clock_.NowMs(), nullptr);
    EXPECT_TRUE(job.ok());
    return job->id;
  }

  // Runs a worker until the queue is empty.
  WorkerStats RunUntilIdle(WorkerOptions options, WebhookTransport* transport = nullptr) {
    auto pipeline = MakePipeline();
    Worker worker(repo_, blobs_, *pipeline, std::move(options), clock_, transport);
    worker.Run();
    return worker.stats();
  }

  FakeRepository repo_;
  FakeBlobStore blobs_;
  FakeEngine engine_;
  SystemClock clock_;
  int submitted_ = 0;
};

TEST_F(WorkerTest, CompletesJobsWithPagesAndResultBlob) {
  std::string a = Submit(PngPage("Alpha"));
  std::string b = Submit(ScannedPdf(3));
  WorkerStats stats = RunUntilIdle(Options());
  EXPECT_EQ(stats.succeeded, 2);
  EXPECT_EQ(stats.claimed, 2);

  store::Job job = repo_.Job(b);
  EXPECT_EQ(job.status, store::JobStatus::kSucceeded);
  EXPECT_EQ(job.attempts, 1);
  EXPECT_EQ(job.page_count, 3);
  EXPECT_EQ(job.result_uri, "mem://fake/results/t1/" + b + ".json");
  auto pages = repo_.GetPages("t1", b);
  ASSERT_TRUE(pages.ok());
  ASSERT_EQ(pages->size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ((*pages)[i].page_number, i + 1);
    nlohmann::json blocks = nlohmann::json::parse((*pages)[i].blocks_json);
    ASSERT_TRUE(blocks.is_array());
    EXPECT_FALSE(blocks.empty());
    EXPECT_NE((*pages)[i].text.find("hello"), std::string::npos);
  }
  nlohmann::json result = nlohmann::json::parse(blobs_.Content("results/t1/" + b + ".json"));
  EXPECT_EQ(result["input"], b);  // the job, not where its original lies
  EXPECT_EQ(result["pages"].size(), 3u);
  EXPECT_EQ(repo_.Job(a).status, store::JobStatus::kSucceeded);
}

TEST_F(WorkerTest, PermanentInputErrorFailsAtOnce) {
  std::mt19937 rng(5);
  std::string junk(4096, '\0');
  for (char& c : junk) c = static_cast<char>(rng());
  std::string id = Submit(junk);
  WorkerStats stats = RunUntilIdle(Options());
  store::Job job = repo_.Job(id);
  EXPECT_EQ(job.status, store::JobStatus::kFailed);
  EXPECT_EQ(job.attempts, 1);
  EXPECT_EQ(job.error_code, "UNSUPPORTED_FORMAT");
  EXPECT_EQ(stats.failed, 1);
  EXPECT_EQ(stats.retried, 0);
}

// An original whose bytes no longer match the hash recorded with the job is never
// read: the job fails at once (not retried) with reason original_changed, and one whose
// hash matches runs as usual.
TEST_F(WorkerTest, OriginalChangedSinceSubmitFailsAtOnce) {
  const std::string bytes = PngPage("Alpha");
  store::JobSpec spec;
  spec.source_sha256 = std::string(64, '0');  // not the hash of `bytes`
  const std::string changed = Submit(bytes, spec);
  const std::string path = smartocr::testing::MakeTempDir() + "/page.png";
  smartocr::testing::WriteFile(path, bytes);
  auto sha = OriginalSha256(path);
  ASSERT_TRUE(sha.ok()) << sha.status().ToString();
  spec.source_sha256 = *sha;
  const std::string intact = Submit(bytes, spec);
  WorkerStats stats = RunUntilIdle(Options());
  store::Job job = repo_.Job(changed);
  EXPECT_EQ(job.status, store::JobStatus::kFailed);
  EXPECT_EQ(job.attempts, 1);
  EXPECT_EQ(job.error_reason, "original_changed");
  EXPECT_EQ(repo_.Job(intact).status, store::JobStatus::kSucceeded);
  EXPECT_EQ(stats.retried, 0);
}

TEST_F(WorkerTest, TransientFailureRetriesThenQuarantinesAndRequeueRecovers) {
  std::string id = Submit(PngPage("Beta"), /*max_attempts=*/3);
  blobs_.Break("originals/t1/1", core::Unavailable("s3_down", "blob store unreachable"));
  WorkerStats stats = RunUntilIdle(Options());
  store::Job job = repo_.Job(id);
  EXPECT_EQ(job.status, store::JobStatus::kQuarantined);
  EXPECT_EQ(job.attempts, 3);
  EXPECT_EQ(job.error_code, "UNAVAILABLE");
  EXPECT_EQ(stats.retried, 2);
  EXPECT_EQ(stats.quarantined, 1);

  blobs_.Heal("originals/t1/1");
  ASSERT_TRUE(repo_.RequeueJob("t1", id, clock_.NowMs(), {}).ok());
  RunUntilIdle(Options());
  job = repo_.Job(id);
  EXPECT_EQ(job.status, store::JobStatus::kSucceeded);
  EXPECT_EQ(job.attempts, 1);
}

TEST_F(WorkerTest, PoisonJobIsQuarantinedWithoutRunning) {
  std::string id = Submit(PngPage("Gamma"), /*max_attempts=*/2);
  // Two earlier claims whose workers died: still running, lease expired.
  store::Job job = repo_.Job(id);
  job.status = store::JobStatus::kRunning;
  job.attempts = 2;
  job.lease_owner = "dead-worker";
  job.lease_expires_at = clock_.NowMs() - 1;
  repo_.SetJob(job);
  WorkerStats stats = RunUntilIdle(Options());
  job = repo_.Job(id);
  EXPECT_EQ(job.status, store::JobStatus::kQuarantined);
  EXPECT_EQ(job.error_code, "INTERNAL");
  EXPECT_EQ(job.attempts, 3);
  EXPECT_EQ(engine_.calls(), 0);
  EXPECT_EQ(stats.quarantined, 1);
}

TEST_F(WorkerTest, RetryAfterPersistFailureSkipsOcrThroughTheCache) {
  std::string id = Submit(ScannedPdf(2));
  repo_.FailCompletes(1, core::IoError("disk_full", "write failed"));
  WorkerStats stats = RunUntilIdle(Options());
  store::Job job = repo_.Job(id);
  EXPECT_EQ(job.status, store::JobStatus::kSucceeded);
  EXPECT_EQ(job.attempts, 2);
  EXPECT_EQ(stats.retried, 1);
  EXPECT_EQ(stats.cache_hits, 1);
  EXPECT_EQ(engine_.calls(), 2);  // the first attempt's two pages only
  EXPECT_EQ(repo_.cache_entries("doc/", id), 1);
  EXPECT_EQ(repo_.GetPages("t1", id)->size(), 2u);
}

TEST_F(WorkerTest, SendsWebhooksForFinalStatuses) {
  store::Tenant t1;
  t1.id = "t1";
  t1.webhook_secret = "whsec_t1";
  ASSERT_TRUE(repo_.CreateTenant(t1).ok());
  FakeTransport transport;
  transport.Script({500, 200});
  std::string ok = Submit(PngPage("Delta"), 3, "https://example.com/ok");
  std::string bad = Submit("not a document at all", 3, "https://example.com/bad");
  RunUntilIdle(Options(), &transport);
  auto requests = transport.requests();
  ASSERT_EQ(requests.size(), 3u);
  int succeeded = 0, failed = 0;
  for (const auto& r : requests) {
    nlohmann::json body = nlohmann::json::parse(r.body);
    // Signed with the job's tenant's own secret.
    EXPECT_NE(r.Header("SmartOCR-Signature").find("v1=whsec_t1:"), std::string::npos);
    if (body["type"] == "job.succeeded") {
      ++succeeded;
      EXPECT_EQ(body["data"]["job_id"], ok);
      EXPECT_EQ(body["data"]["page_count"], 1);
    } else {
      ++failed;
      EXPECT_EQ(body["type"], "job.failed");
      EXPECT_EQ(body["data"]["job_id"], bad);
      EXPECT_EQ(body["data"]["error_code"], "UNSUPPORTED_FORMAT");
    }
  }
  EXPECT_GE(succeeded, 1);
  EXPECT_GE(failed, 1);
  EXPECT_EQ(repo_.ListWebhookDeliveries("t1", "")->size(), 3u);
}

class SlowWorkerTest : public WorkerTest {
 protected:
  SlowWorkerTest() : WorkerTest(/*engine_delay_ms=*/150) {}
};

TEST_F(SlowWorkerTest, CancelledJobStopsWithoutReporting) {
  std::string id = Submit(ScannedPdf(8));
  // One page worker: while page 2 is held no other page can start.
  pipeline::PipelineOptions one_thread;
  one_thread.threads = 1;
  one_thread.ingest.dpi = 72;
  auto pipeline = std::make_unique<pipeline::Pipeline>(engine_, one_thread);
  WorkerOptions options = Options();
  options.exit_when_idle = false;
  // Events, not timing: page 2 is held in the engine while the job is cancelled, and
  // released only once a heartbeat has been told the lease is lost (the worker then
  // stops the run; page 2 takes its 150 ms after the release).
  engine_.HoldAt(2);
  Worker worker(repo_, blobs_, *pipeline, options, clock_);
  std::thread t([&] { worker.Run(); });
  ASSERT_TRUE(WaitFor([&] { return engine_.calls() >= 2; }));
  ASSERT_TRUE(repo_.CancelJob("t1", id, clock_.NowMs()).ok());
  ASSERT_TRUE(WaitFor([&] { return repo_.lost_heartbeats() >= 1; }));
  engine_.Release();
  ASSERT_TRUE(WaitFor([&] { return worker.stats().lost == 1; }));
  worker.Stop();
  t.join();
  EXPECT_EQ(repo_.Job(id).status, store::JobStatus::kCancelled);
  EXPECT_LE(engine_.calls(), 3);  // the held page, and at most one already started
  EXPECT_EQ(repo_.complete_calls(), 0);
}

TEST_F(SlowWorkerTest, StopReleasesJobsStillRunningAfterTheGrace) {
  std::string id = Submit(ScannedPdf(10));
  auto pipeline = MakePipeline();
  WorkerOptions options = Options();
  options.exit_when_idle = false;
  options.grace_ms = 100;
  Worker worker(repo_, blobs_, *pipeline, options, clock_);
  std::thread t([&] { worker.Run(); });
  ASSERT_TRUE(WaitFor([&] { return engine_.calls() > 0; }));
  worker.Stop();
  t.join();
  store::Job job = repo_.Job(id);
  EXPECT_EQ(job.status, store::JobStatus::kQueued);
  EXPECT_EQ(job.attempts, 0);  // a release is not an attempt
  EXPECT_EQ(worker.stats().released, 1);
  EXPECT_LT(engine_.calls(), 10);
}

TEST_F(SlowWorkerTest, StopLetsJobsInFlightFinishWithinTheGrace) {
  std::string id = Submit(ScannedPdf(2));
  auto pipeline = MakePipeline();
  WorkerOptions options = Options();
  options.exit_when_idle = false;
  Worker worker(repo_, blobs_, *pipeline, options, clock_);
  std::thread t([&] { worker.Run(); });
  ASSERT_TRUE(WaitFor([&] { return engine_.calls() > 0; }));
  worker.Stop();
  t.join();
  EXPECT_EQ(repo_.Job(id).status, store::JobStatus::kSucceeded);
  // No claims after Stop: a job submitted now stays queued.
  std::string later = Submit(PngPage("Later"));
  EXPECT_EQ(repo_.Job(later).status, store::JobStatus::kQueued);
}

TEST_F(SlowWorkerTest, LostLeaseStopsTheRunAndAnotherWorkerCompletes) {
  std::string id = Submit(ScannedPdf(6));
  repo_.FailHeartbeats(1, core::Unavailable("lease_lost", "taken over"));
  WorkerOptions options = Options();
  // The abandoned lease must expire before the retry; long enough that a heartbeat
  // delayed by a loaded machine does not lose the second run its lease too.
  options.lease_ms = 1500;
  WorkerStats stats = RunUntilIdle(options);
  // The first run stops; its lease is still set in the fake, so the job is claimed
  // again only after the lease expires: by the same worker process here.
  EXPECT_EQ(stats.lost, 1);
  EXPECT_EQ(repo_.Job(id).status, store::JobStatus::kSucceeded);
  EXPECT_EQ(repo_.Job(id).attempts, 2);
  EXPECT_EQ(repo_.complete_calls(), 1);
}

// Fails its `fail_on`-th call once with a transient error, like an engine that ran
// out of memory on one page.
class FailOnceEngine final : public recognize::Engine {
 public:
  explicit FailOnceEngine(int fail_on) : fail_on_(fail_on) {}
  const core::EngineInfo& info() const override { return info_; }
  core::Result<std::vector<core::Line>> Recognize(const cv::Mat& gray,
                                                  const recognize::RecognizeOptions& o) override {
    if (++calls_ == fail_on_) return core::Unavailable("engine_busy", "try again");
    return inner_.Recognize(gray, o);
  }
  int calls() const { return calls_.load(); }

 private:
  core::EngineInfo info_{"flaky", "1.0"};
  FakeEngine inner_;
  const int fail_on_;
  std::atomic<int> calls_{0};
};

TEST_F(WorkerTest, RetryReusesThePagesTheFailedAttemptFinished) {
  std::string id = Submit(ScannedPdf(6));
  FailOnceEngine engine(/*fail_on=*/4);
  pipeline::PipelineOptions p;
  p.threads = 1;  // pages in order: 1-3 finish, page 4 fails
  p.ingest.dpi = 72;
  pipeline::Pipeline pipeline(engine, p);
  WorkerOptions options = Options();
  options.concurrency = 1;
  Worker worker(repo_, blobs_, pipeline, options, clock_);
  worker.Run();

  store::Job job = repo_.Job(id);
  EXPECT_EQ(job.status, store::JobStatus::kSucceeded) << job.error_message;
  EXPECT_EQ(job.attempts, 2);
  EXPECT_EQ(job.page_count, 6);
  EXPECT_EQ(worker.stats().retried, 1);
  // Page 5 may already have been read when page 4 failed (two pages in flight).
  EXPECT_GE(worker.stats().page_cache_hits, 3);
  EXPECT_EQ(repo_.cache_entries("page/", id), 6);
  // Every page read once, page 4 twice (failed, then read): nothing redone.
  EXPECT_EQ(engine.calls(), 7);
}

store::JobSpec SpecFor(const std::string& options_json, const std::string& doc_type = "") {
  store::JobSpec spec;
  spec.options_json = options_json;
  spec.doc_type = doc_type;
  return spec;
}

std::string EngineOf(FakeBlobStore& blobs, const std::string& job) {
  nlohmann::json result = nlohmann::json::parse(blobs.Content("results/t1/" + job + ".json"));
  return result["engine"]["name"];
}

// Receipts (by schema, or by doc_type when no schema is asked) run on the engine the
// set routes them to, everything else on the default; the result and the document
// cache key name the engine that read the document, so a result cached by one engine
// is never served for another.
TEST_F(WorkerTest, EachJobRunsOnThePipelineItsSchemaPicks) {
  pipeline::PipelineOptions p;
  p.threads = 1;
  p.ingest.dpi = 72;
  auto general = std::make_unique<FakeEngine>(0, "general");
  auto receipts = std::make_unique<FakeEngine>(0, "receipts");
  FakeEngine& general_engine = *general;
  FakeEngine& receipts_engine = *receipts;
  pipeline::PipelineSet one;
  one.Add(std::move(general), p);
  const std::string page = PngPage("Total 12.00");
  const std::string receipt_options = R"({"schema":"receipt"})";
  std::string first = Submit(page, SpecFor(receipt_options));
  Worker(repo_, blobs_, document::DocumentService(one, /*llm=*/nullptr), Options(), clock_).Run();
  EXPECT_EQ(EngineOf(blobs_, first), "general");
  EXPECT_EQ(general_engine.calls(), 1);

  pipeline::PipelineSet two;
  pipeline::PipelineOptions receipt_pipeline = p;
  receipt_pipeline.mrz_pass = false;
  // Shares `one`'s engine through a pipeline of its own: the default keeps its name.
  pipeline::Pipeline shared(general_engine, p);
  two.AddShared("general", shared, one.For("").engine_version);
  two.Add(std::move(receipts), receipt_pipeline);
  EXPECT_FALSE(two.Route("receipt", "missing").ok());
  ASSERT_TRUE(two.Route("receipt", "receipts").ok());
  std::string same = Submit(page, SpecFor(receipt_options));  // cached by "general"
  std::string hinted = Submit(page, SpecFor("{}", "receipt"));
  std::string invoice = Submit(page, SpecFor(R"({"schema":"invoice"})"));
  std::string unknown = Submit(page, SpecFor(R"({"schema":"auto"})", "letter"));
  WorkerStats stats;
  {
    document::DocumentService documents(two, /*llm=*/nullptr);
    Worker worker(repo_, blobs_, documents, Options(), clock_);
    worker.Run();
    stats = worker.stats();
  }
  EXPECT_EQ(stats.succeeded, 4);
  EXPECT_EQ(stats.cache_hits, 0);
  EXPECT_EQ(EngineOf(blobs_, same), "receipts");
  EXPECT_EQ(EngineOf(blobs_, hinted), "receipts");
  EXPECT_EQ(EngineOf(blobs_, invoice), "general");
  EXPECT_EQ(EngineOf(blobs_, unknown), "general");
  EXPECT_EQ(receipts_engine.calls(), 2);
  EXPECT_EQ(general_engine.calls(), 3);
  int by_receipts = 0;
  for (const std::string& key : repo_.cache_keys()) {
    if (key.find("/receipts-1.0+smartocr-") != std::string::npos) ++by_receipts;
  }
  EXPECT_EQ(by_receipts, 2);
  EXPECT_EQ(repo_.cache_entries("doc/"), 5);
}

// The stage cache is the job's own: the same bytes in another job of the tenant, or of
// another tenant, are read again, never served from the first job's rows.
TEST_F(WorkerTest, CachedPagesServeOnlyTheJobThatReadThem) {
  const std::string page = PngPage("Invoice 42");
  const std::string first = Submit(page);
  const std::string second = Submit(page);
  store::JobSpec spec;
  spec.source_uri = blobs_.Uri("originals/t1/1");
  auto other = repo_.CreateJob("t2", spec, clock_.NowMs(), nullptr);
  ASSERT_TRUE(other.ok());
  WorkerStats stats = RunUntilIdle(Options());
  EXPECT_EQ(stats.succeeded, 3);
  EXPECT_EQ(stats.cache_hits, 0);
  EXPECT_EQ(stats.page_cache_hits, 0);
  EXPECT_EQ(engine_.calls(), 3);
  for (const std::string& id : {first, second, other->id}) {
    EXPECT_EQ(repo_.cache_entries("page/", id), 1) << id;
    EXPECT_EQ(repo_.cache_entries("doc/", id), 1) << id;
  }
}

// Pages are cached as read, before redaction: a job that redacts caches none (its
// document row holds the result after redaction), and its retry reads them again.
TEST_F(WorkerTest, PagesOfAJobThatRedactsAreNeverCached) {
  store::JobSpec spec = SpecFor(R"({"redact":["email"]})");
  const std::string id = Submit(ScannedPdf(2), spec);
  repo_.FailCompletes(1, core::IoError("disk_full", "write failed"));
  WorkerStats stats = RunUntilIdle(Options());
  EXPECT_EQ(repo_.Job(id).status, store::JobStatus::kSucceeded);
  EXPECT_EQ(repo_.cache_entries("page/"), 0);
  EXPECT_EQ(stats.page_cache_hits, 0);
  EXPECT_EQ(stats.cache_hits, 1);  // the document row, written after redaction
}

}  // namespace
}  // namespace smartocr::jobs
