// tests/unit/blobs/webhook_test.cc
#include "blobs/webhook.h"

#include <gtest/gtest.h>

#include <string>

#include "http_receiver.h"

namespace smartocr::blobs {
namespace {

using std::chrono::seconds;
using testing::HttpReceiver;
using testing::HttpReceiverOptions;

constexpr std::string_view kSecret = "whsec_test_0123456789";
const std::chrono::sys_seconds kT{seconds(1700000000)};
constexpr std::string_view kBody = R"({"job_id":"42","status":"succeeded"})";

TEST(WebhookSignatureTest, KnownValue) {
  // Computed independently: printf '1700000000.{"job_id":"42","status":"succeeded"}' |
  //   openssl dgst -sha256 -hmac whsec_test_0123456789
  EXPECT_EQ(SignWebhook(kSecret, kT, kBody).value(),
            "t=1700000000,v1=5c3a3374d6a0b03ca1d318d61b36ac9a3f84167a7bad2a8a8990bbbe5d177d81");
}

TEST(WebhookSignatureTest, RefusesAnEmptyKey) {
  // Anyone can compute an HMAC under the empty key: such a signature proves nothing.
  EXPECT_EQ(SignWebhook("", kT, kBody).status().reason(), "webhook_secret");
  const std::string forged =
      "t=1700000000,v1=" + std::string(64, '0');  // whatever: never checked against ""
  EXPECT_EQ(VerifyWebhookSignature("", forged, kBody, kT).reason(), "webhook_secret");
}

TEST(WebhookSignatureTest, SignAndVerify) {
  const std::string header = SignWebhook(kSecret, kT, kBody).value();
  EXPECT_TRUE(VerifyWebhookSignature(kSecret, header, kBody, kT).ok());
  EXPECT_TRUE(VerifyWebhookSignature(kSecret, header, kBody, kT + seconds(299)).ok());
  // A rotated secret: the receiver accepts either of two v1 entries.
  const std::string old_v1 = SignWebhook("old-secret-0123456", kT, kBody)->substr(13);  // "v1=..."
  EXPECT_TRUE(VerifyWebhookSignature(kSecret, header + "," + old_v1, kBody, kT).ok());
  EXPECT_TRUE(VerifyWebhookSignature("old-secret-0123456", header + "," + old_v1, kBody, kT).ok());
}

TEST(WebhookSignatureTest, RefusesTamperingAndReplays) {
  const std::string header = SignWebhook(kSecret, kT, kBody).value();
  struct Case {
    const char* name;
    std::string header;
    std::string body;
    std::chrono::sys_seconds now;
    const char* reason;
  };
  std::string body_changed(kBody);
  body_changed[body_changed.find("42")] = '7';
  const std::string v1 = header.substr(header.find("v1="));
  const Case cases[] = {
      {"tampered body", header, body_changed, kT, "bad_signature"},
      {"moved timestamp", "t=1700000100," + v1, std::string(kBody), kT, "bad_signature"},
      {"wrong secret", SignWebhook("other-secret-12345", kT, kBody).value(), std::string(kBody), kT,
       "bad_signature"},
      {"old delivery", header, std::string(kBody), kT + seconds(301), "stale_timestamp"},
      {"from the future", header, std::string(kBody), kT - seconds(301), "stale_timestamp"},
      {"no t", v1, std::string(kBody), kT, "signature_header"},
      {"no v1", "t=1700000000", std::string(kBody), kT, "signature_header"},
      {"garbage", "nonsense", std::string(kBody), kT, "signature_header"},
      {"non-numeric t", "t=abc," + v1, std::string(kBody), kT, "signature_header"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const core::Status status = VerifyWebhookSignature(kSecret, c.header, c.body, c.now);
    EXPECT_EQ(status.code(), core::StatusCode::kInvalidArgument);
    EXPECT_EQ(status.reason(), c.reason);
  }
}

UrlPolicy LoopbackPolicy() {
  UrlPolicy policy;
  EXPECT_TRUE(policy.Allow("127.0.0.1").ok());
  return policy;
}

TEST(PostJsonTest, ReportsStatusesAndSendsSignedJson) {
  core::Result<std::unique_ptr<HttpReceiver>> receiver =
      HttpReceiver::Start(HttpReceiverOptions{.statuses = {500, 200}});
  ASSERT_TRUE(receiver.ok()) << receiver.status().ToString();
  const std::string url = (*receiver)->Url("/hooks/smartocr?tenant=7");
  const std::vector<std::pair<std::string, std::string>> headers = {
      {std::string(kWebhookSignatureHeader), SignWebhook(kSecret, kT, kBody).value()}};
  const UrlPolicy policy = LoopbackPolicy();

  core::Result<int> first = PostJson(url, kBody, headers, std::chrono::seconds(5), policy);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, 500);
  core::Result<int> second = PostJson(url, kBody, headers, std::chrono::seconds(5), policy);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(*second, 200);

  ASSERT_TRUE((*receiver)->WaitForRequests(2, std::chrono::seconds(5)));
  const std::vector<testing::ReceivedRequest> requests = (*receiver)->Requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& request : requests) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.target, "/hooks/smartocr?tenant=7");
    EXPECT_EQ(request.Header("content-type"), "application/json");
    EXPECT_EQ(request.body, kBody);
    // What the receiver got verifies with the receiver's own check.
    EXPECT_TRUE(
        VerifyWebhookSignature(kSecret, request.Header("smartocr-signature"), request.body, kT)
            .ok());
  }
}

TEST(PostJsonTest, LoopbackIsRefusedWithoutAllowList) {
  core::Result<std::unique_ptr<HttpReceiver>> receiver = HttpReceiver::Start({});
  ASSERT_TRUE(receiver.ok());
  core::Result<int> status =
      PostJson((*receiver)->Url("/"), kBody, {}, std::chrono::seconds(5), UrlPolicy());
  EXPECT_EQ(status.status().reason(), "webhook_address_refused");
  EXPECT_TRUE((*receiver)->Requests().empty());
}

TEST(PostJsonTest, SlowReceiverTimesOut) {
  core::Result<std::unique_ptr<HttpReceiver>> receiver =
      HttpReceiver::Start(HttpReceiverOptions{.delay = std::chrono::milliseconds(800)});
  ASSERT_TRUE(receiver.ok());
  core::Result<int> status =
      PostJson((*receiver)->Url("/"), kBody, {}, std::chrono::milliseconds(200), LoopbackPolicy());
  EXPECT_EQ(status.status().code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(status.status().reason(), "http_timeout");
}

TEST(PostJsonTest, NobodyListeningIsUnavailable) {
  int port = 0;
  {
    core::Result<std::unique_ptr<HttpReceiver>> receiver = HttpReceiver::Start({});
    ASSERT_TRUE(receiver.ok());
    port = (*receiver)->port();
  }  // closed again
  core::Result<int> status = PostJson("http://127.0.0.1:" + std::to_string(port) + "/", kBody, {},
                                      std::chrono::seconds(2), LoopbackPolicy());
  EXPECT_EQ(status.status().code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(status.status().reason(), "http_connect");
}

}  // namespace
}  // namespace smartocr::blobs
