// Fuzz target: JSON request bodies as the API reads them (api::JsonBody), then written
// back out as the server does when it stores or echoes them (dump). Input: the body
// (seeds: fuzz/corpus/json_body_fuzz/). Checks that what was accepted is a JSON object
// that survives the round trip unchanged.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/request_body.h"
#include "api/router.h"
#include "fuzz_input.h"

namespace {

// The one call to retarget when the API's body parser changes.
std::optional<nlohmann::json> ParseBody(const smartocr::api::Ctx& ctx) {
  smartocr::api::Reply error;
  return smartocr::api::JsonBody(ctx, &error, /*empty_ok=*/true);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  smartocr::api::HttpRequest http;
  http.headers = {{"Content-Type", "application/json"}};
  smartocr::api::Ctx ctx;
  ctx.http = &http;
  ctx.body = std::string(smartocr::fuzz::AsText(data, size));
  const std::optional<nlohmann::json> body = ParseBody(ctx);
  if (!body) return 0;
  FUZZ_CHECK(body->is_object());
  const std::string written = body->dump();
  const nlohmann::json again = nlohmann::json::parse(written, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(again == *body);
  return 0;
}
