// tests/unit/store/repo_fixture.cc
#include "repo_fixture.h"

#include <filesystem>

#include "fixtures.h"
#include "postgres_harness.h"
#include "required.h"
#include "store/pg_db.h"
#include "store/sqlite_db.h"

namespace smartocr::store {

std::string BackendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

void StoreTestBase::TearDown() {
  if (!temp_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(temp_dir_, ignored);
  }
}

std::unique_ptr<Repository> StoreTestBase::OpenUrl(const std::string& url) {
  core::Result<std::unique_ptr<Repository>> repo = OpenRepository(url);
  EXPECT_TRUE(repo.ok()) << url << ": " << repo.status().ToString();
  if (!repo.ok()) return nullptr;
  return std::move(*repo);
}

std::unique_ptr<internal::SqlDb> StoreTestBase::OpenDb() {
  std::unique_ptr<internal::SqlDb> db;
  if (GetParam() == "sqlite") {
    auto opened = internal::SqliteDb::Open(url_.substr(std::string("sqlite://").size()));
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    if (opened.ok()) db = std::move(*opened);
  } else {
    auto opened = internal::PgDb::Open(url_);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    if (opened.ok()) db = std::move(*opened);
  }
  return db;
}

void StoreTestBase::SqlWrite(const std::string& statement) {
  std::unique_ptr<internal::SqlDb> db = OpenDb();
  if (db == nullptr) return;
  core::Status st = db->InTransaction(internal::TxMode::kWrite, [&](internal::SqlConn& conn) {
    return conn.Exec(statement).status();
  });
  EXPECT_TRUE(st.ok()) << statement << ": " << st.ToString();
}

std::vector<std::vector<std::string>> StoreTestBase::Sql(const std::string& query) {
  std::unique_ptr<internal::SqlDb> db = OpenDb();
  std::vector<std::vector<std::string>> out;
  if (db == nullptr) return out;
  core::Status st = db->InTransaction(internal::TxMode::kRead, [&](internal::SqlConn& conn) {
    core::Result<internal::SqlRows> rows = conn.Query(query);
    if (!rows.ok()) return rows.status();
    for (const internal::SqlRow& row : *rows) out.push_back(row.cols);
    return core::Status();
  });
  EXPECT_TRUE(st.ok()) << query << ": " << st.ToString();
  return out;
}

void StoreTestBase::OpenEmpty(std::unique_ptr<Repository>* repo) {
  if (GetParam() == "sqlite") {
    temp_dir_ = testing::MakeTempDir();
    url_ = "sqlite://" + temp_dir_ + "/smartocr.db";
    *repo = OpenUrl(url_);
    return;
  }
  std::string why;
  testing::PostgresServer* server = testing::SharedPostgresServer(&why);
  if (server == nullptr) SMARTOCR_SKIP_OR_FAIL("PostgreSQL unavailable: " + why);
  url_ = server->CreateDatabase(&why);
  ASSERT_FALSE(url_.empty()) << why;
  *repo = OpenUrl(url_);
}

void RepoTest::SetUp() {
  OpenEmpty(&repo_);
  if (IsSkipped() || HasFatalFailure()) return;
  ASSERT_NE(repo_, nullptr);
  core::Result<int> version = repo_->Migrate();
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  SMARTOCR_ASSERT_OK(repo_->CreateTenant(Tenant{"t1", "Tenant One", "eu", "{}", 1}));
  SMARTOCR_ASSERT_OK(repo_->CreateTenant(Tenant{"t2", "Tenant Two", "us", "{}", 1}));
}

Job RepoTest::AddJob(int64_t now, const std::string& tenant, const std::string& external_id,
                     const std::string& doc_type) {
  JobSpec spec;
  spec.external_id = external_id;
  spec.doc_type = doc_type;
  spec.source_uri = "blob://in/" + std::to_string(now);
  bool created = false;
  core::Result<Job> job = repo_->CreateJob(tenant, spec, now, &created);
  EXPECT_TRUE(job.ok()) << job.status().ToString();
  return job.ok() ? *job : Job{};
}

}  // namespace smartocr::store
