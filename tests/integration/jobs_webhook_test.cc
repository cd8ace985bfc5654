// Webhooks from a real worker process to a loopback receiver: retried with backoff
// until accepted, signed, and every attempt recorded.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "blobs/webhook.h"
#include "fixtures.h"
#include "http_receiver.h"
#include "jobs_harness.h"

namespace smartocr::testing {
namespace {

std::string TinyPdf(const std::string& dir) {
  FixturePage page;
  page.width_pt = 300;
  page.height_pt = 200;
  page.runs = Paragraph({"Webhook test document", "Amount due 13.37"}, 20, 40);
  std::string path = dir + "/hook.pdf";
  WritePdf(path, {page});
  return path;
}

TEST(JobsWebhookTest, RetriedUntilAcceptedWithValidSignatures) {
  auto receiver = HttpReceiver::Start({.statuses = {500, 500, 200}});
  ASSERT_TRUE(receiver.ok()) << receiver.status().ToString();
  JobsEnv env;
  const std::string pdf = TinyPdf(env.dir());
  std::string id =
      env.Submit({pdf}, {"--tenant", "hooks", "--webhook", (*receiver)->Url("/hook")})[0];
  // A URL the policy refuses: recorded once, never sent.
  std::string refused =
      env.Submit({pdf}, {"--tenant", "hooks", "--webhook", "http://10.1.2.3/hook"})[0];

  pid_t worker =
      env.StartWorker({"--once", "--poll-ms", "50", "--webhook-allow", "127.0.0.1",
                       "--webhook-retry-base-ms", "200", "--api-url", "https://ocr.example"});
  ASSERT_EQ(env.WaitWorker(worker, 120), 0) << env.WorkerLog(worker);
  ASSERT_TRUE((*receiver)->WaitForRequests(3, std::chrono::seconds(5)));

  auto requests = (*receiver)->Requests();
  ASSERT_EQ(requests.size(), 3u);
  // Signed with the tenant's own secret, made when `jobs submit` created the tenant.
  auto tenant = env.repo().GetTenant("hooks");
  ASSERT_TRUE(tenant.ok()) << tenant.status().ToString();
  const std::string secret = tenant->webhook_secret;
  ASSERT_EQ(secret.rfind("whsec_", 0), 0u);
  const std::string event_id = requests[0].Header("smartocr-event-id");
  EXPECT_EQ(event_id.rfind("evt_", 0), 0u);
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  for (const ReceivedRequest& r : requests) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/hook");
    EXPECT_EQ(r.Header("smartocr-event-id"), event_id);
    const std::string signature = r.Header("smartocr-signature");
    core::Status st = blobs::VerifyWebhookSignature(secret, signature, r.body, now);
    EXPECT_TRUE(st.ok()) << st.ToString() << " " << signature;
    EXPECT_FALSE(
        blobs::VerifyWebhookSignature("wrong-secret-0123456789", signature, r.body, now).ok());
    nlohmann::json body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["id"], event_id);
    EXPECT_EQ(body["type"], "job.succeeded");
    EXPECT_EQ(body["data"]["job_id"], id);
    EXPECT_EQ(body["data"]["tenant_id"], "hooks");
    EXPECT_EQ(body["data"]["status"], "succeeded");
    EXPECT_EQ(body["data"]["page_count"], 1);
    EXPECT_EQ(body["data"]["result_url"], "https://ocr.example/ocr/jobs/" + id + "/result");
    EXPECT_FALSE(body["data"].contains("result_uri"));
  }

  auto log = env.repo().ListWebhookDeliveries("hooks", id);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_EQ(log->size(), 3u);
  const int expected[] = {500, 500, 200};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ((*log)[i].attempt, i + 1);
    EXPECT_EQ((*log)[i].http_status, expected[i]);
    EXPECT_EQ((*log)[i].event, "job.succeeded");
  }
  EXPECT_EQ((*log)[2].error, "");

  auto refused_log = env.repo().ListWebhookDeliveries("hooks", refused);
  ASSERT_TRUE(refused_log.ok());
  ASSERT_EQ(refused_log->size(), 1u);
  EXPECT_EQ((*refused_log)[0].http_status, 0);
  EXPECT_NE((*refused_log)[0].error.find("webhook_address_refused"), std::string::npos)
      << (*refused_log)[0].error;
}

}  // namespace
}  // namespace smartocr::testing
