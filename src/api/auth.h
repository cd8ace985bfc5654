// src/api/auth.h
//
// API keys and roles. A key reads "sk_<prefix>_<secret>": the prefix (12 hex digits)
// is public and finds the row; the secret is 32 random bytes (64 hex digits). Only the
// SHA-256 of the whole key is stored (a 256-bit random secret needs no slow hash),
// and the stored hash is compared in constant time.
//
// Roles (docs/api.md): admin (everything in its tenant), reviewer (read, edit fields,
// re-run), viewer (read), service (read and submit). A key may be narrowed further by
// scopes (jobs:read, jobs:write, review, admin: one per permission), may expire, and may
// be bound to networks (store::ApiKey).
#ifndef SMARTOCR_API_AUTH_H_
#define SMARTOCR_API_AUTH_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"
#include "store/store.h"

namespace smartocr::api {

class OidcVerifier;

// What a route needs. kPublic routes take no key.
enum class Permission { kPublic, kRead, kSubmit, kReview, kAdmin };
const char* PermissionName(Permission p);

bool RoleAllows(store::Role role, Permission permission);

// The words of a space-separated list (a key's scopes and networks).
std::vector<std::string> SplitSpaceList(const std::string& text);

// The scope that grants `permission` ("" for kPublic).
const char* ScopeName(Permission permission);
// Whether "jobs:read review" (space-separated; "" = unrestricted) grants `permission`.
bool ScopesAllow(const std::string& scopes, Permission permission);
// A key's scopes or networks as given at creation ("a b" or a JSON array's items joined
// by spaces), checked: kInvalidArgument "scopes" / "allowed_networks" naming the bad one.
core::Result<std::string> CheckScopes(const std::vector<std::string>& scopes);
core::Result<std::string> CheckNetworks(const std::vector<std::string>& networks);

struct Principal {
  std::string tenant_id;
  std::string key_id;
  store::Role role = store::Role::kViewer;
  std::string scopes;  // store::ApiKey::scopes
};

// The operators' tenant: its admins create tenants and erase them; its audit log
// records erasures (which take the erased tenant's own log with them).
inline constexpr char kSystemTenant[] = "system";

// How often a key's last_used_at is written at most.
inline constexpr int64_t kKeyLastUsedIntervalMs = 60'000;

struct NewKey {
  std::string key;  // shown once
  store::ApiKey row;
};

// A fresh key for `tenant_id` with `role` (row.id = NewId("key")).
NewKey GenerateKey(const std::string& tenant_id, store::Role role, int64_t now_ms);

// A failed sign-in with a key whose prefix names an existing key: whose it was, so that
// the attempt can be audited in that key's tenant (unknown prefixes have no tenant).
struct SignInFailure {
  std::string tenant_id;
  std::string key_id;
  std::string why;  // "wrong secret" | "revoked key" | "expired key" | "network not allowed"
};

// Where and when a sign-in happens.
struct SignInContext {
  std::string remote_addr;
  int64_t now_ms = 0;
};

// The Principal for an "Authorization: Bearer <key>" header value. Fails with
// kInvalidArgument "unauthenticated" (missing, malformed, unknown, revoked or wrong
// key, a key past its expiry or used from outside its networks: one answer for all) or
// the store's kUnavailable. `failure` (may be null) is set when the prefix named a key
// and the sign-in failed for another reason. A key that signs in has its last_used_at
// updated (at most every kKeyLastUsedIntervalMs).
core::Result<Principal> Authenticate(store::Repository& repo, std::string_view authorization,
                                     const SignInContext& context,
                                     std::optional<SignInFailure>* failure = nullptr);

// The value of an "Authorization: Bearer <value>" header; "" for another scheme.
std::string_view BearerValue(std::string_view authorization);

// How an OIDC subject is named where a key id would be (Principal::key_id, audit actors).
inline constexpr std::string_view kOidcActorPrefix = "oidc:";

// The Principal for a bearer JWT that `oidc` verifies (api/oidc.h) at `now_ms`: its
// tenant must exist. kInvalidArgument "invalid_token" saying why, or the store's
// kUnavailable.
core::Result<Principal> AuthenticateToken(store::Repository& repo, OidcVerifier& oidc,
                                          std::string_view token, int64_t now_ms);

// Creates the tenant when missing (id = name), with a new webhook secret, which is
// then put in *new_webhook_secret (when not null) to be shown once; "" there when
// the tenant existed. OK when it exists.
core::Status EnsureTenant(store::Repository& repo, const std::string& tenant, int64_t now_ms,
                          std::string* new_webhook_secret = nullptr);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_AUTH_H_
