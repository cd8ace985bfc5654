// tests/unit/blobs/s3_protocol_test.cc
//
// The S3 backend's requests, retries and multipart protocol, against a scripted
// loopback server standing in for S3. Needs no s3rver.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "blobs/blobs.h"
#include "http_receiver.h"

namespace smartocr::blobs {
namespace {

namespace fs = std::filesystem;
using testing::HttpReceiver;
using testing::HttpReceiverOptions;

S3Options FakeS3(const HttpReceiver& receiver) {
  S3Options options;
  options.bucket = "fake-bucket";
  options.endpoint = receiver.Url("");
  options.path_style = true;
  options.credentials = {"AKID", "secret", ""};
  options.part_size = kMinPartSize;
  options.retry_backoff = std::chrono::milliseconds(5);
  return options;
}

TEST(S3ProtocolTest, RetriesServerErrorsThenSucceeds) {
  auto receiver = HttpReceiver::Start({.statuses = {503, 503, 200}});
  ASSERT_TRUE(receiver.ok());
  S3Options options = FakeS3(**receiver);
  options.credentials.session_token = "session";
  core::Result<BlobStorePtr> store = OpenS3BlobStore(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const core::Status put = (*store)->Put("a/b.txt", "hello", "text/plain");
  EXPECT_TRUE(put.ok()) << put.ToString();
  const auto requests = (*receiver)->Requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& request : requests) {
    EXPECT_EQ(request.method, "PUT");
    EXPECT_EQ(request.target, "/fake-bucket/a/b.txt");
    EXPECT_EQ(request.body, "hello");
    EXPECT_EQ(request.Header("content-type"), "text/plain");
    // Every request carries the payload hash, the token and a fresh signature.
    EXPECT_EQ(request.Header("x-amz-content-sha256"),
              "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    EXPECT_EQ(request.Header("x-amz-security-token"), "session");
    EXPECT_TRUE(request.Header("authorization").starts_with("AWS4-HMAC-SHA256 Credential=AKID/"));
    EXPECT_NE(request.Header("authorization")
                  .find("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;"
                        "x-amz-security-token,"),
              std::string::npos)
        << request.Header("authorization");
  }
}

TEST(S3ProtocolTest, GivesUpAfterMaxAttemptsAndDoesNotRetry404) {
  auto receiver = HttpReceiver::Start({.statuses = {500}});
  ASSERT_TRUE(receiver.ok());
  S3Options options = FakeS3(**receiver);
  core::Result<BlobStorePtr> store = OpenS3BlobStore(options);
  ASSERT_TRUE(store.ok());
  core::Result<std::string> got = (*store)->Get("k");
  EXPECT_EQ(got.status().code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(got.status().reason(), "s3_unavailable");
  EXPECT_EQ((*receiver)->Requests().size(), 3u);

  auto missing = HttpReceiver::Start(
      {.statuses = {404},
       .response_body = "<Error><Code>NoSuchBucket</Code><Message>gone</Message></Error>"});
  ASSERT_TRUE(missing.ok());
  store = OpenS3BlobStore(FakeS3(**missing));
  ASSERT_TRUE(store.ok());
  core::Result<std::string> none = (*store)->Get("k");
  EXPECT_EQ(none.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(none.status().reason(), "no_such_bucket");
  EXPECT_NE(none.status().message().find("gone"), std::string::npos);
  EXPECT_EQ((*missing)->Requests().size(), 1u);
}

TEST(S3ProtocolTest, ConnectionRefusedIsUnavailable) {
  int port = 0;
  {
    auto receiver = HttpReceiver::Start({});
    ASSERT_TRUE(receiver.ok());
    port = (*receiver)->port();
  }
  S3Options options;
  options.bucket = "fake-bucket";
  options.endpoint = "http://127.0.0.1:" + std::to_string(port);
  options.path_style = true;
  options.credentials = {"AKID", "secret", ""};
  options.retry_backoff = std::chrono::milliseconds(5);
  core::Result<BlobStorePtr> store = OpenS3BlobStore(options);
  ASSERT_TRUE(store.ok());
  const core::Status status = (*store)->Put("k", "v", "");
  EXPECT_EQ(status.code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(status.reason(), "s3_http_connect");
}

class S3MultipartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "blobs-mp-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    source_ = dir_ / "scan.tiff";
    content_ = std::string(12 << 20, 'x');
    for (size_t i = 0; i < content_.size(); i += 4096) content_[i] = static_cast<char>(i >> 12);
    std::ofstream(source_, std::ios::binary) << content_;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // One reply body serves every request: CreateMultipartUpload reads the UploadId
  // from it, and the others ignore it.
  static HttpReceiverOptions FakeS3Options(std::vector<int> statuses) {
    return {.statuses = std::move(statuses),
            .response_body =
                "<InitiateMultipartUploadResult><UploadId>up/1+x</UploadId>"
                "</InitiateMultipartUploadResult>",
            .response_headers = {{"ETag", "\"etag-part\""}}};
  }

  fs::path dir_, source_;
  std::string content_;
};

TEST_F(S3MultipartTest, UploadsPartsAndCompletes) {
  auto receiver = HttpReceiver::Start(FakeS3Options({200}));
  ASSERT_TRUE(receiver.ok());
  core::Result<BlobStorePtr> store = OpenS3BlobStore(FakeS3(**receiver));
  ASSERT_TRUE(store.ok());
  const core::Status put = (*store)->PutFile("big/scan.tiff", source_, "image/tiff");
  ASSERT_TRUE(put.ok()) << put.ToString();

  const auto requests = (*receiver)->Requests();
  ASSERT_EQ(requests.size(), 5u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/fake-bucket/big/scan.tiff?uploads=");
  EXPECT_EQ(requests[0].Header("content-type"), "image/tiff");
  std::string reassembled;
  for (int part = 1; part <= 3; ++part) {
    SCOPED_TRACE(part);
    const auto& request = requests[static_cast<size_t>(part)];
    EXPECT_EQ(request.method, "PUT");
    EXPECT_EQ(request.target, "/fake-bucket/big/scan.tiff?partNumber=" + std::to_string(part) +
                                  "&uploadId=up%2F1%2Bx");
    EXPECT_EQ(request.body.size(), part < 3 ? kMinPartSize : (2u << 20));
    EXPECT_EQ(request.Header("x-amz-content-sha256").size(), 64u);
    reassembled += request.body;
  }
  EXPECT_TRUE(reassembled == content_);
  EXPECT_EQ(requests[4].method, "POST");
  EXPECT_EQ(requests[4].target, "/fake-bucket/big/scan.tiff?uploadId=up%2F1%2Bx");
  EXPECT_EQ(requests[4].body,
            "<CompleteMultipartUpload>"
            "<Part><PartNumber>1</PartNumber><ETag>&quot;etag-part&quot;</ETag></Part>"
            "<Part><PartNumber>2</PartNumber><ETag>&quot;etag-part&quot;</ETag></Part>"
            "<Part><PartNumber>3</PartNumber><ETag>&quot;etag-part&quot;</ETag></Part>"
            "</CompleteMultipartUpload>");
}

// Server-side encryption is asked for where an object is made (a PUT, a multipart
// upload's start), signed like the other headers, and nowhere else (S3 refuses it on a
// part upload).
TEST_F(S3MultipartTest, AsksForServerSideEncryptionWhereObjectsAreMade) {
  auto receiver = HttpReceiver::Start(FakeS3Options({200}));
  ASSERT_TRUE(receiver.ok());
  S3Options options = FakeS3(**receiver);
  options.sse = "aws:kms";
  options.sse_kms_key_id = "arn:aws:kms:eu-west-1:1:key/k";
  core::Result<BlobStorePtr> store = OpenS3BlobStore(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->PutFile("big/scan.tiff", source_, "image/tiff").ok());
  ASSERT_TRUE((*store)->Put("small.txt", "x", "text/plain").ok());
  (void)(*store)->Get("small.txt");
  const auto requests = (*receiver)->Requests();
  ASSERT_EQ(requests.size(), 7u);
  for (size_t i = 0; i < requests.size(); ++i) {
    SCOPED_TRACE(requests[i].method + " " + requests[i].target);
    const bool makes_object = i == 0 || i == 5;  // the upload's start; the PUT
    EXPECT_EQ(requests[i].Header("x-amz-server-side-encryption"), makes_object ? "aws:kms" : "");
    EXPECT_EQ(requests[i].Header("x-amz-server-side-encryption-aws-kms-key-id"),
              makes_object ? "arn:aws:kms:eu-west-1:1:key/k" : "");
    EXPECT_EQ(requests[i].Header("authorization").find("x-amz-server-side-encryption;") !=
                  std::string::npos,
              makes_object);
  }
  // From a URL, and what is refused.
  auto aes = OpenBlobStore("s3://bkt?endpoint=http://127.0.0.1:1&sse=AES256", &options.credentials);
  EXPECT_TRUE(aes.ok()) << aes.status().ToString();
  for (const char* bad : {"s3://bkt?endpoint=http://127.0.0.1:1&sse=DES",
                          "s3://bkt?endpoint=http://127.0.0.1:1&sse=AES256&sse_kms_key_id=k"}) {
    EXPECT_EQ(OpenBlobStore(bad, &options.credentials).status().reason(), "s3_options") << bad;
  }
}

TEST_F(S3MultipartTest, AbortsWhenAPartIsRejected) {
  // Create OK, part 1 OK, part 2 rejected (400, not retried), then the abort.
  auto receiver = HttpReceiver::Start(FakeS3Options({200, 200, 400, 204}));
  ASSERT_TRUE(receiver.ok());
  core::Result<BlobStorePtr> store = OpenS3BlobStore(FakeS3(**receiver));
  ASSERT_TRUE(store.ok());
  const core::Status put = (*store)->PutFile("big/scan.tiff", source_, "image/tiff");
  EXPECT_EQ(put.code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(put.reason(), "s3_rejected");
  const auto requests = (*receiver)->Requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[3].method, "DELETE");
  EXPECT_EQ(requests[3].target, "/fake-bucket/big/scan.tiff?uploadId=up%2F1%2Bx");
}

}  // namespace
}  // namespace smartocr::blobs
