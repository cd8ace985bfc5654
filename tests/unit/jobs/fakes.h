// tests/unit/jobs/fakes.h
//
// Small fakes for the jobs module's unit tests: an in-memory BlobStore with injectable
// failures, an OCR engine that returns fixed words (optionally slowly), and a webhook
// transport that answers a scripted list of statuses. All thread-safe.
#ifndef SMARTOCR_TESTS_UNIT_JOBS_FAKES_H_
#define SMARTOCR_TESTS_UNIT_JOBS_FAKES_H_

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "blobs/blobs.h"
#include "jobs/webhooks.h"
#include "recognize/recognize.h"

namespace smartocr::jobs::testing {

class FakeBlobStore : public blobs::BlobStore {
 public:
  // Get/GetToFile of `key` fail with `error` (until Heal).
  void Break(const std::string& key, core::Status error);
  void Heal(const std::string& key);
  bool Has(const std::string& key) const;
  std::string Content(const std::string& key) const;

  core::Status Put(std::string_view key, std::string_view bytes,
                   std::string_view content_type) override;
  core::Status PutFile(std::string_view key, const std::filesystem::path& path,
                       std::string_view content_type) override;
  core::Result<std::string> Get(std::string_view key) override;
  core::Status GetToFile(std::string_view key, const std::filesystem::path& path) override;
  core::Result<bool> Exists(std::string_view key) override;
  core::Status Delete(std::string_view key) override;
  std::string Uri(std::string_view key) const override { return "mem://fake/" + std::string(key); }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> objects_;
  std::map<std::string, core::Status> broken_;
};

// Reads every image as one line "hello world" after sleeping `delay_ms`; reports itself
// as `name` 1.0.
class FakeEngine : public recognize::Engine {
 public:
  explicit FakeEngine(int delay_ms = 0, std::string name = "fake")
      : info_{std::move(name), "1.0"}, delay_ms_(delay_ms) {}
  const core::EngineInfo& info() const override { return info_; }
  core::Result<std::vector<core::Line>> Recognize(const cv::Mat& gray,
                                                  const recognize::RecognizeOptions&) override;
  int calls() const { return calls_.load(); }
  // Call number `call` (1-based) waits in Recognize until Release(): a test can act
  // while a page is known to be in the engine.
  void HoldAt(int call);
  void Release();

 private:
  core::EngineInfo info_;
  const int delay_ms_;
  std::atomic<int> calls_{0};
  std::mutex hold_mu_;
  std::condition_variable released_cv_;
  int hold_at_ = 0;  // 0: never
  bool released_ = false;
};

class FakeTransport : public WebhookTransport {
 public:
  struct Request {
    std::string url;
    std::string body;
    HttpHeaders headers;
    std::string Header(const std::string& name) const;
  };
  // Statuses answered in turn (0 = no response); 200 once the script runs out.
  void Script(std::vector<int> statuses);
  void Refuse(const std::string& url) { refused_.insert(url); }
  std::vector<Request> requests() const;

  core::Status CheckUrl(const std::string& url) override;
  // "t=<s>,v1=<secret>:<body size>"; kInvalidArgument "webhook_secret" for "".
  core::Result<std::string> Sign(const std::string& secret, int64_t unix_seconds,
                                 const std::string& body) override;
  core::Result<int> Post(const std::string& url, const std::string& body,
                         const HttpHeaders& headers, int64_t timeout_ms) override;

 private:
  mutable std::mutex mu_;
  std::deque<int> script_;
  std::set<std::string> refused_;
  std::vector<Request> requests_;
};

}  // namespace smartocr::jobs::testing

#endif  // SMARTOCR_TESTS_UNIT_JOBS_FAKES_H_
