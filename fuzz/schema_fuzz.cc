// Fuzz target: tenant schema files (extract::ParseSchemaText, docs/schemas.md).
// Input: the schema JSON (seeds: fuzz/corpus/schema_fuzz/). Checks that an accepted
// schema written back out (SchemaToJson, the form cache keys and prompts use) reads
// back to the same schema.
#include <nlohmann/json.hpp>

#include "extract/schema.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace extract = smartocr::extract;
  const auto schema = extract::ParseSchemaText(smartocr::fuzz::AsText(data, size));
  if (!schema.ok()) return 0;
  const nlohmann::json written = extract::SchemaToJson(*schema);
  const auto again = extract::ParseSchema(written);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(extract::SchemaToJson(*again) == written);
  return 0;
}
