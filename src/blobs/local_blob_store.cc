// src/blobs/local_blob_store.cc
#include "blobs/local_blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>

#include "blobs/atomic_file.h"
#include "blobs/crypto.h"

namespace smartocr::blobs::internal {
namespace {

constexpr mode_t kDirMode = 0700;
constexpr mode_t kFileMode = 0600;
constexpr size_t kChunk = 1 << 20;

core::Status ReadError(const std::filesystem::path& path) {
  return core::IoError("blob_read", "cannot read " + path.string() + ": " + std::strerror(errno));
}

// Opens a regular file for reading; a missing file or a directory is `missing`.
core::Result<int> OpenForRead(const std::filesystem::path& path, const core::Status& missing) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return missing;
    return ReadError(path);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return missing;
  }
  return fd;
}

// Reads everything from `fd` into `sink`, then closes it.
template <typename Sink>
core::Status Drain(int fd, const std::filesystem::path& path, Sink sink) {
  std::string buf(kChunk, '\0');
  core::Status status;
  while (true) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = ReadError(path);
      break;
    }
    if (n == 0) break;
    status = sink(std::string_view(buf.data(), static_cast<size_t>(n)));
    if (!status.ok()) break;
  }
  ::close(fd);
  return status;
}

core::Status NoSuchBlob(std::string_view key) {
  return core::NotFound("no_such_blob", "no blob " + std::string(key));
}

}  // namespace

core::Status CopyFileInto(const std::filesystem::path& from, AtomicFile& out) {
  core::Result<int> fd =
      OpenForRead(from, core::NotFound("no_such_file", "no file " + from.string()));
  if (!fd.ok()) return fd.status();
  return Drain(*fd, from, [&](std::string_view bytes) { return out.Append(bytes); });
}

LocalBlobStore::LocalBlobStore(std::filesystem::path root) : root_(std::move(root)) {}

template <typename WriteFn>
core::Status LocalBlobStore::WriteKey(std::string_view key, WriteFn write, bool replace) {
  SMARTOCR_RETURN_IF_ERROR(ValidateKey(key));
  const std::filesystem::path target = root_ / key;
  SMARTOCR_RETURN_IF_ERROR(MakeDirs(target.parent_path(), kDirMode));
  core::Result<AtomicFile> file = AtomicFile::Create(target, kFileMode);
  if (!file.ok()) return file.status();
  SMARTOCR_RETURN_IF_ERROR(write(*file));
  return replace ? file->Commit() : file->CommitNew();
}

core::Status LocalBlobStore::Put(std::string_view key, std::string_view bytes,
                                 std::string_view /*content_type*/) {
  return WriteKey(key, [&](AtomicFile& file) { return file.Append(bytes); });
}

core::Status LocalBlobStore::PutNew(std::string_view key, std::string_view bytes,
                                    std::string_view /*content_type*/) {
  return WriteKey(
      key, [&](AtomicFile& file) { return file.Append(bytes); }, /*replace=*/false);
}

core::Status LocalBlobStore::PutFile(std::string_view key, const std::filesystem::path& path,
                                     std::string_view /*content_type*/) {
  return WriteKey(key, [&](AtomicFile& file) { return CopyFileInto(path, file); });
}

core::Result<std::string> LocalBlobStore::Get(std::string_view key) {
  SMARTOCR_RETURN_IF_ERROR(ValidateKey(key));
  const std::filesystem::path path = root_ / key;
  core::Result<int> fd = OpenForRead(path, NoSuchBlob(key));
  if (!fd.ok()) return fd.status();
  std::string out;
  SMARTOCR_RETURN_IF_ERROR(Drain(*fd, path, [&](std::string_view bytes) {
    out.append(bytes);
    return core::Status::Ok();
  }));
  return out;
}

core::Status LocalBlobStore::GetToFile(std::string_view key, const std::filesystem::path& path) {
  SMARTOCR_RETURN_IF_ERROR(ValidateKey(key));
  const std::filesystem::path source = root_ / key;
  core::Result<int> fd = OpenForRead(source, NoSuchBlob(key));
  if (!fd.ok()) return fd.status();
  core::Result<AtomicFile> file = AtomicFile::Create(std::filesystem::absolute(path), kFileMode);
  if (!file.ok()) {
    ::close(*fd);
    return file.status();
  }
  SMARTOCR_RETURN_IF_ERROR(
      Drain(*fd, source, [&](std::string_view bytes) { return file->Append(bytes); }));
  return file->Commit();
}

core::Result<std::vector<std::string>> LocalBlobStore::List(std::string_view prefix) {
  SMARTOCR_RETURN_IF_ERROR(ValidatePrefix(prefix));
  std::vector<std::string> keys;
  const std::filesystem::path dir = root_ / prefix;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return keys;
  std::filesystem::recursive_directory_iterator it(dir, ec);
  for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    // A write in progress is a temporary file beside its key: not an object yet.
    if (!it->is_regular_file(ec) || it->path().filename().string().starts_with(kTempPrefix)) {
      continue;
    }
    keys.push_back(std::filesystem::relative(it->path(), root_, ec).generic_string());
  }
  if (ec) return ReadError(dir);
  return keys;
}

core::Result<bool> LocalBlobStore::Exists(std::string_view key) {
  SMARTOCR_RETURN_IF_ERROR(ValidateKey(key));
  struct stat st {};
  const std::filesystem::path path = root_ / key;
  if (::stat(path.c_str(), &st) == 0) return S_ISREG(st.st_mode);
  if (errno == ENOENT || errno == ENOTDIR) return false;
  return ReadError(path);
}

core::Status LocalBlobStore::Delete(std::string_view key) {
  SMARTOCR_RETURN_IF_ERROR(ValidateKey(key));
  const std::filesystem::path path = root_ / key;
  if (::unlink(path.c_str()) == 0 || errno == ENOENT || errno == ENOTDIR) {
    return core::Status::Ok();
  }
  return core::IoError("blob_write",
                       "cannot delete " + path.string() + ": " + std::strerror(errno));
}

std::string LocalBlobStore::Uri(std::string_view key) const {
  return "file://" + EncodeFilePath((root_ / key).string());
}

std::string EncodeFilePath(std::string_view path) {
  // The bytes a valid key may hold (blobs.h) pass, so a key reads the same in the URI.
  return PercentEncode(path, "-_.~!*'()+,=@:/");
}

core::Result<std::string> DecodeFilePath(std::string_view encoded) {
  std::string out;
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] != '%') {
      out.push_back(encoded[i]);
      continue;
    }
    if (i + 2 >= encoded.size() || !std::isxdigit(static_cast<unsigned char>(encoded[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(encoded[i + 2]))) {
      return core::InvalidArgument("blob_uri", "bad %-escape in file URI");
    }
    const long value = std::strtol(std::string(encoded.substr(i + 1, 2)).c_str(), nullptr, 16);
    if (value == 0) return core::InvalidArgument("blob_uri", "NUL in file URI");
    out.push_back(static_cast<char>(value));
    i += 2;
  }
  return out;
}

}  // namespace smartocr::blobs::internal
