// Regression tests from fuzz/settings_fuzz.cc: tenant limits read from settings that
// ValidateSettings accepts (any positive number) but that do not fit the limit's type.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "api/settings.h"

namespace smartocr::api {
namespace {

// An operator may set no ceilings (all 0): then a tenant's number reaches the field as
// it is.
constexpr TenantLimits kNoCeilings{.sync_max_bytes = 0,
                                   .sync_timeout_ms = 0,
                                   .upload_max_bytes = 0,
                                   .key_rate = {0, 0},
                                   .tenant_rate = {0, 0}};

TEST(SettingsLimits, ANumberBeyondAnIntegerLimitsRangeIsItsLargestValue) {
  // Converting 1e30 to int64_t was undefined behaviour (UBSan stops the CI build here).
  const TenantLimits l = LimitsFor(R"({"sync_max_bytes": 1e30, "upload_max_bytes": 1e19,
                                       "sync_timeout_ms": 18446744073709551615})",
                                   TenantLimits{}, kNoCeilings);
  EXPECT_EQ(l.sync_max_bytes, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(l.upload_max_bytes, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(l.sync_timeout_ms, std::numeric_limits<int64_t>::max());
}

TEST(SettingsLimits, APositiveFractionOfAnIntegerLimitIsOneNotZero) {
  const nlohmann::json settings = nlohmann::json::parse(R"({"sync_max_bytes": 0.5})");
  ASSERT_TRUE(ValidateSettings(settings).ok());
  EXPECT_EQ(LimitsFor(settings.dump(), TenantLimits{}).sync_max_bytes, 1);
  // Rates and bursts are fractional by nature and stay as given.
  EXPECT_DOUBLE_EQ(LimitsFor(R"({"rate_per_s": 0.5})", TenantLimits{}).key_rate.rate_per_s, 0.5);
}

}  // namespace
}  // namespace smartocr::api
