// Fuzz target: an OpenID provider's key set (api::ParseJwks), read from a file or a
// URL the operator names, and base64url (api::Base64UrlDecode), which every token's
// parts go through. Input: a JWKS document (seeds: fuzz/corpus/jwks_fuzz/). Checks
// that whatever is accepted is a usable RS256 or ES256 key with a kid, within the
// key count limit, and that a decoded base64url text is about 3/4 of its length.
#include <string>

#include "api/jwks.h"
#include "fuzz_input.h"

namespace api = smartocr::api;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = smartocr::fuzz::AsText(data, size);
  const auto keys = api::ParseJwks(text);
  if (keys.ok()) {
    FUZZ_CHECK(!keys->empty() && keys->size() <= api::kMaxJwksKeys);
    for (const api::Jwk& key : *keys) {
      FUZZ_CHECK(!key.kid.empty());
      FUZZ_CHECK(key.alg == "RS256" || key.alg == "ES256");
      FUZZ_CHECK(key.pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    }
  } else {
    FUZZ_CHECK(keys.status().reason() == "jwks");
  }
  std::string bytes;
  if (api::Base64UrlDecode(text, &bytes)) FUZZ_CHECK(bytes.size() <= text.size() * 3 / 4 + 1);
  return 0;
}
