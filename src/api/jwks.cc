// JWK (RSA n/e, EC x/y) to PEM through OpenSSL 3's provider API: the numbers are
// handed to EVP_PKEY_fromdata, which checks them, and the key is written back out as
// SubjectPublicKeyInfo for libjwt.
#include "api/jwks.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <sodium.h>

#include <memory>
#include <nlohmann/json.hpp>

namespace smartocr::api {
namespace {

// P-256 coordinates are 32 bytes each.
constexpr std::size_t kP256CoordinateBytes = 32;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ParamBuildPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

core::Status BadKey(const std::string& kid, const std::string& why) {
  return core::InvalidArgument("jwks", "JWKS key \"" + kid + "\": " + why);
}

// The public key `type` ("RSA" | "EC") made of `params`, as PEM; "" when OpenSSL
// refuses the numbers.
std::string PemFromParams(const char* type, OSSL_PARAM_BLD* build, int min_bits) {
  ParamsPtr params(OSSL_PARAM_BLD_to_param(build));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0) return "";
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) return "";
  PkeyPtr key(raw);
  if (EVP_PKEY_get_bits(key.get()) < min_bits) return "";
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.get()) != 1) return "";
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : "";
}

// A base64url member of `jwk` decoded; false when missing or malformed.
bool Member(const nlohmann::json& jwk, const char* name, std::string* out) {
  auto it = jwk.find(name);
  return it != jwk.end() && it->is_string() && !it->get<std::string>().empty() &&
         Base64UrlDecode(it->get<std::string>(), out);
}

core::Result<std::string> RsaPem(const nlohmann::json& jwk, const std::string& kid) {
  std::string n;
  std::string e;
  if (!Member(jwk, "n", &n) || !Member(jwk, "e", &e)) return BadKey(kid, "bad n or e");
  auto to_bn = [](const std::string& bytes) {
    return BignumPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                               static_cast<int>(bytes.size()), nullptr));
  };
  BignumPtr bn_n = to_bn(n);
  BignumPtr bn_e = to_bn(e);
  ParamBuildPtr build(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !build ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return BadKey(kid, "bad n or e");
  }
  std::string pem = PemFromParams("RSA", build.get(), kMinRsaBits);
  if (pem.empty()) {
    return BadKey(kid, "not an RSA key of at least " + std::to_string(kMinRsaBits) + " bits");
  }
  return pem;
}

core::Result<std::string> P256Pem(const nlohmann::json& jwk, const std::string& kid) {
  std::string x;
  std::string y;
  if (!Member(jwk, "x", &x) || !Member(jwk, "y", &y) || x.size() != kP256CoordinateBytes ||
      y.size() != kP256CoordinateBytes) {
    return BadKey(kid, "bad x or y");
  }
  // SEC 1 uncompressed point: 0x04 || x || y.
  const std::string point = std::string(1, '\x04') + x + y;
  ParamBuildPtr build(OSSL_PARAM_BLD_new());
  char group[] = "prime256v1";
  if (!build ||
      OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return BadKey(kid, "bad x or y");
  }
  std::string pem = PemFromParams("EC", build.get(), 0);
  if (pem.empty()) return BadKey(kid, "not a point on P-256");
  return pem;
}

std::string StringMember(const nlohmann::json& jwk, const char* name) {
  auto it = jwk.find(name);
  return it != jwk.end() && it->is_string() ? it->get<std::string>() : "";
}

// The algorithm `jwk` verifies, or "" for a key we do not take.
std::string AlgorithmOf(const nlohmann::json& jwk) {
  const std::string use = StringMember(jwk, "use");
  if (!use.empty() && use != "sig") return "";
  const std::string kty = StringMember(jwk, "kty");
  const std::string alg = StringMember(jwk, "alg");
  std::string implied;
  if (kty == "RSA") implied = "RS256";
  if (kty == "EC" && StringMember(jwk, "crv") == "P-256") implied = "ES256";
  // A key that names another algorithm (RS512, PS256) is for that one only.
  return alg.empty() || alg == implied ? implied : "";
}

}  // namespace

bool Base64UrlDecode(std::string_view text, std::string* out) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  out->assign(text.size() * 3 / 4 + 3, '\0');
  std::size_t n = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out->data()), out->size(), text.data(),
                        text.size(), nullptr, &n, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return false;
  }
  out->resize(n);
  return true;
}

core::Result<std::vector<Jwk>> ParseJwks(std::string_view json) {
  if (json.size() > kMaxJwksBytes) {
    return core::InvalidArgument("jwks",
                                 "the JWKS is over " + std::to_string(kMaxJwksBytes) + " bytes");
  }
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array()) {
    return core::InvalidArgument("jwks", "the JWKS is not a JSON object with a \"keys\" array");
  }
  std::vector<Jwk> keys;
  for (const nlohmann::json& jwk : doc["keys"]) {
    if (!jwk.is_object() || keys.size() == kMaxJwksKeys) continue;
    Jwk key{.kid = StringMember(jwk, "kid"), .alg = AlgorithmOf(jwk), .pem = ""};
    // A token names its key by kid: a key without one could never be chosen.
    if (key.alg.empty() || key.kid.empty()) continue;
    auto pem = key.alg == "RS256" ? RsaPem(jwk, key.kid) : P256Pem(jwk, key.kid);
    if (!pem.ok()) return pem.status();
    key.pem = std::move(*pem);
    keys.push_back(std::move(key));
  }
  if (keys.empty()) {
    return core::InvalidArgument("jwks", "the JWKS holds no RS256 or ES256 signing key with a kid");
  }
  return keys;
}

}  // namespace smartocr::api
