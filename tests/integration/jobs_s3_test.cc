// The worker on S3-compatible storage: originals read from and results written to a
// real S3 server (npm s3rver on loopback), with the database on SQLite.
#include <gtest/gtest.h>

#include <cstdlib>

#include "blobs/blobs.h"
#include "fixtures.h"
#include "jobs_harness.h"
#include "required.h"
#include "s3rver_harness.h"

namespace smartocr::testing {
namespace {

TEST(JobsS3, WorkerReadsOriginalsAndWritesResultsInS3) {
  std::string why;
  auto s3 = S3rver::Start("smartocr", &why);
  if (!s3) SMARTOCR_SKIP_OR_FAIL(why);
  // `submit` runs as a child of this process and inherits the credentials.
  S3rver::ExportCredentials();
  JobsEnv env;
  FixturePage page;
  page.runs = Paragraph({"Stored in an S3 bucket", "and read back by the worker"}, 72, 72);
  std::string pdf = env.dir() + "/doc.pdf";
  WritePdf(pdf, {page});

  env.set_blobs_url(s3->StoreUrl());
  std::vector<std::string> ids = env.Submit({pdf});
  ASSERT_EQ(ids.size(), 1u);
  store::Job queued = env.Job("default", ids[0]);
  EXPECT_EQ(queued.spec.source_uri.rfind("s3://smartocr/", 0), 0u) << queued.spec.source_uri;

  pid_t worker = env.StartWorker({"--once"});
  ASSERT_EQ(env.WaitWorker(worker, 120), 0) << env.WorkerLog(worker);
  store::Job done = env.Job("default", ids[0]);
  EXPECT_EQ(done.status, store::JobStatus::kSucceeded) << done.error_message;
  ASSERT_EQ(done.result_uri.rfind("s3://smartocr/", 0), 0u) << done.result_uri;

  blobs::Credentials creds{S3rver::kAccessKey, S3rver::kSecretKey, ""};
  auto store = blobs::OpenBlobStore(s3->StoreUrl(), &creds);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto location = blobs::ResolveUri(done.result_uri);
  ASSERT_TRUE(location.ok()) << location.status().ToString();
  auto result = (*store)->Get(location->key);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_NE(result->find("Stored in an S3 bucket"), std::string::npos);
}

}  // namespace
}  // namespace smartocr::testing
