// tests/unit/blobs/open_blob_store_test.cc
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "blobs/blobs.h"

namespace smartocr::blobs {
namespace {

namespace fs = std::filesystem;

const Credentials kCredentials{"AKID", "secret", ""};

TEST(OpenBlobStoreTest, LocalFromPathAndFileUrl) {
  std::string tmpl = (fs::temp_directory_path() / "blobs-open-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  const fs::path dir = tmpl;
  for (const std::string& url : {dir.string() + "/plain", "file://" + dir.string() + "/viaurl",
                                 "file://" + dir.string() + "/with%20space"}) {
    SCOPED_TRACE(url);
    core::Result<BlobStorePtr> store = OpenBlobStore(url);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->Put("k", "v", "").ok());
    // The URI resolves back to a store that reads the same object.
    core::Result<BlobLocation> where = ResolveUri((*store)->Uri("k"));
    ASSERT_TRUE(where.ok()) << where.status().ToString();
    core::Result<BlobStorePtr> again = OpenBlobStore(where->store_url);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(*(*again)->Get(where->key), "v");
  }
  EXPECT_TRUE(fs::exists(dir / "with space" / "k"));
  fs::remove_all(dir);
}

TEST(OpenBlobStoreTest, S3Url) {
  core::Result<BlobStorePtr> store = OpenBlobStore(
      "s3://my-bucket?endpoint=http://127.0.0.1:9000&region=eu-west-1&path_style=true",
      &kCredentials);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->Uri("a/b.png"), "s3://my-bucket/a/b.png");
  core::Result<std::string> url =
      (*store)->PresignUrl(PresignMethod::kGet, "a/b.png", std::chrono::seconds(300), {});
  ASSERT_TRUE(url.ok());
  EXPECT_TRUE(url->starts_with("http://127.0.0.1:9000/my-bucket/a/b.png?X-Amz-Algorithm=")) << *url;
  EXPECT_NE(url->find("%2Feu-west-1%2Fs3%2Faws4_request"), std::string::npos) << *url;
  EXPECT_NE(url->find("X-Amz-Expires=300&"), std::string::npos) << *url;
}

TEST(OpenBlobStoreTest, VirtualHostStyleByDefault) {
  core::Result<BlobStorePtr> store =
      OpenBlobStore("s3://my-bucket?region=us-west-2", &kCredentials);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  core::Result<std::string> url =
      (*store)->PresignUrl(PresignMethod::kPut, "k", std::chrono::seconds(60), {});
  ASSERT_TRUE(url.ok());
  EXPECT_TRUE(url->starts_with("https://my-bucket.s3.us-west-2.amazonaws.com/k?")) << *url;
}

// An endpoint of one's own (MinIO, s3rver) gets path-style names unless the URL says
// otherwise: "bucket.127.0.0.1" resolves nowhere.
TEST(OpenBlobStoreTest, PathStyleByDefaultWithAnEndpoint) {
  for (const auto& [url, prefix] : {
           std::pair{"s3://my-bucket?endpoint=http://127.0.0.1:9000",
                     "http://127.0.0.1:9000/my-bucket/k?"},
           std::pair{"s3://my-bucket?endpoint=http://minio.local:9000&path_style=false",
                     "http://my-bucket.minio.local:9000/k?"},
       }) {
    SCOPED_TRACE(url);
    core::Result<BlobStorePtr> store = OpenBlobStore(url, &kCredentials);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    core::Result<std::string> presigned =
        (*store)->PresignUrl(PresignMethod::kGet, "k", std::chrono::seconds(60), {});
    ASSERT_TRUE(presigned.ok());
    EXPECT_TRUE(presigned->starts_with(prefix)) << *presigned;
  }
}

TEST(OpenBlobStoreTest, PresignExpiryBounds) {
  core::Result<BlobStorePtr> store = OpenBlobStore("s3://my-bucket", &kCredentials);
  ASSERT_TRUE(store.ok());
  for (long s : {0L, -5L, 7 * 24 * 3600L + 1}) {
    SCOPED_TRACE(s);
    EXPECT_EQ((*store)
                  ->PresignUrl(PresignMethod::kGet, "k", std::chrono::seconds(s), {})
                  .status()
                  .reason(),
              "presign_expiry");
  }
  EXPECT_TRUE((*store)->PresignUrl(PresignMethod::kGet, "k", std::chrono::hours(24 * 7), {}).ok());
}

TEST(OpenBlobStoreTest, BadUrlsAndOptions) {
  struct Case {
    const char* url;
    const char* reason;
  };
  const Case cases[] = {
      {"ftp://host/dir", "blob_store_url"},
      {"", "blob_store_url"},
      {"file://relative/dir", "blob_store_url"},
      {"s3://my-bucket?colour=blue", "blob_store_url"},
      {"s3://my-bucket?path_style=yes", "blob_store_url"},
      {"s3://B", "s3_options"},
      {"s3://my-bucket?endpoint=ftp://h", "s3_options"},
      {"s3://my-bucket?endpoint=http://h/path", "s3_options"},
      {"s3://my-bucket?part_size=1024", "s3_options"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.url);
    core::Result<BlobStorePtr> store = OpenBlobStore(c.url, &kCredentials);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), core::StatusCode::kInvalidArgument);
    EXPECT_EQ(store.status().reason(), c.reason);
  }
}

TEST(OpenBlobStoreTest, CredentialsFromEnv) {
  ::setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  EXPECT_EQ(OpenBlobStore("s3://my-bucket").status().reason(), "s3_credentials");
  ::setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
  ::setenv("AWS_SESSION_TOKEN", "tok", 1);
  core::Result<Credentials> env = Credentials::FromEnv();
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->access_key_id, "AKIDENV");
  EXPECT_EQ(env->session_token, "tok");
  EXPECT_TRUE(OpenBlobStore("s3://my-bucket").ok());
  ::unsetenv("AWS_ACCESS_KEY_ID");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  ::unsetenv("AWS_SESSION_TOKEN");
}

TEST(ResolveUriTest, Table) {
  struct Case {
    const char* uri;
    bool ok;
    const char* store_url;
    const char* key;
  };
  const Case cases[] = {
      {"s3://bucket-1/jobs/42/p.png", true, "s3://bucket-1", "jobs/42/p.png"},
      {"file:///var/lib/smartocr/p.png", true, "file:///var/lib/smartocr", "p.png"},
      {"file:///p.png", true, "file:///", "p.png"},
      {"s3://bucket-1", false, "", ""},
      {"s3://bucket-1/", false, "", ""},
      {"s3://bucket-1/../x", false, "", ""},
      {"file://host/x", false, "", ""},
      {"http://example.com/x", false, "", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.uri);
    core::Result<BlobLocation> where = ResolveUri(c.uri);
    ASSERT_EQ(where.ok(), c.ok) << where.status().ToString();
    if (!c.ok) {
      EXPECT_EQ(where.status().reason(), "blob_uri");
      continue;
    }
    EXPECT_EQ(where->store_url, c.store_url);
    EXPECT_EQ(where->key, c.key);
  }
}

}  // namespace
}  // namespace smartocr::blobs
