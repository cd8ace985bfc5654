// src/api/tar_archive.h
//
// A POSIX ustar archive built in memory: regular files only, names up to 100 bytes.
// What `tar -xf` on any system unpacks; used for exports that bundle originals with
// their labels (docs/review.md).
#ifndef SMARTOCR_API_TAR_ARCHIVE_H_
#define SMARTOCR_API_TAR_ARCHIVE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/core.h"

namespace smartocr::api {

class TarArchive {
 public:
  // Appends a regular file (mode 0644) modified at `mtime_s` (Unix seconds). Fails with
  // kInvalidArgument "tar_name" for an empty name, one over 100 bytes, one with a NUL,
  // an absolute one or one with a ".." part; nothing is appended then.
  core::Status Add(std::string_view name, std::string_view bytes, int64_t mtime_s);
  // Bytes the archive holds so far (headers and padding included, end marker not).
  size_t size() const { return data_.size(); }
  // The archive with its end marker (two zero blocks). Add after Finish is not allowed.
  std::string Finish() &&;

 private:
  std::string data_;
};

}  // namespace smartocr::api

#endif  // SMARTOCR_API_TAR_ARCHIVE_H_
