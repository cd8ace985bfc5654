#include "api/settings.h"

#include <algorithm>
#include <limits>
#include <type_traits>

#include "document/document.h"
#include "extract/schema.h"

namespace smartocr::api {
namespace {

bool IsBuiltInSchema(const std::string& name);

constexpr const char* kNumericKeys[] = {"sync_max_bytes", "sync_timeout_ms", "upload_max_bytes",
                                        "rate_per_s",     "burst",           "tenant_rate_per_s",
                                        "tenant_burst"};

// A positive number at `key` into *out. An integer limit takes at least 1 (0.5 bytes
// is not "no body") and at most T's largest value: converting a double outside T's
// range (1e30) is undefined behaviour, found by fuzz/settings_fuzz.cc.
template <typename T>
void Read(const nlohmann::json& j, const char* key, T* out) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return;
  const double value = it->get<double>();
  if (!(value > 0)) return;
  if constexpr (std::is_integral_v<T>) {
    constexpr T kMax = std::numeric_limits<T>::max();
    *out = value >= static_cast<double>(kMax) ? kMax : std::max<T>(1, static_cast<T>(value));
  } else {
    *out = static_cast<T>(value);
  }
}

// "auto", "none" (no fields) or a document type.
bool IsBuiltInSchema(const std::string& name) {
  return name == "auto" || name == "none" || extract::FindDocType(name) != nullptr;
}

}  // namespace

TenantLimits LimitsFor(const std::string& settings_json, const TenantLimits& defaults) {
  TenantLimits l = defaults;
  nlohmann::json j = nlohmann::json::parse(settings_json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return l;
  Read(j, "sync_max_bytes", &l.sync_max_bytes);
  Read(j, "sync_timeout_ms", &l.sync_timeout_ms);
  Read(j, "upload_max_bytes", &l.upload_max_bytes);
  Read(j, "rate_per_s", &l.key_rate.rate_per_s);
  Read(j, "burst", &l.key_rate.burst);
  Read(j, "tenant_rate_per_s", &l.tenant_rate.rate_per_s);
  Read(j, "tenant_burst", &l.tenant_rate.burst);
  return l;
}

double RetentionDays(const std::string& settings_json) {
  double days = 0;
  nlohmann::json j = nlohmann::json::parse(settings_json, nullptr, /*allow_exceptions=*/false);
  if (j.is_object()) Read(j, "retention_days", &days);
  return std::min(days, kMaxRetentionDays);
}

core::Status ValidateSettings(const nlohmann::json& settings) {
  if (!settings.is_object()) return core::InvalidArgument("settings", "settings must be an object");
  for (const char* key : kNumericKeys) {
    auto it = settings.find(key);
    if (it == settings.end()) continue;
    if (!it->is_number() || it->get<double>() <= 0) {
      return core::InvalidArgument("settings", std::string(key) + " must be a positive number");
    }
  }
  if (auto it = settings.find("schemas"); it != settings.end()) {
    if (!it->is_object()) {
      return core::InvalidArgument("settings", "schemas must be an object of schemas by name");
    }
    for (const auto& [name, def] : it->items()) {
      auto schema = extract::ParseSchema(def);
      if (!schema.ok()) {
        return core::InvalidArgument("settings",
                                     "schemas." + name + ": " + schema.status().message());
      }
      if (schema->name != name) {
        return core::InvalidArgument(
            "settings", "schemas." + name + ": the schema is named '" + schema->name + "'");
      }
      if (IsBuiltInSchema(name)) {
        return core::InvalidArgument("settings", "schemas." + name + ": a built-in schema name");
      }
    }
  }
  // The redaction kinds and review threshold are checked as the worker will read them.
  nlohmann::json post = nlohmann::json::object();
  for (const char* key : {"redact", "review_threshold"}) {
    if (settings.contains(key)) post[key] = settings[key];
  }
  auto parsed = document::DocumentOptionsFromJson(post);
  if (!parsed.ok()) return core::InvalidArgument("settings", parsed.status().message());
  if (auto it = settings.find("retention_days"); it != settings.end()) {
    if (!it->is_number() || it->get<double>() <= 0 || it->get<double>() > kMaxRetentionDays) {
      return core::InvalidArgument(
          "settings",
          "retention_days must be a number of days > 0 and <= 100000 (fractions "
          "allowed: 0.5 keeps finished jobs 12 hours); omit it to keep jobs forever");
    }
  }
  return core::Status::Ok();
}

core::Result<document::DocumentOptions> DocumentOptionsFor(const std::string& settings_json,
                                                           const std::string& requested) {
  nlohmann::json settings =
      nlohmann::json::parse(settings_json, nullptr, /*allow_exceptions=*/false);
  if (!settings.is_object()) settings = nlohmann::json::object();
  nlohmann::json options = nlohmann::json::object();
  const std::string schema = requested.empty() ? "auto" : requested;
  if (schema != "none") options["schema"] = schema;
  if (!IsBuiltInSchema(schema)) {
    auto schemas = settings.find("schemas");
    if (schemas == settings.end() || !schemas->is_object() || !schemas->contains(schema)) {
      return core::InvalidArgument("schema", "unknown schema '" + schema + "' (auto, " +
                                                 extract::DocTypeNames() +
                                                 ", none, or a tenant schema)");
    }
    options["schema_def"] = (*schemas)[schema];  // a snapshot: later edits don't change the job
  }
  for (const char* key : {"redact", "review_threshold"}) {
    if (settings.contains(key)) options[key] = settings[key];
  }
  // The one codec the worker reads the job's options back with.
  return document::DocumentOptionsFromJson(options);
}

}  // namespace smartocr::api
