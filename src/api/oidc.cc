#include "api/oidc.h"

#include <jwt.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/auth.h"
#include "api/fetch.h"
#include "api/jwks.h"

namespace smartocr::api {
namespace {

core::Status Invalid(const std::string& why) { return core::InvalidArgument("invalid_token", why); }

// Of several roles a token's groups map to, the one that may do most.
int RoleRank(store::Role role) {
  switch (role) {
    case store::Role::kAdmin:
      return 3;
    case store::Role::kReviewer:
      return 2;
    case store::Role::kService:
      return 1;
    case store::Role::kViewer:
      return 0;
  }
  return 0;
}

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// The JSON object of a token's first part; discarded (not an object) when malformed.
nlohmann::json DecodeHeader(std::string_view token) {
  std::string bytes;
  if (!Base64UrlDecode(token.substr(0, token.find('.')), &bytes)) return nullptr;
  return nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
}

// A claim that is a string or an array of strings, as a list.
std::vector<std::string> StringsOf(const nlohmann::json& claims, const std::string& name) {
  std::vector<std::string> out;
  auto it = claims.find(name);
  if (it == claims.end()) return out;
  if (it->is_string()) out.push_back(it->get<std::string>());
  if (it->is_array()) {
    for (const auto& v : *it) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

std::optional<int64_t> TimeClaim(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number()) return std::nullopt;
  return static_cast<int64_t>(it->get<double>());
}

// Our scope names among the token's: OAuth's "scope" (space-separated) or "scp" (an array).
std::string OurScopes(const nlohmann::json& claims) {
  std::vector<std::string> named = StringsOf(claims, "scp");
  for (const std::string& s : StringsOf(claims, "scope")) {
    for (std::string& word : SplitSpaceList(s)) named.push_back(std::move(word));
  }
  std::vector<std::string> ours;
  for (const std::string& s : named) {
    if (CheckScopes({s}).ok() && std::find(ours.begin(), ours.end(), s) == ours.end()) {
      ours.push_back(s);
    }
  }
  std::string joined;
  for (const std::string& s : ours) joined += (joined.empty() ? "" : " ") + s;
  return joined;
}

std::optional<store::Role> MapRole(const OidcOptions& options,
                                   const std::vector<std::string>& values) {
  std::optional<store::Role> best;
  auto consider = [&best](store::Role r) {
    if (!best || RoleRank(r) > RoleRank(*best)) best = r;
  };
  for (const std::string& value : values) {
    if (options.role_map.empty()) {
      if (auto r = store::ParseRole(value)) consider(*r);
      continue;
    }
    for (const auto& [group, role] : options.role_map) {
      if (group == value) consider(role);
    }
  }
  return best;
}

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
// libjwt's strings come from malloc.
struct CharFree {
  void operator()(char* p) const {
    free(p);  // NOLINT(cppcoreguidelines-no-malloc,cppcoreguidelines-owning-memory)
  }
};

const Jwk* FindKid(const std::vector<Jwk>& keys, const std::string& kid) {
  for (const Jwk& k : keys) {
    if (k.kid == kid) return &k;
  }
  return nullptr;
}

}  // namespace

core::Result<std::vector<std::pair<std::string, store::Role>>> ParseRoleMap(std::string_view text) {
  std::vector<std::pair<std::string, store::Role>> map;
  std::stringstream in{std::string(text)};
  std::string entry;
  while (std::getline(in, entry, ',')) {
    const size_t eq = entry.rfind('=');
    std::optional<store::Role> role;
    if (eq != std::string::npos && eq > 0) role = store::ParseRole(entry.substr(eq + 1));
    if (!role) {
      return core::InvalidArgument(
          "oidc_role_map",
          "\"" + entry + "\" is not GROUP=ROLE (admin, reviewer, service, viewer)");
    }
    map.emplace_back(entry.substr(0, eq), *role);
  }
  return map;
}

bool LooksLikeJwt(std::string_view token) {
  int dots = 0;
  for (char c : token) {
    if (c == '.') {
      ++dots;
    } else if (!IsBase64UrlChar(c)) {
      return false;
    }
  }
  return dots == 2 && token.size() > 4;
}

OidcVerifier::OidcVerifier(OidcOptions options, blobs::UrlPolicy fetch_policy,
                           int64_t fetch_timeout_ms)
    : options_(std::move(options)),
      fetch_policy_(std::move(fetch_policy)),
      fetch_timeout_ms_(fetch_timeout_ms) {}

OidcVerifier::~OidcVerifier() = default;

core::Result<std::unique_ptr<OidcVerifier>> OidcVerifier::Create(OidcOptions options,
                                                                 blobs::UrlPolicy fetch_policy,
                                                                 int64_t fetch_timeout_ms) {
  if (options.issuer.empty() || options.audience.empty() || options.jwks.empty()) {
    return core::InvalidArgument("oidc_options",
                                 "OIDC sign-in needs an issuer, an audience and a JWKS");
  }
  std::unique_ptr<OidcVerifier> verifier(
      new OidcVerifier(std::move(options), std::move(fetch_policy), fetch_timeout_ms));
  auto keys = verifier->LoadJwks();
  if (!keys.ok()) return keys.status();
  core::MutexLock lock(verifier->mu_);
  verifier->keys_ = std::move(*keys);
  return verifier;
}

core::Result<std::vector<Jwk>> OidcVerifier::LoadJwks() const {
  const std::string& where = options_.jwks;
  std::string text;
  if (where.starts_with("http://") || where.starts_with("https://")) {
    auto body = HttpGet(where, fetch_policy_, kMaxJwksBytes, fetch_timeout_ms_, "jwks");
    if (!body.ok()) {
      return core::Unavailable("jwks_fetch",
                               "the JWKS at " + where + ": " + body.status().message());
    }
    text = std::move(*body);
  } else {
    std::ifstream in(where, std::ios::binary);
    if (!in) return core::Unavailable("jwks_fetch", "cannot read the JWKS file " + where);
    std::ostringstream buf;
    buf << in.rdbuf();
    text = buf.str();
  }
  return ParseJwks(text);
}

core::Result<Jwk> OidcVerifier::KeyFor(const std::string& kid, int64_t now_s) {
  core::MutexLock lock(mu_);
  if (const Jwk* k = FindKid(keys_, kid)) return *k;
  // The provider may have rotated its keys; a stream of made-up kids must not make us
  // fetch on every request, so at most one refresh per interval.
  if (now_s - last_refresh_s_ < options_.jwks_min_refresh_s) {
    return Invalid("unknown key id \"" + kid + "\"");
  }
  last_refresh_s_ = now_s;
  auto fresh = LoadJwks();  // under the lock: concurrent misses wait for one fetch
  if (fresh.ok()) keys_ = std::move(*fresh);
  if (const Jwk* k = FindKid(keys_, kid)) return *k;
  return Invalid("unknown key id \"" + kid + "\"");
}

core::Result<OidcIdentity> OidcVerifier::Verify(std::string_view token, int64_t now_s) {
  if (token.size() > kMaxJwtBytes || !LooksLikeJwt(token)) return Invalid("not a JWT");
  const nlohmann::json header = DecodeHeader(token);
  if (!header.is_object()) return Invalid("the token's header is not JSON");
  const std::string alg = header.value("alg", std::string());
  if (alg != "RS256" && alg != "ES256") {
    return Invalid("algorithm \"" + alg + "\" is not accepted (RS256, ES256)");
  }
  auto kid = header.find("kid");
  if (kid == header.end() || !kid->is_string()) return Invalid("the token names no key (kid)");
  auto key = KeyFor(kid->get<std::string>(), now_s);
  if (!key.ok()) return key.status();
  // libjwt would take an HS256 token keyed by the PEM text itself: the key decides.
  if (key->alg != alg) {
    return Invalid("key \"" + key->kid + "\" is for " + key->alg + ", not " + alg);
  }
  jwt_t* raw = nullptr;
  const std::string text(token);
  if (jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(key->pem.data()),
                 static_cast<int>(key->pem.size())) != 0) {
    jwt_free(raw);
    return Invalid("bad signature");
  }
  std::unique_ptr<jwt_t, JwtFree> jwt(raw);
  if (jwt_alg_str(jwt_get_alg(jwt.get())) != alg) return Invalid("bad signature");
  std::unique_ptr<char, CharFree> claims(jwt_get_grants_json(jwt.get(), nullptr));
  if (!claims) return Invalid("the token's claims are not JSON");
  return CheckClaims(claims.get(), now_s);
}

core::Result<OidcIdentity> OidcVerifier::CheckClaims(const std::string& claims_json,
                                                     int64_t now_s) const {
  const nlohmann::json claims = nlohmann::json::parse(claims_json, nullptr, false);
  if (!claims.is_object()) return Invalid("the token's claims are not a JSON object");
  if (claims.value("iss", std::string()) != options_.issuer) return Invalid("wrong issuer");
  const std::vector<std::string> audiences = StringsOf(claims, "aud");
  if (std::find(audiences.begin(), audiences.end(), options_.audience) == audiences.end()) {
    return Invalid("wrong audience");
  }
  const std::optional<int64_t> exp = TimeClaim(claims, "exp");
  if (!exp) return Invalid("the token has no expiry (exp)");
  if (now_s > *exp + options_.clock_skew_s) return Invalid("the token has expired");
  if (auto nbf = TimeClaim(claims, "nbf"); nbf && now_s + options_.clock_skew_s < *nbf) {
    return Invalid("the token is not valid yet (nbf)");
  }
  OidcIdentity who;
  who.subject = claims.value("sub", std::string());
  if (who.subject.empty()) return Invalid("the token has no subject (sub)");
  const std::vector<std::string> tenant = StringsOf(claims, options_.tenant_claim);
  if (tenant.size() != 1 || tenant[0].empty()) {
    return Invalid("the token names no tenant (claim \"" + options_.tenant_claim + "\")");
  }
  who.tenant_id = tenant[0];
  std::optional<store::Role> role = MapRole(options_, StringsOf(claims, options_.role_claim));
  if (!role) {
    return Invalid("the token's \"" + options_.role_claim + "\" maps to no role");
  }
  who.role = *role;
  who.scopes = OurScopes(claims);
  return who;
}

}  // namespace smartocr::api
