#include "api/errors.h"

#include <nlohmann/json.hpp>

namespace smartocr::api {

std::string ErrorBody(const ApiError& error, const std::string& request_id) {
  nlohmann::ordered_json j;
  j["error"]["code"] = error.code;
  j["error"]["message"] = error.message;
  j["error"]["request_id"] = request_id;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

// Which dependency a failure's reason names (the stores' reasons carry their prefix),
// so that a 503 says where to look without saying more.
const char* DependencyOf(const std::string& reason) {
  if (reason.starts_with("database")) return "the database";
  if (reason.starts_with("s3_") || reason.starts_with("blob_")) return "the blob store";
  return "a dependency";
}

}  // namespace

ApiError FromStatus(const core::Status& failure) {
  using core::StatusCode;
  // Messages may name server files (for the operator's log); a client sees none.
  const core::Status status = failure.WithoutPaths();
  const std::string& reason = status.reason();
  switch (status.code()) {
    case StatusCode::kOk:
      return {500, "internal", "no error"};
    case StatusCode::kNotFound:
      return {404, "not_found", "not found"};
    case StatusCode::kUnsupportedFormat:
      return {415, "unsupported_media_type", status.message()};
    case StatusCode::kCorruptInput:
      if (reason == "original_changed") return {409, "original_changed", status.message()};
      return {422, "corrupt_document", status.message()};
    case StatusCode::kEncrypted:
      return {422, "encrypted_document", status.message()};
    case StatusCode::kLimitExceeded:
      if (reason == "source_bytes") return {422, "source_too_large", status.message()};
      if (reason == "export_too_large") return {413, "export_too_large", status.message()};
      return {413, "payload_too_large", status.message()};
    case StatusCode::kDeadlineExceeded:
      if (reason == "source_timeout") return {422, "source_timeout", status.message()};
      return {504, "deadline_exceeded", status.message()};
    case StatusCode::kUnavailable:
    case StatusCode::kResourceExhausted:
    case StatusCode::kIoError:
      return {503, "unavailable",
              std::string(DependencyOf(reason)) + " is unavailable; retry later"};
    case StatusCode::kCancelled:
      return {409, "cancelled", status.message()};
    case StatusCode::kInvalidArgument:
      if (reason == "source_uri" || reason == "source_fetch") {
        return {422, "invalid_source_uri", status.message()};
      }
      if (reason == "blob_exists") {
        return {409, "upload_url_used", "this upload URL was used already; ask for a new one"};
      }
      if (reason == "job_finished" || reason == "job_active" || reason == "exists") {
        return {409, "conflict", status.message()};
      }
      if (reason == "review_claimed" || reason == "review_not_open" || reason == "review_decided") {
        return {409, reason, status.message()};
      }
      return {400, "invalid_request", status.message()};
    case StatusCode::kInternal:
      break;
  }
  return {500, "internal", "internal error"};
}

}  // namespace smartocr::api
