// src/blobs/blob_store.cc
//
// The parts of blobs.h shared by both backends: key validation, the default
// PresignUrl and PutNew, and credentials from the environment.
#include <cstdlib>
#include <string>

#include "blobs/blobs.h"

namespace smartocr::blobs {
namespace {

bool IsKeyChar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  static constexpr std::string_view kPunct = "-_.~!*'()+,=@:/";
  return kPunct.find(static_cast<char>(c)) != std::string_view::npos;
}

core::Status BadKey(std::string_view why) {
  return core::InvalidArgument("blob_key", "invalid blob key: " + std::string(why));
}

std::string GetEnv(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

core::Status BlobExists(std::string_view key) {
  return core::InvalidArgument("blob_exists", "an object already lies under " + std::string(key));
}

core::Status ValidateKey(std::string_view key) {
  if (key.empty()) return BadKey("empty");
  if (key.size() > kMaxKeyBytes) return BadKey("longer than 1024 bytes");
  for (unsigned char c : key) {
    if (!IsKeyChar(c)) return BadKey("character outside [A-Za-z0-9-_.~!*'()+,=@:/]");
  }
  if (key.front() == '/') return BadKey("starts with '/'");
  if (key.back() == '/') return BadKey("ends with '/'");
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    const std::string_view segment = key.substr(start, end - start);
    if (segment.empty()) return BadKey("empty segment");
    if (segment == "." || segment == "..") return BadKey("'.' or '..' segment");
    if (segment.size() > 255) return BadKey("segment longer than 255 bytes");
    start = end + 1;
  }
  return core::Status::Ok();
}

core::Status ValidatePrefix(std::string_view prefix) {
  if (prefix.size() < 2 || prefix.back() != '/') return BadKey("a prefix ends with '/'");
  return ValidateKey(prefix.substr(0, prefix.size() - 1));
}

core::Result<std::vector<std::string>> BlobStore::List(std::string_view /*prefix*/) {
  return core::Internal("list_unsupported", "this blob store cannot list its objects");
}

core::Result<std::string> BlobStore::PresignUrl(PresignMethod, std::string_view,
                                                std::chrono::seconds, const PutConditions&) const {
  return core::InvalidArgument("presign_unsupported",
                               "this blob store cannot presign URLs; use SignUrl");
}

core::Status BlobStore::PutNew(std::string_view key, std::string_view bytes,
                               std::string_view content_type) {
  auto exists = Exists(key);
  if (!exists.ok()) return exists.status();
  if (*exists) return BlobExists(key);
  return Put(key, bytes, content_type);
}

core::Result<Credentials> Credentials::FromEnv() {
  Credentials out;
  out.access_key_id = GetEnv("AWS_ACCESS_KEY_ID");
  out.secret_access_key = GetEnv("AWS_SECRET_ACCESS_KEY");
  out.session_token = GetEnv("AWS_SESSION_TOKEN");
  if (out.access_key_id.empty() || out.secret_access_key.empty()) {
    return core::InvalidArgument("s3_credentials",
                                 "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set");
  }
  return out;
}

std::optional<std::string> KeyInStore(const BlobStore& store, std::string_view uri) {
  return store.KeyOf(uri);
}

std::optional<std::string> BlobStore::KeyOf(std::string_view uri) const {
  const std::string probe = Uri("k");
  const std::string_view root = std::string_view(probe).substr(0, probe.size() - 1);
  if (uri.size() <= root.size() || uri.substr(0, root.size()) != root) return std::nullopt;
  std::string key(uri.substr(root.size()));
  if (!ValidateKey(key).ok()) return std::nullopt;
  return key;
}

}  // namespace smartocr::blobs
