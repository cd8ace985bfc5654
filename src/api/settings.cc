#include "api/settings.h"

#include <algorithm>
#include <limits>
#include <random>

#include "api/request_body.h"
#include "document/document.h"
#include "extract/schema.h"

namespace smartocr::api {
namespace {

bool IsBuiltInSchema(const std::string& name);

// A positive limit as an integer field: at least 1 (0.5 bytes is not "no body") and at
// most int64's largest (converting a double outside its range, e.g. 1e30, is undefined
// behaviour; found by fuzz/settings_fuzz.cc).
int64_t IntegerLimit(double v) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  return v >= static_cast<double>(kMax) ? kMax : std::max<int64_t>(1, static_cast<int64_t>(v));
}

// The tenant-settable limits: the settings key and the TenantLimits field it sets.
struct LimitKey {
  const char* name;
  double (*get)(const TenantLimits&);
  void (*set)(TenantLimits&, double);
};

constexpr LimitKey kLimitKeys[] = {
    {"sync_max_bytes", [](const TenantLimits& l) { return static_cast<double>(l.sync_max_bytes); },
     [](TenantLimits& l, double v) { l.sync_max_bytes = IntegerLimit(v); }},
    {"sync_timeout_ms",
     [](const TenantLimits& l) { return static_cast<double>(l.sync_timeout_ms); },
     [](TenantLimits& l, double v) { l.sync_timeout_ms = IntegerLimit(v); }},
    {"upload_max_bytes",
     [](const TenantLimits& l) { return static_cast<double>(l.upload_max_bytes); },
     [](TenantLimits& l, double v) { l.upload_max_bytes = IntegerLimit(v); }},
    {"rate_per_s", [](const TenantLimits& l) { return l.key_rate.rate_per_s; },
     [](TenantLimits& l, double v) { l.key_rate.rate_per_s = v; }},
    {"burst", [](const TenantLimits& l) { return l.key_rate.burst; },
     [](TenantLimits& l, double v) { l.key_rate.burst = v; }},
    {"tenant_rate_per_s", [](const TenantLimits& l) { return l.tenant_rate.rate_per_s; },
     [](TenantLimits& l, double v) { l.tenant_rate.rate_per_s = v; }},
    {"tenant_burst", [](const TenantLimits& l) { return l.tenant_rate.burst; },
     [](TenantLimits& l, double v) { l.tenant_rate.burst = v; }},
};

// The most a tenant may set `key` to: the ceiling, raised to the operator's default;
// 0 when there is none (a ceiling <= 0).
double CeilingOf(const LimitKey& key, const TenantLimits& defaults, const TenantLimits& ceilings) {
  const double ceiling = key.get(ceilings);
  return ceiling > 0 ? std::max(ceiling, key.get(defaults)) : 0;
}

void Read(const nlohmann::json& j, const char* key, double* out) {
  auto it = j.find(key);
  if (it != j.end() && it->is_number() && it->get<double>() > 0) *out = it->get<double>();
}

// Stored settings as an object ({} when malformed or too deep).
nlohmann::json StoredSettings(const std::string& settings_json) {
  auto j = ParseJsonBounded(settings_json);
  return j.ok() && j->is_object() ? std::move(*j) : nlohmann::json::object();
}

// The tenant's engine and extractor (`engine`, `extractor`), or for a draw below the
// experiment's share the ones it names (`experiment`: {"engine", "extractor",
// "percent"}), recorded as variant a or b.
void ChooseVersions(const nlohmann::json& settings, double draw_percent, nlohmann::json* options) {
  for (const char* key : {"engine", "extractor"}) {
    if (auto it = settings.find(key); it != settings.end()) (*options)[key] = *it;
  }
  auto exp = settings.find("experiment");
  if (exp == settings.end() || !exp->is_object()) return;
  const bool b = draw_percent < exp->value("percent", 0.0);
  (*options)["variant"] = b ? "b" : "a";
  if (!b) return;
  for (const char* key : {"engine", "extractor"}) {
    if (auto it = exp->find(key); it != exp->end()) (*options)[key] = *it;
  }
}

// "auto", "none" (no fields) or a document type.
bool IsBuiltInSchema(const std::string& name) {
  return name == "auto" || name == "none" || extract::FindDocType(name) != nullptr;
}

}  // namespace

TenantLimits LimitsFor(const std::string& settings_json, const TenantLimits& defaults,
                       const TenantLimits& ceilings) {
  TenantLimits l = defaults;
  const nlohmann::json j = StoredSettings(settings_json);
  for (const LimitKey& key : kLimitKeys) {
    double value = 0;
    Read(j, key.name, &value);
    if (value <= 0) continue;
    const double ceiling = CeilingOf(key, defaults, ceilings);
    key.set(l, ceiling > 0 ? std::min(value, ceiling) : value);
  }
  return l;
}

double RetentionDays(const std::string& settings_json) {
  double days = 0;
  Read(StoredSettings(settings_json), "retention_days", &days);
  return std::min(days, kMaxRetentionDays);
}

namespace {

// The engine experiment and the review workflow's settings (docs/review.md).
core::Status ValidateEngineAndReviewSettings(const nlohmann::json& settings) {
  if (auto it = settings.find("experiment"); it != settings.end()) {
    // Its engine and extractor are checked as a job's options will be read.
    nlohmann::json versions = nlohmann::json::object();
    bool ok = it->is_object() && (it->contains("engine") || it->contains("extractor")) &&
              it->contains("percent") && (*it)["percent"].is_number() &&
              (*it)["percent"].get<double>() >= 0 && (*it)["percent"].get<double>() <= 100;
    for (const char* key : {"engine", "extractor"}) {
      if (ok && it->contains(key)) versions[key] = (*it)[key];
    }
    if (!ok || !document::DocumentOptionsFromJson(versions).ok()) {
      return core::InvalidArgument(
          "settings",
          "experiment must be {\"engine\": tesseract|ppocr|hybrid and/or \"extractor\": "
          "rules|rules+lexicon, \"percent\": 0-100}");
    }
  }
  if (auto it = settings.find("reject_reasons"); it != settings.end()) {
    bool ok = it->is_array() && !it->empty() && it->size() <= kMaxRejectReasons;
    for (const auto& code : ok ? *it : nlohmann::json::array()) {
      const std::string s = code.is_string() ? code.get<std::string>() : "";
      ok = ok && !s.empty() && s.size() <= 40 &&
           s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
    }
    if (!ok) {
      return core::InvalidArgument("settings",
                                   "reject_reasons must be 1-50 codes of a-z, 0-9 and _ (at "
                                   "most 40 characters each)");
    }
  }
  if (auto it = settings.find("review_claim_s"); it != settings.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < kMinReviewClaimS ||
        it->get<int64_t>() > kMaxReviewClaimS) {
      return core::InvalidArgument("settings",
                                   "review_claim_s must be whole seconds in [60, 86400]");
    }
  }
  return core::Status::Ok();
}

}  // namespace

core::Status ValidateSettings(const nlohmann::json& settings, const TenantLimits& defaults,
                              const TenantLimits& ceilings) {
  if (!settings.is_object()) return core::InvalidArgument("settings", "settings must be an object");
  for (const LimitKey& key : kLimitKeys) {
    auto it = settings.find(key.name);
    if (it == settings.end()) continue;
    if (!it->is_number() || it->get<double>() <= 0) {
      return core::InvalidArgument("settings",
                                   std::string(key.name) + " must be a positive number");
    }
    const double ceiling = CeilingOf(key, defaults, ceilings);
    if (ceiling > 0 && it->get<double>() > ceiling) {
      return core::InvalidArgument("setting_above_ceiling",
                                   std::string(key.name) + " is above this server's ceiling of " +
                                       nlohmann::json(ceiling).dump());
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
  for (const char* key :
       {"redact", "review_threshold", "review_sample_percent", "engine", "extractor"}) {
    if (settings.contains(key)) post[key] = settings[key];
  }
  if (settings.contains("languages")) post["lang"] = settings["languages"];
  auto parsed = document::DocumentOptionsFromJson(post);
  if (!parsed.ok()) return core::InvalidArgument("settings", parsed.status().message());
  SMARTOCR_RETURN_IF_ERROR(ValidateEngineAndReviewSettings(settings));
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

ReviewSettings ReviewSettingsFor(const std::string& settings_json) {
  const nlohmann::json j = StoredSettings(settings_json);
  ReviewSettings out;
  if (auto it = j.find("reject_reasons"); it != j.end() && it->is_array() && !it->empty()) {
    std::vector<std::string> codes;
    for (const auto& code : *it) {
      if (code.is_string()) codes.push_back(code.get<std::string>());
    }
    if (!codes.empty()) out.reject_reasons = std::move(codes);
  }
  if (auto it = j.find("review_claim_s"); it != j.end() && it->is_number_integer()) {
    out.claim_ms =
        std::clamp(it->get<int64_t>(), kMinReviewClaimS, kMaxReviewClaimS) * int64_t{1000};
  }
  return out;
}

core::Result<document::DocumentOptions> DocumentOptionsFor(const std::string& settings_json,
                                                           const std::string& requested,
                                                           double draw_percent) {
  const nlohmann::json settings = StoredSettings(settings_json);
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
  for (const char* key : {"redact", "review_threshold", "review_sample_percent"}) {
    if (settings.contains(key)) options[key] = settings[key];
  }
  if (settings.contains("languages")) options["lang"] = settings["languages"];
  ChooseVersions(settings, draw_percent, &options);
  // The one codec the worker reads the job's options back with.
  return document::DocumentOptionsFromJson(options);
}

double ExperimentDraw() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0, 100)(rng);
}

}  // namespace smartocr::api
