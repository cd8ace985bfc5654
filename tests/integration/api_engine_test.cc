// The tenant's engine and engine experiment (docs/api.md, tenant settings): each job
// records its engine and variant in its options, and the worker reads it with that
// engine whatever its schema would pick.
#include <gtest/gtest.h>

#include "api_harness.h"
#include "fixtures.h"

namespace smartocr::testing {
namespace {

TEST(ApiEngine, TheExperimentPicksTheEngineAndTheJobRecordsIt) {
  JobsEnv env;
  const std::string admin = CreateKey(env, "acme", "admin");
  auto server = ApiProcess::Start(
      env, {"--workers", "1", "--engine", "auto", "--rate-per-s", "0", "--tenant-rate-per-s", "0"});
  ASSERT_NE(server, nullptr);
  const bool hybrid_loaded = ReceiptEngine(*server) == "hybrid";
  auto c = server->Client();
  auto settings = [&](const std::string& json) {
    auto r = c->Put("/admin/tenant/settings", Bearer(admin), json, "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
  };
  auto run = [&](const std::string& doc_type) {
    auto r = PostFile(*c, "/ocr/jobs", admin, ReceiptPng(), {{"doc_type", doc_type}});
    EXPECT_TRUE(r && r->status == 202) << (r ? r->body : "");
    nlohmann::json job = WaitForJob(*c, admin, Body(r)["id"]);
    EXPECT_EQ(job["status"], "succeeded") << job.dump();
    nlohmann::json result = Body(
        c->Get(("/ocr/jobs/" + job["id"].get<std::string>() + "/result").c_str(), Bearer(admin)));
    return std::pair{job, result};
  };

  // Every job in the experiment: receipts, which `auto` reads with the hybrid engine
  // where it is loaded, are read with Tesseract, and say so.
  settings(R"({"experiment": {"engine": "tesseract", "percent": 100}})");
  auto [b_job, b_result] = run("receipt");
  EXPECT_EQ(b_job["options"]["engine"], "tesseract") << b_job.dump();
  EXPECT_EQ(b_job["options"]["variant"], "b");
  EXPECT_EQ(b_result["engine"]["name"], "tesseract");

  // No job in it: the tenant's engine (hybrid) on an invoice, which `auto` reads with
  // Tesseract. Without the PP-OCR models the worker has no hybrid engine: it says so.
  settings(R"({"engine": "hybrid", "experiment": {"engine": "tesseract", "percent": 0}})");
  auto [a_job, a_result] = run("invoice");
  EXPECT_EQ(a_job["options"]["engine"], "hybrid");
  EXPECT_EQ(a_job["options"]["variant"], "a");
  if (hybrid_loaded) {
    EXPECT_EQ(a_result["engine"]["name"], "hybrid") << a_result["engine"].dump();
  } else {
    EXPECT_EQ(a_result["engine"]["name"], "tesseract");
    EXPECT_NE(a_result.dump().find("engine hybrid is not loaded here"), std::string::npos);
  }
  // An extractor experiment is recorded the same way.
  settings(R"({"experiment": {"extractor": "rules", "percent": 100}})");
  auto [x_job, x_result] = run("receipt");
  EXPECT_EQ(x_job["options"]["extractor"], "rules") << x_job.dump();
  EXPECT_EQ(x_job["options"]["variant"], "b");
  EXPECT_FALSE(x_result["fields"].empty()) << x_result.dump();
  auto bad = c->Put("/admin/tenant/settings", Bearer(admin),
                    R"({"experiment": {"engine": "gpt", "percent": 5}})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 422) << bad->body;
}

}  // namespace
}  // namespace smartocr::testing
