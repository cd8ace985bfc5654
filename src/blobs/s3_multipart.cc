// src/blobs/s3_multipart.cc
//
// S3 multipart upload (Create, UploadPart each part, Complete; Abort on any failure,
// so no half-uploaded parts linger and bill) and the small XML pieces S3 needs.
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "blobs/s3_blob_store.h"
#include "core/utf8.h"
#include "core/xml.h"

namespace smartocr::blobs::internal {
namespace {

// S3's own XML spells the apostrophe &apos;; an ETag goes back to S3 byte for byte.
constexpr core::XmlEscapeStyle kS3Xml{.apostrophe = "&apos;", .replace_invalid = false};

// Reads the next part (up to `n` bytes) of the file being uploaded.
core::Result<std::string> ReadPart(int fd, std::size_t n) {
  std::string out(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, out.data() + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      return core::IoError("blob_read",
                           std::string("cannot read upload source: ") + std::strerror(errno));
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  out.resize(got);
  return out;
}

// The length of a character reference ("&#39;", "&#x27;") at the start of `text`, its
// code point in *code_point; 0 when `text` does not start with one.
std::size_t CharacterReference(std::string_view text, char32_t* code_point) {
  if (!text.starts_with("&#")) return 0;
  const bool hex = text.size() > 2 && (text[2] == 'x' || text[2] == 'X');
  std::size_t i = hex ? 3 : 2;
  uint32_t value = 0;
  const std::size_t digits_from = i;
  for (; i < text.size() && i < digits_from + 8; ++i) {
    const char c = text[i];
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (hex && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (hex && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0) break;
    value = value * (hex ? 16 : 10) + static_cast<uint32_t>(digit);
  }
  if (i == digits_from || i >= text.size() || text[i] != ';' || value > 0x10FFFF) return 0;
  *code_point = value;
  return i + 1;
}

std::string XmlUnescape(std::string_view text) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    bool matched = false;
    char32_t code_point = 0;
    // s3rver (and some S3-compatible servers) write "'" as "&#x27;".
    if (const std::size_t n = CharacterReference(text.substr(i), &code_point); n > 0) {
      core::AppendUtf8(code_point, out);
      i += n;
      continue;
    }
    if (text[i] == '&') {
      for (const auto& [entity, ch] : kEntities) {
        if (text.substr(i, entity.size()) == entity) {
          out.push_back(ch);
          i += entity.size();
          matched = true;
          break;
        }
      }
    }
    if (!matched) out.push_back(text[i++]);
  }
  return out;
}

}  // namespace

core::Status S3BlobStore::PutMultipart(std::string_view key, int fd, std::size_t size,
                                       std::string_view content_type) {
  // Not retried: a retry after a lost answer would leave an orphan upload.
  Call create{"POST", std::string(key), {{"uploads", ""}}};
  create.content_type = content_type.empty() ? "application/octet-stream" : content_type;
  create.idempotent = false;
  create.new_object = true;
  core::Result<HttpResponse> created = Send(create);
  if (!created.ok()) return created.status();
  const std::string upload_id = XmlTag(created->body, "UploadId");
  if (upload_id.empty()) {
    return core::Unavailable("s3_bad_response", "CreateMultipartUpload gave no UploadId");
  }

  auto abort_with = [&](core::Status error) {
    // Best effort: the error that made us abort is the one worth reporting.
    (void)Send(Call{"DELETE", std::string(key), {{"uploadId", upload_id}}});
    return error;
  };

  std::string manifest = "<CompleteMultipartUpload>";
  std::size_t sent = 0;
  for (int part = 1; sent < size; ++part) {
    core::Result<std::string> bytes = ReadPart(fd, std::min(options_.part_size, size - sent));
    if (!bytes.ok()) return abort_with(bytes.status());
    if (bytes->empty()) {
      return abort_with(core::IoError("blob_read", "upload source shrank while uploading"));
    }
    Call upload{
        "PUT", std::string(key), {{"partNumber", std::to_string(part)}, {"uploadId", upload_id}}};
    upload.body = *bytes;
    core::Result<HttpResponse> uploaded = Send(upload);
    if (!uploaded.ok()) return abort_with(uploaded.status());
    const std::string etag = uploaded->Header("etag");
    if (etag.empty()) {
      return abort_with(core::Unavailable("s3_bad_response", "UploadPart gave no ETag"));
    }
    manifest += "<Part><PartNumber>" + std::to_string(part) + "</PartNumber><ETag>" +
                core::XmlEscape(etag, kS3Xml) + "</ETag></Part>";
    sent += bytes->size();
  }
  manifest += "</CompleteMultipartUpload>";

  Call complete{"POST", std::string(key), {{"uploadId", upload_id}}};
  complete.body = manifest;
  complete.content_type = "application/xml";
  complete.idempotent = false;
  core::Result<HttpResponse> completed = Send(complete);
  if (!completed.ok()) return abort_with(completed.status());
  // S3 may answer 200 and still put an <Error> in the body of a Complete.
  if (completed->body.find("<Error>") != std::string::npos) {
    return abort_with(core::Unavailable(
        "s3_unavailable", "CompleteMultipartUpload failed: " + XmlTag(completed->body, "Code") +
                              ": " + XmlTag(completed->body, "Message")));
  }
  return core::Status::Ok();
}

core::Status MapHttpError(const HttpResponse& response, std::string_view what) {
  const std::string code = XmlTag(response.body, "Code");
  std::string message = std::string(what) + ": HTTP " + std::to_string(response.status);
  if (!code.empty()) message += " " + code + ": " + XmlTag(response.body, "Message");
  const long status = response.status;
  if (status == 404) {
    if (code == "NoSuchBucket") return core::NotFound("no_such_bucket", message);
    if (code == "NoSuchUpload") return core::NotFound("no_such_upload", message);
    return core::NotFound("no_such_blob", message);
  }
  if (status == 403) return core::Unavailable("s3_forbidden", message);
  if (status >= 500 || status == 429 || status == 408) {
    return core::Unavailable("s3_unavailable", message);
  }
  return core::InvalidArgument("s3_rejected", message);
}

std::string XmlTag(std::string_view xml, std::string_view tag) {
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  const std::size_t start = xml.find(open);
  if (start == std::string_view::npos) return "";
  const std::size_t end = xml.find(close, start + open.size());
  if (end == std::string_view::npos) return "";
  return XmlUnescape(xml.substr(start + open.size(), end - start - open.size()));
}

}  // namespace smartocr::blobs::internal
