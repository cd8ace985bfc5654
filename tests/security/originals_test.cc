// tests/security/originals_test.cc
//
// Issue 16, finding 3 (originals swapped after processing, kept after deletion), the
// PUT /blobs part of finding 2 (a bad signature held a thread while the body came) and
// the empty POST /ocr/uploads body of finding 7, against the real `smartocr serve`.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <thread>

#include "api_harness.h"
#include "blobs/blobs.h"
#include "fixtures.h"

namespace smartocr::testing {
namespace {

// What one raw request got back: the answer and how long its first byte took.
struct RawAnswer {
  std::string head;  // "" when nothing came within the wait
  double seconds = 0;
};

// Whether `answer` holds a whole response: its headers and Content-Length bytes.
bool Complete(const std::string& answer) {
  const size_t end = answer.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  const size_t at = answer.find("Content-Length: ");
  if (at == std::string::npos || at > end) return true;
  return answer.size() >= end + 4 + std::stoul(answer.substr(at + 16));
}

// Sends `request` as is on a fresh connection (headers only, when it says a body will
// follow but none does) and reads one response, waiting at most `wait_s` per read.
RawAnswer SendRaw(int port, const std::string& request, int wait_s) {
  RawAnswer out;
  const int fd = ConnectLoopback(port);
  if (fd < 0) return out;
  timeval tv{wait_s, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const auto start = std::chrono::steady_clock::now();
  if (::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
    char buf[4096];
    ssize_t n = 0;
    while (!Complete(out.head) && (n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
      if (out.head.empty()) {
        out.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      }
      out.head.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  return out;
}

// A PNG that reads differently from ReceiptPng.
std::string OtherPng() {
  FixturePage page;
  page.width_pt = 300;
  page.height_pt = 260;
  page.runs = Paragraph({"SWAPPED PAGE", "mallory@example.com"}, 24, 40, 14, 22);
  std::vector<unsigned char> png;
  cv::imencode(".png", RenderPage(page, 200), png);
  return std::string(png.begin(), png.end());
}

class Originals : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = CreateKey(env_, "acme", "admin");
    server_ = ApiProcess::Start(env_, {"--workers", "1"});
    ASSERT_NE(server_, nullptr);
    client_ = server_->Client();
  }

  // POST /ocr/uploads; the upload URL's path and query, and the source_uri.
  void NewUpload(std::string* url_path, std::string* source_uri) {
    auto r = client_->Post("/ocr/uploads", Bearer(key_), "{}", "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    const std::string url = Body(r)["upload_url"];
    *url_path = url.substr(url.find("/blobs/"));
    *source_uri = Body(r)["source_uri"];
    // The client learns the upload by id, not where the server keeps it.
    EXPECT_EQ(source_uri->rfind("upload:upl_", 0), 0u) << *source_uri;
  }

  httplib::Result Put(const std::string& url_path, const std::string& bytes) {
    return client_->Put(url_path.c_str(), bytes, "application/octet-stream");
  }

  httplib::Result SubmitUri(const std::string& source_uri) {
    const nlohmann::json body = {{"source_uri", source_uri}};
    return client_->Post("/ocr/jobs", Bearer(key_), body.dump(), "application/json");
  }

  // Uploads `bytes`, submits them and waits for the job to succeed; its id.
  std::string UploadAndRun(const std::string& bytes, std::string* url_path,
                           std::string* source_uri) {
    NewUpload(url_path, source_uri);
    auto put = Put(*url_path, bytes);
    EXPECT_TRUE(put && put->status == 200) << (put ? put->body : "no answer");
    auto r = SubmitUri(*source_uri);
    EXPECT_TRUE(r && r->status == 202) << (r ? r->body : "no answer");
    std::string id = Body(r).value("id", "");
    nlohmann::json job = WaitForJob(*client_, key_, id);
    EXPECT_EQ(job.value("status", ""), "succeeded") << job.dump() << server_->Log();
    return id;
  }

  // Where job `id`'s original lies in the local blob store (the client never sees it).
  std::string StoredPath(const std::string& id) {
    const std::string uri = env_.Job("acme", id).spec.source_uri;
    EXPECT_EQ(uri.rfind("file://", 0), 0u) << uri;
    return uri.substr(std::string_view("file://").size());
  }

  JobsEnv env_;
  std::string key_;
  std::unique_ptr<ApiProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

// An upload URL takes one PUT: a second one, before or after the job ran, is refused
// and the pages are still drawn from the bytes the job read.
TEST_F(Originals, SecondPutToAnUploadUrlIsRefused) {
  std::string url_path, source_uri;
  const std::string id = UploadAndRun(ReceiptPng(), &url_path, &source_uri);
  const std::string page_path = "/ocr/jobs/" + id + "/pages/1";
  auto before = client_->Get(page_path.c_str(), Bearer(key_));
  ASSERT_TRUE(before);
  ASSERT_EQ(before->status, 200) << before->body;

  auto again = Put(url_path, OtherPng());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 409) << again->body;
  EXPECT_EQ(ErrorCode(again), "upload_url_used");

  auto after = client_->Get(page_path.c_str(), Bearer(key_));
  ASSERT_TRUE(after);
  ASSERT_EQ(after->status, 200) << after->body;
  EXPECT_EQ(after->body, before->body);
}

// Bytes changed underneath (straight in the blob store) are never drawn: page images,
// PDFs and a re-run answer original_changed.
TEST_F(Originals, ChangedOriginalIsRefusedOnEveryRead) {
  std::string url_path, source_uri;
  const std::string id = UploadAndRun(ReceiptPng(), &url_path, &source_uri);
  WriteFile(StoredPath(id), OtherPng());

  auto page = client_->Get(("/ocr/jobs/" + id + "/pages/1").c_str(), Bearer(key_));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 409) << page->body;
  EXPECT_EQ(ErrorCode(page), "original_changed");
  auto pdf = client_->Get(("/ocr/jobs/" + id + "/result?format=pdf").c_str(), Bearer(key_));
  ASSERT_TRUE(pdf);
  EXPECT_EQ(pdf->status, 409) << pdf->body;
  EXPECT_EQ(ErrorCode(pdf), "original_changed");

  auto rerun = client_->Post(("/ocr/jobs/" + id + "/rerun").c_str(), Bearer(key_), "", "");
  ASSERT_TRUE(rerun);
  ASSERT_EQ(rerun->status, 202) << rerun->body;
  nlohmann::json job = WaitForJob(*client_, key_, id);
  EXPECT_EQ(job.value("status", ""), "failed") << job.dump();
  EXPECT_EQ(job.value("error_reason", ""), "original_changed") << job.dump();
}

// A page image is drawn from the original once, then kept (upright and redacted) beside
// the result: a later request decodes no original (bytes changed underneath since are
// never read), and DELETE removes it. (A re-run's new result draws it again:
// PageImageKeep.ServesAPageOnlyForItsOwnResult.)
TEST_F(Originals, PageImageIsDrawnOnceAndGoesWithTheJob) {
  std::string url_path, source_uri;
  const std::string id = UploadAndRun(ReceiptPng(), &url_path, &source_uri);
  const std::string page_path = "/ocr/jobs/" + id + "/pages/1";
  auto first = client_->Get(page_path.c_str(), Bearer(key_));
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;
  const std::string kept = env_.dir() + "/blobs/pages/acme/" + id + "/1";
  ASSERT_TRUE(std::filesystem::exists(kept)) << kept;

  WriteFile(StoredPath(id), OtherPng());  // any decode of the original would now fail
  auto second = client_->Get(page_path.c_str(), Bearer(key_));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200) << second->body;
  EXPECT_TRUE(second->body == first->body) << "the kept page differs from the one drawn";
  auto annotated = client_->Get((page_path + "?annotated=true").c_str(), Bearer(key_));
  ASSERT_TRUE(annotated);
  EXPECT_EQ(annotated->status, 200) << annotated->body;
  EXPECT_NE(annotated->body, first->body);
  auto pdf = client_->Get((page_path + "?format=pdf").c_str(), Bearer(key_));
  ASSERT_TRUE(pdf);
  EXPECT_EQ(pdf->status, 200) << pdf->body;
  EXPECT_EQ(pdf->body.rfind("%PDF-", 0), 0u);

  auto del = client_->Delete(("/ocr/jobs/" + id).c_str(), Bearer(key_));
  ASSERT_TRUE(del);
  ASSERT_EQ(del->status, 204) << del->body;
  EXPECT_FALSE(std::filesystem::exists(kept)) << "the kept page outlived its job";
}

// DELETE removes the upload the job was created from; its source_uri is refused after.
TEST_F(Originals, DeleteRemovesTheUploadAndItsUriIsRefused) {
  std::string url_path, source_uri;
  const std::string id = UploadAndRun(ReceiptPng(), &url_path, &source_uri);
  const std::string path = StoredPath(id);
  ASSERT_TRUE(std::filesystem::exists(path)) << path;

  auto del = client_->Delete(("/ocr/jobs/" + id).c_str(), Bearer(key_));
  ASSERT_TRUE(del);
  ASSERT_EQ(del->status, 204) << del->body;
  EXPECT_FALSE(std::filesystem::exists(path)) << "the upload outlived its job";

  auto again = SubmitUri(source_uri);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 422) << again->body;
  EXPECT_EQ(ErrorCode(again), "invalid_source_uri");
}

// An upload never submitted as a job is swept once its TTL has passed (here 1 s);
// one a job was created from stays with its job.
TEST(OriginalsSweep, UploadNeverSubmittedIsDeletedAfterItsTtl) {
  JobsEnv env;
  const std::string key = CreateKey(env, "acme", "admin");
  auto server = ApiProcess::Start(
      env, {"--workers", "1", "--upload-ttl-s", "1", "--retention-sweep-s", "0.2"});
  ASSERT_NE(server, nullptr);
  auto client = server->Client();
  std::string uris[2];
  for (std::string& uri : uris) {
    auto r = client->Post("/ocr/uploads", Bearer(key), "{}", "application/json");
    ASSERT_EQ(r->status, 201) << r->body;
    const std::string url = Body(r)["upload_url"];
    auto put = client->Put(url.substr(url.find("/blobs/")).c_str(), ReceiptPng(),
                           "application/octet-stream");
    ASSERT_EQ(put->status, 200) << put->body;
    uri = Body(r)["source_uri"];
  }
  const std::string& unused = uris[0];
  const std::string& used = uris[1];
  auto job = client->Post("/ocr/jobs", Bearer(key), nlohmann::json{{"source_uri", used}}.dump(),
                          "application/json");
  ASSERT_EQ(job->status, 202) << job->body;
  const std::string uploads = env.dir() + "/blobs/uploads/acme/";
  const std::string unused_path = uploads + unused.substr(unused.find(':') + 1);
  const std::string used_path = uploads + used.substr(used.find(':') + 1);
  ASSERT_TRUE(std::filesystem::exists(unused_path)) << unused_path;
  for (int i = 0; i < 100 && std::filesystem::exists(unused_path); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_FALSE(std::filesystem::exists(unused_path)) << "an unsubmitted upload outlived its TTL";
  EXPECT_TRUE(std::filesystem::exists(used_path)) << "a job's upload was swept";
  EXPECT_EQ(WaitForJob(*client, key, Body(job)["id"]).value("status", ""), "succeeded");
  auto again = client->Post("/ocr/jobs", Bearer(key), nlohmann::json{{"source_uri", unused}}.dump(),
                            "application/json");
  EXPECT_EQ(again->status, 422) << again->body;
  EXPECT_EQ(ErrorCode(again), "invalid_source_uri");
  EXPECT_NE(server->Log().find("unsubmitted uploads"), std::string::npos) << server->Log();
}

// A bad signature is answered at once, before any of a large declared body is read.
TEST_F(Originals, BadSignatureIsRefusedBeforeTheBody) {
  const std::string request =
      "PUT /blobs/uploads/acme/upl_x?expires=99999999999&signature=00 HTTP/1.1\r\n"
      "Host: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 40000000\r\n\r\n";
  RawAnswer answer = SendRaw(server_->port(), request, 15);
  ASSERT_FALSE(answer.head.empty()) << "no answer to a bad signature";
  EXPECT_LT(answer.seconds, 1.0);
  EXPECT_EQ(answer.head.rfind("HTTP/1.1 403 ", 0), 0u) << answer.head;
  EXPECT_NE(answer.head.find("bad_signature"), std::string::npos) << answer.head;
  EXPECT_NE(answer.head.find("Connection: close"), std::string::npos) << answer.head;
}

// A used upload URL is refused at once too, whatever the body would be.
TEST_F(Originals, UsedUploadUrlIsRefusedBeforeTheBody) {
  std::string url_path, source_uri;
  NewUpload(&url_path, &source_uri);
  auto put = Put(url_path, ReceiptPng());
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  const std::string request = "PUT " + url_path +
                              " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                              "Content-Length: 40000000\r\n\r\n";
  RawAnswer answer = SendRaw(server_->port(), request, 15);
  ASSERT_FALSE(answer.head.empty()) << "no answer to a used upload URL";
  EXPECT_LT(answer.seconds, 1.0);
  EXPECT_EQ(answer.head.rfind("HTTP/1.1 409 ", 0), 0u) << answer.head;
}

// POST /ocr/uploads needs no body (docs/api.md): none at all, or an empty one.
TEST_F(Originals, UploadWithoutABodyIsAccepted) {
  const std::string request = "POST /ocr/uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                              key_ + "\r\nConnection: close\r\n\r\n";
  RawAnswer answer = SendRaw(server_->port(), request, 15);
  EXPECT_EQ(answer.head.rfind("HTTP/1.1 201 ", 0), 0u) << answer.head;
  EXPECT_LT(answer.seconds, 5.0);
  auto r = client_->Post("/ocr/uploads", Bearer(key_), "", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201) << r->body;
}

}  // namespace
}  // namespace smartocr::testing
