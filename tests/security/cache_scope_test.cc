// tests/security/cache_scope_test.cc
//
// Issue 16, finding 1: OCR pages were cached before redaction in one page_cache table
// shared by every tenant and by the sync API, and DELETE never cleared it; a cache hit
// showed as timings_ms.cache in the result (finding 6), telling one tenant what
// another had sent. Against the real server, with the database looked at directly:
// a redacting tenant's text is never cached and nothing of its job stays after
// DELETE; another tenant's same document is read again, not served from the first
// tenant's pages; the sync API caches nothing; no result shows a hit.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "api_harness.h"
#include "fixtures.h"

namespace smartocr::testing {
namespace {

constexpr char kEmail[] = "jane.doe@example.com";
constexpr char kEmailPart[] = "jane.doe";  // what a search of the rows looks for

// A page with an email address on it, as a PNG.
std::string PageWithEmail() {
  FixturePage page;
  page.width_pt = 420;
  page.height_pt = 160;
  page.runs = Paragraph({"Order confirmation", std::string("Contact ") + kEmail}, 24, 40, 14, 26);
  std::vector<unsigned char> png;
  cv::imencode(".png", RenderPage(page, 200), png);
  return std::string(png.begin(), png.end());
}

// Submits `bytes` as `key` and waits for the job to succeed; its id ("" on failure).
std::string RunJob(httplib::Client& c, ApiProcess& server, const std::string& key,
                   const std::string& bytes) {
  auto r = PostFile(c, "/ocr/jobs", key, bytes);
  EXPECT_TRUE(r && r->status == 202) << (r ? r->body : "no answer");
  if (!r || r->status != 202) return "";
  const std::string id = Body(r)["id"];
  nlohmann::json job = WaitForJob(c, key, id);
  EXPECT_EQ(job["status"], "succeeded") << job.dump() << server.Log();
  return job["status"] == "succeeded" ? id : "";
}

// The job's result JSON.
nlohmann::json Result(httplib::Client& c, const std::string& key, const std::string& id) {
  auto r = c.Get(("/ocr/jobs/" + id + "/result").c_str(), Bearer(key));
  EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
  return Body(r);
}

// Whether any page of `result` shows that it came from a cache.
bool ShowsACacheHit(const nlohmann::json& result) {
  if (result.contains("timings_ms") && result["timings_ms"].contains("cache")) return true;
  for (const nlohmann::json& page : result.value("pages", nlohmann::json::array())) {
    if (page.contains("timings_ms") && page["timings_ms"].contains("cache")) return true;
  }
  return false;
}

void PutSettings(httplib::Client& c, const std::string& admin_key, const std::string& json) {
  auto r = c.Put("/admin/tenant/settings", Bearer(admin_key), json, "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
}

// A redacting tenant: its pages are never cached as read, and once its job is deleted
// no stage-cache row of it is left (the probe of the issue found the email still
// there).
TEST(SecurityCacheScope, RedactingTenantsTextIsNeverCachedAndGoesWithTheJob) {
  JobsEnv env;
  const std::string key = CreateKey(env, "redacts", "admin");
  auto server = ApiProcess::Start(env, {"--workers", "1"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  PutSettings(*c, key, R"({"redact": ["email"]})");
  const std::string id = RunJob(*c, *server, key, PageWithEmail());
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(Result(*c, key, id).dump().find(kEmailPart), std::string::npos);

  const std::string holding_email =
      "SELECT COUNT(*) FROM page_cache WHERE page_json LIKE '%" + std::string(kEmailPart) + "%'";
  EXPECT_EQ(SqliteCount(env, holding_email), 0);
  EXPECT_EQ(SqliteCount(env, "SELECT COUNT(*) FROM page_cache WHERE key LIKE 'page/%'"), 0);

  auto r = c->Delete(("/ocr/jobs/" + id).c_str(), Bearer(key));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204) << r->body;
  EXPECT_EQ(SqliteCount(env, holding_email), 0);
  EXPECT_EQ(SqliteCount(env, "SELECT COUNT(*) FROM page_cache"), 0);
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

// Two tenants send the same page (their options differ, so no whole-document match
// could hide a page-level one): the second reads it again into rows of its own, and
// neither result shows a cache hit. Re-running a job reuses only that job's rows.
TEST(SecurityCacheScope, AnotherTenantsSameDocumentIsReadAgainNotServedFromTheCache) {
  JobsEnv env;
  const std::string first_key = CreateKey(env, "first", "admin");
  const std::string second_key = CreateKey(env, "second", "admin");
  auto server = ApiProcess::Start(env, {"--workers", "1"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  PutSettings(*c, second_key, R"({"review_threshold": 0.5})");
  const std::string page = PageWithEmail();

  const std::string first = RunJob(*c, *server, first_key, page);
  ASSERT_FALSE(first.empty());
  const nlohmann::json first_result = Result(*c, first_key, first);
  // The OCR reads the address (no tenant here redacts): what a shared cache would leak.
  EXPECT_NE(first_result.dump().find(kEmailPart), std::string::npos) << first_result.dump();
  EXPECT_FALSE(ShowsACacheHit(first_result));

  const std::string second = RunJob(*c, *server, second_key, page);
  ASSERT_FALSE(second.empty());
  EXPECT_FALSE(ShowsACacheHit(Result(*c, second_key, second)));
  // A hit writes nothing: the second tenant's own page row proves it read the page.
  EXPECT_EQ(
      SqliteCount(env, "SELECT COUNT(*) FROM page_cache WHERE tenant_id = 'second' AND job_id = '" +
                           second + "' AND key LIKE 'page/%'"),
      1);
  EXPECT_EQ(
      SqliteCount(env, "SELECT COUNT(*) FROM page_cache WHERE tenant_id = 'first' AND job_id = '" +
                           first + "' AND key LIKE 'page/%'"),
      1);
  // Every row names its job's own tenant.
  EXPECT_EQ(SqliteCount(env,
                        "SELECT COUNT(*) FROM page_cache p JOIN jobs j ON j.id = p.job_id"
                        " WHERE p.tenant_id <> j.tenant_id"),
            0);

  // A re-run is served from the job's own rows, and still does not show it.
  auto r =
      c->Post(("/ocr/jobs/" + first + "/rerun").c_str(), Bearer(first_key), "", "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(WaitForJob(*c, first_key, first)["status"], "succeeded");
  const nlohmann::json rerun = Result(*c, first_key, first);
  EXPECT_FALSE(ShowsACacheHit(rerun));
  EXPECT_EQ(rerun["pages"][0]["text"], first_result["pages"][0]["text"]);
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

// POST /ocr/extract keeps nothing: the same page twice is read twice, and no row is
// written for it.
TEST(SecurityCacheScope, SyncApiNeitherCachesNorShowsAHit) {
  JobsEnv env;
  const std::string key = CreateKey(env, "sync", "service");
  auto server = ApiProcess::Start(env, {"--workers", "0"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  const std::string page = PageWithEmail();
  for (int i = 0; i < 2; ++i) {
    auto r = PostFile(*c, "/ocr/extract", key, page);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_FALSE(ShowsACacheHit(Body(r))) << r->body;
  }
  EXPECT_EQ(SqliteCount(env, "SELECT COUNT(*) FROM page_cache"), 0);
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

}  // namespace
}  // namespace smartocr::testing
