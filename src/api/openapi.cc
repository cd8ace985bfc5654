// /openapi.json, generated from the route table so it cannot miss a route.
#include <algorithm>

#include "api/api.h"
#include "core/version.h"

namespace smartocr::api {
namespace {

using Json = nlohmann::ordered_json;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// "{key+}" (rest of the path) is written "{key}" in OpenAPI.
std::string OpenApiPath(const std::string& pattern, std::vector<std::string>* params) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      out += pattern[i];
      continue;
    }
    size_t close = pattern.find('}', i);
    std::string name = pattern.substr(i + 1, close - i - 1);
    if (!name.empty() && name.back() == '+') name.pop_back();
    params->push_back(name);
    out += "{" + name + "}";
    i = close;
  }
  return out;
}

Json ErrorResponse(const char* description) {
  return {
      {"description", description},
      {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

const char* Describe(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No content";
    case 400:
      return "Malformed request";
    case 401:
      return "Missing, invalid or revoked API key";
    case 403:
      return "The key's role may not do this";
    case 404:
      return "Not found (also another tenant's resources)";
    case 405:
      return "Method not allowed";
    case 409:
      return "Conflict with the resource's state";
    case 413:
      return "Body over the limit";
    case 415:
      return "Unsupported media type (checked by content)";
    case 422:
      return "Invalid field";
    case 429:
      return "Rate limited (see Retry-After)";
    case 503:
      return "A dependency is unavailable";
    case 504:
      return "Deadline passed; use the async API";
    default:
      return "Error";
  }
}

Json Operation(const Route& route, const std::vector<std::string>& params) {
  Json op;
  op["summary"] = route.summary;
  op["operationId"] = Lower(route.method) + route.pattern;
  op["x-permission"] = PermissionName(route.permission);
  if (route.permission == Permission::kPublic) {
    op["security"] = Json::array();
  } else {
    op["security"] = Json::array({{{"bearer", Json::array()}}});
  }
  Json parameters = Json::array();
  for (const std::string& p : params) {
    parameters.push_back(
        {{"name", p}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
  }
  if (!parameters.empty()) op["parameters"] = parameters;
  if (route.body == BodyKind::kJson) {
    op["requestBody"] = {{"required", false},
                         {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
  } else if (route.body == BodyKind::kDocument) {
    op["requestBody"] = {
        {"required", true},
        {"content",
         {{"application/json", {{"schema", {{"$ref", "#/components/schemas/SourceRequest"}}}}},
          {"multipart/form-data",
           {{"schema",
             {{"type", "object"},
              {"properties",
               {{"file", {{"type", "string"}, {"contentMediaType", "application/octet-stream"}}}}},
              {"required", Json::array({"file"})}}}}}}}};
  } else if (route.body == BodyKind::kRaw) {
    op["requestBody"] = {
        {"required", true},
        {"content", {{"application/octet-stream", {{"schema", {{"type", "string"}}}}}}}};
  }
  Json responses = Json::object();
  std::vector<int> statuses = route.statuses;
  if (route.permission != Permission::kPublic) statuses.insert(statuses.end(), {401, 403, 429});
  if (route.body != BodyKind::kNone) statuses.insert(statuses.end(), {400, 413, 415});
  if (!params.empty()) statuses.push_back(404);
  std::sort(statuses.begin(), statuses.end());
  statuses.erase(std::unique(statuses.begin(), statuses.end()), statuses.end());
  for (int s : statuses) {
    if (s < 300) {
      responses[std::to_string(s)] = {{"description", Describe(s)}};
    } else {
      responses[std::to_string(s)] = ErrorResponse(Describe(s));
    }
  }
  responses["default"] = ErrorResponse("Unexpected error");
  op["responses"] = responses;
  return op;
}

}  // namespace

nlohmann::ordered_json OpenApiSpec(const Router& router) {
  Json spec;
  spec["openapi"] = "3.1.0";
  spec["info"] = {{"title", "SmartOCR API"}, {"version", core::kVersion}};
  Json paths = Json::object();
  for (const Route& route : router.routes()) {
    std::vector<std::string> params;
    const std::string path = OpenApiPath(route.pattern, &params);
    paths[path][Lower(route.method)] = Operation(route, params);
  }
  spec["paths"] = paths;
  Json error = {{"type", "object"},
                {"required", Json::array({"error"})},
                {"properties",
                 {{"error",
                   {{"type", "object"},
                    {"required", Json::array({"code", "message", "request_id"})},
                    {"properties",
                     {{"code", {{"type", "string"}}},
                      {"message", {{"type", "string"}}},
                      {"request_id", {{"type", "string"}}}}}}}}}};
  Json source = {{"type", "object"},
                 {"properties",
                  {{"source_uri", {{"type", "string"}}},
                   {"external_id", {{"type", "string"}}},
                   {"doc_type", {{"type", "string"}}},
                   {"webhook_url", {{"type", "string"}}},
                   {"schema", {{"type", "string"}}},
                   {"lang", {{"type", "string"}, {"examples", Json::array({"deu+eng"})}}}}},
                 {"required", Json::array({"source_uri"})}};
  spec["components"] = {
      {"schemas", {{"Error", error}, {"SourceRequest", source}}},
      {"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}};
  return spec;
}

}  // namespace smartocr::api
