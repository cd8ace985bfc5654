// tests/support/oidc_tokens.h
//
// An OpenID provider's half, for tests: signing keys made at test time (OpenSSL), their
// JWKS, and tokens signed with them by libjwt, plus the forgeries a verifier must
// refuse (alg "none", HS256 keyed by the public key, a flipped signature).
#ifndef SMARTOCR_TESTS_SUPPORT_OIDC_TOKENS_H_
#define SMARTOCR_TESTS_SUPPORT_OIDC_TOKENS_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace smartocr::testing {

class TestSigningKey {
 public:
  // A fresh RSA-2048 key (RS256) or P-256 key (ES256) named `kid`.
  static TestSigningKey Rsa(std::string kid);
  static TestSigningKey Ec(std::string kid);

  const std::string& kid() const { return kid_; }
  const std::string& alg() const { return alg_; }
  const std::string& public_pem() const { return public_pem_; }
  // The public JWK (kty, kid, use, alg and the numbers).
  const nlohmann::json& jwk() const { return jwk_; }

  // `claims` signed with this key (header: alg, typ JWT, kid).
  std::string Sign(const nlohmann::json& claims) const;

 private:
  std::string kid_;
  std::string alg_;
  std::string private_pem_;
  std::string public_pem_;
  nlohmann::json jwk_;
};

// {"keys": [...]} of the keys' public halves.
std::string JwksOf(const std::vector<const TestSigningKey*>& keys);

// base64url (no padding) of `bytes`.
std::string Base64Url(const std::string& bytes);

// A token with this header and claims and an empty signature (e.g. alg "none").
std::string UnsignedToken(const nlohmann::json& header, const nlohmann::json& claims);

// An HS256 token keyed by `secret` (a key-confusion forgery when the secret is a
// public key's PEM), naming `kid`.
std::string HmacToken(const std::string& secret, const std::string& kid,
                      const nlohmann::json& claims);

// `token` with one character of its signature changed.
std::string FlipSignature(std::string token);

}  // namespace smartocr::testing

#endif  // SMARTOCR_TESTS_SUPPORT_OIDC_TOKENS_H_
