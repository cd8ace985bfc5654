// src/api/jwks.h
//
// Private to the api module: a JSON Web Key Set (RFC 7517) read into the public keys
// an OIDC sign-in may be signed with, each as a PEM that libjwt verifies against.
// Only the two algorithms OpenID providers sign with by default are taken: RS256 (an
// RSA key of at least 2048 bits) and ES256 (a P-256 key). Other keys in the set
// (encryption keys, HMAC secrets, other curves) are skipped, never guessed at.
//
// Thread safety: free functions are thread-safe.
#ifndef SMARTOCR_API_JWKS_H_
#define SMARTOCR_API_JWKS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace smartocr::api {

// A JWKS document larger than this is refused (providers publish a few keys: KBs).
inline constexpr std::size_t kMaxJwksBytes = 256 << 10;
// Keys kept from one set at most.
inline constexpr std::size_t kMaxJwksKeys = 32;
// The smallest RSA modulus accepted, in bits.
inline constexpr int kMinRsaBits = 2048;

struct Jwk {
  std::string kid;
  std::string alg;  // "RS256" | "ES256": the only algorithm this key verifies
  std::string pem;  // SubjectPublicKeyInfo, PEM
};

// The usable keys of a JWKS document. kInvalidArgument "jwks" when it is not a JSON
// object with a "keys" array, is over kMaxJwksBytes, or holds no usable key; a key
// with a usable type but broken numbers fails the same way, naming its kid.
core::Result<std::vector<Jwk>> ParseJwks(std::string_view json);

// The bytes of base64url text (RFC 4648 section 5, padding optional). False when `text`
// is not base64url.
bool Base64UrlDecode(std::string_view text, std::string* out);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_JWKS_H_
