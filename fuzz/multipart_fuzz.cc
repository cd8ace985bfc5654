// Fuzz target: multipart/form-data upload bodies (api::ParseMultipart).
// Input: the request's Content-Type, '\n', then the body (seeds:
// fuzz/corpus/multipart_fuzz/). Checks that an accepted body keeps the parser's
// limits and that every part's bytes come from the body.
#include <vector>

#include "api/multipart.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace api = smartocr::api;
  const auto [content_type, body] =
      smartocr::fuzz::SplitFirstLine(smartocr::fuzz::AsText(data, size));
  std::vector<api::Part> parts;
  if (!api::ParseMultipart(content_type, body, &parts)) return 0;
  FUZZ_CHECK(api::IsMultipartFormData(content_type));
  FUZZ_CHECK(parts.size() <= api::kMaxMultipartParts);
  for (const api::Part& part : parts) {
    FUZZ_CHECK(part.data.size() <= body.size());
    FUZZ_CHECK(body.find(part.data) != std::string_view::npos);
  }
  return 0;
}
