// The production WebhookTransport, on blobs' URL policy, signing and HTTP POST.
#include <chrono>

#include "blobs/webhook.h"
#include "jobs/jobs.h"

namespace smartocr::jobs {
namespace {

class BlobsWebhookTransport final : public WebhookTransport {
 public:
  explicit BlobsWebhookTransport(const blobs::UrlPolicy& policy) : policy_(policy) {}

  core::Status CheckUrl(const std::string& url) override {
    auto target = policy_.Check(url);
    // A DNS failure may pass later: let the POST (which checks again) be retried.
    if (!target.ok() && target.status().code() == core::StatusCode::kUnavailable) {
      return core::Status::Ok();
    }
    return target.status();
  }

  core::Result<std::string> Sign(const std::string& secret, int64_t unix_seconds,
                                 const std::string& body) override {
    return blobs::SignWebhook(secret, std::chrono::sys_seconds(std::chrono::seconds(unix_seconds)),
                              body);
  }

  core::Result<int> Post(const std::string& url, const std::string& body,
                         const HttpHeaders& headers, int64_t timeout_ms) override {
    return blobs::PostJson(url, body, headers, std::chrono::milliseconds(timeout_ms), policy_);
  }

 private:
  const blobs::UrlPolicy policy_;  // a copy: const-safe, shared by every delivery
};

}  // namespace

std::unique_ptr<WebhookTransport> MakeBlobsWebhookTransport(const blobs::UrlPolicy& policy) {
  return std::make_unique<BlobsWebhookTransport>(policy);
}

}  // namespace smartocr::jobs
