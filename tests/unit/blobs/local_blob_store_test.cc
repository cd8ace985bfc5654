// tests/unit/blobs/local_blob_store_test.cc
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "blobs/blobs.h"

namespace smartocr::blobs {
namespace {

namespace fs = std::filesystem;

class LocalBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "blobs-local-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    root_ = dir_ / "store";
    core::Result<BlobStorePtr> store = OpenLocalBlobStore(root_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = *std::move(store);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Every file under the root whose name marks a leftover temporary file.
  std::vector<std::string> TempFiles() const {
    std::vector<std::string> out;
    for (const auto& entry : fs::recursive_directory_iterator(root_)) {
      if (entry.path().filename().string().starts_with(".blobtmp-")) {
        out.push_back(entry.path().string());
      }
    }
    return out;
  }

  fs::path dir_;
  fs::path root_;
  BlobStorePtr store_;
};

TEST_F(LocalBlobStoreTest, RoundTrip) {
  const std::string bytes("binary\0data\xff", 12);
  ASSERT_TRUE(store_->Put("jobs/42/page-1.png", bytes, "image/png").ok());
  core::Result<std::string> got = store_->Get("jobs/42/page-1.png");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, bytes);
  EXPECT_TRUE(*store_->Exists("jobs/42/page-1.png"));
  EXPECT_FALSE(*store_->Exists("jobs/42"));  // a directory is not a blob

  ASSERT_TRUE(store_->Put("jobs/42/page-1.png", "v2", "image/png").ok());
  EXPECT_EQ(*store_->Get("jobs/42/page-1.png"), "v2");

  ASSERT_TRUE(store_->Put("empty", "", "").ok());
  EXPECT_EQ(*store_->Get("empty"), "");

  ASSERT_TRUE(store_->Delete("jobs/42/page-1.png").ok());
  EXPECT_FALSE(*store_->Exists("jobs/42/page-1.png"));
  EXPECT_TRUE(store_->Delete("jobs/42/page-1.png").ok());  // idempotent
}

TEST_F(LocalBlobStoreTest, ListsKeysUnderAPrefixButNotWritesInProgress) {
  for (const char* key :
       {"originals/acme/a", "originals/acme/deep/b", "originals/acmex/c", "results/acme/d.json"}) {
    ASSERT_TRUE(store_->Put(key, "x", "").ok()) << key;
  }
  // A write in progress: the temporary file beside its key.
  std::ofstream(root_ / "originals/acme/.blobtmp-e.0123") << "partial";
  core::Result<std::vector<std::string>> keys = store_->List("originals/acme/");
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  std::vector<std::string> sorted = *keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::string>{"originals/acme/a", "originals/acme/deep/b"}));
  EXPECT_TRUE(store_->List("pages/acme/")->empty());
  for (const char* bad : {"originals/acme", "/originals/", "../", "originals//"}) {
    EXPECT_EQ(store_->List(bad).status().reason(), "blob_key") << bad;
  }
}

TEST_F(LocalBlobStoreTest, WritesAtomicallyWithPrivatePermissions) {
  ASSERT_TRUE(store_->Put("a/b/c.txt", "hello", "text/plain").ok());
  EXPECT_TRUE(TempFiles().empty());
  struct stat st {};
  ASSERT_EQ(::stat((root_ / "a/b/c.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((root_ / "a/b").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat(root_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST_F(LocalBlobStoreTest, FailedPutLeavesOldObjectAndNoTempFile) {
  ASSERT_TRUE(store_->Put("doc.pdf", "old", "application/pdf").ok());
  const core::Status status = store_->PutFile("doc.pdf", dir_ / "missing.pdf", "application/pdf");
  EXPECT_EQ(status.code(), core::StatusCode::kNotFound);
  EXPECT_EQ(status.reason(), "no_such_file");
  EXPECT_EQ(*store_->Get("doc.pdf"), "old");
  EXPECT_TRUE(TempFiles().empty());
}

TEST_F(LocalBlobStoreTest, ConcurrentPutsOfOneKeyLeaveOneWholeValue) {
  const std::string a(1 << 20, 'a'), b(1 << 20, 'b');
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < 5; ++j) EXPECT_TRUE(store_->Put("k", i % 2 ? a : b, "").ok());
    });
  }
  for (auto& t : threads) t.join();
  const std::string got = *store_->Get("k");
  EXPECT_TRUE(got == a || got == b);
  EXPECT_TRUE(TempFiles().empty());
}

TEST_F(LocalBlobStoreTest, PutFileAndGetToFile) {
  const fs::path source = dir_ / "source.bin";
  std::string content;
  for (int i = 0; i < 3 << 20; ++i) content.push_back(static_cast<char>(i * 31));
  std::ofstream(source, std::ios::binary) << content;
  ASSERT_TRUE(store_->PutFile("big/source.bin", source, "").ok());
  const fs::path out = dir_ / "out.bin";
  std::ofstream(out) << "previous";
  ASSERT_TRUE(store_->GetToFile("big/source.bin", out).ok());
  std::ifstream in(out, std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), content);
}

TEST_F(LocalBlobStoreTest, MissingKeyIsNotFound) {
  core::Result<std::string> got = store_->Get("nope/nothing");
  EXPECT_EQ(got.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(got.status().reason(), "no_such_blob");
  const fs::path out = dir_ / "out.bin";
  std::ofstream(out) << "keep me";
  const core::Status status = store_->GetToFile("nope", out);
  EXPECT_EQ(status.reason(), "no_such_blob");
  std::ifstream in(out);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "keep me");
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_FALSE(entry.path().filename().string().starts_with(".blobtmp-")) << entry.path();
  }
  EXPECT_FALSE(*store_->Exists("nope"));
}

TEST_F(LocalBlobStoreTest, InvalidKeysAreRefusedBeforeTouchingDisk) {
  for (const char* key : {"../escape", "/etc/passwd", "a/../../b", ""}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(store_->Put(key, "x", "").reason(), "blob_key");
    EXPECT_EQ(store_->Get(key).status().reason(), "blob_key");
    EXPECT_EQ(store_->Exists(key).status().reason(), "blob_key");
    EXPECT_EQ(store_->Delete(key).reason(), "blob_key");
  }
  EXPECT_FALSE(fs::exists(dir_ / "escape"));
}

TEST_F(LocalBlobStoreTest, UriAndPresign) {
  EXPECT_EQ(store_->Uri("jobs/1/a.png"), "file://" + root_.string() + "/jobs/1/a.png");
  core::Result<std::string> url =
      store_->PresignUrl(PresignMethod::kGet, "a", std::chrono::seconds(60), {});
  EXPECT_EQ(url.status().reason(), "presign_unsupported");
}

// PutNew never replaces: a second write of the key is refused and the first stays.
TEST_F(LocalBlobStoreTest, PutNewRefusesAnExistingKey) {
  ASSERT_TRUE(store_->PutNew("uploads/t/u1", "first", "").ok());
  core::Status again = store_->PutNew("uploads/t/u1", "second", "");
  EXPECT_EQ(again.code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(again.reason(), "blob_exists");
  EXPECT_EQ(*store_->Get("uploads/t/u1"), "first");
  EXPECT_TRUE(TempFiles().empty());
  // Once deleted, the key takes a new object again.
  ASSERT_TRUE(store_->Delete("uploads/t/u1").ok());
  EXPECT_TRUE(store_->PutNew("uploads/t/u1", "third", "").ok());
  EXPECT_EQ(*store_->Get("uploads/t/u1"), "third");
}

// Racing writers of one key: exactly one wins, whole.
TEST_F(LocalBlobStoreTest, PutNewLetsOneOfRacingWritersWin) {
  constexpr int kWriters = 8;
  std::vector<std::thread> threads;
  std::vector<core::Status> results(kWriters);
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      results[i] =
          store_->PutNew("uploads/t/race", std::string(1000, static_cast<char>('a' + i)), "");
    });
  }
  for (std::thread& t : threads) t.join();
  int won = 0;
  for (const core::Status& st : results) {
    if (st.ok()) {
      ++won;
    } else {
      EXPECT_EQ(st.reason(), "blob_exists");
    }
  }
  EXPECT_EQ(won, 1);
  const std::string got = *store_->Get("uploads/t/race");
  EXPECT_EQ(got, std::string(1000, got[0]));
  EXPECT_TRUE(TempFiles().empty());
}

}  // namespace
}  // namespace smartocr::blobs
