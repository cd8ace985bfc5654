// POST /ocr/uploads hands out a short-lived URL to PUT a document to: S3's own
// presigned PUT on the S3 backend, or, on the local backend, a URL of this server
// (PUT /blobs/{key}) signed with the server's secret. Either way the client then
// submits the returned source_uri to /ocr/jobs or /ocr/extract. A local upload URL
// takes one PUT (docs/security/originals.md).
#include <algorithm>

#include "api/api.h"
#include "api/request_body.h"
#include "api/source.h"

namespace smartocr::api {
namespace {

constexpr std::chrono::seconds kUploadUrlLifetime{900};

constexpr size_t kMaxContentTypeBytes = 127;

std::chrono::sys_seconds Now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// The body's optional "content_length" and "content_type": what the upload will send.
// An error reply when either is malformed or the size is over the tenant's limit.
std::optional<Reply> ReadPutConditions(const nlohmann::json& body, int64_t max_bytes,
                                       blobs::PutConditions* out) {
  if (!body.is_object()) return std::nullopt;  // an empty body
  if (auto it = body.find("content_length"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1) {
      return ErrorReply(422, "invalid_field", "content_length must be a positive integer");
    }
    out->content_length = it->get<int64_t>();
    if (out->content_length > max_bytes) {
      return ErrorReply(413, "payload_too_large",
                        "content_length is over this tenant's upload limit of " +
                            std::to_string(max_bytes) + " bytes");
    }
  }
  Reply error;
  if (!StringMember(body, "content_type", &out->content_type, &error)) return error;
  const bool printable = std::all_of(out->content_type.begin(), out->content_type.end(),
                                     [](char c) { return c >= 0x20 && c < 0x7f; });
  if (out->content_type.size() > kMaxContentTypeBytes || !printable) {
    return ErrorReply(422, "invalid_field", "content_type must be a short printable media type");
  }
  return std::nullopt;
}

Reply CreateUpload(Env& env, Ctx& ctx) {
  Reply error;
  auto body = JsonBody(ctx, &error, /*empty_ok=*/true);
  if (!body) return error;
  const int64_t max_bytes = env.Limits(ctx.principal.tenant_id).upload_max_bytes;
  blobs::PutConditions conditions;
  if (auto refused = ReadPutConditions(*body, max_bytes, &conditions)) return *refused;
  const std::string upload_id = store::NewId("upl");
  const std::string key = UploadKey(ctx.principal.tenant_id, upload_id);
  // Recorded first, so an upload never submitted as a job is found and swept.
  core::Status recorded =
      env.deps.repo.RecordUpload({ctx.principal.tenant_id, upload_id, env.NowMs()});
  if (!recorded.ok()) return ErrorReply(recorded);
  const auto expires = Now() + kUploadUrlLifetime;
  std::string url;
  // S3 takes the upload itself, unless the store cannot presign (objects encrypted by
  // this server must pass through it): then our own upload URL, as for a local store.
  core::Result<std::string> presigned =
      core::InvalidArgument("presign_unsupported", "a local store");
  if (env.deps.blobs_url.rfind("s3://", 0) == 0) {
    presigned =
        env.deps.blobs.PresignUrl(blobs::PresignMethod::kPut, key, kUploadUrlLifetime, conditions);
  }
  if (presigned.ok()) {
    // The store, not this server, takes the bytes: only a signed size bounds them.
    if (conditions.content_length < 0) {
      return ErrorReply(422, "content_length_required",
                        "this server stores uploads in S3: give content_length (the "
                        "document's size in bytes) so that the upload URL takes no more");
    }
    url = *presigned;
  } else if (presigned.status().reason() != "presign_unsupported") {
    return ErrorReply(presigned.status());
  } else {
    const std::string path = "/blobs/" + key;
    auto query = blobs::SignUrl(env.options.signing_secret, "PUT", path, expires);
    if (!query.ok()) return ErrorReply(query.status());
    url = env.options.public_url + path + "?" + *query;
  }
  nlohmann::ordered_json out;
  out["upload_url"] = url;
  out["method"] = "PUT";
  // The headers the PUT must send as they are (signed into an S3 URL).
  nlohmann::ordered_json headers = nlohmann::ordered_json::object();
  if (conditions.content_length >= 0) {
    headers["Content-Length"] = std::to_string(conditions.content_length);
  }
  if (!conditions.content_type.empty()) headers["Content-Type"] = conditions.content_type;
  out["headers"] = headers;
  out["source_uri"] = UploadSourceUri(upload_id);
  out["expires_at"] = expires.time_since_epoch().count();
  out["max_bytes"] = conditions.content_length >= 0 ? conditions.content_length : max_bytes;
  return JsonReply(201, out);
}

// The checks of PUT /blobs/{key} that need no body, made before it is read: a bad or
// expired signature, a key outside uploads/, or an upload URL used already is answered
// at once, whatever the Content-Length says.
std::optional<Reply> CheckPutBlob(Env& env, Ctx& ctx) {
  const std::string key = ctx.params["key"];
  const std::string& target = ctx.http->target;
  const size_t q = target.find('?');
  const std::string query = q == std::string::npos ? "" : target.substr(q + 1);
  core::Status st =
      blobs::VerifySignedUrl(env.options.signing_secret, "PUT", "/blobs/" + key, query, Now());
  if (!st.ok()) {
    return ErrorReply(403, st.reason() == "url_expired" ? "url_expired" : "bad_signature",
                      "the upload URL is invalid or expired; ask POST /ocr/uploads for a new one");
  }
  if (key.rfind("uploads/", 0) != 0) return ErrorReply(403, "bad_signature", "not an upload URL");
  auto exists = env.deps.blobs.Exists(key);
  if (!exists.ok()) return ErrorReply(exists.status());
  if (*exists) return ErrorReply(blobs::BlobExists(key));
  return std::nullopt;
}

// Upload URLs are single-use: PutNew refuses a key that holds an object already (two
// racing PUTs included), so what a job was created from cannot be replaced through it.
Reply PutBlob(Env& env, Ctx& ctx) {
  const std::string key = ctx.params["key"];
  core::Status st = CheckDocumentBytes(ctx.body);
  if (!st.ok()) return ErrorReply(st);
  st = env.deps.blobs.PutNew(key, ctx.body, "application/octet-stream");
  if (!st.ok()) return ErrorReply(st);
  const std::string upload_id = key.substr(key.rfind('/') + 1);
  return JsonReply(200, {{"source_uri", UploadSourceUri(upload_id)}, {"bytes", ctx.body.size()}});
}

}  // namespace

void AddUploadRoutes(Router& router, Env& env) {
  router.Add({.method = "POST",
              .pattern = "/ocr/uploads",
              .permission = Permission::kSubmit,
              .body = BodyKind::kJson,
              .handler = [&env](Ctx& ctx) { return CreateUpload(env, ctx); },
              .summary = "A short-lived URL to PUT a document to, and the source_uri to submit",
              .statuses = {201}});
  router.Add({.method = "PUT",
              .pattern = "/blobs/{key+}",
              .permission = Permission::kPublic,
              .body = BodyKind::kRaw,
              .handler = [&env](Ctx& ctx) { return PutBlob(env, ctx); },
              .before_body = [&env](Ctx& ctx) { return CheckPutBlob(env, ctx); },
              .summary = "Upload target of a signed URL from POST /ocr/uploads (local backend; "
                         "each URL takes one PUT)",
              .statuses = {200, 403, 409, 413, 415}});
}

}  // namespace smartocr::api
