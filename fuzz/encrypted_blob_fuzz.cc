// Fuzz target: the encrypted object format (blobs::OpenEncryptedBlobStore), what the
// service reads back from a bucket or directory someone else may be able to write.
// Input: a mode byte, two position bytes, then bytes. Mode 0 stores the bytes
// themselves as the object (anything at all must read, or fail with "blob_decrypt");
// the other modes encrypt the bytes, then leave the object whole (it must read back
// equal), flip one bit, cut it short, or append to it (each must fail with
// "blob_decrypt", unless the magic itself was hit: then it reads as an old plaintext
// object, byte for byte what is stored).
#include <map>
#include <string>

#include "blobs/blobs.h"
#include "fuzz_input.h"

namespace {

namespace blobs = smartocr::blobs;
namespace core = smartocr::core;

constexpr char kKey[] = "originals/acme/src";
constexpr size_t kMagicBytes = 8;

// Objects in memory: no file system in the loop.
class MemoryStore final : public blobs::BlobStore {
 public:
  core::Status Put(std::string_view key, std::string_view bytes, std::string_view) override {
    objects_[std::string(key)] = std::string(bytes);
    return core::Status();
  }
  core::Status PutFile(std::string_view, const std::filesystem::path&, std::string_view) override {
    return core::Internal("fuzz", "not used");
  }
  core::Result<std::string> Get(std::string_view key) override {
    auto found = objects_.find(std::string(key));
    if (found == objects_.end()) return core::NotFound("no_such_blob", "none");
    return found->second;
  }
  core::Status GetToFile(std::string_view, const std::filesystem::path&) override {
    return core::Internal("fuzz", "not used");
  }
  core::Result<bool> Exists(std::string_view key) override {
    return objects_.count(std::string(key)) > 0;
  }
  core::Status Delete(std::string_view key) override {
    objects_.erase(std::string(key));
    return core::Status();
  }
  std::string Uri(std::string_view key) const override { return "mem:///" + std::string(key); }

  std::string& at(const std::string& key) { return objects_[key]; }

 private:
  std::map<std::string, std::string> objects_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const int mode = data[0] % 5;
  const size_t pos = static_cast<size_t>(data[1]) << 8 | data[2];
  const std::string bytes(smartocr::fuzz::AsText(data + 3, size - 3));
  auto inner = std::make_unique<MemoryStore>();
  MemoryStore* raw = inner.get();
  auto store = blobs::OpenEncryptedBlobStore(
      std::move(inner), [](const std::string&) { return std::string(32, 'k'); });
  FUZZ_CHECK(store.ok());
  if (mode == 0) {
    FUZZ_CHECK((*store)->Put(kKey, "", "").ok());
    raw->at(kKey) = bytes;
    auto got = (*store)->Get(kKey);
    FUZZ_CHECK(got.ok() || got.status().reason() == "blob_decrypt");
    return 0;
  }
  FUZZ_CHECK((*store)->Put(kKey, bytes, "").ok());
  std::string& stored = raw->at(kKey);
  const std::string sealed = stored;
  if (mode == 1) {
    auto got = (*store)->Get(kKey);
    FUZZ_CHECK(got.ok() && *got == bytes);
    return 0;
  }
  if (mode == 2) {
    stored[pos % stored.size()] ^= static_cast<char>(1 << (pos % 8));
  } else if (mode == 3) {
    stored.resize(pos % stored.size());
  } else {
    stored += bytes.empty() ? std::string("x") : bytes;
  }
  auto got = (*store)->Get(kKey);
  const bool magic_intact =
      stored.size() >= kMagicBytes && stored.compare(0, kMagicBytes, sealed, 0, kMagicBytes) == 0;
  if (magic_intact) {
    FUZZ_CHECK(!got.ok() && got.status().reason() == "blob_decrypt");
  } else {
    FUZZ_CHECK(got.ok() && *got == stored);
  }
  return 0;
}
