// POST /ocr/extract against the real server: rendered receipt and PDF, and the error
// paths (auth, oversize, wrong type, malformed JSON and multipart, slow client,
// deadline), plus request ids, health and graceful shutdown.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <thread>

#include "api_harness.h"
#include "fixtures.h"
#include "required.h"

namespace smartocr::testing {
namespace {

class ApiSync : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = new JobsEnv();
    key_ = CreateKey(*env_, "acme", "service");
    server_ = ApiProcess::Start(
                  *env_, {"--workers", "0", "--sync-max-bytes", "400000", "--read-timeout-s", "1",
                          "--body-timeout-s", "1", "--rate-per-s", "0", "--tenant-rate-per-s", "0"})
                  .release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete env_;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr); }

  static JobsEnv* env_;
  static ApiProcess* server_;
  static std::string key_;
};
JobsEnv* ApiSync::env_ = nullptr;
ApiProcess* ApiSync::server_ = nullptr;
std::string ApiSync::key_;

TEST_F(ApiSync, HealthReadyAndRequestIds) {
  auto c = server_->Client();
  auto r = c->Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_FALSE(r->get_header_value("X-Request-Id").empty());
  r = c->Get("/readyz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  // A sane client id is echoed; an unknown route still gets one, in the error body too.
  r = c->Get("/nope", {{"X-Request-Id", "client-123"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->get_header_value("X-Request-Id"), "client-123");
  EXPECT_EQ(Body(r)["error"]["request_id"], "client-123");
  EXPECT_EQ(ErrorCode(r), "not_found");
  r = c->Delete("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
}

TEST_F(ApiSync, ExtractsAReceiptUpload) {
  auto c = server_->Client();
  auto r = PostFile(*c, "/ocr/extract", key_, ReceiptPng());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  nlohmann::json doc = Body(r);
  ASSERT_TRUE(doc.contains("pages")) << r->body;
  const std::string text = doc["pages"][0]["text"];
  EXPECT_GT(WordRecall("CORNER CAFE Coffee Bagel TOTAL 7.50", text), 0.6) << text;
  ASSERT_TRUE(doc.contains("fields")) << r->body;
  // Logs carry the request but never the document's text.
  // The access line is written just after the response.
  EXPECT_TRUE(WaitUntil(
      [&] { return server_->Log().find("\"route\":\"/ocr/extract\"") != std::string::npos; },
      5000));
  const std::string log = server_->Log();
  EXPECT_EQ(log.find("CORNER"), std::string::npos);
  EXPECT_EQ(log.find(key_), std::string::npos);

  // The same page again is read again (the sync API keeps no page cache), with the
  // same text and the same stages timed.
  r = PostFile(*c, "/ocr/extract", key_, ReceiptPng());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  nlohmann::json again = Body(r);
  EXPECT_FALSE(again["pages"][0]["timings_ms"].contains("cache")) << again["pages"][0].dump();
  EXPECT_TRUE(again["pages"][0]["timings_ms"].contains("recognize")) << again["pages"][0].dump();
  EXPECT_EQ(again["pages"][0]["text"], text);
}

// With --engine auto (the default), receipts run on the hybrid engine when the PP-OCR
// models are installed (always under CI: scripts/install-deps.sh), other documents on
// Tesseract; the result names the engine that read it.
TEST_F(ApiSync, ReceiptsRunOnTheHybridEngineWhenInstalled) {
  const std::string engine = ReceiptEngine(*server_);
  auto c = server_->Client();
  auto r = PostFile(*c, "/ocr/extract", key_, ReceiptPng(), {{"schema", "receipt"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  nlohmann::json doc = Body(r);
  EXPECT_EQ(doc["engine"]["name"], engine) << r->body;
  const std::string text = doc["pages"][0]["text"];
  EXPECT_GT(WordRecall("CORNER CAFE Coffee Bagel TOTAL 7.50", text), 0.6) << text;
  r = PostFile(*c, "/ocr/extract", key_, ReceiptPng(), {{"schema", "id_document"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r)["engine"]["name"], "tesseract");
  if (engine != "hybrid") {
    SMARTOCR_SKIP_OR_FAIL("PP-OCR models not installed: receipts ran on tesseract");
  }
}

TEST_F(ApiSync, ExtractsAPdfUpload) {
  auto c = server_->Client();
  auto r = PostFile(*c, "/ocr/extract", key_, InvoicePdf(env_->dir()), {{"schema", "invoice"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string text = Body(r)["pages"][0]["text"];
  EXPECT_NE(text.find("INVOICE 2024-0042"), std::string::npos) << text;
}

TEST_F(ApiSync, RejectsBadRequests) {
  auto c = server_->Client();
  // No key, a malformed key, an unknown key.
  auto r = c->Post("/ocr/extract", "{}", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(ErrorCode(r), "unauthenticated");
  r = c->Post("/ocr/extract", Bearer("sk_nope"), "{}", "application/json");
  EXPECT_EQ(r->status, 401);
  std::string forged = key_;
  forged.back() = forged.back() == '0' ? '1' : '0';
  r = c->Post("/ocr/extract", Bearer(forged), "{}", "application/json");
  EXPECT_EQ(r->status, 401);
  // Wrong type by content (a text file named .png).
  r = PostFile(*c, "/ocr/extract", key_, "just some text, not an image");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 415);
  EXPECT_EQ(ErrorCode(r), "unsupported_media_type");
  // Over the sync limit (400000 bytes here).
  r = PostFile(*c, "/ocr/extract", key_, std::string(500'000, 'x'));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(ErrorCode(r), "payload_too_large");
  // Malformed JSON, JSON that is not an object, a missing source_uri, a text/plain body.
  c = server_->Client();
  r = c->Post("/ocr/extract", Bearer(key_), "{\"source_uri\":", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(ErrorCode(r), "malformed_json");
  r = c->Post("/ocr/extract", Bearer(key_), "[1]", "application/json");
  EXPECT_EQ(ErrorCode(r), "malformed_json");
  r = c->Post("/ocr/extract", Bearer(key_), "{}", "application/json");
  EXPECT_EQ(r->status, 422);
  r = c->Post("/ocr/extract", Bearer(key_), "hello", "text/plain");
  EXPECT_EQ(r->status, 415);
  // Source URIs: file:// is off, private addresses are refused, unknown schemes too.
  for (const char* uri : {"file:///etc/passwd", "http://127.0.0.1:1/x.png",
                          "http://169.254.169.254/latest", "ftp://example.com/x"}) {
    r = c->Post("/ocr/extract", Bearer(key_), nlohmann::json{{"source_uri", uri}}.dump(),
                "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << uri << " " << r->body;
    EXPECT_EQ(ErrorCode(r), "invalid_source_uri") << uri;
  }
  // Malformed multipart: a boundary that never appears.
  c = server_->Client();
  r = c->Post("/ocr/extract", Bearer(key_), "--zzz\r\ngarbage",
              "multipart/form-data; boundary=abc");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  // Multipart without a 'file' part.
  c = server_->Client();
  r = c->Post("/ocr/extract", Bearer(key_),
              httplib::MultipartFormDataItems{{"other", "x", "", ""}});
  ASSERT_TRUE(r);
  EXPECT_EQ(ErrorCode(r), "missing_file");
}

// A client that sends its head and then stalls in the body is answered 408 at the
// body deadline (1 s here) and the connection closed; no handler ever saw the request.
TEST_F(ApiSync, SlowClientIsDisconnected) {
  const int fd = ConnectLoopback(server_->port());
  ASSERT_GE(fd, 0);
  const std::string head = "POST /ocr/extract HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                           key_ +
                           "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{";
  ASSERT_EQ(::send(fd, head.data(), head.size(), 0), static_cast<ssize_t>(head.size()));
  timeval tv{6, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const auto start = std::chrono::steady_clock::now();
  char buf[4096];
  std::string answer;
  ssize_t n = 0;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) answer.append(buf, static_cast<size_t>(n));
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ::close(fd);
  EXPECT_EQ(n, 0) << "the stalled connection was not closed";
  EXPECT_EQ(answer.rfind("HTTP/1.1 408", 0), 0u) << answer;
  EXPECT_NE(answer.find("\"request_timeout\""), std::string::npos) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  EXPECT_LT(waited, 4.0);
}

TEST_F(ApiSync, DeadlineAnswers504AndSuggestsAsync) {
  JobsEnv env;
  const std::string key = CreateKey(env, "slow", "admin");
  auto server = ApiProcess::Start(env, {"--workers", "0", "--sync-timeout-ms", "1"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  auto r = PostFile(*c, "/ocr/extract", key, ReceiptPng());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 504) << r->body;
  EXPECT_EQ(ErrorCode(r), "sync_timeout");
  EXPECT_NE(r->body.find("/ocr/jobs"), std::string::npos);
  // A tenant setting overrides the server default.
  r = c->Put("/admin/tenant/settings", Bearer(key), R"({"sync_timeout_ms": 60000})",
             "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  r = PostFile(*c, "/ocr/extract", key, ReceiptPng());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

// A tenant's schemas, redaction and review threshold apply to its documents.
TEST_F(ApiSync, TenantSchemasRedactionAndReviewApply) {
  const std::string admin = CreateKey(*env_, "policy", "admin");
  auto c = server_->Client();
  auto put = [&](const std::string& json) {
    return c->Put("/admin/tenant/settings", Bearer(admin), json, "application/json");
  };
  for (const char* bad : {R"({"redact": ["bogus"]})", R"({"review_threshold": 2})",
                          R"({"schemas": {"po": {"name": "other_name", "fields": []}}})",
                          R"({"schemas": {"receipt": {"name": "receipt"}}})"}) {
    auto r = put(bad);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << bad << ": " << r->body;
  }
  auto r = put(R"({"redact": ["email"], "review_threshold": 0.999, "rate_per_s": 100,
                   "schemas": {"purchase_order": {"name": "purchase_order", "fields": [
                     {"name": "po_number", "type": "regex", "pattern": "PO-[0-9]{5}",
                      "labels": ["PO Number"], "required": true},
                     {"name": "contact", "labels": ["Contact"]}]}}})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;

  FixturePage page;
  page.width_pt = 420;
  page.height_pt = 200;
  page.runs = Paragraph({"PURCHASE ORDER", "PO Number PO-47110", "Contact jane.doe@example.com"},
                        24, 40, 14, 24);
  std::vector<unsigned char> png;
  cv::imencode(".png", RenderPage(page, 200), png);
  const std::string bytes(png.begin(), png.end());

  r = PostFile(*c, "/ocr/extract", admin, bytes, {{"schema", "purchase_order"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  nlohmann::json doc = Body(r);
  EXPECT_EQ(doc["doc_type"], "purchase_order");
  ASSERT_TRUE(doc["fields"].is_array()) << r->body;
  EXPECT_EQ(doc["fields"][0]["name"], "po_number");
  EXPECT_EQ(doc["fields"][0]["value"], "PO-47110") << r->body;
  EXPECT_TRUE(doc["fields"][0].contains("needs_review"));
  EXPECT_EQ(doc["review"]["threshold"], 0.999);
  EXPECT_GE(doc["review"]["fields_needing_review"].get<int>(), 1);
  // The e-mail is gone from every part of the result; its box is recorded.
  EXPECT_EQ(r->body.find("jane.doe"), std::string::npos) << r->body;
  EXPECT_EQ(doc["redaction"]["kinds"], nlohmann::json::array({"email"}));
  EXPECT_GE(doc["redaction"]["boxes"].size(), 1u);

  r = PostFile(*c, "/ocr/extract", admin, bytes, {{"schema", "no_such_schema"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422) << r->body;
  // Other tenants are untouched by this tenant's settings.
  r = PostFile(*c, "/ocr/extract", key_, bytes);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find("jane.doe@example.com"), std::string::npos);
}

// `lang` per request (extract and jobs) and the tenant's `languages`, each checked
// against the installed language data when the request arrives.
TEST_F(ApiSync, LanguagesPerRequestAndPerTenant) {
  const std::string admin = CreateKey(*env_, "lingua", "admin");
  auto c = server_->Client();
  FixturePage page;
  page.width_pt = 460;
  page.height_pt = 120;
  page.runs =
      Paragraph({"Rechnung für die Lieferung nach München", "Größe und Währung"}, 30, 50, 14, 30);
  std::vector<unsigned char> png;
  cv::imencode(".png", RenderPage(page, 300), png);
  const std::string bytes(png.begin(), png.end());
  auto text_of = [](const httplib::Result& r) { return Body(r)["pages"][0]["text"].dump(); };

  auto r = PostFile(*c, "/ocr/extract", admin, bytes, {{"lang", "deu+eng"}, {"schema", "none"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(text_of(r).find("für"), std::string::npos) << text_of(r);
  EXPECT_NE(text_of(r).find("München"), std::string::npos) << text_of(r);

  // "auto": the page's language found from its words, then read in it.
  r = PostFile(*c, "/ocr/extract", admin, bytes, {{"lang", "auto"}, {"schema", "none"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r)["pages"][0]["language"], "deu") << r->body;
  EXPECT_NE(text_of(r).find("für"), std::string::npos) << text_of(r);

  r = PostFile(*c, "/ocr/extract", admin, bytes, {{"lang", "deu+xyz"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_EQ(ErrorCode(r), "unsupported_language") << r->body;
  EXPECT_NE(r->body.find("installed: "), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("deu"), std::string::npos) << r->body;
  r = PostFile(*c, "/ocr/jobs", admin, bytes, {{"lang", "eng;rm"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_EQ(ErrorCode(r), "bad_language") << r->body;
  // A job keeps the languages it was submitted with.
  r = PostFile(*c, "/ocr/jobs", admin, bytes, {{"lang", "fra+eng"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_NE(env_->Job("lingua", Body(r)["id"]).spec.options_json.find(R"("lang":"fra+eng")"),
            std::string::npos);

  auto put = [&](const std::string& json) {
    return c->Put("/admin/tenant/settings", Bearer(admin), json, "application/json");
  };
  r = put(R"({"languages": "klingon"})");
  EXPECT_EQ(r->status, 422);
  EXPECT_EQ(ErrorCode(r), "unsupported_language") << r->body;
  r = put(R"({"languages": 5})");
  EXPECT_EQ(r->status, 422);
  EXPECT_EQ(ErrorCode(r), "invalid_field") << r->body;
  // The tenant's setting over the server's default (auto): English only, then German.
  r = put(R"({"languages": "eng"})");
  ASSERT_EQ(r->status, 200) << r->body;
  r = PostFile(*c, "/ocr/extract", admin, bytes, {{"schema", "none"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(text_of(r).find("für"), std::string::npos) << text_of(r);
  r = put(R"({"languages": "deu+eng"})");
  ASSERT_EQ(r->status, 200) << r->body;
  r = PostFile(*c, "/ocr/extract", admin, bytes, {{"schema", "none"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(text_of(r).find("für"), std::string::npos) << text_of(r);
  // Another tenant reads with the server's default, auto: German found and read.
  r = PostFile(*c, "/ocr/extract", key_, bytes, {{"schema", "none"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(text_of(r).find("für"), std::string::npos) << text_of(r);
}

// SIGTERM while a request is in flight: the request completes, then the process exits 0.
TEST_F(ApiSync, GracefulShutdownDrainsInFlightRequests) {
  JobsEnv env;
  const std::string key = CreateKey(env, "drain", "service");
  auto server = ApiProcess::Start(env, {"--workers", "0"});
  ASSERT_NE(server, nullptr);
  const std::string png = ReceiptPng();
  httplib::Result result(nullptr, httplib::Error::Unknown);
  std::thread t([&] {
    auto c = server->Client();
    result = PostFile(*c, "/ocr/extract", key, png);
  });
  // Signalled once the server counts the request in flight (the in-flight gauge on
  // /metrics counts the scrape as well, hence 2); the log check below proves it.
  ASSERT_TRUE(WaitUntil(
      [&] { return MetricSample(*server, "smartocr_http_requests_in_flight") >= 2; }, 30000))
      << server->Log();
  EXPECT_EQ(server->Stop(), 0) << server->Log();
  t.join();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200) << result->body;
  // The server's own log proves the request was in flight when the signal came: it
  // started (its end minus its duration) before the "draining" line and ended after.
  int64_t signal_ms = -1;
  double started_ms = -1, ended_ms = -1;
  std::istringstream lines(server->Log());
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) continue;
    const std::string msg = j.value("msg", "");
    if (msg.rfind("signal ", 0) == 0) signal_ms = j.value("ts_ms", int64_t{-1});
    if (msg == "request" && j.value("route", "") == "/ocr/extract") {
      ended_ms = static_cast<double>(j.value("ts_ms", int64_t{-1}));
      started_ms = ended_ms - j.value("duration_ms", 0.0);
    }
  }
  ASSERT_GE(signal_ms, 0) << server->Log();
  ASSERT_GE(ended_ms, 0) << server->Log();
  EXPECT_LE(started_ms, static_cast<double>(signal_ms) + 1) << server->Log();
  EXPECT_GE(ended_ms, static_cast<double>(signal_ms)) << server->Log();
}

}  // namespace
}  // namespace smartocr::testing
