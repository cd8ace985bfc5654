#include "api/request_body.h"

#include <algorithm>

namespace smartocr::api {

template <typename Json>
core::Result<Json> ParseJsonBounded(std::string_view text, int max_depth) {
  bool too_deep = false;
  // The callback sees each container as it opens, with the number of containers
  // around it; once one is too deep, every later event is discarded, so nothing deep
  // is ever built (nlohmann's parser itself keeps its stack on the heap).
  auto bound = [&](int depth, nlohmann::json::parse_event_t event, Json&) {
    if ((event == nlohmann::json::parse_event_t::object_start ||
         event == nlohmann::json::parse_event_t::array_start) &&
        depth >= max_depth) {
      too_deep = true;
    }
    return !too_deep;
  };
  Json j = Json::parse(text, bound, /*allow_exceptions=*/false);
  if (too_deep) {
    return core::InvalidArgument(
        "json_too_deep", "JSON nested deeper than " + std::to_string(max_depth) + " levels");
  }
  if (j.is_discarded()) return core::InvalidArgument("malformed_json", "malformed JSON");
  return j;
}

template core::Result<nlohmann::json> ParseJsonBounded<nlohmann::json>(std::string_view, int);
template core::Result<nlohmann::ordered_json> ParseJsonBounded<nlohmann::ordered_json>(
    std::string_view, int);

std::optional<nlohmann::json> JsonBody(const Ctx& ctx, Reply* error, bool empty_ok) {
  if (ctx.body.empty() && empty_ok) return nlohmann::json::object();
  const std::string type = ctx.Header("Content-Type");
  if (ctx.multipart || type.rfind("application/json", 0) != 0) {
    *error = ErrorReply(415, "unsupported_media_type", "send application/json");
    return std::nullopt;
  }
  core::Result<nlohmann::json> j = ParseJsonBounded(ctx.body);
  if (!j.ok() && j.status().reason() == "json_too_deep") {
    *error = ErrorReply(400, "json_too_deep", j.status().message());
    return std::nullopt;
  }
  if (!j.ok() || !j->is_object()) {
    *error = ErrorReply(400, "malformed_json", "the body is not a JSON object");
    return std::nullopt;
  }
  return std::move(*j);
}

bool StringMember(const nlohmann::json& j, const char* name, std::string* out, Reply* error) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return true;
  if (!it->is_string()) {
    *error = ErrorReply(422, "invalid_field", std::string(name) + " must be a string");
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

bool StringArrayMember(const nlohmann::json& j, const char* name, std::vector<std::string>* out,
                       Reply* error) {
  auto it = j.find(name);
  if (it == j.end()) return true;
  const bool ok = it->is_array() && std::all_of(it->begin(), it->end(),
                                                [](const auto& item) { return item.is_string(); });
  if (!ok) {
    *error = ErrorReply(422, "invalid_field", std::string(name) + ": not an array of strings");
    return false;
  }
  for (const nlohmann::json& item : *it) out->push_back(item.get<std::string>());
  return true;
}

}  // namespace smartocr::api
