// Issue 16, findings 4, 5 and 6 against the real server: a deeply nested JSON body
// no longer kills the process, tenants cannot raise their own limits past the
// operator's ceilings, JSON on document routes is held to the JSON limit, and each
// tenant's webhooks are signed with its own secret and carry no storage path.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "api_harness.h"
#include "blobs/webhook.h"
#include "http_receiver.h"

namespace smartocr::testing {
namespace {

std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(SecurityLimits, DeeplyNestedJsonIsRefusedAndTheServerStaysUp) {
  JobsEnv env;
  const std::string key = CreateKey(env, "acme", "admin");
  auto server = ApiProcess::Start(env, {"--workers", "0"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  // The finding: 100,000 nested arrays (200 KB) crashed the process on re-serializing.
  const std::string deep = R"({"x": )" + Nested(100'000) + "}";
  auto r = c->Put("/admin/tenant/settings", Bearer(key), deep, "application/json");
  ASSERT_TRUE(r) << server->Log();
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(ErrorCode(r), "json_too_deep");
  // Every JSON route goes through the same parser.
  r = c->Post("/ocr/jobs", Bearer(key), deep, "application/json");
  ASSERT_TRUE(r) << server->Log();
  EXPECT_EQ(ErrorCode(r), "json_too_deep");
  r = c->Get("/healthz");
  ASSERT_TRUE(r) << server->Log();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

TEST(SecurityLimits, TenantLimitsStayUnderTheOperatorsCeilings) {
  JobsEnv env;
  const std::string key = CreateKey(env, "acme", "admin");
  // The ceiling is over the operator's default (a ceiling below it would be raised to it).
  auto server = ApiProcess::Start(env, {"--workers", "0", "--upload-max-bytes", "500000",
                                        "--tenant-max-upload-bytes", "1000000"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  for (const char* body :
       {R"({"rate_per_s": 1e9})", R"({"burst": 1e9})", R"({"sync_timeout_ms": 1e9})",
        R"({"sync_max_bytes": 1e9})", R"({"upload_max_bytes": 1000001})"}) {
    SCOPED_TRACE(body);
    auto r = c->Put("/admin/tenant/settings", Bearer(key), body, "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << r->body;
    EXPECT_EQ(ErrorCode(r), "setting_above_ceiling");
  }
  auto r = c->Put("/admin/tenant/settings", Bearer(key), R"({"upload_max_bytes": 1000000})",
                  "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

TEST(SecurityLimits, JsonOnADocumentRouteIsHeldToTheJsonLimit) {
  JobsEnv env;
  const std::string key = CreateKey(env, "acme", "admin");
  auto server = ApiProcess::Start(env, {"--workers", "0", "--max-json-bytes", "65536"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  // 2 MB of JSON array: under the 50 MiB upload limit, which it used to be read up to.
  std::string big = R"({"source_uri": "x", "pad": [)";
  for (int i = 0; i < 400'000; ++i) big += "1,2,";
  big += "3]}";
  for (const char* path : {"/ocr/jobs", "/ocr/extract"}) {
    SCOPED_TRACE(path);
    auto r = c->Post(path, Bearer(key), big, "application/json");
    ASSERT_TRUE(r) << server->Log();
    EXPECT_EQ(r->status, 413) << r->body;
    EXPECT_EQ(ErrorCode(r), "payload_too_large");
  }
  // A multipart upload of the same size is still allowed the upload limit.
  auto r = PostFile(*c, "/ocr/jobs", key, ReceiptPng() + std::string(2'000'000, '\0'));
  ASSERT_TRUE(r) << server->Log();
  EXPECT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

// The one webhook the receiver got after `n` were expected, checked against `secret`.
nlohmann::json CheckedDelivery(HttpReceiver& receiver, size_t n, const std::string& secret,
                               const std::string& other_secret) {
  EXPECT_TRUE(receiver.WaitForRequests(n, std::chrono::seconds(90)));
  auto requests = receiver.Requests();
  if (requests.size() < n) return nullptr;
  const ReceivedRequest& hook = requests[n - 1];
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::string signature = hook.Header("smartocr-signature");
  core::Status st = blobs::VerifyWebhookSignature(secret, signature, hook.body, now);
  EXPECT_TRUE(st.ok()) << st.ToString() << " " << signature;
  EXPECT_FALSE(blobs::VerifyWebhookSignature(other_secret, signature, hook.body, now).ok());
  // Nothing about where we keep things: no blob URI, no file path.
  EXPECT_EQ(hook.body.find("result_uri"), std::string::npos) << hook.body;
  EXPECT_EQ(hook.body.find("file://"), std::string::npos) << hook.body;
  EXPECT_EQ(hook.body.find("results/"), std::string::npos) << hook.body;
  return nlohmann::json::parse(hook.body);
}

TEST(SecurityWebhooks, SignedWithTheTenantsOwnRotatableSecret) {
  JobsEnv env;
  const std::string root = CreateKey(env, "system", "admin");
  auto receiver = HttpReceiver::Start({});
  ASSERT_TRUE(receiver.ok()) << receiver.status().ToString();
  // No --webhook-secret: the embedded default starts and still signs with a real key.
  auto server = ApiProcess::Start(env, {"--workers", "1", "--webhook-allow", "127.0.0.1"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  std::string secrets[2], keys[2];
  for (int i = 0; i < 2; ++i) {
    auto r =
        c->Post("/admin/tenants", Bearer(root),
                nlohmann::json{{"id", "tenant" + std::to_string(i)}}.dump(), "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    secrets[i] = Body(r)["webhook_secret"].get<std::string>();
    keys[i] = Body(r)["admin_key"]["key"].get<std::string>();
    EXPECT_EQ(secrets[i].rfind("whsec_", 0), 0u);
  }
  ASSERT_NE(secrets[0], secrets[1]);

  auto r = PostFile(*c, "/ocr/jobs", keys[0], ReceiptPng(),
                    {{"webhook_url", (*receiver)->Url("/hook")}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  const std::string id = Body(r)["id"];
  nlohmann::json event = CheckedDelivery(**receiver, 1, secrets[0], secrets[1]);
  ASSERT_FALSE(event.is_null());
  EXPECT_EQ(event["data"]["job_id"], id);
  EXPECT_EQ(event["data"]["result_url"], server->base_url() + "/ocr/jobs/" + id + "/result");

  // Rotation: the new secret is shown once and signs from then on.
  r = c->Post("/admin/tenant/webhook-secret", Bearer(keys[0]), "", "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string rotated = Body(r)["webhook_secret"];
  EXPECT_NE(rotated, secrets[0]);
  r = PostFile(*c, "/ocr/jobs", keys[0], ReceiptPng(),
               {{"webhook_url", (*receiver)->Url("/hook")}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  CheckedDelivery(**receiver, 2, rotated, secrets[0]);
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

}  // namespace
}  // namespace smartocr::testing
