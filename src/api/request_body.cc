#include "api/request_body.h"

namespace smartocr::api {

std::optional<nlohmann::json> JsonBody(const Ctx& ctx, Reply* error, bool empty_ok) {
  if (ctx.body.empty() && empty_ok) return nlohmann::json::object();
  const std::string type = ctx.Header("Content-Type");
  if (ctx.multipart || type.rfind("application/json", 0) != 0) {
    *error = ErrorReply(415, "unsupported_media_type", "send application/json");
    return std::nullopt;
  }
  nlohmann::json j = nlohmann::json::parse(ctx.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    *error = ErrorReply(400, "malformed_json", "the body is not a JSON object");
    return std::nullopt;
  }
  return j;
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

}  // namespace smartocr::api
