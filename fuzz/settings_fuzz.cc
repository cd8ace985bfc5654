// Fuzz target: a tenant's settings (api/settings.h), as an admin stores them and as
// every request reads them back. Input: the settings JSON (seeds:
// fuzz/corpus/settings_fuzz/). Checks that the readers never fail on what the
// validator accepted: limits positive, retention in range, and the options of every
// schema the settings name resolve.
#include <nlohmann/json.hpp>
#include <string>

#include "api/settings.h"
#include "fuzz_input.h"

namespace {

namespace api = smartocr::api;

void CheckReaders(const std::string& text, const nlohmann::json& settings) {
  const api::TenantLimits limits = api::LimitsFor(text, api::TenantLimits{});
  FUZZ_CHECK(limits.sync_max_bytes > 0 && limits.sync_timeout_ms > 0);
  FUZZ_CHECK(limits.upload_max_bytes > 0);
  FUZZ_CHECK(limits.key_rate.burst > 0 && limits.tenant_rate.burst > 0);
  FUZZ_CHECK(api::DocumentOptionsFor(text, "auto").ok());
  if (auto schemas = settings.find("schemas"); schemas != settings.end()) {
    for (const auto& [name, unused] : schemas->items()) {
      FUZZ_CHECK(api::DocumentOptionsFor(text, name).ok());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(smartocr::fuzz::AsText(data, size));
  // The readers take whatever is stored, valid or not.
  api::LimitsFor(text, api::TenantLimits{});
  const double days = api::RetentionDays(text);
  FUZZ_CHECK(days >= 0 && days <= api::kMaxRetentionDays);
  (void)api::DocumentOptionsFor(text, "auto");
  const nlohmann::json settings = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (settings.is_discarded() || !api::ValidateSettings(settings).ok()) return 0;
  CheckReaders(text, settings);
  return 0;
}
