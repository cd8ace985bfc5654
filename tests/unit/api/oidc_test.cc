// OIDC sign-in (issue 22): api::OidcVerifier against tokens signed at test time with
// fresh RSA and P-256 keys, and the forgeries it must refuse; the JWKS reader.
#include "api/oidc.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "api/auth.h"
#include "api/jwks.h"
#include "oidc_tokens.h"

namespace smartocr::api {
namespace {

using smartocr::testing::FlipSignature;
using smartocr::testing::HmacToken;
using smartocr::testing::JwksOf;
using smartocr::testing::TestSigningKey;
using smartocr::testing::UnsignedToken;

constexpr int64_t kNow = 1'800'000'000;
constexpr char kIssuer[] = "https://id.example.test";
constexpr char kAudience[] = "smartocr";

const TestSigningKey& RsaKey() {
  static const TestSigningKey key = TestSigningKey::Rsa("rsa-1");
  return key;
}
const TestSigningKey& EcKey() {
  static const TestSigningKey key = TestSigningKey::Ec("ec-1");
  return key;
}

nlohmann::json Claims() {
  return {{"iss", kIssuer},        {"aud", kAudience},  {"sub", "alice"},   {"tenant", "acme"},
          {"roles", {"reviewer"}}, {"exp", kNow + 300}, {"iat", kNow - 10}, {"nbf", kNow - 10}};
}

class OidcVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("oidc_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    WriteJwks(JwksOf({&RsaKey(), &EcKey()}));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void WriteJwks(const std::string& text) { std::ofstream(jwks()) << text; }
  std::string jwks() const { return (dir_ / "jwks.json").string(); }

  OidcOptions Options() const { return {.issuer = kIssuer, .audience = kAudience, .jwks = jwks()}; }
  std::unique_ptr<OidcVerifier> Make(OidcOptions options) const {
    auto v = OidcVerifier::Create(std::move(options), blobs::UrlPolicy(), 5'000);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? std::move(*v) : nullptr;
  }
  // The message of a refused token; "" when it was accepted.
  static std::string Refusal(OidcVerifier& v, const std::string& token, int64_t now = kNow) {
    auto who = v.Verify(token, now);
    if (who.ok()) return "";
    EXPECT_EQ(who.status().reason(), "invalid_token") << who.status().ToString();
    return who.status().message();
  }

  std::filesystem::path dir_;
};

TEST_F(OidcVerifierTest, AcceptsRs256AndEs256FromTheProvider) {
  auto v = Make(Options());
  ASSERT_NE(v, nullptr);
  for (const TestSigningKey* key : {&RsaKey(), &EcKey()}) {
    auto who = v->Verify(key->Sign(Claims()), kNow);
    ASSERT_TRUE(who.ok()) << key->alg() << ": " << who.status().ToString();
    EXPECT_EQ(who->subject, "alice");
    EXPECT_EQ(who->tenant_id, "acme");
    EXPECT_EQ(who->role, store::Role::kReviewer);
    EXPECT_EQ(who->scopes, "");
  }
  // "aud" may be a list; a token's own scopes narrow it to ours among them.
  nlohmann::json c = Claims();
  c["aud"] = {"other", kAudience};
  c["scope"] = "openid profile jobs:read review";
  auto who = v->Verify(RsaKey().Sign(c), kNow);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->scopes, "jobs:read review");
}

TEST_F(OidcVerifierTest, RefusesWrongClaimsAndTimes) {
  auto v = Make(Options());
  ASSERT_NE(v, nullptr);
  auto with = [](const char* name, nlohmann::json value) {
    nlohmann::json c = Claims();
    c[name] = std::move(value);
    return RsaKey().Sign(c);
  };
  auto without = [](const char* name) {
    nlohmann::json c = Claims();
    c.erase(name);
    return RsaKey().Sign(c);
  };
  EXPECT_EQ(Refusal(*v, with("iss", "https://evil.test")), "wrong issuer");
  EXPECT_EQ(Refusal(*v, with("aud", "someone-else")), "wrong audience");
  EXPECT_EQ(Refusal(*v, without("aud")), "wrong audience");
  EXPECT_EQ(Refusal(*v, with("exp", kNow - 61)), "the token has expired");
  EXPECT_EQ(Refusal(*v, with("exp", kNow - 30)), "");  // within the clock skew
  EXPECT_EQ(Refusal(*v, without("exp")), "the token has no expiry (exp)");
  EXPECT_EQ(Refusal(*v, with("nbf", kNow + 120)), "the token is not valid yet (nbf)");
  EXPECT_EQ(Refusal(*v, without("sub")), "the token has no subject (sub)");
  EXPECT_NE(Refusal(*v, without("tenant")).find("names no tenant"), std::string::npos);
  EXPECT_NE(Refusal(*v, with("roles", {"owner"})).find("maps to no role"), std::string::npos);
}

TEST_F(OidcVerifierTest, RefusesForgeries) {
  auto v = Make(Options());
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(Refusal(*v, FlipSignature(RsaKey().Sign(Claims()))), "bad signature");
  EXPECT_EQ(Refusal(*v, FlipSignature(EcKey().Sign(Claims()))), "bad signature");
  // alg "none", with and without a kid.
  EXPECT_NE(Refusal(*v, UnsignedToken({{"alg", "none"}, {"kid", "rsa-1"}}, Claims()))
                .find("\"none\" is not accepted"),
            std::string::npos);
  EXPECT_NE(Refusal(*v, UnsignedToken({{"alg", "none"}}, Claims())), "");
  // HS256 keyed by the RSA key's public PEM: libjwt alone would check the HMAC with it.
  EXPECT_NE(Refusal(*v, HmacToken(RsaKey().public_pem(), "rsa-1", Claims()))
                .find("\"HS256\" is not accepted"),
            std::string::npos);
  // An ES256 token that names the RSA key: the key decides the algorithm.
  const TestSigningKey other_ec = TestSigningKey::Ec("rsa-1");
  EXPECT_EQ(Refusal(*v, other_ec.Sign(Claims())), "key \"rsa-1\" is for RS256, not ES256");
  // The right kid and alg, signed by a key the provider does not have.
  const TestSigningKey stranger = TestSigningKey::Rsa("rsa-1");
  EXPECT_EQ(Refusal(*v, stranger.Sign(Claims())), "bad signature");
  EXPECT_EQ(Refusal(*v, "sk_0123456789ab_" + std::string(64, 'f')), "not a JWT");
  EXPECT_EQ(Refusal(*v, "a.b"), "not a JWT");
  EXPECT_EQ(Refusal(*v, std::string(kMaxJwtBytes, 'a') + ".b.c"), "not a JWT");
}

TEST_F(OidcVerifierTest, UnknownKidRefetchesTheSetAtMostOncePerInterval) {
  auto v = Make(Options());
  ASSERT_NE(v, nullptr);
  const TestSigningKey rotated = TestSigningKey::Rsa("rsa-2");
  const TestSigningKey later = TestSigningKey::Ec("ec-2");
  EXPECT_EQ(Refusal(*v, rotated.Sign(Claims())), "unknown key id \"rsa-2\"");
  // The provider rotates: the next unknown kid after the interval reads the set again.
  WriteJwks(JwksOf({&rotated, &EcKey()}));
  EXPECT_EQ(Refusal(*v, rotated.Sign(Claims()), kNow + 61), "");
  EXPECT_EQ(Refusal(*v, RsaKey().Sign(Claims()), kNow + 61), "unknown key id \"rsa-1\"");
  // Within the interval a new kid is not fetched, however many tokens name one.
  WriteJwks(JwksOf({&rotated, &later}));
  EXPECT_EQ(Refusal(*v, later.Sign(Claims()), kNow + 62), "unknown key id \"ec-2\"");
  EXPECT_EQ(Refusal(*v, later.Sign(Claims()), kNow + 122), "");
  // A set that cannot be read at refresh keeps the keys already known.
  std::filesystem::remove(jwks());
  EXPECT_EQ(Refusal(*v, RsaKey().Sign(Claims()), kNow + 200), "unknown key id \"rsa-1\"");
  EXPECT_EQ(Refusal(*v, rotated.Sign(Claims()), kNow + 200), "");
}

TEST_F(OidcVerifierTest, MapsGroupsToTheStrongestRoleAndReadsOtherClaims) {
  OidcOptions o = Options();
  o.tenant_claim = "org";
  o.role_claim = "groups";
  auto map = ParseRoleMap("ocr-viewers=viewer,ocr-reviewers=reviewer,ocr-admins=admin");
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  o.role_map = *map;
  auto v = Make(o);
  ASSERT_NE(v, nullptr);
  nlohmann::json c = Claims();
  c["org"] = "globex";
  c["groups"] = {"staff", "ocr-viewers", "ocr-reviewers"};
  auto who = v->Verify(RsaKey().Sign(c), kNow);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->tenant_id, "globex");
  EXPECT_EQ(who->role, store::Role::kReviewer);
  // With a map, a bare role name is just another group.
  c["groups"] = {"admin"};
  EXPECT_NE(Refusal(*v, RsaKey().Sign(c)).find("maps to no role"), std::string::npos);
  c["groups"] = "ocr-admins";
  ASSERT_TRUE(v->Verify(RsaKey().Sign(c), kNow).ok());
  EXPECT_EQ(v->Verify(RsaKey().Sign(c), kNow)->role, store::Role::kAdmin);

  EXPECT_FALSE(ParseRoleMap("ocr-admins").ok());
  EXPECT_FALSE(ParseRoleMap("g=owner").ok());
  EXPECT_FALSE(ParseRoleMap("=admin").ok());
}

TEST_F(OidcVerifierTest, CreateNeedsTheWholeConfigurationAndAUsableSet) {
  OidcOptions o = Options();
  o.audience = "";
  EXPECT_EQ(OidcVerifier::Create(o, blobs::UrlPolicy(), 1000).status().reason(), "oidc_options");
  o = Options();
  o.jwks = (dir_ / "missing.json").string();
  EXPECT_EQ(OidcVerifier::Create(o, blobs::UrlPolicy(), 1000).status().reason(), "jwks_fetch");
  // A URL goes through the outbound policy: loopback is refused unless allowed.
  o.jwks = "http://127.0.0.1:9/jwks.json";
  auto refused = OidcVerifier::Create(o, blobs::UrlPolicy(), 1000);
  EXPECT_EQ(refused.status().reason(), "jwks_fetch");
  EXPECT_NE(refused.status().message().find("refused"), std::string::npos)
      << refused.status().ToString();
  WriteJwks(R"({"keys": [{"kty": "oct", "kid": "h", "k": "c2VjcmV0"}]})");
  EXPECT_EQ(OidcVerifier::Create(Options(), blobs::UrlPolicy(), 1000).status().reason(), "jwks");
}

TEST(JwksTest, TakesSigningKeysOnlyAndChecksTheirNumbers) {
  nlohmann::json set = nlohmann::json::parse(JwksOf({&RsaKey(), &EcKey()}));
  nlohmann::json enc = RsaKey().jwk();
  enc["kid"] = "enc-1";
  enc["use"] = "enc";
  nlohmann::json ps = RsaKey().jwk();
  ps["kid"] = "ps-1";
  ps["alg"] = "PS256";
  nlohmann::json nokid = EcKey().jwk();
  nokid.erase("kid");
  set["keys"].push_back(enc);
  set["keys"].push_back(ps);
  set["keys"].push_back(nokid);
  auto keys = ParseJwks(set.dump());
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].kid, "rsa-1");
  EXPECT_EQ((*keys)[0].alg, "RS256");
  EXPECT_NE((*keys)[0].pem.find("BEGIN PUBLIC KEY"), std::string::npos);
  EXPECT_EQ((*keys)[1].alg, "ES256");

  for (const char* bad :
       {"", "[]", "{}", R"({"keys": {}})", R"({"keys": []})", "{\"keys\": [1]}"}) {
    EXPECT_EQ(ParseJwks(bad).status().reason(), "jwks") << bad;
  }
  nlohmann::json short_x = EcKey().jwk();
  short_x["x"] = "AAAA";
  EXPECT_NE(ParseJwks(nlohmann::json{{"keys", {short_x}}}.dump()).status().message().find("ec-1"),
            std::string::npos);
  nlohmann::json off_curve = EcKey().jwk();
  off_curve["y"] = off_curve["x"];
  EXPECT_EQ(ParseJwks(nlohmann::json{{"keys", {off_curve}}}.dump()).status().reason(), "jwks");
  nlohmann::json weak = RsaKey().jwk();
  weak["n"] = smartocr::testing::Base64Url(std::string(128, '\xC7'));  // 1024 bits
  EXPECT_NE(ParseJwks(nlohmann::json{{"keys", {weak}}}.dump()).status().message().find("2048"),
            std::string::npos);
  EXPECT_EQ(ParseJwks(std::string(kMaxJwksBytes + 1, ' ')).status().reason(), "jwks");
}

TEST(JwksTest, LooksLikeJwtTellsTokensFromApiKeys) {
  EXPECT_TRUE(LooksLikeJwt(RsaKey().Sign(Claims())));
  EXPECT_FALSE(LooksLikeJwt("sk_0123456789ab_" + std::string(64, 'f')));
  EXPECT_FALSE(LooksLikeJwt("a.b.c.d"));
  EXPECT_FALSE(LooksLikeJwt("a b.c.d"));
  EXPECT_EQ(BearerValue("bearer abc"), "abc");
  EXPECT_EQ(BearerValue("Basic abc"), "");
}

}  // namespace
}  // namespace smartocr::api
