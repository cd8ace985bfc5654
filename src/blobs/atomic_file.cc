// src/blobs/atomic_file.cc
#include "blobs/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "blobs/blobs.h"
#include "blobs/crypto.h"

namespace smartocr::blobs::internal {
namespace {

core::Status WriteError(std::string_view what, const std::filesystem::path& path) {
  return core::IoError("blob_write",
                       std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

// Makes a rename durable: the directory entry itself must reach the disk.
void SyncDir(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

core::Result<AtomicFile> AtomicFile::Create(const std::filesystem::path& target, mode_t mode) {
  const std::filesystem::path dir = target.parent_path();
  const std::filesystem::path temp =
      dir /
      (std::string(kTempPrefix) + target.filename().string().substr(0, 64) + "." + RandomHex(8));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return WriteError("cannot create", temp);
  return AtomicFile(fd, temp, target);
}

AtomicFile::AtomicFile(int fd, std::filesystem::path temp, std::filesystem::path target)
    : fd_(fd), temp_(std::move(temp)), target_(std::move(target)) {}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      temp_(std::move(other.temp_)),
      target_(std::move(other.target_)),
      committed_(std::exchange(other.committed_, true)) {}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

core::Status AtomicFile::Append(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return WriteError("cannot write", temp_);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return core::Status::Ok();
}

core::Status AtomicFile::Truncate() {
  if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0) {
    return WriteError("cannot truncate", temp_);
  }
  return core::Status::Ok();
}

core::Status AtomicFile::Seal() {
  if (::fsync(fd_) != 0) return WriteError("cannot fsync", temp_);
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) return WriteError("cannot close", temp_);
  return core::Status::Ok();
}

core::Status AtomicFile::Commit() {
  SMARTOCR_RETURN_IF_ERROR(Seal());
  if (::rename(temp_.c_str(), target_.c_str()) != 0) return WriteError("cannot rename", temp_);
  committed_ = true;
  SyncDir(target_.parent_path());
  return core::Status::Ok();
}

core::Status AtomicFile::CommitNew() {
  SMARTOCR_RETURN_IF_ERROR(Seal());
  // link(2) fails with EEXIST rather than replace, which rename(2) would do.
  if (::link(temp_.c_str(), target_.c_str()) != 0) {
    if (errno == EEXIST) return BlobExists(target_.filename().string());
    return WriteError("cannot link", temp_);
  }
  ::unlink(temp_.c_str());
  committed_ = true;
  SyncDir(target_.parent_path());
  return core::Status::Ok();
}

core::Status MakeDirs(const std::filesystem::path& dir, mode_t mode) {
  std::filesystem::path current;
  for (const auto& part : dir) {
    current /= part;
    if (::mkdir(current.c_str(), mode) == 0 || errno == EEXIST) continue;
    return WriteError("cannot create directory", current);
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    return WriteError("not a directory", dir);
  }
  return core::Status::Ok();
}

}  // namespace smartocr::blobs::internal
