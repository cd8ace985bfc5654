// tests/security/region_test.cc
//
// Per-tenant regions (issue 22): `smartocr serve --blobs s3://home --region-blobs
// eu=s3://eu` on two real S3 servers (npm s3rver on loopback). A tenant created with
// region "eu" has every object (original, result, page image) in the eu bucket and none
// in the home bucket; a tenant without a region the reverse; a tenant whose region has
// no store here is refused, not stored elsewhere; export and erasure follow the tenant
// to its region.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "api_harness.h"
#include "blobs/blobs.h"
#include "cli_runner.h"
#include "fixtures.h"
#include "required.h"
#include "s3rver_harness.h"

namespace smartocr::testing {
namespace {

size_t Count(blobs::BlobStore& store, const std::string& prefix) {
  auto keys = store.List(prefix);
  EXPECT_TRUE(keys.ok()) << keys.status().ToString();
  return keys.ok() ? keys->size() : 0;
}

TEST(Regions, EachTenantsObjectsStayInItsRegionsStore) {
  std::string why;
  std::unique_ptr<S3rver> home = S3rver::Start("smartocr-home", &why);
  if (!home) SMARTOCR_SKIP_OR_FAIL(why);
  std::unique_ptr<S3rver> eu = S3rver::Start("smartocr-eu", &why);
  if (!eu) SMARTOCR_SKIP_OR_FAIL(why);
  S3rver::ExportCredentials();  // for the server this test starts
  JobsEnv env;
  env.set_blobs_url(home->StoreUrl());
  const std::string root = CreateKey(env, "system", "admin");
  const std::string globex = CreateKey(env, "globex", "admin");  // no region
  auto server = ApiProcess::Start(env, {"--region-blobs", "eu=" + eu->StoreUrl(), "--rate-per-s",
                                        "1000", "--tenant-rate-per-s", "1000"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  auto r =
      c->Post("/admin/tenants", Bearer(root), R"({"id":"acme","region":"eu"})", "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string acme = Body(r)["admin_key"]["key"];
  r = c->Post("/admin/tenants", Bearer(root), R"({"id":"initech","region":"mars"})",
              "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string initech = Body(r)["admin_key"]["key"];

  const std::string acme_job = RunReceiptJob(*c, acme);
  const std::string globex_job = RunReceiptJob(*c, globex);
  EXPECT_EQ(env.Job("acme", acme_job).result_uri.rfind("s3://smartocr-eu/", 0), 0u);
  EXPECT_EQ(env.Job("globex", globex_job).result_uri.rfind("s3://smartocr-home/", 0), 0u);
  // A region this deployment has no store for: refused, nothing stored anywhere.
  r = PostFile(*c, "/ocr/jobs", initech, ReceiptPng());
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("mars"), std::string::npos) << r->body;

  const blobs::Credentials creds{S3rver::kAccessKey, S3rver::kSecretKey, ""};
  auto eu_store = blobs::OpenBlobStore(eu->StoreUrl(), &creds);
  auto home_store = blobs::OpenBlobStore(home->StoreUrl(), &creds);
  ASSERT_TRUE(eu_store.ok() && home_store.ok());
  for (const std::string area : {"originals/", "results/", "pages/"}) {
    EXPECT_EQ(Count(**eu_store, area + "acme/"), 1u) << area;
    EXPECT_EQ(Count(**home_store, area + "acme/"), 0u) << area;
    EXPECT_EQ(Count(**home_store, area + "globex/"), 1u) << area;
    EXPECT_EQ(Count(**eu_store, area + "globex/"), 0u) << area;
    EXPECT_EQ(Count(**home_store, area + "initech/") + Count(**eu_store, area + "initech/"), 0u);
  }

  // Export and erasure find the tenant's objects in its region.
  r = c->Get("/admin/tenant/export", Bearer(acme));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find("results/acme/" + acme_job + ".json"), std::string::npos);
  r = c->Delete("/admin/tenants/acme?confirm=acme", Bearer(root));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_GE(Body(r)["blobs"].get<int>(), 3);  // original, result, page image
  for (const std::string area : {"originals/", "results/", "pages/"}) {
    EXPECT_EQ(Count(**eu_store, area + "acme/"), 0u) << area;
    EXPECT_EQ(Count(**home_store, area + "globex/"), 1u) << area;
  }
  EXPECT_EQ(server->Stop(), 0);
  // A malformed region flag is a usage error.
  EXPECT_EQ(env.Cli({"jobs", "list", "--region-blobs", "eu"}).exit_code, 2);
}

}  // namespace
}  // namespace smartocr::testing
