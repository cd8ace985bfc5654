// src/api/source.h
//
// Where a request's document comes from: an upload (checked by content, stored as
// "originals/<tenant>/<id>"), or a source_uri, which must be one of our own blobs
// under the tenant's own prefixes, an http(s) URL that the fetch policy allows
// (fetched with size and time limits, then stored), or file:// when the server
// allows it. A job's original is read back through FetchOriginal, which checks it
// against the hash recorded when the job was created.
#ifndef SMARTOCR_API_SOURCE_H_
#define SMARTOCR_API_SOURCE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "api/api.h"
#include "api/fetch.h"

namespace smartocr::api {

// kUnsupportedFormat "content_type" unless the bytes are a PDF, PNG, JPEG or TIFF.
core::Status CheckDocumentBytes(const std::string& bytes);

// Stores an uploaded document for `tenant`; returns its blob URI.
core::Result<std::string> StoreDocument(Env& env, const std::string& tenant,
                                        const std::string& bytes);

// An upload's blob key ("uploads/<tenant>/<id>") and the source_uri a client gets
// for it ("upload:<id>"): the client never learns where the server keeps its files.
std::string UploadKey(const std::string& tenant, const std::string& upload_id);
std::string UploadSourceUri(const std::string& upload_id);

// When `uri` (a new job's source) is one of `tenant`'s uploads, marks it submitted: a
// job holds it now, so the sweep of unsubmitted uploads leaves it alone. A failure is
// logged (the job stands; its upload may then be swept after --upload-ttl-s).
void NoteUploadSubmitted(Env& env, const std::string& tenant, const std::string& uri);

// A blob URI the workers can read for the client's `source_uri` ("upload:<id>", or
// the store's own URI of one of the tenant's blobs, as older servers handed out). kInvalidArgument
// "source_uri" (malformed, another tenant's blob, scheme not allowed), the fetch
// policy's errors, kLimitExceeded "source_bytes", kDeadlineExceeded "source_timeout".
core::Result<std::string> AdmitSourceUri(Env& env, const std::string& tenant,
                                         const std::string& source_uri, int64_t max_bytes);

// Copies a blob URI returned by StoreDocument/AdmitSourceUri to the local `path`.
core::Status FetchToFile(Env& env, const std::string& uri, const std::string& path);

// Lower-case hex SHA-256 of the document at `uri` (from StoreDocument/AdmitSourceUri)
// as it lies there now: what a job created from it records (JobSpec::source_sha256).
core::Result<std::string> SourceSha256(Env& env, const std::string& uri);

// Copies `job`'s original to the local `path` and checks that it holds the bytes the
// job was created from: kCorruptInput "original_changed" otherwise (jobs/original.h),
// so nothing is ever drawn from bytes swapped in since.
core::Status FetchOriginal(Env& env, const store::Job& job, const std::string& path);

// A unique path under <data_dir>/tmp, removed when this goes away.
class TempPath {
 public:
  explicit TempPath(const Env& env);
  ~TempPath();
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace smartocr::api

#endif  // SMARTOCR_API_SOURCE_H_
