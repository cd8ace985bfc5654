// src/blobs/atomic_file.h
//
// Private to the blobs module: writes a file so that readers see the old contents or
// the new, never a partial file: a temporary file in the target's directory, fsync,
// rename over the target, fsync of the directory. An AtomicFile dropped without
// Commit removes its temporary file.
//
// Thread safety: one thread per AtomicFile; different targets may be written at once.
#ifndef SMARTOCR_BLOBS_ATOMIC_FILE_H_
#define SMARTOCR_BLOBS_ATOMIC_FILE_H_

#include <sys/types.h>

#include <filesystem>
#include <string_view>

#include "core/status.h"

namespace smartocr::blobs::internal {

// Temporary files start with this, so listings and cleanups can tell them apart.
inline constexpr std::string_view kTempPrefix = ".blobtmp-";

class AtomicFile {
 public:
  // Opens a temporary file (mode `mode`) beside `target`. The directory must exist.
  // kIoError "blob_write" on failure.
  static core::Result<AtomicFile> Create(const std::filesystem::path& target, mode_t mode);

  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  ~AtomicFile();

  // Appends `bytes`. kIoError "blob_write" on failure.
  core::Status Append(std::string_view bytes);
  // Discards what was written so far (for a retried download).
  core::Status Truncate();
  // Makes the new contents visible under the target name. kIoError "blob_write".
  core::Status Commit();
  // Like Commit, but only when nothing lies under the target name yet (link(2), which
  // never replaces): kInvalidArgument "blob_exists" otherwise, the target unchanged.
  core::Status CommitNew();

 private:
  // Flushes and closes the temporary file, ready to be put in place.
  core::Status Seal();

  AtomicFile(int fd, std::filesystem::path temp, std::filesystem::path target);

  int fd_ = -1;
  std::filesystem::path temp_;
  std::filesystem::path target_;
  bool committed_ = false;
};

// Creates `dir` and its missing parents with mode `mode`. kIoError "blob_write".
core::Status MakeDirs(const std::filesystem::path& dir, mode_t mode);

}  // namespace smartocr::blobs::internal

#endif  // SMARTOCR_BLOBS_ATOMIC_FILE_H_
