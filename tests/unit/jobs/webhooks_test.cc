#include "jobs/webhooks.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "fake_repository.h"
#include "fakes.h"

namespace smartocr::jobs {
namespace {

using testing::FakeRepository;
using testing::FakeTransport;

store::Job EndedJob(store::JobStatus status) {
  store::Job job;
  job.id = "job1";
  job.tenant_id = "t1";
  job.spec.external_id = "ext-1";
  job.spec.webhook_url = "https://example.com/hook";
  job.status = status;
  job.page_count = 2;
  job.result_uri = "s3://bucket/results/t1/job1.json";
  return job;
}

// The event for `status`, keyed by tenant t1's secret as the worker would fill it in.
WebhookEvent SignedEvent(store::JobStatus status, int64_t now_ms) {
  WebhookEvent e = MakeWebhookEvent(EndedJob(status), now_ms);
  e.secret = "whsec_t1";
  return e;
}

class WebhookDispatcherTest : public ::testing::Test {
 protected:
  // Runs the dispatcher on its own thread until everything queued is finished.
  void DeliverAll(WebhookDispatcher& d) {
    std::thread t([&] { d.Run(); });
    d.Stop(INT64_MAX);
    t.join();
  }
  WebhookOptions Options() {
    WebhookOptions o;
    o.retry = {.base_ms = 1000, .cap_ms = 60000, .max_attempts = 5, .seed = 9};
    return o;
  }

  FakeRepository repo_;
  FakeTransport transport_;
  FakeClock clock_;
};

TEST(WebhookEventTest, CarriesTheJobOutcome) {
  WebhookEvent e = MakeWebhookEvent(EndedJob(store::JobStatus::kSucceeded), 1'700'000'000'123);
  EXPECT_EQ(e.type, "job.succeeded");
  EXPECT_EQ(e.id.rfind("evt_", 0), 0u);
  EXPECT_EQ(e.id.size(), 4u + 32u);
  nlohmann::json body = nlohmann::json::parse(e.body);
  EXPECT_EQ(body["id"], e.id);
  EXPECT_EQ(body["type"], "job.succeeded");
  EXPECT_EQ(body["created_at"], "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(body["data"]["job_id"], "job1");
  EXPECT_EQ(body["data"]["tenant_id"], "t1");
  EXPECT_EQ(body["data"]["status"], "succeeded");
  EXPECT_EQ(body["data"]["page_count"], 2);
  // The API's result route, never where the result is stored.
  EXPECT_EQ(body["data"]["result_url"], "/ocr/jobs/job1/result");
  EXPECT_FALSE(body["data"].contains("result_uri"));
  EXPECT_EQ(e.body.find("s3://"), std::string::npos);
  EXPECT_EQ(e.secret, "");  // the worker adds the tenant's; it is never in the body
  EXPECT_NE(MakeWebhookEvent(EndedJob(store::JobStatus::kSucceeded), 0).id, e.id);
  WebhookEvent with_url =
      MakeWebhookEvent(EndedJob(store::JobStatus::kSucceeded), 0, "https://ocr.example.com");
  EXPECT_EQ(nlohmann::json::parse(with_url.body)["data"]["result_url"],
            "https://ocr.example.com/ocr/jobs/job1/result");
  WebhookEvent failed = MakeWebhookEvent(EndedJob(store::JobStatus::kFailed), 0);
  EXPECT_EQ(nlohmann::json::parse(failed.body)["data"]["result_url"], "");
}

TEST(WebhookEventTest, TypesPerFinalStatus) {
  EXPECT_EQ(EventTypeFor(store::JobStatus::kFailed), "job.failed");
  EXPECT_EQ(EventTypeFor(store::JobStatus::kQuarantined), "job.quarantined");
  EXPECT_EQ(EventTypeFor(store::JobStatus::kRunning), "");
  EXPECT_EQ(EventTypeFor(store::JobStatus::kQueued), "");
}

TEST_F(WebhookDispatcherTest, RetriesUntilTheReceiverAccepts) {
  transport_.Script({500, 500, 200});
  WebhookDispatcher d(repo_, transport_, clock_, Options());
  WebhookEvent e = SignedEvent(store::JobStatus::kSucceeded, clock_.NowMs());
  d.Enqueue(e);
  DeliverAll(d);
  auto requests = transport_.requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& r : requests) {
    EXPECT_EQ(r.body, e.body);  // identical body, so the receiver can de-duplicate
    EXPECT_EQ(r.Header("SmartOCR-Event-Id"), e.id);
    EXPECT_EQ(r.Header("SmartOCR-Signature").rfind("t=", 0), 0u);
    EXPECT_NE(r.Header("SmartOCR-Signature").find("whsec_t1"), std::string::npos);
  }
  auto log = repo_.ListWebhookDeliveries("t1", "job1");
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].http_status, 500);
  EXPECT_EQ((*log)[0].attempt, 1);
  EXPECT_EQ((*log)[2].http_status, 200);
  EXPECT_EQ((*log)[2].attempt, 3);
  EXPECT_EQ((*log)[2].error, "");
  EXPECT_EQ((*log)[2].event, "job.succeeded");
  EXPECT_EQ(d.delivered(), 1);
  EXPECT_EQ(d.given_up(), 0);
  // Backoff between attempts: each retry waits at least the delay its policy draws (an
  // identically seeded Backoff draws the same ones) and no more than the delay's
  // ceiling plus a few idle slices of the fake clock (which other sleepers advance too).
  Backoff same(Options().retry);
  for (int attempt = 1; attempt <= 2; ++attempt) {
    SCOPED_TRACE(attempt);
    const int64_t drawn = same.DelayMs(attempt);
    ASSERT_GT(drawn, 0) << "a zero delay would make this check vacuous: pick another seed";
    const int64_t gap = (*log)[attempt].created_at - (*log)[attempt - 1].created_at;
    EXPECT_GE(gap, drawn);
    EXPECT_LE(gap, same.CeilingMs(attempt) + 1000);
  }
}

TEST_F(WebhookDispatcherTest, GivesUpAfterMaxAttempts) {
  transport_.Script({500, 0, 503, 500, 502, 200});
  WebhookDispatcher d(repo_, transport_, clock_, Options());
  d.Enqueue(SignedEvent(store::JobStatus::kFailed, clock_.NowMs()));
  DeliverAll(d);
  EXPECT_EQ(transport_.requests().size(), 5u);
  auto log = repo_.ListWebhookDeliveries("t1", "job1");
  ASSERT_EQ(log->size(), 5u);
  EXPECT_EQ((*log)[1].http_status, 0);
  EXPECT_NE((*log)[1].error, "");
  EXPECT_EQ(d.given_up(), 1);
}

TEST_F(WebhookDispatcherTest, RefusedUrlIsRecordedAndNotRetried) {
  transport_.Refuse("https://example.com/hook");
  WebhookDispatcher d(repo_, transport_, clock_, Options());
  d.Enqueue(SignedEvent(store::JobStatus::kQuarantined, clock_.NowMs()));
  DeliverAll(d);
  EXPECT_TRUE(transport_.requests().empty());
  auto log = repo_.ListWebhookDeliveries("t1", "job1");
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].http_status, 0);
  EXPECT_EQ((*log)[0].error.rfind("url_refused", 0), 0u) << (*log)[0].error;
  EXPECT_EQ(d.given_up(), 1);
}

TEST_F(WebhookDispatcherTest, StopDropsWhatIsLeftAtTheDeadline) {
  transport_.Script({500, 500, 500, 500, 500});
  WebhookDispatcher d(repo_, transport_, clock_, Options());
  d.Enqueue(SignedEvent(store::JobStatus::kSucceeded, clock_.NowMs()));
  std::thread t([&] { d.Run(); });
  d.Stop(clock_.NowMs());  // no grace at all
  t.join();
  EXPECT_EQ(d.pending(), 0u);
  EXPECT_LE(transport_.requests().size(), 1u);
}

TEST_F(WebhookDispatcherTest, NoSecretIsRecordedAndNeverSent) {
  WebhookDispatcher d(repo_, transport_, clock_, Options());
  d.Enqueue(MakeWebhookEvent(EndedJob(store::JobStatus::kSucceeded), clock_.NowMs()));
  DeliverAll(d);
  EXPECT_TRUE(transport_.requests().empty());
  auto log = repo_.ListWebhookDeliveries("t1", "job1");
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].error.rfind("no_webhook_secret", 0), 0u) << (*log)[0].error;
  EXPECT_EQ(d.given_up(), 1);
}

TEST_F(WebhookDispatcherTest, EmptyUrlSendsNothing) {
  WebhookDispatcher d(repo_, transport_, clock_, Options());
  store::Job job = EndedJob(store::JobStatus::kSucceeded);
  job.spec.webhook_url.clear();
  d.Enqueue(MakeWebhookEvent(job, clock_.NowMs()));
  EXPECT_EQ(d.pending(), 0u);
}

}  // namespace
}  // namespace smartocr::jobs
