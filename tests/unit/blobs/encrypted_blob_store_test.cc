// OpenEncryptedBlobStore over a local store: what lies on disk is ciphertext, what
// comes out is the plaintext (in memory and streamed through files, across chunk
// boundaries); an object moved to another key, cut short, altered, or read with another
// tenant's key is refused; objects stored before encryption still read; no presigning.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "blobs/blobs.h"

namespace smartocr::blobs {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteAll(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Bytes that do not repeat, so a leaked run of them would be found.
std::string Pattern(size_t n) {
  std::string out(n, '\0');
  uint32_t x = 2463534242u;
  for (char& c : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  return out;
}

class EncryptedBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "blobs-encrypted-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    raw_ = std::move(*OpenLocalBlobStore(dir_ / "store"));
    store_ = Open();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A second view of the same directory (the first keeps its own).
  BlobStorePtr Open() {
    auto store =
        OpenEncryptedBlobStore(*OpenLocalBlobStore(dir_ / "store"),
                               [this](const std::string& tenant) -> core::Result<std::string> {
                                 ++asked_[tenant];
                                 if (tenant == "down")
                                   return core::Unavailable("database_unreachable", "down");
                                 return std::string(32, tenant.empty() ? '0' : tenant[0]);
                               });
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return std::move(*store);
  }

  fs::path dir_;
  BlobStorePtr raw_;  // the same directory, without encryption
  BlobStorePtr store_;
  std::map<std::string, int> asked_;
};

TEST_F(EncryptedBlobStoreTest, StoresCiphertextAndReadsPlaintext) {
  const std::string text = "TOTAL RM 12.50 GARDENIA BAKERIES";
  ASSERT_TRUE(store_->Put("results/acme/j1.json", text, "application/json").ok());
  const std::string on_disk = *raw_->Get("results/acme/j1.json");
  EXPECT_EQ(on_disk.rfind("SOCRENC1", 0), 0u);
  EXPECT_EQ(on_disk.find("GARDENIA"), std::string::npos);
  EXPECT_EQ(*store_->Get("results/acme/j1.json"), text);
  EXPECT_EQ(asked_["acme"], 2);
  // Same bytes, new nonce: two writes never look alike.
  ASSERT_TRUE(store_->Put("results/acme/j2.json", text, "application/json").ok());
  EXPECT_NE(*raw_->Get("results/acme/j2.json"), on_disk);
  // Keys outside the tenant areas use the service's key ("").
  ASSERT_TRUE(store_->Put("misc/x", "service", "text/plain").ok());
  EXPECT_EQ(*store_->Get("misc/x"), "service");
  EXPECT_EQ(asked_[""], 2);
  // An empty object is an object too.
  ASSERT_TRUE(store_->Put("pages/acme/j1/1", "", "image/png").ok());
  EXPECT_EQ(*store_->Get("pages/acme/j1/1"), "");
}

TEST_F(EncryptedBlobStoreTest, StreamsFilesAcrossChunkBoundaries) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{65536}, size_t{65537}, size_t{200000}}) {
    SCOPED_TRACE(size);
    const std::string bytes = Pattern(size);
    WriteAll(dir_ / "in.bin", bytes);
    ASSERT_TRUE(store_->PutFile("originals/acme/src", dir_ / "in.bin", "image/png").ok());
    const std::string on_disk = *raw_->Get("originals/acme/src");
    if (size >= 64) {
      EXPECT_EQ(on_disk.find(bytes.substr(size / 2, 32)), std::string::npos);
    }
    ASSERT_TRUE(store_->GetToFile("originals/acme/src", dir_ / "out.bin").ok());
    EXPECT_EQ(ReadAll(dir_ / "out.bin"), bytes);
    EXPECT_EQ(*store_->Get("originals/acme/src"), bytes);  // the other way in, too
    ASSERT_TRUE(store_->Put("originals/acme/mem", bytes, "image/png").ok());
    ASSERT_TRUE(store_->GetToFile("originals/acme/mem", dir_ / "out2.bin").ok());
    EXPECT_EQ(ReadAll(dir_ / "out2.bin"), bytes);
  }
  // No scratch file is left beside the source or the target.
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().find(".blobtmp-"), std::string::npos)
        << entry.path();
  }
  EXPECT_EQ(store_->PutFile("originals/acme/x", dir_ / "missing", "").code(),
            core::StatusCode::kNotFound);
}

TEST_F(EncryptedBlobStoreTest, RefusesWhatWasMovedCutOrAltered) {
  const std::string bytes = Pattern(100000);
  ASSERT_TRUE(store_->Put("originals/acme/a", bytes, "").ok());
  const std::string sealed = *raw_->Get("originals/acme/a");
  auto refused = [this](const std::string& key) {
    auto got = store_->Get(key);
    return !got.ok() && got.status().reason() == "blob_decrypt";
  };
  // Moved under another key of the same tenant: bound to its key.
  ASSERT_TRUE(raw_->Put("originals/acme/b", sealed, "").ok());
  EXPECT_TRUE(refused("originals/acme/b"));
  // Under another tenant: another key altogether.
  ASSERT_TRUE(raw_->Put("originals/bob/a", sealed, "").ok());
  EXPECT_TRUE(refused("originals/bob/a"));
  // Cut after a whole chunk, or mid-chunk; one byte flipped; bytes appended.
  ASSERT_TRUE(raw_->Put("originals/acme/a", sealed.substr(0, 8 + 24 + 4 + 65536 + 17), "").ok());
  EXPECT_TRUE(refused("originals/acme/a"));
  ASSERT_TRUE(raw_->Put("originals/acme/a", sealed.substr(0, sealed.size() - 5), "").ok());
  EXPECT_TRUE(refused("originals/acme/a"));
  std::string flipped = sealed;
  flipped[flipped.size() / 2] ^= 1;
  ASSERT_TRUE(raw_->Put("originals/acme/a", flipped, "").ok());
  EXPECT_TRUE(refused("originals/acme/a"));
  ASSERT_TRUE(raw_->Put("originals/acme/a", sealed + "x", "").ok());
  EXPECT_TRUE(refused("originals/acme/a"));
  ASSERT_TRUE(raw_->Put("originals/acme/a", "SOCRENC1short", "").ok());
  EXPECT_TRUE(refused("originals/acme/a"));
  EXPECT_FALSE(store_->GetToFile("originals/acme/a", dir_ / "out.bin").ok());
  EXPECT_FALSE(fs::exists(dir_ / "out.bin"));  // no partial plaintext file
  // Intact again, it reads.
  ASSERT_TRUE(raw_->Put("originals/acme/a", sealed, "").ok());
  EXPECT_EQ(*store_->Get("originals/acme/a"), bytes);
}

TEST_F(EncryptedBlobStoreTest, ReadsObjectsStoredBeforeEncryption) {
  ASSERT_TRUE(raw_->Put("results/acme/old.json", "{\"old\":true}", "").ok());
  EXPECT_EQ(*store_->Get("results/acme/old.json"), "{\"old\":true}");
  ASSERT_TRUE(raw_->Put("results/acme/tiny", "ab", "").ok());
  EXPECT_EQ(*store_->Get("results/acme/tiny"), "ab");
  ASSERT_TRUE(store_->GetToFile("results/acme/old.json", dir_ / "old.json").ok());
  EXPECT_EQ(ReadAll(dir_ / "old.json"), "{\"old\":true}");
  EXPECT_EQ(asked_["acme"], 0);  // no key needed for them
}

TEST_F(EncryptedBlobStoreTest, PassesTheRestThroughAndRefusesPresigning) {
  ASSERT_TRUE(store_->PutNew("uploads/acme/u1", "x", "").ok());
  EXPECT_EQ(store_->PutNew("uploads/acme/u1", "y", "").reason(), "blob_exists");
  EXPECT_TRUE(*store_->Exists("uploads/acme/u1"));
  EXPECT_EQ(store_->List("uploads/acme/")->size(), 1u);
  EXPECT_EQ(store_->KeyOf(store_->Uri("uploads/acme/u1")), "uploads/acme/u1");
  ASSERT_TRUE(store_->Delete("uploads/acme/u1").ok());
  EXPECT_FALSE(*store_->Exists("uploads/acme/u1"));
  auto url = store_->PresignUrl(PresignMethod::kPut, "uploads/acme/u2", std::chrono::seconds(60),
                                PutConditions{});
  EXPECT_EQ(url.status().reason(), "presign_unsupported");
  // A key that cannot be had refuses the write; an invalid key is refused first.
  EXPECT_EQ(store_->Put("results/down/x", "x", "").code(), core::StatusCode::kUnavailable);
  EXPECT_FALSE(*raw_->Exists("results/down/x"));
  EXPECT_EQ(store_->Put("../x", "x", "").reason(), "blob_key");
  EXPECT_EQ(OpenEncryptedBlobStore(nullptr, nullptr).status().reason(), "blob_store");
}

}  // namespace
}  // namespace smartocr::blobs
