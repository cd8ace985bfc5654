// src/api/auth.h
//
// API keys and roles. A key reads "sk_<prefix>_<secret>": the prefix (12 hex digits)
// is public and finds the row; the secret is 32 random bytes (64 hex digits). Only the
// SHA-256 of the whole key is stored (a 256-bit random secret needs no slow hash),
// and the stored hash is compared in constant time.
//
// Roles (docs/api.md): admin (everything in its tenant), reviewer (read, edit fields,
// re-run), viewer (read), service (read and submit).
#ifndef SMARTOCR_API_AUTH_H_
#define SMARTOCR_API_AUTH_H_

#include <string>
#include <string_view>

#include "core/core.h"
#include "store/store.h"

namespace smartocr::api {

// What a route needs. kPublic routes take no key.
enum class Permission { kPublic, kRead, kSubmit, kReview, kAdmin };
const char* PermissionName(Permission p);

bool RoleAllows(store::Role role, Permission permission);

struct Principal {
  std::string tenant_id;
  std::string key_id;
  store::Role role = store::Role::kViewer;
};

struct NewKey {
  std::string key;  // shown once
  store::ApiKey row;
};

// A fresh key for `tenant_id` with `role` (row.id = NewId("key")).
NewKey GenerateKey(const std::string& tenant_id, store::Role role, int64_t now_ms);

// The Principal for an "Authorization: Bearer <key>" header value. Fails with
// kInvalidArgument "unauthenticated" (missing, malformed, unknown, revoked or wrong
// key: one answer for all) or the store's kUnavailable.
core::Result<Principal> Authenticate(store::Repository& repo, std::string_view authorization);

// Creates the tenant when missing (id = name), with a new webhook secret, which is
// then put in *new_webhook_secret (when not null) to be shown once; "" there when
// the tenant existed. OK when it exists.
core::Status EnsureTenant(store::Repository& repo, const std::string& tenant, int64_t now_ms,
                          std::string* new_webhook_secret = nullptr);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_AUTH_H_
