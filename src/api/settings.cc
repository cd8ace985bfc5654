#include "api/settings.h"

#include <algorithm>

namespace smartocr::api {
namespace {

constexpr const char* kNumericKeys[] = {"sync_max_bytes", "sync_timeout_ms", "upload_max_bytes",
                                        "rate_per_s",     "burst",           "tenant_rate_per_s",
                                        "tenant_burst"};

template <typename T>
void Read(const nlohmann::json& j, const char* key, T* out) {
  auto it = j.find(key);
  if (it != j.end() && it->is_number() && it->get<double>() > 0) *out = it->get<T>();
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

}  // namespace smartocr::api
