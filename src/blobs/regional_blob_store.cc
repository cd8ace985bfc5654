// OpenRegionalBlobStore: each tenant's objects in its region's store (blobs.h).
#include <map>
#include <memory>
#include <optional>

#include "blobs/blobs.h"
#include "core/mutex.h"

namespace smartocr::blobs {
namespace {

class RegionalBlobStore final : public BlobStore {
 public:
  RegionalBlobStore(BlobStorePtr default_store,
                    std::map<std::string, BlobStorePtr, std::less<>> regions, RegionOf region_of)
      : default_(std::move(default_store)),
        regions_(std::move(regions)),
        region_of_(std::move(region_of)) {}

  core::Status Put(std::string_view key, std::string_view bytes,
                   std::string_view content_type) override {
    auto store = Route(key);
    if (!store.ok()) return store.status();
    return (*store)->Put(key, bytes, content_type);
  }
  core::Status PutNew(std::string_view key, std::string_view bytes,
                      std::string_view content_type) override {
    auto store = Route(key);
    if (!store.ok()) return store.status();
    return (*store)->PutNew(key, bytes, content_type);
  }
  core::Status PutFile(std::string_view key, const std::filesystem::path& path,
                       std::string_view content_type) override {
    auto store = Route(key);
    if (!store.ok()) return store.status();
    return (*store)->PutFile(key, path, content_type);
  }
  core::Result<std::string> Get(std::string_view key) override {
    auto store = Route(key);
    if (!store.ok()) return store.status();
    return (*store)->Get(key);
  }
  core::Status GetToFile(std::string_view key, const std::filesystem::path& path) override {
    auto store = Route(key);
    if (!store.ok()) return store.status();
    return (*store)->GetToFile(key, path);
  }
  core::Result<bool> Exists(std::string_view key) override {
    auto store = Route(key);
    if (!store.ok()) return store.status();
    return (*store)->Exists(key);
  }
  core::Status Delete(std::string_view key) override {
    auto store = Route(key);
    if (!store.ok()) return store.status();
    return (*store)->Delete(key);
  }
  core::Result<std::vector<std::string>> List(std::string_view prefix) override {
    SMARTOCR_RETURN_IF_ERROR(ValidatePrefix(prefix));
    auto store = Route(prefix);
    if (!store.ok()) return store.status();
    return (*store)->List(prefix);
  }
  // A URI names the store the key routes to; an unroutable key, the default's.
  std::string Uri(std::string_view key) const override {
    auto store = Route(key);
    return store.ok() ? (*store)->Uri(key) : default_->Uri(key);
  }
  // The key of a URI into any of the stores, when that store is where the key belongs
  // (a URI into another region's store is not this tenant's object).
  std::optional<std::string> KeyOf(std::string_view uri) const override {
    std::optional<std::string> key = default_->KeyOf(uri);
    const BlobStore* named = default_.get();
    for (const auto& [region, store] : regions_) {
      if (key) break;
      key = store->KeyOf(uri);
      named = store.get();
    }
    if (!key) return std::nullopt;
    auto routed = Route(*key);
    if (!routed.ok() || *routed != named) return std::nullopt;
    return key;
  }
  core::Result<std::string> PresignUrl(PresignMethod method, std::string_view key,
                                       std::chrono::seconds expires_in,
                                       const PutConditions& conditions) const override {
    auto store = Route(key);
    if (!store.ok()) return store.status();
    return (*store)->PresignUrl(method, key, expires_in, conditions);
  }

 private:
  // The store `key` (or a List prefix) belongs in.
  core::Result<BlobStore*> Route(std::string_view key) const EXCLUDES(mu_) {
    const std::string tenant = TenantOfKey(key);
    if (tenant.empty()) return default_.get();
    std::optional<std::string> region;
    {
      core::MutexLock lock(mu_);
      auto known = region_by_tenant_.find(tenant);
      if (known != region_by_tenant_.end()) region = known->second;
    }
    if (!region) {
      auto asked = region_of_(tenant);
      if (!asked.ok()) return asked.status();
      region = *asked;
      core::MutexLock lock(mu_);
      region_by_tenant_.emplace(tenant, *region);
    }
    if (region->empty()) return default_.get();
    auto store = regions_.find(*region);
    if (store == regions_.end()) {
      return core::InvalidArgument("blob_region", "tenant " + tenant + "'s region \"" + *region +
                                                      "\" has no blob store here (--region-blobs)");
    }
    return store->second.get();
  }

  const BlobStorePtr default_;
  const std::map<std::string, BlobStorePtr, std::less<>> regions_;
  const RegionOf region_of_;
  mutable core::Mutex mu_;
  mutable std::map<std::string, std::string> region_by_tenant_ GUARDED_BY(mu_);
};

}  // namespace

std::string TenantOfKey(std::string_view key) {
  const size_t first = key.find('/');
  if (first == std::string_view::npos) return "";
  const std::string_view area = key.substr(0, first);
  bool tenant_area = false;
  for (std::string_view a : kTenantAreas) tenant_area = tenant_area || a == area;
  const size_t second = key.find('/', first + 1);
  if (!tenant_area || second == std::string_view::npos || second == first + 1) return "";
  return std::string(key.substr(first + 1, second - first - 1));
}

core::Result<BlobStorePtr> OpenRegionalBlobStore(
    BlobStorePtr default_store, std::vector<std::pair<std::string, BlobStorePtr>> regions,
    RegionOf region_of) {
  std::map<std::string, BlobStorePtr, std::less<>> by_name;
  for (auto& region : regions) {
    if (region.first.empty() || by_name.count(region.first) > 0) {
      return core::InvalidArgument("blob_region", "region names must be unique and not empty");
    }
    by_name.emplace(std::move(region.first), std::move(region.second));
  }
  return BlobStorePtr(
      new RegionalBlobStore(std::move(default_store), std::move(by_name), std::move(region_of)));
}

}  // namespace smartocr::blobs
