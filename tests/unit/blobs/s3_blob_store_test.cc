// tests/unit/blobs/s3_blob_store_test.cc
//
// The S3 backend against a real s3rver. s3rver 3.7 checks the access key, the
// required x-amz-* headers and presigned expiry, but not V4 signatures themselves
// (sigv4_test.cc covers those with AWS's vectors) nor the multipart ETag form
// (s3_protocol_test.cc checks the multipart requests against a scripted server).
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "blobs/blobs.h"
#include "required.h"
#include "s3rver_harness.h"

namespace smartocr::blobs {
namespace {

namespace fs = std::filesystem;
using testing::S3rver;

constexpr const char* kBucket = "smartocr-test";

// A plain libcurl exchange, as a browser or customer script would do with a presigned
// URL: nothing of ours on the client side.
struct PlainResponse {
  long status = 0;
  std::string body;
};
PlainResponse PlainCurl(const std::string& method, const std::string& url,
                        const std::string& body = "") {
  PlainResponse out;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  auto on_body = +[](char* data, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
  };
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out.body);
  curl_slist* headers = nullptr;
  if (method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    headers = curl_slist_append(headers, "Content-Type: application/octet-stream");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  }
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.status);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return out;
}

class S3BlobStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = S3rver::Start(kBucket, &why_not_).release(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    if (server_ == nullptr) SMARTOCR_SKIP_OR_FAIL(why_not_);
    const Credentials credentials{S3rver::kAccessKey, S3rver::kSecretKey, ""};
    core::Result<BlobStorePtr> store = OpenBlobStore(server_->StoreUrl(), &credentials);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = *std::move(store);
    std::string tmpl = (fs::temp_directory_path() / "blobs-s3-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  static S3rver* server_;
  static std::string why_not_;
  BlobStorePtr store_;
  fs::path dir_;
};
S3rver* S3BlobStoreTest::server_ = nullptr;
std::string S3BlobStoreTest::why_not_;

TEST_F(S3BlobStoreTest, RoundTrip) {
  const std::string bytes("png\0bytes\xff with spaces", 23);
  const std::string key = "jobs/42/page (1).png";  // refused: space
  EXPECT_EQ(store_->Put(key, bytes, "image/png").reason(), "blob_key");
  const std::string good = "jobs/42/page(1)+a=b.png";  // needs encoding in the path
  ASSERT_TRUE(store_->Put(good, bytes, "image/png").ok()) << server_->Log();
  core::Result<bool> exists = store_->Exists(good);
  ASSERT_TRUE(exists.ok()) << exists.status().ToString();
  EXPECT_TRUE(*exists);
  core::Result<std::string> got = store_->Get(good);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, bytes);
  EXPECT_EQ(store_->Uri(good), std::string("s3://") + kBucket + "/" + good);

  ASSERT_TRUE(store_->Put("empty", "", "").ok());
  EXPECT_EQ(*store_->Get("empty"), "");

  ASSERT_TRUE(store_->Delete(good).ok());
  EXPECT_FALSE(*store_->Exists(good));
  EXPECT_TRUE(store_->Delete(good).ok());  // idempotent
}

// ListObjectsV2 over more than one page (S3 returns at most 1000 keys a page).
TEST_F(S3BlobStoreTest, ListFollowsContinuationTokensAndKeepsToThePrefix) {
  constexpr int kKeys = 1003;
  std::vector<std::thread> writers;
  std::atomic<int> failed{0};
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = t; i < kKeys; i += 4) {
        if (!store_->Put("list/many/" + std::to_string(i), "x", "").ok()) ++failed;
      }
    });
  }
  for (std::thread& w : writers) w.join();
  ASSERT_EQ(failed, 0);
  ASSERT_TRUE(store_->Put("list/manyother/1", "x", "").ok());
  ASSERT_TRUE(store_->Put("list/o'k/1", "x", "").ok());  // may be escaped in the XML
  core::Result<std::vector<std::string>> keys = store_->List("list/many/");
  ASSERT_TRUE(keys.ok()) << keys.status().ToString() << server_->Log();
  std::set<std::string> got(keys->begin(), keys->end());
  EXPECT_EQ(got.size(), static_cast<size_t>(kKeys));
  EXPECT_TRUE(got.count("list/many/1002"));
  EXPECT_FALSE(got.count("list/manyother/1"));
  EXPECT_EQ(*store_->List("list/o'k/"), std::vector<std::string>{"list/o'k/1"});
  EXPECT_TRUE(store_->List("nothing/here/")->empty());
  EXPECT_EQ(store_->List("list/many").status().reason(), "blob_key");
}

TEST_F(S3BlobStoreTest, MissingKeyIsNotFound) {
  core::Result<std::string> got = store_->Get("never/written");
  EXPECT_EQ(got.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(got.status().reason(), "no_such_blob");
  const fs::path out = dir_ / "out.bin";
  EXPECT_EQ(store_->GetToFile("never/written", out).reason(), "no_such_blob");
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(fs::is_empty(dir_));  // no temporary file left behind
}

TEST_F(S3BlobStoreTest, MultipartPutFileRoundTrip) {
  S3Options options;
  options.bucket = kBucket;
  options.endpoint = server_->endpoint();
  options.path_style = true;
  options.credentials = {S3rver::kAccessKey, S3rver::kSecretKey, ""};
  options.part_size = kMinPartSize;
  core::Result<BlobStorePtr> store = OpenS3BlobStore(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();

  const fs::path source = dir_ / "scan.tiff";
  std::string content(12 << 20, '\0');
  uint32_t x = 12345;
  for (char& c : content) {
    x = x * 1103515245 + 12345;
    c = static_cast<char>(x >> 24);
  }
  std::ofstream(source, std::ios::binary) << content;

  const core::Status put = (*store)->PutFile("big/scan.tiff", source, "image/tiff");
  ASSERT_TRUE(put.ok()) << put.ToString() << "\n" << server_->Log();
  core::Result<std::string> got = (*store)->Get("big/scan.tiff");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == content) << "sizes " << got->size() << " vs " << content.size();

  const fs::path out = dir_ / "back.tiff";
  ASSERT_TRUE((*store)->GetToFile("big/scan.tiff", out).ok());
  std::ifstream in(out, std::ios::binary);
  EXPECT_TRUE(std::string(std::istreambuf_iterator<char>(in), {}) == content);
}

TEST_F(S3BlobStoreTest, SmallPutFileIsOnePut) {
  const fs::path source = dir_ / "small.txt";
  std::ofstream(source) << "small file";
  ASSERT_TRUE(store_->PutFile("small.txt", source, "text/plain").ok());
  EXPECT_EQ(*store_->Get("small.txt"), "small file");
  EXPECT_EQ(store_->PutFile("x", dir_ / "absent", "").reason(), "no_such_file");
}

TEST_F(S3BlobStoreTest, PresignedGetAndPutWorkWithPlainCurl) {
  ASSERT_TRUE(store_->Put("shared/report.json", R"({"ok":true})", "application/json").ok());
  core::Result<std::string> get_url =
      store_->PresignUrl(PresignMethod::kGet, "shared/report.json", std::chrono::seconds(300), {});
  ASSERT_TRUE(get_url.ok()) << get_url.status().ToString();
  PlainResponse got = PlainCurl("GET", *get_url);
  EXPECT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body, R"({"ok":true})");

  core::Result<std::string> put_url =
      store_->PresignUrl(PresignMethod::kPut, "uploads/in.pdf", std::chrono::seconds(300), {});
  ASSERT_TRUE(put_url.ok());
  PlainResponse put = PlainCurl("PUT", *put_url, "%PDF-1.7 uploaded by a client");
  EXPECT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(*store_->Get("uploads/in.pdf"), "%PDF-1.7 uploaded by a client");
}

TEST_F(S3BlobStoreTest, ExpiredPresignedUrlIsRefused) {
  ASSERT_TRUE(store_->Put("short-lived", "x", "").ok());
  core::Result<std::string> url =
      store_->PresignUrl(PresignMethod::kGet, "short-lived", std::chrono::seconds(1), {});
  ASSERT_TRUE(url.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  const PlainResponse got = PlainCurl("GET", *url);
  EXPECT_EQ(got.status, 403) << got.body;
  EXPECT_NE(got.body.find("expired"), std::string::npos) << got.body;
}

TEST_F(S3BlobStoreTest, UnknownAccessKeyIsForbidden) {
  const Credentials wrong{"NOBODY", "not-the-secret", ""};
  core::Result<BlobStorePtr> store = OpenBlobStore(server_->StoreUrl(), &wrong);
  ASSERT_TRUE(store.ok());
  const core::Status status = (*store)->Put("k", "v", "");
  EXPECT_EQ(status.code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(status.reason(), "s3_forbidden") << status.ToString();
}

}  // namespace
}  // namespace smartocr::blobs
