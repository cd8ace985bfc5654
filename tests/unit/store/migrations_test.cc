// tests/unit/store/migrations_test.cc
#include <gtest/gtest.h>

#include "repo_fixture.h"

namespace smartocr::store {
namespace {

class MigrationTest : public StoreTestBase {};

TEST_P(MigrationTest, EmptyDatabaseMigratesToLatest) {
  std::unique_ptr<Repository> repo;
  OpenEmpty(&repo);
  if (IsSkipped() || HasFatalFailure()) return;
  EXPECT_EQ(repo->backend(), GetParam());
  core::Result<int> before = repo->SchemaVersion();
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(*before, 0);

  core::Result<int> after = repo->Migrate();
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(*after, LatestSchemaVersion());
  EXPECT_GE(LatestSchemaVersion(), 2);
  core::Result<int> read = repo->SchemaVersion();
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, LatestSchemaVersion());
}

TEST_P(MigrationTest, MigrateIsIdempotent) {
  std::unique_ptr<Repository> repo;
  OpenEmpty(&repo);
  if (IsSkipped() || HasFatalFailure()) return;
  for (int i = 0; i < 3; ++i) {
    core::Result<int> v = repo->Migrate();
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(*v, LatestSchemaVersion());
  }
  // A second process (another Repository on the same database) sees the same version
  // and migrating from it is a no-op too.
  std::unique_ptr<Repository> other = OpenUrl(url_);
  ASSERT_NE(other, nullptr);
  core::Result<int> v = other->Migrate();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, LatestSchemaVersion());
}

TEST_P(MigrationTest, VersionOneWithRowsMigratesToLatestKeepingThem) {
  std::unique_ptr<Repository> repo;
  OpenEmpty(&repo);
  if (IsSkipped() || HasFatalFailure()) return;
  core::Result<int> v1 = repo->MigrateTo(1);
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  EXPECT_EQ(*v1, 1);
  // Rows written as a v1 binary wrote them (CreateTenant now writes later columns).
  SqlWrite(
      "INSERT INTO tenants (id, name, region, settings_json, created_at) VALUES "
      "('acme', 'Acme', 'eu', '{\"a\":1}', 5), ('beta', 'Beta', 'us', '{}', 6)");
  // (CreateApiKey too, since v10.)
  SqlWrite(
      "INSERT INTO api_keys (id, tenant_id, prefix, key_hash, role, created_at) VALUES "
      "('key1', 'acme', 'pfx1', 'hash', 'admin', 5)");
  // A job row as v1 wrote it: today's CreateJob names columns v1 does not have.
  SqlWrite(
      "INSERT INTO jobs (id, tenant_id, external_id, status, run_after, created_at, updated_at)"
      " VALUES ('job_v1', 'acme', 'ext-1', 'queued', 10, 10, 10)");
  if (HasFailure()) return;
  const std::string job_id = "job_v1";
  // v1 has no job_attempts table yet, so claiming needs the later migration.
  EXPECT_FALSE(repo->ClaimJob("w", 20, 1000).ok());

  core::Result<int> latest = repo->Migrate();
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(*latest, LatestSchemaVersion());

  core::Result<Tenant> tenant = repo->GetTenant("acme");
  ASSERT_TRUE(tenant.ok());
  EXPECT_EQ(tenant->settings_json, "{\"a\":1}");
  // v3 gave every existing tenant its own webhook secret.
  EXPECT_EQ(tenant->webhook_secret.rfind("whsec_", 0), 0u) << tenant->webhook_secret;
  EXPECT_EQ(tenant->webhook_secret.size(), 6u + 64u);
  core::Result<Tenant> beta = repo->GetTenant("beta");
  ASSERT_TRUE(beta.ok());
  EXPECT_EQ(beta->webhook_secret.size(), 6u + 64u);
  EXPECT_NE(beta->webhook_secret, tenant->webhook_secret);
  core::Result<ApiKey> key = repo->FindApiKeyByPrefix("pfx1");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->role, Role::kAdmin);
  core::Result<Job> kept = repo->GetJob("acme", job_id);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->spec.external_id, "ext-1");
  EXPECT_EQ(kept->spec.source_sha256, "");  // v5's column: old rows are not checked
  // The new tables work on the old rows.
  core::Result<std::optional<Job>> claimed = repo->ClaimJob("w", 20, 1000);
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  ASSERT_TRUE(claimed->has_value());
  EXPECT_EQ((*claimed)->id, job_id);
  SMARTOCR_ASSERT_OK(repo->PutCachedPage({"acme", job_id}, "k", "{}", 1));
  EXPECT_EQ(repo->GetCachedPage({"acme", job_id}, "k")->value(), "{}");
}

TEST_P(MigrationTest, RejectsUnknownTargetVersion) {
  std::unique_ptr<Repository> repo;
  OpenEmpty(&repo);
  if (IsSkipped() || HasFatalFailure()) return;
  core::Result<int> v = repo->MigrateTo(LatestSchemaVersion() + 1);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(v.status().reason(), "schema_version");
}

SMARTOCR_INSTANTIATE_BACKENDS(MigrationTest);

}  // namespace
}  // namespace smartocr::store
