// src/blobs/s3_blob_store.cc
#include "blobs/s3_blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>

#include "blobs/atomic_file.h"
#include "blobs/crypto.h"
#include "core/sha256.h"

namespace smartocr::blobs::internal {
namespace {

constexpr long kMaxPresignSeconds = 7L * 24 * 3600;  // SigV4's own limit

bool IsRetryableStatus(long status) { return status >= 500 || status == 429 || status == 408; }

core::Status ReadFileError(const std::filesystem::path& path) {
  return core::IoError("blob_read", "cannot read " + path.string() + ": " + std::strerror(errno));
}

// Reads exactly `n` bytes from `fd` (less only at end of file).
core::Result<std::string> ReadUpTo(int fd, std::size_t n, const std::filesystem::path& path) {
  std::string out(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, out.data() + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return ReadFileError(path);
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  out.resize(got);
  return out;
}

}  // namespace

S3BlobStore::S3BlobStore(S3Options options, std::string scheme, std::string host_port)
    : options_(std::move(options)), scheme_(std::move(scheme)), host_port_(std::move(host_port)) {}

std::string S3BlobStore::Host() const {
  return options_.path_style ? host_port_ : options_.bucket + "." + host_port_;
}

std::string S3BlobStore::ObjectPath(std::string_view key) const {
  // No key: the bucket itself ("/bucket" path-style; a listing's target).
  if (key.empty()) return options_.path_style ? "/" + options_.bucket : "/";
  std::string path = options_.path_style ? "/" + options_.bucket + "/" : "/";
  path += key;
  return path;
}

core::Result<HttpResponse> S3BlobStore::SendOnce(const Call& call) const {
  const std::string path = ObjectPath(call.key);
  const std::string payload_hash = core::Sha256Hex(call.body);
  const SigV4Scope scope{options_.region, "s3",
                         FormatAmzDate(std::chrono::time_point_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now()))};
  SigV4Request to_sign{call.method, path, call.query, {}, payload_hash};
  to_sign.headers = {
      {"host", Host()}, {"x-amz-content-sha256", payload_hash}, {"x-amz-date", scope.amz_date}};
  if (!call.content_type.empty()) to_sign.headers.emplace_back("content-type", call.content_type);
  if (!options_.credentials.session_token.empty()) {
    to_sign.headers.emplace_back("x-amz-security-token", options_.credentials.session_token);
  }
  if (call.new_object && !options_.sse.empty()) {
    to_sign.headers.emplace_back("x-amz-server-side-encryption", options_.sse);
    if (!options_.sse_kms_key_id.empty()) {
      to_sign.headers.emplace_back("x-amz-server-side-encryption-aws-kms-key-id",
                                   options_.sse_kms_key_id);
    }
  }
  const SigV4Signature signature = SignV4(to_sign, options_.credentials, scope);

  HttpRequest request;
  request.method = call.method;
  request.url = scheme_ + "://" + Host() + UriEncode(path, false);
  const std::string query = CanonicalQuery(call.query);
  if (!query.empty()) request.url += "?" + query;
  request.headers = to_sign.headers;  // exactly what was signed, Host included
  request.headers.emplace_back("Authorization", signature.authorization);
  request.body = call.body;
  request.connect_timeout = options_.connect_timeout;
  request.stall_timeout = options_.stall_timeout;
  request.body_sink = call.body_sink;
  return Perform(request);
}

core::Result<HttpResponse> S3BlobStore::Send(const Call& call) const {
  const std::string what = call.method + " " + Uri(call.key);
  const int attempts = call.idempotent ? options_.max_attempts : 1;
  core::Status last;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    if (attempt > 1) {
      // Exponential backoff with jitter in [wait/2, wait), so retrying workers spread.
      const auto wait = options_.retry_backoff * (1 << (attempt - 2));
      const auto half = wait / 2;
      const auto jitter = std::chrono::milliseconds(
          half.count() > 0 ? RandomBelow(static_cast<unsigned>(half.count())) : 0);
      std::this_thread::sleep_for(half + jitter);
      if (call.before_retry) SMARTOCR_RETURN_IF_ERROR(call.before_retry());
    }
    core::Result<HttpResponse> response = SendOnce(call);
    if (!response.ok()) {
      // The transport's reason prefixed ("s3_http_connect"): a caller tells the blob
      // store's failures from others' by it (the API's 503 names the dependency).
      const core::Status& failed = response.status();
      last =
          core::Status(failed.code(), "s3_" + failed.reason(), failed.message()).WithContext(what);
      if (last.code() != core::StatusCode::kUnavailable) return last;  // e.g. our sink failed
      continue;
    }
    if (response->status >= 200 && response->status < 300) return response;
    last = MapHttpError(*response, what);
    if (!IsRetryableStatus(response->status)) return last;
  }
  return last;
}

core::Status S3BlobStore::Put(std::string_view key, std::string_view bytes,
                              std::string_view content_type) {
  SMARTOCR_RETURN_IF_ERROR(ValidateKey(key));
  Call call{"PUT", std::string(key)};
  call.new_object = true;
  call.body = bytes;
  call.content_type = content_type.empty() ? "application/octet-stream" : content_type;
  return Send(call).status();
}

core::Status S3BlobStore::PutFile(std::string_view key, const std::filesystem::path& path,
                                  std::string_view content_type) {
  SMARTOCR_RETURN_IF_ERROR(ValidateKey(key));
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return core::NotFound("no_such_file", "no file " + path.string());
    return ReadFileError(path);
  }
  struct stat st {};
  core::Status status;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    status = core::NotFound("no_such_file", path.string() + " is not a regular file");
  } else if (static_cast<std::size_t>(st.st_size) > options_.part_size) {
    status = PutMultipart(key, fd, static_cast<std::size_t>(st.st_size), content_type);
  } else {
    // One part or less: a single PUT of the whole file, at most part_size in memory.
    core::Result<std::string> bytes = ReadUpTo(fd, static_cast<std::size_t>(st.st_size), path);
    status = bytes.ok() ? Put(key, *bytes, content_type) : bytes.status();
  }
  ::close(fd);
  return status;
}

core::Result<std::string> S3BlobStore::Get(std::string_view key) {
  SMARTOCR_RETURN_IF_ERROR(ValidateKey(key));
  core::Result<HttpResponse> response = Send(Call{"GET", std::string(key)});
  if (!response.ok()) return response.status();
  return std::move(response->body);
}

core::Status S3BlobStore::GetToFile(std::string_view key, const std::filesystem::path& path) {
  SMARTOCR_RETURN_IF_ERROR(ValidateKey(key));
  core::Result<AtomicFile> file = AtomicFile::Create(std::filesystem::absolute(path), 0600);
  if (!file.ok()) return file.status();
  core::Status write_status;
  Call call{"GET", std::string(key)};
  call.body_sink = [&](std::string_view bytes) {
    write_status = file->Append(bytes);
    return write_status.ok();
  };
  call.before_retry = [&] { return file->Truncate(); };
  core::Result<HttpResponse> response = Send(call);
  if (!write_status.ok()) return write_status;
  if (!response.ok()) return response.status();
  return file->Commit();
}

core::Result<bool> S3BlobStore::Exists(std::string_view key) {
  SMARTOCR_RETURN_IF_ERROR(ValidateKey(key));
  core::Result<HttpResponse> response = Send(Call{"HEAD", std::string(key)});
  if (response.ok()) return true;
  if (response.status().code() == core::StatusCode::kNotFound) return false;
  return response.status();
}

core::Result<std::vector<std::string>> S3BlobStore::List(std::string_view prefix) {
  SMARTOCR_RETURN_IF_ERROR(ValidatePrefix(prefix));
  std::vector<std::string> keys;
  std::string token;
  // ListObjectsV2, a page (up to 1000 keys) at a time until it is not truncated.
  do {
    Call call{"GET", ""};
    call.query = {{"list-type", "2"}, {"prefix", std::string(prefix)}};
    if (!token.empty()) call.query.emplace_back("continuation-token", token);
    core::Result<HttpResponse> response = Send(call);
    if (!response.ok()) return response.status();
    std::string_view body = response->body;
    for (size_t at = body.find("<Contents>"); at != std::string_view::npos;
         at = body.find("<Contents>", at + 1)) {
      const std::string key = XmlTag(body.substr(at), "Key");
      if (key.starts_with(prefix)) keys.push_back(key);
    }
    token = XmlTag(body, "IsTruncated") == "true" ? XmlTag(body, "NextContinuationToken") : "";
  } while (!token.empty());
  return keys;
}

core::Status S3BlobStore::Delete(std::string_view key) {
  SMARTOCR_RETURN_IF_ERROR(ValidateKey(key));
  core::Result<HttpResponse> response = Send(Call{"DELETE", std::string(key)});
  if (!response.ok() && response.status().reason() == "no_such_blob") return core::Status::Ok();
  return response.status();
}

std::string S3BlobStore::Uri(std::string_view key) const {
  return "s3://" + options_.bucket + "/" + std::string(key);
}

core::Result<std::string> S3BlobStore::PresignUrl(PresignMethod method, std::string_view key,
                                                  std::chrono::seconds expires_in,
                                                  const PutConditions& conditions) const {
  SMARTOCR_RETURN_IF_ERROR(ValidateKey(key));
  if (expires_in.count() < 1 || expires_in.count() > kMaxPresignSeconds) {
    return core::InvalidArgument("presign_expiry", "presigned URLs last 1 s to 7 days");
  }
  Params signed_headers;
  if (conditions.content_length >= 0) {
    signed_headers.emplace_back("content-length", std::to_string(conditions.content_length));
  }
  if (!conditions.content_type.empty()) {
    signed_headers.emplace_back("content-type", conditions.content_type);
  }
  if (method == PresignMethod::kGet && !signed_headers.empty()) {
    return core::InvalidArgument("presign_conditions", "only a PUT URL carries conditions");
  }
  const SigV4Scope scope{options_.region, "s3",
                         FormatAmzDate(std::chrono::time_point_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now()))};
  const std::string path = ObjectPath(key);
  const std::string query =
      PresignV4(method == PresignMethod::kGet ? "GET" : "PUT", path, Host(), {}, signed_headers,
                options_.credentials, scope, static_cast<long>(expires_in.count()));
  return scheme_ + "://" + Host() + UriEncode(path, false) + "?" + query;
}

}  // namespace smartocr::blobs::internal
