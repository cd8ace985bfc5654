#include "api/source.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "api/access_log.h"
#include "ingest/ingest.h"
#include "jobs/original.h"

namespace smartocr::api {
namespace {

constexpr std::string_view kUploadScheme = "upload:";

bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// What store::NewId makes: letters, digits and '_'.
bool IsUploadId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

core::Status CheckDocumentBytes(const std::string& bytes) {
  if (ingest::SniffType(std::string_view(bytes).substr(0, 64)) == ingest::FileType::kUnknown) {
    return core::UnsupportedFormat("content_type",
                                   "the document is not a PDF, PNG, JPEG or TIFF (by content)");
  }
  return core::Status::Ok();
}

core::Result<std::string> StoreDocument(Env& env, const std::string& tenant,
                                        const std::string& bytes) {
  SMARTOCR_RETURN_IF_ERROR(CheckDocumentBytes(bytes));
  const std::string key = "originals/" + tenant + "/" + store::NewId("src");
  const auto type = ingest::SniffType(std::string_view(bytes).substr(0, 64));
  SMARTOCR_RETURN_IF_ERROR(env.deps.blobs.Put(key, bytes, ingest::MediaTypeOf(type)));
  return env.deps.blobs.Uri(key);
}

std::string UploadKey(const std::string& tenant, const std::string& upload_id) {
  return "uploads/" + tenant + "/" + upload_id;
}

std::string UploadSourceUri(const std::string& upload_id) {
  return std::string(kUploadScheme) + upload_id;
}

void NoteUploadSubmitted(Env& env, const std::string& tenant, const std::string& uri) {
  auto key = blobs::KeyInStore(env.deps.blobs, uri);
  const std::string prefix = UploadKey(tenant, "");
  if (!key || !StartsWith(*key, prefix)) return;
  const std::string id = key->substr(prefix.size());
  auto marked = env.deps.repo.MarkUploadSubmitted(tenant, id, env.NowMs());
  if (!marked.ok()) {
    LogEvent("error", "upload " + id + " not marked submitted: " + marked.status().ToString());
  }
}

core::Result<std::string> AdmitSourceUri(Env& env, const std::string& tenant,
                                         const std::string& submitted, int64_t max_bytes) {
  std::string source_uri = submitted;
  if (StartsWith(submitted, kUploadScheme)) {
    const std::string id = submitted.substr(kUploadScheme.size());
    if (!IsUploadId(id)) return core::InvalidArgument("source_uri", "not an upload's source_uri");
    source_uri = env.deps.blobs.Uri(UploadKey(tenant, id));
  }
  if (auto key = blobs::KeyInStore(env.deps.blobs, source_uri)) {
    if (!StartsWith(*key, "uploads/" + tenant + "/") &&
        !StartsWith(*key, "originals/" + tenant + "/")) {
      return core::InvalidArgument("source_uri", "source_uri names no document of this tenant");
    }
    auto exists = env.deps.blobs.Exists(*key);
    if (!exists.ok()) return exists.status();
    if (!*exists) {
      return core::InvalidArgument("source_uri",
                                   "no document there: never uploaded, or deleted with its job");
    }
    return source_uri;
  }
  if (StartsWith(source_uri, "file://")) {
    if (!env.options.allow_file_uris) {
      return core::InvalidArgument("source_uri", "file:// sources are not enabled on this server");
    }
    if (!std::filesystem::is_regular_file(source_uri.substr(7))) {
      return core::InvalidArgument("source_uri", "no such file");
    }
    return source_uri;
  }
  if (StartsWith(source_uri, "http://") || StartsWith(source_uri, "https://")) {
    auto bytes = HttpGet(source_uri, env.options.fetch_policy, max_bytes,
                         env.options.fetch_timeout_ms, "source");
    if (!bytes.ok()) return bytes.status();
    return StoreDocument(env, tenant, *bytes);
  }
  return core::InvalidArgument("source_uri",
                               "source_uri must be an upload's URI or an http(s) URL");
}

core::Status FetchToFile(Env& env, const std::string& uri, const std::string& path) {
  if (auto key = blobs::KeyInStore(env.deps.blobs, uri)) {
    return env.deps.blobs.GetToFile(*key, path);
  }
  if (StartsWith(uri, "file://")) {
    std::error_code ec;
    std::filesystem::copy_file(uri.substr(7), path,
                               std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) return core::IoError("source", ec.message());
    return core::Status::Ok();
  }
  return core::InvalidArgument("source_uri", "not a readable source");
}

core::Result<std::string> SourceSha256(Env& env, const std::string& uri) {
  TempPath copy(env);
  SMARTOCR_RETURN_IF_ERROR(FetchToFile(env, uri, copy.path()));
  return jobs::OriginalSha256(copy.path());
}

core::Status FetchOriginal(Env& env, const store::Job& job, const std::string& path) {
  SMARTOCR_RETURN_IF_ERROR(FetchToFile(env, job.spec.source_uri, path));
  return jobs::VerifyOriginal(job, path);
}

TempPath::TempPath(const Env& env) {
  std::filesystem::path dir = std::filesystem::path(env.deps.data_dir) / "tmp";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  path_ = (dir / store::NewId("req")).string();
}

TempPath::~TempPath() {
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

}  // namespace smartocr::api
