#include "oidc_tokens.h"

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sodium.h>

#include <cstdlib>
#include <stdexcept>

namespace smartocr::testing {
namespace {

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string PrivatePem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::string pem = BioText(bio);
  BIO_free(bio);
  return pem;
}

std::string PublicPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  std::string pem = BioText(bio);
  BIO_free(bio);
  return pem;
}

// A big-number parameter of `key`, big-endian, left-padded to `width` bytes (0: none).
std::string BnParam(EVP_PKEY* key, const char* name, int width) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) throw std::runtime_error(name);
  const int size = width > 0 ? width : BN_num_bytes(bn);
  std::string out(static_cast<size_t>(size), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), size);
  BN_free(bn);
  return out;
}

std::string Encode(const std::string& pem, jwt_alg_t alg, const std::string& kid,
                   const nlohmann::json& claims) {
  jwt_t* jwt = nullptr;
  jwt_new(&jwt);
  jwt_set_alg(jwt, alg, reinterpret_cast<const unsigned char*>(pem.data()),
              static_cast<int>(pem.size()));
  jwt_add_header(jwt, "kid", kid.c_str());
  jwt_add_grants_json(jwt, claims.dump().c_str());
  char* text = jwt_encode_str(jwt);
  std::string token = text != nullptr ? text : "";
  free(text);  // NOLINT(cppcoreguidelines-no-malloc,cppcoreguidelines-owning-memory): libjwt's
  jwt_free(jwt);
  if (token.empty()) throw std::runtime_error("jwt_encode_str failed");
  return token;
}

}  // namespace

std::string Base64Url(const std::string& bytes) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(out.find('\0'));
  return out;
}

TestSigningKey TestSigningKey::Rsa(std::string kid) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  TestSigningKey k;
  k.kid_ = std::move(kid);
  k.alg_ = "RS256";
  k.private_pem_ = PrivatePem(key);
  k.public_pem_ = PublicPem(key);
  k.jwk_ = {{"kty", "RSA"},
            {"kid", k.kid_},
            {"use", "sig"},
            {"alg", "RS256"},
            {"n", Base64Url(BnParam(key, OSSL_PKEY_PARAM_RSA_N, 0))},
            {"e", Base64Url(BnParam(key, OSSL_PKEY_PARAM_RSA_E, 0))}};
  EVP_PKEY_free(key);
  return k;
}

TestSigningKey TestSigningKey::Ec(std::string kid) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  TestSigningKey k;
  k.kid_ = std::move(kid);
  k.alg_ = "ES256";
  k.private_pem_ = PrivatePem(key);
  k.public_pem_ = PublicPem(key);
  k.jwk_ = {{"kty", "EC"},
            {"kid", k.kid_},
            {"use", "sig"},
            {"crv", "P-256"},
            {"x", Base64Url(BnParam(key, OSSL_PKEY_PARAM_EC_PUB_X, 32))},
            {"y", Base64Url(BnParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, 32))}};
  EVP_PKEY_free(key);
  return k;
}

std::string TestSigningKey::Sign(const nlohmann::json& claims) const {
  return Encode(private_pem_, alg_ == "RS256" ? JWT_ALG_RS256 : JWT_ALG_ES256, kid_, claims);
}

std::string JwksOf(const std::vector<const TestSigningKey*>& keys) {
  nlohmann::json set = {{"keys", nlohmann::json::array()}};
  for (const TestSigningKey* k : keys) set["keys"].push_back(k->jwk());
  return set.dump();
}

std::string UnsignedToken(const nlohmann::json& header, const nlohmann::json& claims) {
  return Base64Url(header.dump()) + "." + Base64Url(claims.dump()) + ".";
}

std::string HmacToken(const std::string& secret, const std::string& kid,
                      const nlohmann::json& claims) {
  return Encode(secret, JWT_ALG_HS256, kid, claims);
}

std::string FlipSignature(std::string token) {
  char& c = token[token.size() - 3];
  c = c == 'A' ? 'B' : 'A';
  return token;
}

}  // namespace smartocr::testing
