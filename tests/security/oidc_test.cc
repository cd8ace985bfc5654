// tests/security/oidc_test.cc
//
// `smartocr serve --oidc-issuer --oidc-audience --oidc-jwks URL` (issue 22) end to end:
// the JWKS is served over loopback HTTP (and so needs --fetch-allow, as any outbound
// fetch), tokens signed at test time sign in with the tenant and role their claims
// map to, API keys keep working, and bad tokens get a 401 that says why.
#include <gtest/gtest.h>

#include <ctime>
#include <string>
#include <vector>

#include "api_harness.h"
#include "cli_runner.h"
#include "http_receiver.h"
#include "oidc_tokens.h"

namespace smartocr::testing {
namespace {

constexpr char kIssuer[] = "https://id.example.test/realms/ocr";
constexpr char kAudience[] = "smartocr-api";

nlohmann::json Claims(const std::string& sub, const std::string& tenant, const std::string& group) {
  const int64_t now = std::time(nullptr);
  return {{"iss", kIssuer}, {"aud", kAudience},           {"sub", sub},
          {"org", tenant},  {"groups", {"staff", group}}, {"exp", now + 600},
          {"iat", now - 5}};
}

std::vector<std::string> OidcArgs(const std::string& jwks_url) {
  return {"--oidc-issuer",       kIssuer,
          "--oidc-audience",     kAudience,
          "--oidc-jwks",         jwks_url,
          "--oidc-tenant-claim", "org",
          "--oidc-role-claim",   "groups",
          "--oidc-role-map",     "ocr-reviewers=reviewer,ocr-admins=admin"};
}

TEST(OidcSignIn, ProviderTokensAndApiKeysSignInSideBySide) {
  JobsEnv env;
  const std::string api_key = CreateKey(env, "acme", "viewer");
  const TestSigningKey rsa = TestSigningKey::Rsa("rsa-1");
  const TestSigningKey ec = TestSigningKey::Ec("ec-1");
  auto provider = HttpReceiver::Start({.response_body = JwksOf({&rsa, &ec}),
                                       .response_headers = {{"Content-Type", "application/json"}}});
  ASSERT_TRUE(provider.ok()) << provider.status().ToString();
  std::vector<std::string> args = OidcArgs((*provider)->Url("/jwks.json"));
  for (const char* a : {"--workers", "0", "--fetch-allow", "127.0.0.1"}) args.push_back(a);
  auto server = ApiProcess::Start(env, args);
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  ASSERT_EQ((*provider)->Requests().size(), 1u);  // read once at start

  // A reviewer by group, with an RSA-signed token; an admin with an EC-signed one.
  const std::string reviewer = rsa.Sign(Claims("alice", "acme", "ocr-reviewers"));
  auto r = c->Get("/ocr/jobs", Bearer(reviewer));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  r = c->Post("/admin/keys", Bearer(reviewer), R"({"role":"viewer"})", "application/json");
  EXPECT_EQ(r->status, 403) << r->body;
  const std::string admin = ec.Sign(Claims("bob", "acme", "ocr-admins"));
  r = c->Post("/admin/keys", Bearer(admin), R"({"role":"viewer"})", "application/json");
  EXPECT_EQ(r->status, 201) << r->body;
  // The subject is the actor of what it does.
  const nlohmann::json audit = Body(c->Get("/admin/audit?limit=5", Bearer(admin)));
  ASSERT_FALSE(audit["entries"].empty()) << audit.dump();
  EXPECT_EQ(audit["entries"][0]["action"], "key.create");
  EXPECT_EQ(audit["entries"][0]["actor"], "oidc:bob");

  // API keys still sign in.
  EXPECT_EQ(c->Get("/ocr/jobs", Bearer(api_key))->status, 200);

  // Bad tokens: 401 invalid_token saying why, with RFC 6750's challenge.
  nlohmann::json expired = Claims("alice", "acme", "ocr-reviewers");
  expired["exp"] = std::time(nullptr) - 3600;
  r = c->Get("/ocr/jobs", Bearer(rsa.Sign(expired)));
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(ErrorCode(r), "invalid_token");
  EXPECT_EQ(Body(r)["error"]["message"], "the token has expired") << r->body;
  EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer error=\"invalid_token\"");
  r = c->Get("/ocr/jobs", Bearer(rsa.Sign(Claims("carol", "initech", "ocr-admins"))));
  EXPECT_EQ(r->status, 401);
  EXPECT_NE(r->body.find("does not exist here"), std::string::npos) << r->body;
  nlohmann::json other_audience = Claims("alice", "acme", "ocr-reviewers");
  other_audience["aud"] = "another-app";
  EXPECT_EQ(c->Get("/ocr/jobs", Bearer(rsa.Sign(other_audience)))->status, 401);
  const std::string unsigned_token =
      UnsignedToken({{"alg", "none"}, {"kid", "rsa-1"}}, Claims("alice", "acme", "ocr-admins"));
  EXPECT_EQ(c->Get("/ocr/jobs", Bearer(unsigned_token))->status, 401);
  EXPECT_EQ(c->Get("/ocr/jobs", Bearer(FlipSignature(admin)))->status, 401);

  // An unknown kid fetches the set again, once: a second one within the minute does not.
  const TestSigningKey stranger = TestSigningKey::Rsa("rsa-9");
  EXPECT_EQ(c->Get("/ocr/jobs", Bearer(stranger.Sign(Claims("eve", "acme", "ocr-admins"))))->status,
            401);
  EXPECT_EQ((*provider)->Requests().size(), 2u);
  const TestSigningKey stranger2 = TestSigningKey::Ec("ec-9");
  EXPECT_EQ(
      c->Get("/ocr/jobs", Bearer(stranger2.Sign(Claims("eve", "acme", "ocr-admins"))))->status,
      401);
  EXPECT_EQ((*provider)->Requests().size(), 2u);
  EXPECT_EQ(server->Stop(), 0);
}

TEST(OidcSignIn, TheJwksFetchObeysTheOutboundPolicyAndBadSetupsStopTheServer) {
  JobsEnv env;
  const TestSigningKey rsa = TestSigningKey::Rsa("rsa-1");
  auto provider = HttpReceiver::Start({.response_body = JwksOf({&rsa})});
  ASSERT_TRUE(provider.ok()) << provider.status().ToString();
  // Loopback is not allowed by default: the server does not start.
  std::vector<std::string> args = {"serve", "--listen", "127.0.0.1:0", "--workers", "0"};
  for (const std::string& a : OidcArgs((*provider)->Url("/jwks.json"))) args.push_back(a);
  CliResult refused = env.Cli(args);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("JWKS"), std::string::npos) << refused.err;
  EXPECT_TRUE((*provider)->Requests().empty());
  // Half a configuration is a usage error.
  CliResult half = env.Cli({"serve", "--listen", "127.0.0.1:0", "--oidc-issuer", kIssuer});
  EXPECT_EQ(half.exit_code, 2) << half.err;
  EXPECT_NE(half.err.find("go together"), std::string::npos) << half.err;
  CliResult bad_map = env.Cli({"serve", "--oidc-role-map", "admins"});
  EXPECT_EQ(bad_map.exit_code, 2) << bad_map.err;
}

}  // namespace
}  // namespace smartocr::testing
