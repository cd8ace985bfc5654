// tests/security/disclosure_test.cc
//
// Issue 16, finding 7 (the paths part): results and hOCR carried
// "file:///…/originals/<tenant>/…", job errors the worker's temp path, and an upload's
// source_uri the server's blob directory. Against the real server: what a client sees
// of a job (result in every format, the job row, a failure, a sync error, an upload)
// names no server file, and still says what happened.
#include <gtest/gtest.h>

#include <string>

#include "api_harness.h"
#include "fixtures.h"

namespace smartocr::testing {
namespace {

// A PDF with a catalog and no pages: every reader fails on it with "no pages".
constexpr char kPagelessPdf[] = "%PDF-1.4\n1 0 obj<<>>\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

class Disclosure : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = CreateKey(env_, "acme", "admin");
    server_ = ApiProcess::Start(env_, {"--workers", "1"});
    ASSERT_NE(server_, nullptr);
    client_ = server_->Client();
  }

  // Fails the test when `text` names the data directory, a temp file or a file URI.
  void ExpectNoServerPath(const std::string& text, const std::string& what) const {
    EXPECT_EQ(text.find(env_.dir()), std::string::npos) << what << ": " << text;
    EXPECT_EQ(text.find("file://"), std::string::npos) << what << ": " << text;
    EXPECT_EQ(text.find("/tmp/"), std::string::npos) << what << ": " << text;
  }

  // Submits `bytes` as a job and waits for it to finish; the job as the API shows it.
  nlohmann::json RunJob(const std::string& bytes) {
    auto r = PostFile(*client_, "/ocr/jobs", key_, bytes);
    EXPECT_TRUE(r && r->status == 202) << (r ? r->body : "no answer");
    return WaitForJob(*client_, key_, Body(r).value("id", ""));
  }

  JobsEnv env_;
  std::string key_;
  std::unique_ptr<ApiProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(Disclosure, ResultsNameTheJobNotTheStoredFile) {
  const nlohmann::json job = RunJob(ReceiptPng());
  ASSERT_EQ(job.value("status", ""), "succeeded") << job.dump() << server_->Log();
  const std::string id = job["id"];
  ExpectNoServerPath(job.dump(), "job");
  for (const char* format : {"json", "hocr", "text", "csv"}) {
    auto r = client_->Get(("/ocr/jobs/" + id + "/result?format=" + format).c_str(), Bearer(key_));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << format << ": " << r->body;
    ExpectNoServerPath(r->body, format);
  }
  auto r = client_->Get(("/ocr/jobs/" + id + "/result").c_str(), Bearer(key_));
  EXPECT_EQ(Body(r).value("input", ""), id);
}

TEST_F(Disclosure, FailedJobSaysWhatFailedWithoutItsTempPath) {
  const nlohmann::json job = RunJob(kPagelessPdf);
  ASSERT_EQ(job.value("status", ""), "failed") << job.dump() << server_->Log();
  EXPECT_EQ(job.value("error_reason", ""), "no_pages") << job.dump();
  const std::string message = job.value("error_message", "");
  EXPECT_NE(message.find("no pages"), std::string::npos) << message;
  ExpectNoServerPath(message, "error_message");
  // The operator's log keeps the detail.
  EXPECT_NE(server_->Log().find("no pages"), std::string::npos);
}

TEST_F(Disclosure, SyncErrorNamesNoServerFile) {
  auto r = PostFile(*client_, "/ocr/extract", key_, kPagelessPdf);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422) << r->body;
  EXPECT_EQ(ErrorCode(r), "corrupt_document");
  EXPECT_NE(r->body.find("no pages"), std::string::npos) << r->body;
  ExpectNoServerPath(r->body, "sync error");
}

TEST_F(Disclosure, UploadIsNamedByIdAndAnotherTenantsIdIsRefused) {
  auto r = client_->Post("/ocr/uploads", Bearer(key_), "{}", "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  ExpectNoServerPath(r->body, "upload");
  const nlohmann::json upload = Body(r);
  const std::string url = upload["upload_url"];
  auto put = client_->Put(url.substr(url.find("/blobs/")).c_str(), ReceiptPng(),
                          "application/octet-stream");
  ASSERT_EQ(put->status, 200) << put->body;
  ExpectNoServerPath(put->body, "upload PUT");
  EXPECT_EQ(Body(put).value("source_uri", ""), upload.value("source_uri", ""));

  // The id is looked up under the caller's own tenant only.
  const std::string other = CreateKey(env_, "other", "admin");
  const nlohmann::json ask = {{"source_uri", upload["source_uri"]}};
  r = client_->Post("/ocr/jobs", Bearer(other), ask.dump(), "application/json");
  EXPECT_EQ(r->status, 422) << r->body;
  EXPECT_EQ(ErrorCode(r), "invalid_source_uri");
  for (const char* bad : {"upload:", "upload:../acme/x", "upload:a/b"}) {
    r = client_->Post("/ocr/jobs", Bearer(key_), nlohmann::json{{"source_uri", bad}}.dump(),
                      "application/json");
    EXPECT_EQ(r->status, 422) << bad << ": " << r->body;
  }
  r = client_->Post("/ocr/jobs", Bearer(key_), ask.dump(), "application/json");
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(WaitForJob(*client_, key_, Body(r)["id"]).value("status", ""), "succeeded");
}

}  // namespace
}  // namespace smartocr::testing
