// tests/unit/blobs/url_policy_test.cc
//
// Uses IP literals and "localhost" only, so no test needs outside DNS.
#include <gtest/gtest.h>

#include <string>

#include "blobs/webhook.h"

namespace smartocr::blobs {
namespace {

struct Case {
  const char* url;
  const char* reason;  // "" when allowed
};

void Expect(const UrlPolicy& policy, const Case& c) {
  SCOPED_TRACE(c.url);
  core::Result<UrlPolicy::Target> target = policy.Check(c.url);
  if (c.reason[0] == '\0') {
    EXPECT_TRUE(target.ok()) << target.status().ToString();
  } else {
    ASSERT_FALSE(target.ok());
    EXPECT_EQ(target.status().reason(), c.reason) << target.status().ToString();
  }
}

TEST(UrlPolicyTest, DefaultRefusesInternalAddresses) {
  const UrlPolicy policy;
  const Case cases[] = {
      {"https://93.184.216.34/hook", ""},
      {"http://8.8.8.8:8080/x?y=1", ""},
      {"https://[2606:4700::1111]/hook", ""},
      {"http://127.0.0.1:8080/hook", "webhook_address_refused"},
      {"http://127.1.2.3/", "webhook_address_refused"},
      {"http://localhost/", "webhook_address_refused"},
      {"http://169.254.169.254/latest/meta-data/", "webhook_address_refused"},
      {"http://169.254.1.1/", "webhook_address_refused"},
      {"http://10.0.0.5/", "webhook_address_refused"},
      {"http://172.16.0.1/", "webhook_address_refused"},
      {"http://172.31.255.255/", "webhook_address_refused"},
      {"http://172.32.0.1/", ""},  // just outside 172.16/12
      {"http://192.168.1.1/", "webhook_address_refused"},
      {"http://100.64.0.1/", "webhook_address_refused"},
      {"http://0.0.0.0/", "webhook_address_refused"},
      {"http://224.0.0.1/", "webhook_address_refused"},
      {"http://255.255.255.255/", "webhook_address_refused"},
      {"http://2130706433/", "webhook_address_refused"},  // 127.0.0.1 as one number
      {"http://[::1]/", "webhook_address_refused"},
      {"http://[::]/", "webhook_address_refused"},
      {"http://[fe80::1]/", "webhook_address_refused"},
      {"http://[fc00::1]/", "webhook_address_refused"},
      {"http://[fd12:3456::1]/", "webhook_address_refused"},
      {"http://[ff02::1]/", "webhook_address_refused"},
      {"http://[::ffff:127.0.0.1]/", "webhook_address_refused"},
      {"http://[::ffff:169.254.169.254]/", "webhook_address_refused"},
      {"http://[64:ff9b::a00:1]/", "webhook_address_refused"},       // NAT64 of 10.0.0.1
      {"http://[::ffff:0:7f00:1]/", "webhook_address_refused"},      // translated 127.0.0.1
      {"http://[::ffff:0:5db8:d822]/", ""},                          // translated 93.184.216.34
      {"http://[2002:a00:1::1]/", "webhook_address_refused"},        // 6to4 of 10.0.0.1
      {"http://[2002:a9fe:a9fe::1]/", "webhook_address_refused"},    // 6to4 of 169.254.169.254
      {"http://[2002:5db8:d822::1]/", ""},                           // 6to4 of 93.184.216.34
      {"http://[2001:0:4136:e378::1]/", "webhook_address_refused"},  // Teredo
      {"http://[64:ff9b:1::a00:1]/", "webhook_address_refused"},     // local-use NAT64
      {"ftp://93.184.216.34/x", "webhook_url_scheme"},
      {"file:///etc/passwd", "webhook_url_scheme"},
      {"gopher://93.184.216.34/", "webhook_url_scheme"},
      {"not a url", "webhook_url"},
      {"http://", "webhook_url"},
  };
  for (const Case& c : cases) Expect(policy, c);
}

TEST(UrlPolicyTest, AllowListOpensOnlyWhatItNames) {
  UrlPolicy policy;
  ASSERT_TRUE(policy.Allow("127.0.0.1").ok());
  ASSERT_TRUE(policy.Allow("10.1.0.0/16").ok());
  ASSERT_TRUE(policy.Allow("fd00::/8").ok());
  const Case cases[] = {
      {"http://127.0.0.1:9999/hook", ""},
      {"http://127.0.0.2/", "webhook_address_refused"},
      {"http://10.1.200.3/", ""},
      {"http://10.2.0.1/", "webhook_address_refused"},
      {"http://[fd12::1]/", ""},
      {"http://[fc00::1]/", "webhook_address_refused"},
      {"http://169.254.169.254/", "webhook_address_refused"},
  };
  for (const Case& c : cases) Expect(policy, c);
}

TEST(UrlPolicyTest, AllowedHostNameSkipsAddressChecks) {
  UrlPolicy policy;
  ASSERT_TRUE(policy.Allow("LocalHost").ok());
  core::Result<UrlPolicy::Target> target = policy.Check("http://localhost:8080/hook");
  ASSERT_TRUE(target.ok()) << target.status().ToString();
  EXPECT_EQ(target->host, "localhost");
  EXPECT_EQ(target->port, 8080);
  // The connection is pinned to the address that was checked.
  EXPECT_TRUE(target->pinned_resolve.starts_with("localhost:8080:")) << target->pinned_resolve;
}

TEST(UrlPolicyTest, TargetDetails) {
  const UrlPolicy policy;
  core::Result<UrlPolicy::Target> target = policy.Check("https://[2606:4700::1111]/x");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->host, "2606:4700::1111");
  EXPECT_EQ(target->port, 443);
  EXPECT_EQ(target->address, "2606:4700::1111");
  EXPECT_EQ(target->pinned_resolve, "");  // a literal needs no pinning
}

TEST(UrlPolicyTest, BadAllowEntries) {
  UrlPolicy policy;
  for (const char* entry : {"", "10.0.0.0/33", "10.0.0.0/x", "::1/129", "a b", "[::1]"}) {
    SCOPED_TRACE(entry);
    EXPECT_EQ(policy.Allow(entry).reason(), "url_policy_entry");
  }
}

}  // namespace
}  // namespace smartocr::blobs
