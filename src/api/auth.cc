#include "api/auth.h"

#include <sodium.h>
#include <strings.h>

#include <optional>
#include <string>
#include <vector>

#include "api/oidc.h"
#include "core/ip_range.h"
#include "core/sha256.h"

namespace smartocr::api {
namespace {

constexpr std::string_view kKeyPrefix = "sk_";
constexpr size_t kPrefixHex = 12;
constexpr size_t kSecretBytes = 32;

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.resize(n * 2);
  return out;
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return Hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

core::Status Unauthenticated() {
  return core::InvalidArgument("unauthenticated", "missing or invalid API key");
}

// Whether `address` is in one of the space-separated CIDRs ("" = anywhere).
bool InNetworks(const std::string& networks, const std::string& address) {
  if (networks.empty()) return true;
  for (const std::string& network : SplitSpaceList(networks)) {
    std::optional<core::IpRange> range = core::IpRange::Parse(network);
    if (range && range->Contains(address)) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> SplitSpaceList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

const char* PermissionName(Permission p) {
  switch (p) {
    case Permission::kPublic:
      return "public";
    case Permission::kRead:
      return "read";
    case Permission::kSubmit:
      return "submit";
    case Permission::kReview:
      return "review";
    case Permission::kAdmin:
      return "admin";
  }
  return "admin";
}

bool RoleAllows(store::Role role, Permission permission) {
  switch (permission) {
    case Permission::kPublic:
    case Permission::kRead:
      return true;
    case Permission::kSubmit:
      return role == store::Role::kAdmin || role == store::Role::kService;
    case Permission::kReview:
      return role == store::Role::kAdmin || role == store::Role::kReviewer;
    case Permission::kAdmin:
      return role == store::Role::kAdmin;
  }
  return false;
}

const char* ScopeName(Permission permission) {
  switch (permission) {
    case Permission::kPublic:
      return "";
    case Permission::kRead:
      return "jobs:read";
    case Permission::kSubmit:
      return "jobs:write";
    case Permission::kReview:
      return "review";
    case Permission::kAdmin:
      return "admin";
  }
  return "admin";
}

bool ScopesAllow(const std::string& scopes, Permission permission) {
  if (scopes.empty() || permission == Permission::kPublic) return true;
  const std::string wanted = ScopeName(permission);
  for (const std::string& scope : SplitSpaceList(scopes)) {
    if (scope == wanted) return true;
  }
  return false;
}

core::Result<std::string> CheckScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const std::string& scope : scopes) {
    bool known = false;
    for (Permission p :
         {Permission::kRead, Permission::kSubmit, Permission::kReview, Permission::kAdmin}) {
      known |= scope == ScopeName(p);
    }
    if (!known) {
      return core::InvalidArgument(
          "scopes", "unknown scope '" + scope + "' (jobs:read, jobs:write, review, admin)");
    }
    out += (out.empty() ? "" : " ") + scope;
  }
  return out;
}

core::Result<std::string> CheckNetworks(const std::vector<std::string>& networks) {
  std::string out;
  for (const std::string& network : networks) {
    if (!core::IpRange::Parse(network)) {
      return core::InvalidArgument("allowed_networks",
                                   "not an address or CIDR range: '" + network + "'");
    }
    out += (out.empty() ? "" : " ") + network;
  }
  return out;
}

NewKey GenerateKey(const std::string& tenant_id, store::Role role, int64_t now_ms) {
  if (sodium_init() < 0) std::abort();  // the CSPRNG is unusable: never hand out keys
  NewKey k;
  const std::string prefix = RandomHex(kPrefixHex / 2);
  k.key = std::string(kKeyPrefix) + prefix + "_" + RandomHex(kSecretBytes);
  k.row.id = store::NewId("key");
  k.row.tenant_id = tenant_id;
  k.row.prefix = prefix;
  k.row.key_hash = core::Sha256Hex(k.key);
  k.row.role = role;
  k.row.created_at = now_ms;
  return k;
}

std::string_view BearerValue(std::string_view authorization) {
  // The scheme name is case-insensitive (RFC 9110, 11.1): "bearer" is "Bearer".
  constexpr std::string_view kBearer = "bearer ";
  if (authorization.size() < kBearer.size() ||
      ::strncasecmp(authorization.data(), kBearer.data(), kBearer.size()) != 0) {
    return {};
  }
  return authorization.substr(kBearer.size());
}

core::Result<Principal> AuthenticateToken(store::Repository& repo, OidcVerifier& oidc,
                                          std::string_view token, int64_t now_ms) {
  auto who = oidc.Verify(token, now_ms / 1000);
  if (!who.ok()) return who.status();
  auto tenant = repo.GetTenant(who->tenant_id);
  if (!tenant.ok()) {
    if (tenant.status().code() == core::StatusCode::kNotFound) {
      return core::InvalidArgument(
          "invalid_token", "the token's tenant \"" + who->tenant_id + "\" does not exist here");
    }
    return tenant.status();
  }
  // The subject stands where a key id would: in audit rows, logs and rate limits.
  return Principal{.tenant_id = who->tenant_id,
                   .key_id = std::string(kOidcActorPrefix) + who->subject,
                   .role = who->role,
                   .scopes = who->scopes};
}

core::Result<Principal> Authenticate(store::Repository& repo, std::string_view authorization,
                                     const SignInContext& context,
                                     std::optional<SignInFailure>* failure) {
  std::string_view key = BearerValue(authorization);
  const size_t expected = kKeyPrefix.size() + kPrefixHex + 1 + kSecretBytes * 2;
  if (key.size() != expected || key.substr(0, kKeyPrefix.size()) != kKeyPrefix ||
      key[kKeyPrefix.size() + kPrefixHex] != '_') {
    return Unauthenticated();
  }
  auto row = repo.FindApiKeyByPrefix(std::string(key.substr(kKeyPrefix.size(), kPrefixHex)));
  if (!row.ok()) {
    if (row.status().code() == core::StatusCode::kNotFound) return Unauthenticated();
    return row.status();
  }
  const std::string hash = core::Sha256Hex(key);
  const bool match = row->key_hash.size() == hash.size() &&
                     sodium_memcmp(row->key_hash.data(), hash.data(), hash.size()) == 0;
  const char* why = !match                                                     ? "wrong secret"
                    : row->revoked_at > 0                                      ? "revoked key"
                    : row->expires_at > 0 && context.now_ms >= row->expires_at ? "expired key"
                    : !InNetworks(row->allowed_networks, context.remote_addr)
                        ? "network not allowed"
                        : nullptr;
  if (why != nullptr) {
    if (failure != nullptr) *failure = SignInFailure{row->tenant_id, row->id, why};
    return Unauthenticated();
  }
  (void)repo.TouchApiKey(row->id, context.now_ms, kKeyLastUsedIntervalMs);  // best effort
  return Principal{row->tenant_id, row->id, row->role, row->scopes};
}

core::Status EnsureTenant(store::Repository& repo, const std::string& tenant, int64_t now_ms,
                          std::string* new_webhook_secret) {
  if (new_webhook_secret != nullptr) new_webhook_secret->clear();
  auto existing = repo.GetTenant(tenant);
  if (existing.ok()) return core::Status::Ok();
  if (existing.status().code() != core::StatusCode::kNotFound) return existing.status();
  store::Tenant t;
  t.id = tenant;
  t.name = tenant;
  t.created_at = now_ms;
  t.webhook_secret = store::NewWebhookSecret();
  core::Status st = repo.CreateTenant(t);
  if (!st.ok() && st.reason() == "exists") return core::Status::Ok();  // a race: fine
  if (st.ok() && new_webhook_secret != nullptr) *new_webhook_secret = t.webhook_secret;
  return st;
}

}  // namespace smartocr::api
