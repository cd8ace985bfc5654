// src/api/errors.h
//
// The API's one error shape, {"error":{"code","message","request_id"}}, and how
// core::Status codes map onto HTTP statuses and stable API error codes
// (docs/errors.md lists them all).
#ifndef SMARTOCR_API_ERRORS_H_
#define SMARTOCR_API_ERRORS_H_

#include <string>

#include "core/status.h"

namespace smartocr::api {

struct ApiError {
  int http_status = 500;
  std::string code;  // stable snake_case, e.g. "not_found", "payload_too_large"
  std::string message;
  // Why, for the operator's log only (never in the body): the failing Status of a 5xx.
  std::string cause;
};

// The JSON body for `error` answered to request `request_id`.
std::string ErrorBody(const ApiError& error, const std::string& request_id);

// The API error for a failed store/pipeline/blobs call: kNotFound -> 404 "not_found",
// input rejections -> 415/422, kLimitExceeded -> 413, kDeadlineExceeded -> 504,
// kUnavailable -> 503, kInvalidArgument -> 400 (or 409 for a job's state), else 500
// "internal" (whose message never carries internal detail).
ApiError FromStatus(const core::Status& status);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_ERRORS_H_
