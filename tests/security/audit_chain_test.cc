// tests/security/audit_chain_test.cc
//
// The audit log as a hash chain (issue 22), end to end: rows the API appends verify
// through `GET /admin/audit/verify` and `smartocr admin audit verify`; a row edited in
// the database file, or the newest row deleted (against a head recorded before), is
// found by the CLI with exit 4.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "api_harness.h"
#include "cli_runner.h"

namespace smartocr::testing {
namespace {

// Runs one statement on the env's SQLite database, as someone with file access would.
void SqliteWrite(const JobsEnv& env, const std::string& statement) {
  const std::string path = env.database_url().substr(std::string("sqlite://").size());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &error);
  const std::string why = error == nullptr ? "" : error;
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << statement << ": " << why;
}

TEST(AuditChain, EditsAndTruncationsAreFound) {
  JobsEnv env;
  const std::string admin = CreateKey(env, "acme", "admin");  // audit row: key.create
  auto server = ApiProcess::Start(env, {"--workers", "0"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  for (const char* role : {"viewer", "reviewer"}) {
    auto r = c->Post("/admin/keys", Bearer(admin), std::string(R"({"role":")") + role + "\"}",
                     "application/json");
    ASSERT_EQ(r->status, 201) << r->body;
  }
  auto r = c->Get("/admin/audit/verify", Bearer(admin));
  ASSERT_EQ(r->status, 200) << r->body;
  const nlohmann::json report = Body(r);
  EXPECT_EQ(report["intact"], true) << r->body;
  EXPECT_EQ(report["rows"], 3) << r->body;
  const std::string head = report["head"];
  EXPECT_EQ(head.size(), 64u);
  EXPECT_EQ(Body(c->Get(("/admin/audit/verify?head=" + head).c_str(), Bearer(admin)))["head_found"],
            true);
  EXPECT_EQ(c->Get("/admin/audit/verify", Bearer(CreateKey(env, "acme", "viewer")))->status, 403);
  EXPECT_EQ(server->Stop(), 0);

  CliResult ok = env.Cli({"admin", "audit", "verify", "--tenant", "acme", "--head", head});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("intact, 4 rows"), std::string::npos) << ok.out;  // + the viewer key

  // The newest row deleted: the chain still verifies, but not against the head recorded
  // after it was written.
  CliResult newest = env.Cli({"admin", "audit", "verify", "--tenant", "acme"});
  const std::string newest_head = newest.out.substr(newest.out.find("head ") + 5, 64);
  SqliteWrite(env, "DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)");
  CliResult truncated =
      env.Cli({"admin", "audit", "verify", "--tenant", "acme", "--head", newest_head});
  EXPECT_EQ(truncated.exit_code, 4) << truncated.out << truncated.err;
  EXPECT_NE(truncated.out.find("is not in the chain"), std::string::npos) << truncated.out;

  // An edit in place: the row is named.
  const std::string first = SqliteColumn(env, "SELECT MIN(id) FROM audit_log").front();
  SqliteWrite(env, "UPDATE audit_log SET actor = 'someone else' WHERE id = " + first);
  CliResult edited = env.Cli({"admin", "audit", "verify", "--tenant", "acme"});
  EXPECT_EQ(edited.exit_code, 4) << edited.out << edited.err;
  EXPECT_NE(edited.out.find("BROKEN at row " + first + ": the row was edited"), std::string::npos)
      << edited.out;

  CliResult usage = env.Cli({"admin", "audit", "verify"});
  EXPECT_EQ(usage.exit_code, 2) << usage.err;
}

}  // namespace
}  // namespace smartocr::testing
