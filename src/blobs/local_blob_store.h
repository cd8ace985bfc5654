// src/blobs/local_blob_store.h
//
// Private to the blobs module: BlobStore over a local directory. Each key is a file
// under the root (mode 0600, directories 0700), written with AtomicFile so a reader
// never sees a partial object.
//
// Thread safety: thread-safe. Concurrent Puts of one key race at rename; the last
// one wins whole.
#ifndef SMARTOCR_BLOBS_LOCAL_BLOB_STORE_H_
#define SMARTOCR_BLOBS_LOCAL_BLOB_STORE_H_

#include <filesystem>

#include "blobs/blobs.h"

namespace smartocr::blobs::internal {

class LocalBlobStore final : public BlobStore {
 public:
  // Requires: `root` is absolute, normalised and an existing directory.
  explicit LocalBlobStore(std::filesystem::path root);

  // BlobStore:
  core::Status Put(std::string_view key, std::string_view bytes,
                   std::string_view content_type) override;
  core::Status PutNew(std::string_view key, std::string_view bytes,
                      std::string_view content_type) override;
  core::Status PutFile(std::string_view key, const std::filesystem::path& path,
                       std::string_view content_type) override;
  core::Result<std::string> Get(std::string_view key) override;
  core::Status GetToFile(std::string_view key, const std::filesystem::path& path) override;
  core::Result<bool> Exists(std::string_view key) override;
  core::Result<std::vector<std::string>> List(std::string_view prefix) override;
  core::Status Delete(std::string_view key) override;
  std::string Uri(std::string_view key) const override;

 private:
  // Writes `write`'s output to the file for `key` atomically; with `replace` false
  // only when no file lies there yet (AtomicFile::CommitNew).
  template <typename WriteFn>
  core::Status WriteKey(std::string_view key, WriteFn write, bool replace = true);

  const std::filesystem::path root_;
};

// Percent-encodes a path for a file:// URI ('/' kept) and back.
std::string EncodeFilePath(std::string_view path);
core::Result<std::string> DecodeFilePath(std::string_view encoded);

// Copies the file at `from` into `out` in chunks. kNotFound "no_such_file" when it
// cannot be opened, kIoError "blob_read" on read errors.
class AtomicFile;
core::Status CopyFileInto(const std::filesystem::path& from, AtomicFile& out);

}  // namespace smartocr::blobs::internal

#endif  // SMARTOCR_BLOBS_LOCAL_BLOB_STORE_H_
