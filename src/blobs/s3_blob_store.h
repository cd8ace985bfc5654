// src/blobs/s3_blob_store.h
//
// Private to the blobs module: BlobStore over the S3 REST API (AWS, MinIO, s3rver),
// signed with SigV4 on every request, x-amz-content-sha256 included. Files larger than
// one part go up as a multipart upload, aborted if any step fails.
//
// Thread safety: thread-safe; each call uses its own connection and the object holds
// no mutable state.
#ifndef SMARTOCR_BLOBS_S3_BLOB_STORE_H_
#define SMARTOCR_BLOBS_S3_BLOB_STORE_H_

#include <functional>
#include <string>

#include "blobs/blobs.h"
#include "blobs/http_client.h"
#include "blobs/sigv4.h"

namespace smartocr::blobs::internal {

class S3BlobStore final : public BlobStore {
 public:
  // Requires: options validated by OpenS3BlobStore; `scheme` is "http" or "https" and
  // `host_port` the endpoint's authority ("127.0.0.1:9000").
  S3BlobStore(S3Options options, std::string scheme, std::string host_port);

  // BlobStore:
  core::Status Put(std::string_view key, std::string_view bytes,
                   std::string_view content_type) override;
  core::Status PutFile(std::string_view key, const std::filesystem::path& path,
                       std::string_view content_type) override;
  core::Result<std::string> Get(std::string_view key) override;
  core::Status GetToFile(std::string_view key, const std::filesystem::path& path) override;
  core::Result<bool> Exists(std::string_view key) override;
  core::Result<std::vector<std::string>> List(std::string_view prefix) override;
  core::Status Delete(std::string_view key) override;
  std::string Uri(std::string_view key) const override;
  core::Result<std::string> PresignUrl(PresignMethod method, std::string_view key,
                                       std::chrono::seconds expires_in,
                                       const PutConditions& conditions) const override;

 private:
  // One S3 request, before signing.
  struct Call {
    std::string method;
    std::string key;
    Params query;
    std::string_view body;     // borrowed for the duration of Send
    std::string content_type;  // sent (and signed) when not empty
    std::function<bool(std::string_view)> body_sink;
    // Runs before each retry (e.g. to discard a partial download).
    std::function<core::Status()> before_retry;
    bool idempotent = true;
    // Writes a new object (a PUT or a multipart upload's start): carries the
    // server-side encryption headers (S3Options::sse).
    bool new_object = false;
  };

  // Signs and sends `call`, retrying idempotent calls on 5xx/429/transport errors.
  // Returns the 2xx response; any other status becomes an error (see MapHttpError).
  core::Result<HttpResponse> Send(const Call& call) const;
  core::Result<HttpResponse> SendOnce(const Call& call) const;

  // Multipart upload of the open file `fd` of `size` bytes (s3_multipart.cc).
  core::Status PutMultipart(std::string_view key, int fd, std::size_t size,
                            std::string_view content_type);

  std::string Host() const;                            // virtual-host or path style
  std::string ObjectPath(std::string_view key) const;  // raw, un-encoded

  const S3Options options_;
  const std::string scheme_;
  const std::string host_port_;
};

// Maps a non-2xx S3 answer to a Status: 404 -> kNotFound ("no_such_blob", or
// "no_such_bucket"/"no_such_upload" per the S3 error code), 403 -> kUnavailable
// "s3_forbidden", 5xx/429/408 -> kUnavailable "s3_unavailable", other 4xx ->
// kInvalidArgument "s3_rejected". The S3 <Code> and <Message> go in the message.
core::Status MapHttpError(const HttpResponse& response, std::string_view what);

// The text of the first <tag>...</tag> in `xml`, entity-decoded; "" when absent.
std::string XmlTag(std::string_view xml, std::string_view tag);

}  // namespace smartocr::blobs::internal

#endif  // SMARTOCR_BLOBS_S3_BLOB_STORE_H_
