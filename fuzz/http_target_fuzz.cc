// Fuzz target: request targets, the path and query of an HTTP request line
// (api::ParseTarget). Input: the target as sent (seeds: fuzz/corpus/http_target_fuzz/).
// Checks that an accepted target decodes to a path that starts with '/' and holds no
// NUL (which would cut it short wherever it became a C string).
#include <map>
#include <string>

#include "api/http_server.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string target(smartocr::fuzz::AsText(data, size));
  std::string path;
  std::map<std::string, std::string> query;
  if (!smartocr::api::ParseTarget(target, &path, &query)) return 0;
  FUZZ_CHECK(!path.empty() && path[0] == '/');
  FUZZ_CHECK(path.find('\0') == std::string::npos);
  FUZZ_CHECK(path.size() <= target.size());
  return 0;
}
