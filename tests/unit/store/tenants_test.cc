// tests/unit/store/tenants_test.cc
//
// Tenants, API keys, OpenRepository's URL handling and ids.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "repo_fixture.h"

namespace smartocr::store {
namespace {

class TenantTest : public RepoTest {};

TEST_P(TenantTest, CreateGetAndUpdateSettings) {
  core::Result<Tenant> t1 = repo_->GetTenant("t1");
  ASSERT_TRUE(t1.ok()) << t1.status().ToString();
  EXPECT_EQ(t1->name, "Tenant One");
  EXPECT_EQ(t1->region, "eu");

  SMARTOCR_ASSERT_OK(repo_->UpdateTenantSettings("t1", R"({"threshold":0.8})"));
  EXPECT_EQ(repo_->GetTenant("t1")->settings_json, R"({"threshold":0.8})");
  EXPECT_EQ(repo_->GetTenant("t2")->settings_json, "{}");

  core::Status dup = repo_->CreateTenant(Tenant{"t1", "again"});
  EXPECT_EQ(dup.code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(dup.reason(), "exists");
  EXPECT_EQ(repo_->CreateTenant(Tenant{}).reason(), "tenant_id");
  EXPECT_EQ(repo_->GetTenant("nope").status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(repo_->UpdateTenantSettings("nope", "{}").code(), core::StatusCode::kNotFound);
}

TEST_P(TenantTest, EveryTenantHasItsOwnWebhookSecretAndItRotates) {
  const std::string s1 = repo_->GetTenant("t1")->webhook_secret;
  const std::string s2 = repo_->GetTenant("t2")->webhook_secret;
  EXPECT_EQ(s1.rfind("whsec_", 0), 0u) << s1;
  EXPECT_EQ(s1.size(), 6u + 64u);
  EXPECT_NE(s1, s2);
  Tenant given{"t3", "Three"};
  given.webhook_secret = "whsec_given";
  SMARTOCR_ASSERT_OK(repo_->CreateTenant(given));
  EXPECT_EQ(repo_->GetTenant("t3")->webhook_secret, "whsec_given");

  SMARTOCR_ASSERT_OK(repo_->UpdateTenantWebhookSecret("t1", "whsec_rotated"));
  EXPECT_EQ(repo_->GetTenant("t1")->webhook_secret, "whsec_rotated");
  EXPECT_EQ(repo_->GetTenant("t2")->webhook_secret, s2);
  EXPECT_EQ(repo_->UpdateTenantWebhookSecret("t1", "").reason(), "webhook_secret");
  EXPECT_EQ(repo_->UpdateTenantWebhookSecret("nope", "whsec_x").code(),
            core::StatusCode::kNotFound);
}

TEST_P(TenantTest, ListTenantsReturnsEveryTenantById) {
  SMARTOCR_ASSERT_OK(
      repo_->CreateTenant(Tenant{"a0", "First", "us", R"({"retention_days":7})", 5}));
  SMARTOCR_ASSERT_OK(repo_->UpdateTenantSettings("t2", R"({"burst":3})"));
  core::Result<std::vector<Tenant>> tenants = repo_->ListTenants();
  ASSERT_TRUE(tenants.ok()) << tenants.status().ToString();
  ASSERT_EQ(tenants->size(), 3u);
  EXPECT_EQ((*tenants)[0].id, "a0");
  EXPECT_EQ((*tenants)[0].name, "First");
  EXPECT_EQ((*tenants)[0].region, "us");
  EXPECT_EQ((*tenants)[0].settings_json, R"({"retention_days":7})");
  EXPECT_EQ((*tenants)[0].created_at, 5);
  EXPECT_EQ((*tenants)[1].id, "t1");
  EXPECT_EQ((*tenants)[2].id, "t2");
  EXPECT_EQ((*tenants)[2].settings_json, R"({"burst":3})");
}

TEST_P(TenantTest, KeysAreFoundByPrefixAndRevoked) {
  SMARTOCR_ASSERT_OK(repo_->CreateApiKey(ApiKey{"k1", "t1", "sk_aaa", "h1", Role::kAdmin, 10}));
  SMARTOCR_ASSERT_OK(repo_->CreateApiKey(ApiKey{"k2", "t1", "sk_bbb", "h2", Role::kViewer, 11}));
  SMARTOCR_ASSERT_OK(repo_->CreateApiKey(ApiKey{"k3", "t2", "sk_ccc", "h3", Role::kService, 12}));

  core::Status dup_prefix =
      repo_->CreateApiKey(ApiKey{"k4", "t2", "sk_aaa", "h4", Role::kViewer, 13});
  EXPECT_EQ(dup_prefix.reason(), "exists");
  EXPECT_EQ(repo_->CreateApiKey(ApiKey{"k5", "nope", "sk_x", "h", Role::kViewer, 1}).code(),
            core::StatusCode::kNotFound);

  core::Result<ApiKey> found = repo_->FindApiKeyByPrefix("sk_bbb");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, "k2");
  EXPECT_EQ(found->tenant_id, "t1");
  EXPECT_EQ(found->key_hash, "h2");
  EXPECT_EQ(found->role, Role::kViewer);
  EXPECT_EQ(found->revoked_at, 0);
  EXPECT_EQ(repo_->FindApiKeyByPrefix("sk_zzz").status().code(), core::StatusCode::kNotFound);

  core::Result<std::vector<ApiKey>> keys = repo_->ListApiKeys("t1");
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].id, "k1");
  EXPECT_EQ((*keys)[1].id, "k2");

  // Another tenant cannot revoke it; revoking twice keeps the first time.
  EXPECT_EQ(repo_->RevokeApiKey("t2", "k1", 50).code(), core::StatusCode::kNotFound);
  SMARTOCR_ASSERT_OK(repo_->RevokeApiKey("t1", "k1", 50));
  SMARTOCR_ASSERT_OK(repo_->RevokeApiKey("t1", "k1", 60));
  EXPECT_EQ(repo_->FindApiKeyByPrefix("sk_aaa")->revoked_at, 50);
  EXPECT_EQ(repo_->FindApiKeyByPrefix("sk_ccc")->revoked_at, 0);
  EXPECT_EQ(repo_->RevokeApiKey("t1", "missing", 1).code(), core::StatusCode::kNotFound);
}

SMARTOCR_INSTANTIATE_BACKENDS(TenantTest);

TEST(OpenRepositoryTest, RejectsBadUrls) {
  for (const char* url : {"", "mysql://localhost/db", "sqlite://relative/path.db", "sqlite:///",
                          "sqlite:memory", "postgresql://host/db?no_such_option=1"}) {
    SCOPED_TRACE(url);
    core::Result<std::unique_ptr<Repository>> repo = OpenRepository(url);
    ASSERT_FALSE(repo.ok());
    EXPECT_EQ(repo.status().code(), core::StatusCode::kInvalidArgument);
    EXPECT_EQ(repo.status().reason(), "database_url");
  }
}

// libpq quotes a URL it cannot parse, password included: the error must not (it is
// printed by migrate and logged by serve).
TEST(OpenRepositoryTest, BadUrlErrorShowsNoPassword) {
  for (const char* url : {"postgresql://u:S3CRETPW@[::1", "postgresql://u:S3CRETPW@h:99999999/db",
                          "postgresql://u:S3CRETPW@h/db?no_such_option=1"}) {
    SCOPED_TRACE(url);
    core::Result<std::unique_ptr<Repository>> repo = OpenRepository(url);
    ASSERT_FALSE(repo.ok());
    EXPECT_EQ(repo.status().message().find("S3CRETPW"), std::string::npos)
        << repo.status().message();
  }
}

TEST(OpenRepositoryTest, ReportsUnreachableDatabases) {
  for (const char* url : {"sqlite:///nonexistent-dir-for-smartocr/x.db",
                          "postgresql://nobody@127.0.0.1:1/db?connect_timeout=2"}) {
    SCOPED_TRACE(url);
    core::Result<std::unique_ptr<Repository>> repo = OpenRepository(url);
    ASSERT_FALSE(repo.ok());
    EXPECT_EQ(repo.status().code(), core::StatusCode::kUnavailable);
    EXPECT_EQ(repo.status().reason(), "database_unreachable");
  }
}

TEST(OpenRepositoryTest, InMemorySqliteIsOneDatabaseAcrossThreads) {
  core::Result<std::unique_ptr<Repository>> opened = OpenRepository("sqlite::memory:");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Repository& repo = **opened;
  ASSERT_TRUE(repo.Migrate().ok());
  SMARTOCR_ASSERT_OK(repo.CreateTenant(Tenant{"t1", "one"}));
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&repo, t] {
      for (int i = 0; i < 10; ++i) {
        EXPECT_TRUE(repo.CreateJob("t1", JobSpec{}, t * 100 + i, nullptr).ok());
      }
    });
  }
  for (std::thread& th : threads) th.join();
  core::Result<JobPage> page = repo.ListJobs("t1", JobFilter{.limit = 100});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->jobs.size(), 30u);
}

TEST(NewIdTest, IsPrefixedRandomHex) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string id = NewId("job");
    ASSERT_EQ(id.size(), 4u + 32u);
    EXPECT_EQ(id.substr(0, 4), "job_");
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef", 4), std::string::npos);
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(EnumNamesTest, RoundTrip) {
  for (JobStatus s : {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kSucceeded,
                      JobStatus::kFailed, JobStatus::kQuarantined, JobStatus::kCancelled}) {
    EXPECT_EQ(ParseJobStatus(JobStatusName(s)), s);
  }
  for (Role r : {Role::kAdmin, Role::kReviewer, Role::kViewer, Role::kService}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_FALSE(ParseJobStatus("bogus").has_value());
  EXPECT_FALSE(ParseRole("root").has_value());
}

}  // namespace
}  // namespace smartocr::store
