// src/api/oidc.h
//
// Sign-in with an OpenID Connect provider's tokens: `Authorization: Bearer <JWT>`
// signed (RS256 or ES256) by a key of the provider's JWKS, for our audience, from our
// issuer, within its lifetime. The tenant and the role come from claims the operator
// names. API keys keep working beside it: a bearer value that is not a JWT is a key.
//
//   api::OidcOptions oidc{.issuer = "https://id.example.com", .audience = "smartocr",
//                         .jwks = "https://id.example.com/jwks.json"};
//   auto verifier = api::OidcVerifier::Create(oidc, fetch_policy, 10'000);
//   auto who = (*verifier)->Verify(token, now_s);   // tenant, role, subject
//
// Signatures are checked by libjwt over OpenSSL; what it does not check is checked
// here before it sees the token: the header's alg must be the one the chosen key is for
// (so no "none", and no HS256 keyed by a public key), and the claims after.
//
// Thread safety: OidcVerifier is thread-safe.
#ifndef SMARTOCR_API_OIDC_H_
#define SMARTOCR_API_OIDC_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blobs/webhook.h"
#include "core/mutex.h"
#include "core/status.h"
#include "store/store.h"

namespace smartocr::api {

struct Jwk;

// A bearer token longer than this is refused before it is decoded.
inline constexpr std::size_t kMaxJwtBytes = 16 << 10;

struct OidcOptions {
  std::string issuer;    // the "iss" tokens must carry; "" = OIDC sign-in off
  std::string audience;  // one of the token's "aud"
  std::string jwks;      // the provider's keys: a file, or an http(s) URL
  std::string tenant_claim = "tenant";
  std::string role_claim = "roles";  // a string or an array of strings
  // Claim values (e.g. group names) to roles; empty: the values are role names
  // (admin, reviewer, service, viewer). Of several matches the strongest role wins.
  std::vector<std::pair<std::string, store::Role>> role_map;
  // The review UI's public client id (authorization code + PKCE); "" = the audience.
  std::string client_id;
  int64_t clock_skew_s = 60;  // allowed on exp and nbf
  // A token naming an unknown kid refetches the JWKS, at most this often.
  int64_t jwks_min_refresh_s = 60;
};

// "group=role,group2=role2" into OidcOptions::role_map. kInvalidArgument
// "oidc_role_map" naming the bad entry.
core::Result<std::vector<std::pair<std::string, store::Role>>> ParseRoleMap(std::string_view text);

// Whether a bearer value has a JWT's shape (three base64url parts); API keys never do.
bool LooksLikeJwt(std::string_view token);

// Who a verified token speaks for.
struct OidcIdentity {
  std::string subject;  // "sub"
  std::string tenant_id;
  store::Role role = store::Role::kViewer;
  // Our scopes (jobs:read, ...) among the token's "scope"/"scp"; "" = none named, the
  // role alone decides.
  std::string scopes;
};

class OidcVerifier {
 public:
  // Reads the JWKS once now (a file, or a URL fetched through `fetch_policy` within
  // `fetch_timeout_ms`). kInvalidArgument "oidc_options" when the issuer, audience or
  // JWKS is missing, "jwks" when the set is unusable; kUnavailable "jwks_fetch" when it
  // cannot be read.
  static core::Result<std::unique_ptr<OidcVerifier>> Create(OidcOptions options,
                                                            blobs::UrlPolicy fetch_policy,
                                                            int64_t fetch_timeout_ms);
  ~OidcVerifier();

  // The identity `token` carries at `now_s` (Unix seconds). kInvalidArgument
  // "invalid_token" with a message that says why (malformed, algorithm, unknown key,
  // signature, issuer, audience, expired, not yet valid, missing tenant or role).
  core::Result<OidcIdentity> Verify(std::string_view token, int64_t now_s) EXCLUDES(mu_);

  const OidcOptions& options() const { return options_; }

 private:
  OidcVerifier(OidcOptions options, blobs::UrlPolicy fetch_policy, int64_t fetch_timeout_ms);
  core::Result<std::vector<Jwk>> LoadJwks() const;
  // The key named `kid`, refetching the set (at most every jwks_min_refresh_s) when
  // it is not known.
  core::Result<Jwk> KeyFor(const std::string& kid, int64_t now_s) EXCLUDES(mu_);
  core::Result<OidcIdentity> CheckClaims(const std::string& claims_json, int64_t now_s) const;

  const OidcOptions options_;
  const blobs::UrlPolicy fetch_policy_;
  const int64_t fetch_timeout_ms_;
  core::Mutex mu_;
  std::vector<Jwk> keys_ GUARDED_BY(mu_);
  int64_t last_refresh_s_ GUARDED_BY(mu_) = 0;
};

}  // namespace smartocr::api

#endif  // SMARTOCR_API_OIDC_H_
