// tests/security/transport_security_test.cc
//
// Finding 2 of issue 16, "anyone can stall the API without a key": slow clients, key
// guessing and floods of public requests, against the real server.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "api_harness.h"

namespace smartocr::testing {
namespace {

using Clock = std::chrono::steady_clock;

// A loopback connection that has sent part of a request head and then nothing more.
int SlowConnection(int port) {
  const int fd = ConnectLoopback(port);
  if (fd < 0) return -1;
  const std::string partial = "GET /healthz HTTP/1.1\r\nX-Slow: ";
  (void)::send(fd, partial.data(), partial.size(), MSG_NOSIGNAL);
  return fd;
}

class TransportSecurity : public ::testing::Test {
 protected:
  void SetUp() override {
    // Few handler threads, so that the old server (one thread per connection, up to
    // 8) was stalled by 8 slow clients.
    server_ = ApiProcess::Start(
        env_, {"--workers", "0", "--http-threads", "8", "--auth-failure-rate-per-s", "1"});
    ASSERT_NE(server_, nullptr);
  }

  JobsEnv env_;
  std::unique_ptr<ApiProcess> server_;
};

// 40 clients trickling their heads hold no handler: /healthz still answers at once.
TEST_F(TransportSecurity, SlowClientsDoNotStallTheServer) {
  std::vector<int> slow;
  for (int i = 0; i < 40; ++i) {
    const int fd = SlowConnection(server_->port());
    ASSERT_GE(fd, 0);
    slow.push_back(fd);
  }
  auto c = server_->Client();
  c->set_read_timeout(3, 0);
  const auto start = Clock::now();
  auto r = c->Get("/healthz");
  ASSERT_TRUE(r) << "no answer while slow clients hold connections";
  EXPECT_EQ(r->status, 200);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  for (int fd : slow) ::close(fd);
}

// Guessing keys from one address meets 429s after a small burst.
TEST_F(TransportSecurity, FailedSignInsAreRateLimited) {
  auto c = server_->Client();
  int unauthenticated = 0;
  int limited = 0;
  for (int i = 0; i < 30; ++i) {
    auto r = c->Get("/ocr/jobs", Bearer("sk_guess_" + std::to_string(i)));
    ASSERT_TRUE(r);
    if (r->status == 401) ++unauthenticated;
    if (r->status == 429) {
      ++limited;
      EXPECT_EQ(ErrorCode(r), "rate_limited");
      EXPECT_FALSE(r->get_header_value("Retry-After").empty());
    }
  }
  EXPECT_GE(unauthenticated, 1);
  EXPECT_LE(unauthenticated, 11);  // the burst (10) and perhaps one refill
  EXPECT_EQ(unauthenticated + limited, 30);
}

// Finding 7: the service's files hold tenants' documents; nobody but its user reads
// them (the database and its WAL were 0644, temp folders 0755).
TEST_F(TransportSecurity, ServiceFilesAreReadableByItsUserOnly) {
  const std::string key = CreateKey(env_, "acme", "service");
  auto c = server_->Client();
  auto r = PostFile(*c, "/ocr/jobs", key, ReceiptPng());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  int checked = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(env_.dir())) {
    const std::string name = entry.path().filename().string();
    const bool ours = name.rfind("smartocr.db", 0) == 0 ||
                      entry.path().string().find("/blobs") != std::string::npos;
    if (!ours) continue;  // the harness's own logs and port files
    using std::filesystem::perms;
    const perms mode = entry.status().permissions();
    EXPECT_EQ(mode & (perms::group_all | perms::others_all), perms::none) << entry.path();
    ++checked;
  }
  EXPECT_GE(checked, 3);  // the database, the blobs folder, the original
}

// Finding 7: a webhook_url may carry the receiver's token; read-only keys do not see it.
TEST_F(TransportSecurity, ViewersDoNotSeeWebhookUrls) {
  const std::string service = CreateKey(env_, "acme", "service");
  const std::string viewer = CreateKey(env_, "acme", "viewer");
  auto c = server_->Client();
  auto r = PostFile(*c, "/ocr/jobs", service, ReceiptPng(),
                    {{"webhook_url", "https://hooks.example.com/in?token=s3cret"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  const std::string id = Body(r)["id"];
  auto as_service = c->Get("/ocr/jobs/" + id, Bearer(service));
  ASSERT_TRUE(as_service);
  EXPECT_EQ(Body(as_service)["webhook_url"], "https://hooks.example.com/in?token=s3cret");
  for (const std::string& path : {"/ocr/jobs/" + id, std::string("/ocr/jobs")}) {
    auto as_viewer = c->Get(path, Bearer(viewer));
    ASSERT_TRUE(as_viewer);
    EXPECT_EQ(as_viewer->status, 200);
    EXPECT_EQ(as_viewer->body.find("s3cret"), std::string::npos) << path;
  }
}

// Finding 7: a webhook_url on an internal address was accepted (202) and then dropped
// at delivery without a word; it is refused at submit, without saying what it resolves to.
TEST_F(TransportSecurity, InternalWebhookUrlsAreRefusedAtSubmit) {
  const std::string key = CreateKey(env_, "acme", "service");
  auto c = server_->Client();
  for (const char* url : {"http://127.0.0.1:9/hook", "http://localhost/hook",
                          "http://169.254.169.254/latest", "http://[::ffff:0:a00:1]/x"}) {
    auto r = PostFile(*c, "/ocr/jobs", key, ReceiptPng(), {{"webhook_url", url}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << url;
    EXPECT_EQ(ErrorCode(r), "webhook_url_refused") << url;
    EXPECT_EQ(r->body.find("resolves"), std::string::npos) << r->body;
  }
}

// Finding 7: the example deployment's placeholder signing secret passed the only check
// (16 bytes); serve refuses it.
TEST(ServeSecrets, ThePlaceholderSigningSecretIsRefused) {
  JobsEnv env;
  CliResult r = env.Cli(
      {"serve", "--listen", "127.0.0.1:0", "--signing-secret", "CHANGE-ME-at-least-16-bytes"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("placeholder"), std::string::npos) << r.err;
}

// Public routes count per client address.
TEST_F(TransportSecurity, PublicRoutesAreRateLimitedPerAddress) {
  auto c = server_->Client();
  int limited = 0;
  for (int i = 0; i < 150 && limited == 0; ++i) {
    auto r = c->Get("/healthz");
    ASSERT_TRUE(r);
    if (r->status == 429) ++limited;
  }
  EXPECT_EQ(limited, 1);  // the burst is 100 at 50/s
}

}  // namespace
}  // namespace smartocr::testing
