#include "required.h"

#include <cstdlib>
#include <string>

namespace smartocr::testing {

namespace {

bool Set(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return false;
  const std::string v = value;
  return !v.empty() && v != "0" && v != "false";
}

}  // namespace

bool DependenciesRequired() { return Set("CI") || Set("SMARTOCR_REQUIRE_ALL"); }

}  // namespace smartocr::testing
