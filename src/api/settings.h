// src/api/settings.h
//
// A tenant's settings (tenants.settings_json) as the API reads them, with the
// server's defaults for what a tenant does not set. Unknown keys are kept in the JSON
// (schemas, confidence thresholds, retention, redaction are stored for the workers
// and future use) but the keys below are type-checked on update.
#ifndef SMARTOCR_API_SETTINGS_H_
#define SMARTOCR_API_SETTINGS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/rate_limit.h"
#include "core/core.h"
#include "document/document.h"

namespace smartocr::api {

struct TenantLimits {
  int64_t sync_max_bytes = 5 << 20;     // POST /ocr/extract body
  int64_t sync_timeout_ms = 10'000;     // POST /ocr/extract deadline
  int64_t upload_max_bytes = 50 << 20;  // POST /ocr/jobs, PUT /blobs (multipart or raw)
  BucketSpec key_rate{20, 40};          // per API key
  BucketSpec tenant_rate{50, 100};      // per tenant, all keys together
};

// The most a tenant may set each limit to (the operator's `serve --tenant-max-*`
// flags). A tenant's own limits cost the whole server: memory per body, a thread per
// sync run, the share of the rate the others get. A ceiling below the operator's
// default is raised to it (the operator chose the default); a rate ceiling <= 0 is
// none. Each field's comment in TenantLimits says what it bounds.
inline constexpr TenantLimits kDefaultCeilings{.sync_max_bytes = 50 << 20,
                                               .sync_timeout_ms = 120'000,
                                               .upload_max_bytes = 200 << 20,
                                               .key_rate = {200, 400},
                                               .tenant_rate = {500, 1000}};

// `defaults` overridden by the numeric keys of `settings_json` (sync_max_bytes,
// sync_timeout_ms, upload_max_bytes, rate_per_s, burst, tenant_rate_per_s,
// tenant_burst), each clamped to its ceiling (a value stored before the ceiling was
// lowered). A malformed or too deeply nested JSON gives the defaults.
TenantLimits LimitsFor(const std::string& settings_json, const TenantLimits& defaults,
                       const TenantLimits& ceilings = kDefaultCeilings);

inline constexpr double kMaxRetentionDays = 100'000;

// How long the tenant keeps finished jobs, in days ("retention_days"; fractions
// allowed), or 0 when the tenant keeps them forever (key absent, or malformed JSON).
double RetentionDays(const std::string& settings_json);

// Checks a settings object before it is stored: an object whose known keys are
// positive numbers (retention_days at most kMaxRetentionDays); "schemas" an object of
// tenant schemas (docs/schemas.md) keyed by their names; "redact" an array of
// redaction kinds; "review_threshold" in (0, 1]; "review_sample_percent" in [0, 100];
// "reject_reasons" an array of codes ([a-z0-9_], 1-40 characters, at most 50);
// "review_claim_s" in [60, 86400]; "languages" a non-empty string (whether they are
// installed is the caller's check: DocumentService::CheckLanguage). kInvalidArgument
// "settings" otherwise,
// or "setting_above_ceiling" when a limit is over its ceiling (see kDefaultCeilings).
core::Status ValidateSettings(const nlohmann::json& settings, const TenantLimits& defaults = {},
                              const TenantLimits& ceilings = kDefaultCeilings);

// A uniform draw in [0, 100) for the tenant's engine experiment.
double ExperimentDraw();

// Review settings (docs/review.md): the reason codes a rejection may give and how
// long a reviewer's claim lasts.
struct ReviewSettings {
  std::vector<std::string> reject_reasons = {"illegible", "wrong_document_type", "duplicate",
                                             "incomplete", "other"};
  int64_t claim_ms = 900'000;
};
inline constexpr int64_t kMinReviewClaimS = 60;
inline constexpr int64_t kMaxReviewClaimS = 86'400;
inline constexpr size_t kMaxRejectReasons = 50;
// The tenant's (defaults for keys absent or malformed).
ReviewSettings ReviewSettingsFor(const std::string& settings_json);

// The options a document is processed with (document/document.h; stored as the job's
// options_json with DocumentOptionsToJson): `requested` is a built-in schema (auto, receipt,
// invoice, id_document), "none" (no fields) or the name of one of the tenant's "schemas"; the
// tenant's "redact" and "review_threshold" settings apply to every document, and its
// "languages" ("deu+eng") are the documents' lang unless a request names its own.
// kInvalidArgument "schema" when `requested` names no schema, "options" when the
// tenant's redaction or review settings are malformed.
// The tenant's "engine", "extractor" and "experiment" pick the versions: a job whose
// `draw_percent` (uniform in [0, 100)) falls below the experiment's percent gets the
// experiment's engine and/or extractor and variant "b", the others the tenant's and
// variant "a".
core::Result<document::DocumentOptions> DocumentOptionsFor(const std::string& settings_json,
                                                           const std::string& requested,
                                                           double draw_percent = ExperimentDraw());

}  // namespace smartocr::api

#endif  // SMARTOCR_API_SETTINGS_H_
