// OpenRegionalBlobStore over two local stores: each tenant's keys go to its region's
// store, other keys to the default; an unknown region or a failing lookup refuses the
// operation instead of storing elsewhere.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <string>

#include "blobs/blobs.h"

namespace smartocr::blobs {
namespace {

namespace fs = std::filesystem;

class RegionalBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "blobs-regional-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    std::vector<std::pair<std::string, BlobStorePtr>> regions;
    regions.emplace_back("eu", *OpenLocalBlobStore(dir_ / "eu"));
    auto store =
        OpenRegionalBlobStore(*OpenLocalBlobStore(dir_ / "home"), std::move(regions),
                              [this](const std::string& tenant) -> core::Result<std::string> {
                                ++asked_[tenant];
                                if (tenant == "down")
                                  return core::Unavailable("database_unreachable", "down");
                                if (tenant == "acme") return std::string("eu");
                                if (tenant == "initech") return std::string("mars");
                                return std::string();
                              });
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  BlobStorePtr store_;
  std::map<std::string, int> asked_;
};

TEST_F(RegionalBlobStoreTest, RoutesTenantKeysByRegion) {
  ASSERT_TRUE(store_->Put("originals/acme/a", "eu bytes", "").ok());
  ASSERT_TRUE(store_->Put("results/acme/j.json", "{}", "").ok());
  ASSERT_TRUE(store_->Put("originals/globex/b", "home bytes", "").ok());
  ASSERT_TRUE(store_->Put("readyz/probe", "ok", "").ok());  // not a tenant area
  EXPECT_TRUE(fs::exists(dir_ / "eu/originals/acme/a"));
  EXPECT_FALSE(fs::exists(dir_ / "home/originals/acme/a"));
  EXPECT_TRUE(fs::exists(dir_ / "home/originals/globex/b"));
  EXPECT_TRUE(fs::exists(dir_ / "home/readyz/probe"));
  EXPECT_EQ(*store_->Get("originals/acme/a"), "eu bytes");
  EXPECT_EQ(*store_->List("originals/acme/"), std::vector<std::string>{"originals/acme/a"});
  EXPECT_EQ(asked_["acme"], 1);  // asked once, then kept

  // URIs name the regional store, and only the store a key belongs in resolves.
  const std::string uri = store_->Uri("originals/acme/a");
  EXPECT_NE(uri.find("/eu/originals/acme/a"), std::string::npos) << uri;
  EXPECT_EQ(KeyInStore(*store_, uri), "originals/acme/a");
  EXPECT_EQ(KeyInStore(*store_, "file://" + (dir_ / "home/originals/acme/a").string()),
            std::nullopt);
  EXPECT_EQ(KeyInStore(*store_, store_->Uri("originals/globex/b")), "originals/globex/b");

  EXPECT_TRUE(store_->Delete("originals/acme/a").ok());
  EXPECT_FALSE(fs::exists(dir_ / "eu/originals/acme/a"));
}

TEST_F(RegionalBlobStoreTest, AnUnknownRegionOrAFailedLookupStoresNothing) {
  core::Status st = store_->Put("originals/initech/a", "x", "");
  EXPECT_EQ(st.reason(), "blob_region");
  EXPECT_NE(st.message().find("mars"), std::string::npos);
  EXPECT_EQ(store_->Put("originals/down/a", "x", "").reason(), "database_unreachable");
  EXPECT_EQ(store_->Put("originals/down/a", "x", "").reason(), "database_unreachable");
  EXPECT_EQ(asked_["down"], 2);  // failures are not kept
  EXPECT_FALSE(fs::exists(dir_ / "home/originals/initech"));
  EXPECT_FALSE(fs::exists(dir_ / "home/originals/down"));
  EXPECT_EQ(TenantOfKey("pages/acme/j/1"), "acme");
  EXPECT_EQ(TenantOfKey("other/acme/j"), "");
  EXPECT_EQ(TenantOfKey("originals/acme"), "");
  std::vector<std::pair<std::string, BlobStorePtr>> twice;
  twice.emplace_back("eu", *OpenLocalBlobStore(dir_ / "a"));
  twice.emplace_back("eu", *OpenLocalBlobStore(dir_ / "b"));
  EXPECT_EQ(OpenRegionalBlobStore(*OpenLocalBlobStore(dir_ / "c"), std::move(twice), nullptr)
                .status()
                .reason(),
            "blob_region");
}

}  // namespace
}  // namespace smartocr::blobs
