#include "fakes.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace smartocr::jobs::testing {

void FakeBlobStore::Break(const std::string& key, core::Status error) {
  std::lock_guard<std::mutex> lock(mu_);
  broken_[key] = std::move(error);
}

void FakeBlobStore::Heal(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  broken_.erase(key);
}

bool FakeBlobStore::Has(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  return objects_.count(key) > 0;
}

std::string FakeBlobStore::Content(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = objects_.find(key);
  return it == objects_.end() ? "" : it->second;
}

core::Status FakeBlobStore::Put(std::string_view key, std::string_view bytes, std::string_view) {
  std::lock_guard<std::mutex> lock(mu_);
  objects_[std::string(key)] = std::string(bytes);
  return core::Status::Ok();
}

core::Status FakeBlobStore::PutFile(std::string_view key, const std::filesystem::path& path,
                                    std::string_view content_type) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound("no_such_file", path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return Put(key, ss.str(), content_type);
}

core::Result<std::string> FakeBlobStore::Get(std::string_view key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto broken = broken_.find(std::string(key));
  if (broken != broken_.end()) return broken->second;
  auto it = objects_.find(std::string(key));
  if (it == objects_.end()) return core::NotFound("no_such_blob", std::string(key));
  return it->second;
}

core::Status FakeBlobStore::GetToFile(std::string_view key, const std::filesystem::path& path) {
  auto bytes = Get(key);
  if (!bytes.ok()) return bytes.status();
  std::ofstream out(path, std::ios::binary);
  out << *bytes;
  out.close();
  if (!out) return core::IoError("write", path.string());
  return core::Status::Ok();
}

core::Result<bool> FakeBlobStore::Exists(std::string_view key) { return Has(std::string(key)); }

core::Status FakeBlobStore::Delete(std::string_view key) {
  std::lock_guard<std::mutex> lock(mu_);
  objects_.erase(std::string(key));
  return core::Status::Ok();
}

void FakeEngine::HoldAt(int call) {
  std::lock_guard<std::mutex> lock(hold_mu_);
  hold_at_ = call;
  released_ = false;
}

void FakeEngine::Release() {
  {
    std::lock_guard<std::mutex> lock(hold_mu_);
    released_ = true;
  }
  released_cv_.notify_all();
}

core::Result<std::vector<core::Line>> FakeEngine::Recognize(const cv::Mat& gray,
                                                            const recognize::RecognizeOptions&) {
  const int call = calls_.fetch_add(1) + 1;
  {
    std::unique_lock<std::mutex> lock(hold_mu_);
    if (call == hold_at_) released_cv_.wait(lock, [this] { return released_; });
  }
  if (delay_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
  core::Line line;
  const double w = gray.cols, h = gray.rows;
  line.words = {{"hello", {0.1 * w, 0.1 * h, 0.3 * w, 0.15 * h}, 0.9},
                {"world", {0.35 * w, 0.1 * h, 0.6 * w, 0.15 * h}, 0.8}};
  line.box = {0.1 * w, 0.1 * h, 0.6 * w, 0.15 * h};
  line.confidence = 0.85;
  return std::vector<core::Line>{line};
}

std::string FakeTransport::Request::Header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "";
}

void FakeTransport::Script(std::vector<int> statuses) {
  std::lock_guard<std::mutex> lock(mu_);
  script_.assign(statuses.begin(), statuses.end());
}

std::vector<FakeTransport::Request> FakeTransport::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

core::Status FakeTransport::CheckUrl(const std::string& url) {
  std::lock_guard<std::mutex> lock(mu_);
  if (refused_.count(url) > 0) return core::InvalidArgument("url_refused", "loopback");
  return core::Status::Ok();
}

core::Result<std::string> FakeTransport::Sign(const std::string& secret, int64_t unix_seconds,
                                              const std::string& body) {
  if (secret.empty()) return core::InvalidArgument("webhook_secret", "no secret");
  return "t=" + std::to_string(unix_seconds) + ",v1=" + secret + ":" + std::to_string(body.size());
}

core::Result<int> FakeTransport::Post(const std::string& url, const std::string& body,
                                      const HttpHeaders& headers, int64_t) {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.push_back({url, body, headers});
  int status = 200;
  if (!script_.empty()) {
    status = script_.front();
    script_.pop_front();
  }
  if (status == 0) return core::Unavailable("connect", "connection refused");
  return status;
}

}  // namespace smartocr::jobs::testing
