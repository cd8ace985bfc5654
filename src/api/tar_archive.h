// src/api/tar_archive.h
//
// A POSIX ustar archive, built in memory or written through a sink as it grows:
// regular files only, names up to 256 bytes (a name over 100 is split at a '/' into
// ustar's prefix field). What `tar -xf` on any system unpacks; used for exports that
// bundle originals with their labels (docs/review.md) and for tenant exports.
#ifndef SMARTOCR_API_TAR_ARCHIVE_H_
#define SMARTOCR_API_TAR_ARCHIVE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "core/core.h"

namespace smartocr::api {

class TarArchive {
 public:
  // Receives the archive's bytes in order; an error stops the archive.
  using Sink = std::function<core::Status(std::string_view)>;

  TarArchive() = default;  // in memory: Finish returns it
  explicit TarArchive(Sink sink) : sink_(std::move(sink)) {}

  // Appends a regular file (mode 0644) modified at `mtime_s` (Unix seconds). Fails with
  // kInvalidArgument "tar_name" for an empty name, one that does not fit ustar (over 100
  // bytes with no '/' to split it at), one with a NUL, an absolute one or one with a
  // ".." part; nothing is appended then. A sink's error is returned as it is.
  core::Status Add(std::string_view name, std::string_view bytes, int64_t mtime_s);
  // Bytes the archive holds (or has written) so far, end marker not included.
  size_t size() const { return size_; }
  // The end marker (two zero blocks) appended; the archive, or "" with a sink (whose
  // error, if any, goes to *sink_status when not null). Add after Finish is not allowed.
  std::string Finish(core::Status* sink_status = nullptr) &&;

 private:
  core::Status Emit(std::string_view bytes);

  Sink sink_;
  std::string data_;
  size_t size_ = 0;
};

}  // namespace smartocr::api

#endif  // SMARTOCR_API_TAR_ARCHIVE_H_
