// tests/security/tenant_data_test.cc
//
// Tenant export and erasure (issue 22), end to end against the real server over
// SQLite and local blobs: the export archive holds the tenant's rows and blobs and
// nothing of another tenant; the erasure leaves nothing of it in the database file or
// the blob store (its job id appears in no byte of either), keeps the other tenant
// whole, and is itself recorded in the system tenant's audit log.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "api_harness.h"
#include "cli_runner.h"
#include "fixtures.h"

namespace smartocr::testing {
namespace {

namespace fs = std::filesystem;

// The files under `root` (recursively) whose path or bytes contain `needle`.
std::vector<std::string> FilesMentioning(const std::string& root, const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    const std::string path = entry.path().string();
    if (path.find(needle) != std::string::npos ||
        ReadFile(path).find(needle) != std::string::npos) {
      found.push_back(path);
    }
  }
  return found;
}

TEST(TenantData, ExportHoldsTheTenantAndErasureLeavesNothing) {
  JobsEnv env;
  const std::string acme = CreateKey(env, "acme", "admin");
  const std::string globex = CreateKey(env, "globex", "admin");
  const std::string operator_key = CreateKey(env, "system", "admin");
  auto server = ApiProcess::Start(env, {"--rate-per-s", "1000", "--tenant-rate-per-s", "1000"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  const std::string acme_job = RunReceiptJob(*c, acme);
  const std::string globex_job = RunReceiptJob(*c, globex);
  const nlohmann::json acme_fields =
      Body(c->Get(("/ocr/jobs/" + acme_job + "/fields").c_str(), Bearer(acme)));

  // The export: the tenant's rows and blobs, no one else's.
  auto r = c->Get("/admin/tenant/export", Bearer(acme));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/x-tar");
  const std::string out = MakeTempDir();
  WriteFile(out + "/acme.tar", r->body);
  ASSERT_EQ(
      Shell("mkdir -p " + out + "/x && tar -xf " + out + "/acme.tar -C " + out + "/x && echo ok"),
      "ok\n");
  const std::string x = out + "/x/";
  EXPECT_EQ(nlohmann::json::parse(ReadFile(x + "tenant.json"))["id"], "acme");
  EXPECT_NE(ReadFile(x + "jobs.jsonl").find(acme_job), std::string::npos);
  EXPECT_NE(ReadFile(x + "api_keys.jsonl").find("\"role\":\"admin\""), std::string::npos);
  EXPECT_EQ(ReadFile(x + "api_keys.jsonl").find("key_hash"), std::string::npos);
  EXPECT_NE(ReadFile(x + "audit.jsonl").find("job.page.read"), std::string::npos);
  EXPECT_FALSE(ReadFile(x + "pages.jsonl").empty());
  for (const auto& field : acme_fields["fields"]) {
    if (field.value("value", "").empty()) continue;
    EXPECT_NE(ReadFile(x + "fields.jsonl").find(field["value"].dump()), std::string::npos)
        << field.dump();
  }
  EXPECT_EQ(ReadFile(x + "blobs/results/acme/" + acme_job + ".json").empty(), false);
  EXPECT_TRUE(fs::exists(x + "blobs/pages/acme/" + acme_job + "/1"));
  const std::vector<std::string> originals = FilesMentioning(x + "blobs/originals/acme", "");
  ASSERT_EQ(originals.size(), 1u);
  EXPECT_EQ(ReadFile(originals[0]), ReceiptPng());
  EXPECT_TRUE(FilesMentioning(out + "/x", "globex").empty());
  EXPECT_TRUE(FilesMentioning(out + "/x", globex_job).empty());
  // The CLI writes the same members to a file.
  CliResult cli =
      env.Cli({"admin", "tenant", "export", "--tenant", "acme", "--out", out + "/cli.tar"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(Shell("tar -tf " + out + "/cli.tar | sort"),
            Shell("tar -tf " + out + "/acme.tar | sort"));

  // Erasure: only the system tenant's admins, only with the name twice.
  EXPECT_EQ(c->Delete("/admin/tenants/acme?confirm=acme", Bearer(acme))->status, 403);
  r = c->Delete("/admin/tenants/acme", Bearer(operator_key));
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(ErrorCode(r), "confirmation_required");
  r = c->Delete("/admin/tenants/acme?confirm=acme", Bearer(operator_key));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r)["jobs"], 1);
  EXPECT_GE(Body(r)["blobs"].get<int>(), 3);  // original, result, page image
  EXPECT_EQ(c->Get("/ocr/jobs", Bearer(acme))->status, 401);
  EXPECT_EQ(c->Delete("/admin/tenants/acme?confirm=acme", Bearer(operator_key))->status, 404);
  const nlohmann::json audit = Body(c->Get("/admin/audit?limit=5", Bearer(operator_key)));
  ASSERT_FALSE(audit["entries"].empty());
  EXPECT_EQ(audit["entries"][0]["action"], "tenant.erase");
  EXPECT_EQ(audit["entries"][0]["after"]["tenant_id"], "acme");
  // The other tenant is whole.
  EXPECT_EQ(c->Get(("/ocr/jobs/" + globex_job + "/result").c_str(), Bearer(globex))->status, 200);
  ASSERT_EQ(server->Stop(), 0);

  // Nothing of acme's job in any byte of the database or the blob store; globex's is.
  const std::string db = env.database_url().substr(std::string("sqlite://").size());
  for (const std::string& file : {db, db + "-wal"}) {
    if (!fs::exists(file)) continue;
    EXPECT_EQ(ReadFile(file).find(acme_job), std::string::npos) << file;
  }
  EXPECT_NE(ReadFile(db).find(globex_job), std::string::npos);
  EXPECT_TRUE(FilesMentioning(env.dir() + "/blobs", acme_job).empty());
  EXPECT_TRUE(FilesMentioning(env.dir() + "/blobs", "/acme/").empty());
  EXPECT_FALSE(FilesMentioning(env.dir() + "/blobs", globex_job).empty());
  // Usage errors: erase without --confirm, export without --out.
  EXPECT_EQ(env.Cli({"admin", "tenant", "erase", "--tenant", "globex"}).exit_code, 2);
  EXPECT_EQ(env.Cli({"admin", "tenant", "export", "--tenant", "globex"}).exit_code, 2);
  EXPECT_NE(
      env.Cli({"admin", "tenant", "erase", "--tenant", "system", "--confirm", "system"}).exit_code,
      0);
}

}  // namespace
}  // namespace smartocr::testing
