// tests/unit/api/limits_test.cc
//
// JSON nesting bounds (request_body.h) and the operator's ceilings on the limits a
// tenant sets for itself (settings.h).
#include <gtest/gtest.h>

#include <string>

#include "api/request_body.h"
#include "api/settings.h"

namespace smartocr::api {
namespace {

std::string Nested(int depth, char open = '[', char close = ']') {
  return std::string(depth, open) + std::string(depth, close);
}

TEST(ParseJsonBounded, RefusesDeepNestingBeforeBuildingIt) {
  struct Case {
    const char* name;
    std::string text;
    const char* reason;  // "" = parses
  };
  const Case cases[] = {
      {"flat object", R"({"a": 1, "b": [1, 2]})", ""},
      {"at the limit", Nested(kMaxJsonDepth), ""},
      {"one over", Nested(kMaxJsonDepth + 1), "json_too_deep"},
      // The finding: 100,000 nested arrays (200 KB) overflowed the stack on dump.
      {"100k arrays", Nested(100'000), "json_too_deep"},
      {"100k objects",
       [] {
         std::string s;
         for (int i = 0; i < 100'000; ++i) s += R"({"a":)";
         return s;
       }(),
       "json_too_deep"},
      {"deep inside an object", R"({"a": )" + Nested(200) + "}", "json_too_deep"},
      {"brackets in strings do not count", R"({"a": ")" + std::string(500, '[') + R"("})", ""},
      {"malformed", "{", "malformed_json"},
      {"empty", "", "malformed_json"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto j = ParseJsonBounded(c.text);
    if (*c.reason == '\0') {
      EXPECT_TRUE(j.ok()) << j.status().ToString();
    } else {
      EXPECT_EQ(j.status().reason(), c.reason);
    }
  }
  EXPECT_EQ(ParseJsonBounded(Nested(3), 2).status().reason(), "json_too_deep");
  EXPECT_TRUE(ParseJsonBounded<nlohmann::ordered_json>(Nested(2), 2).ok());
}

TEST(TenantCeilings, ValuesAboveTheCeilingAreRefused) {
  const TenantLimits defaults;
  TenantLimits ceilings = kDefaultCeilings;
  ceilings.upload_max_bytes = 100 << 20;
  struct Case {
    const char* settings;
    const char* reason;  // "" = accepted
  };
  const Case cases[] = {
      {R"({"upload_max_bytes": 104857600})", ""},
      {R"({"upload_max_bytes": 104857601})", "setting_above_ceiling"},
      {R"({"rate_per_s": 1e9})", "setting_above_ceiling"},
      {R"({"burst": 1e9})", "setting_above_ceiling"},
      {R"({"tenant_rate_per_s": 1e9})", "setting_above_ceiling"},
      {R"({"tenant_burst": 1e9})", "setting_above_ceiling"},
      {R"({"sync_timeout_ms": 1e9})", "setting_above_ceiling"},
      {R"({"sync_max_bytes": 1e9})", "setting_above_ceiling"},
      {R"({"sync_timeout_ms": 60000, "rate_per_s": 100})", ""},
      {R"({"burst": -1})", "settings"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.settings);
    core::Status st = ValidateSettings(nlohmann::json::parse(c.settings), defaults, ceilings);
    if (*c.reason == '\0') {
      EXPECT_TRUE(st.ok()) << st.ToString();
    } else {
      EXPECT_EQ(st.reason(), c.reason) << st.ToString();
    }
  }
}

TEST(TenantCeilings, StoredValuesAreClampedWhenRead) {
  const TenantLimits defaults;
  // A value stored before the ceiling was lowered.
  const std::string stored = R"({"upload_max_bytes": 1e12, "rate_per_s": 1e9, "burst": 5})";
  TenantLimits l = LimitsFor(stored, defaults, kDefaultCeilings);
  EXPECT_EQ(l.upload_max_bytes, kDefaultCeilings.upload_max_bytes);
  EXPECT_EQ(l.key_rate.rate_per_s, kDefaultCeilings.key_rate.rate_per_s);
  EXPECT_EQ(l.key_rate.burst, 5);
  // A ceiling below the operator's own default is raised to the default.
  TenantLimits low = kDefaultCeilings;
  low.sync_timeout_ms = 1;
  EXPECT_EQ(LimitsFor(R"({"sync_timeout_ms": 1e9})", defaults, low).sync_timeout_ms,
            defaults.sync_timeout_ms);
  EXPECT_TRUE(
      ValidateSettings({{"sync_timeout_ms", defaults.sync_timeout_ms}}, defaults, low).ok());
  // A rate ceiling of 0 is none.
  TenantLimits none = kDefaultCeilings;
  none.key_rate = {0, 0};
  EXPECT_EQ(LimitsFor(R"({"rate_per_s": 1e6})", defaults, none).key_rate.rate_per_s, 1e6);
  // Settings nested too deeply read as none at all.
  EXPECT_EQ(LimitsFor(R"({"burst": 3, "x": )" + Nested(1000) + "}", defaults).key_rate.burst,
            defaults.key_rate.burst);
}

}  // namespace
}  // namespace smartocr::api
