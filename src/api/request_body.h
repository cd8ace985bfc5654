// src/api/request_body.h
//
// Small helpers for handlers: the JSON body (content type, syntax and nesting depth
// checked) and the document of a JSON-or-multipart request. Every JSON the API reads
// from outside (request bodies, tenant settings read back from the store) goes
// through ParseJsonBounded, so no parse, dump or destructor ever recurses deeper than
// kMaxJsonDepth (a 200 KB body of nested arrays once overflowed the stack on dump).
#ifndef SMARTOCR_API_REQUEST_BODY_H_
#define SMARTOCR_API_REQUEST_BODY_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/router.h"
#include "core/core.h"

namespace smartocr::api {

// The deepest nesting of arrays and objects any JSON we parse may have. Settings and
// schemas need well under 10 levels; 64 leaves room and keeps recursion shallow.
inline constexpr int kMaxJsonDepth = 64;

// Parses `text` as JSON, refusing a value nested deeper than `max_depth` before any
// of it is built. Fails with kInvalidArgument "json_too_deep" or "malformed_json".
// Json is nlohmann::json or nlohmann::ordered_json.
template <typename Json = nlohmann::json>
core::Result<Json> ParseJsonBounded(std::string_view text, int max_depth = kMaxJsonDepth);

// The body as a JSON object, or the error reply (415 not JSON, 400 json_too_deep,
// 400 malformed_json). The body's size was bounded while it was read (server.cc).
// An empty body reads as {} when `empty_ok`.
std::optional<nlohmann::json> JsonBody(const Ctx& ctx, Reply* error, bool empty_ok = false);

// A string member of `j` ("" when absent); an error reply when present but not a string.
bool StringMember(const nlohmann::json& j, const char* name, std::string* out, Reply* error);
// A string-array member of `j` appended to *out (nothing when absent); an error reply
// when present but not an array of strings.
bool StringArrayMember(const nlohmann::json& j, const char* name, std::vector<std::string>* out,
                       Reply* error);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_REQUEST_BODY_H_
