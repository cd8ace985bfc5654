// src/api/request_body.h
//
// Small helpers for handlers: the JSON body (content type and syntax checked) and
// the document of a JSON-or-multipart request.
#ifndef SMARTOCR_API_REQUEST_BODY_H_
#define SMARTOCR_API_REQUEST_BODY_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/router.h"

namespace smartocr::api {

// The body as a JSON object, or the error reply (415 not JSON, 400 malformed_json).
// An empty body reads as {} when `empty_ok`.
std::optional<nlohmann::json> JsonBody(const Ctx& ctx, Reply* error, bool empty_ok = false);

// A string member of `j` ("" when absent); an error reply when present but not a string.
bool StringMember(const nlohmann::json& j, const char* name, std::string* out, Reply* error);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_REQUEST_BODY_H_
