// tests/unit/store/repo_fixture.h
//
// Fixtures that run every repository test on both backends: TEST_P over
// {"sqlite", "postgresql"}. SQLite uses a fresh file in a temp dir (WAL, several
// connections, as in production); PostgreSQL a fresh database on the binary's shared
// throwaway server (postgres_harness.h), skipped when PostgreSQL is not installed
// unless CI is set.
#ifndef SMARTOCR_TESTS_UNIT_STORE_REPO_FIXTURE_H_
#define SMARTOCR_TESTS_UNIT_STORE_REPO_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/store.h"

namespace smartocr::store {

#define SMARTOCR_ASSERT_OK(expr)                              \
  do {                                                        \
    const ::smartocr::core::Status _st = (expr);              \
    ASSERT_TRUE(_st.ok()) << #expr << ": " << _st.ToString(); \
  } while (0)

namespace internal {
class SqlDb;
}  // namespace internal

// Opens databases for the backend named by the test parameter; does not migrate.
class StoreTestBase : public ::testing::TestWithParam<std::string> {
 protected:
  void TearDown() override;

  // Sets *repo to a repository on a new, empty database. Skips the test (or, with CI
  // set, fails it) when PostgreSQL is unavailable: *repo stays null then. The URL is
  // kept in url_ so a test can open a second Repository on the same database.
  void OpenEmpty(std::unique_ptr<Repository>* repo);
  std::unique_ptr<Repository> OpenUrl(const std::string& url);
  // Runs a read-only SQL query on the test database (to look at rows the Repository
  // does not expose, such as blocks); each row's columns as text.
  std::vector<std::vector<std::string>> Sql(const std::string& query);
  // Runs one statement in a write transaction (rows as an older schema had them, which
  // today's Repository, naming today's columns, cannot write). Fails the test on error.
  void SqlWrite(const std::string& statement);

  std::string url_;
  std::string temp_dir_;  // SQLite only; removed in TearDown

 private:
  // A raw database on url_, or null (with a test failure).
  std::unique_ptr<internal::SqlDb> OpenDb();
};

// A migrated repository with tenants "t1" and "t2".
class RepoTest : public StoreTestBase {
 protected:
  void SetUp() override;

  // Creates a job for t1 (or `tenant`) at time `now`.
  Job AddJob(int64_t now, const std::string& tenant = "t1", const std::string& external_id = "",
             const std::string& doc_type = "");

  std::unique_ptr<Repository> repo_;
};

// Test names read "Backends/QueueTest.ClaimsOldestFirst/sqlite".
std::string BackendName(const ::testing::TestParamInfo<std::string>& info);

#define SMARTOCR_INSTANTIATE_BACKENDS(suite)                                           \
  INSTANTIATE_TEST_SUITE_P(Backends, suite, ::testing::Values("sqlite", "postgresql"), \
                           ::smartocr::store::BackendName)

}  // namespace smartocr::store

#endif  // SMARTOCR_TESTS_UNIT_STORE_REPO_FIXTURE_H_
