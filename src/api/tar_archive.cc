#include "api/tar_archive.h"

#include <algorithm>
#include <cstring>

namespace smartocr::api {
namespace {

constexpr size_t kBlock = 512;

// Writes `value` as a NUL-terminated, zero-padded octal field of `width` bytes at
// `field` (the caller keeps values within width - 1 digits).
void Octal(char* field, size_t width, uint64_t value) {
  field[width - 1] = '\0';
  for (size_t i = width - 1; i-- > 0;) {
    field[i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
}

bool SafeName(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.find('\0') != std::string_view::npos) {
    return false;
  }
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(start, end - start) == "..") return false;
    start = end + 1;
  }
  return true;
}

// Where `name` splits into ustar's prefix (<= 155 bytes) and name (1..100 bytes): the
// index of the '/' between them, 0 when it fits whole, npos when it cannot be split.
size_t SplitAt(std::string_view name) {
  if (name.size() <= 100) return 0;
  for (size_t slash = name.find('/'); slash != std::string_view::npos;
       slash = name.find('/', slash + 1)) {
    if (slash <= 155 && slash > 0 && name.size() - slash - 1 <= 100 && slash + 1 < name.size()) {
      return slash;
    }
  }
  return std::string_view::npos;
}

}  // namespace

core::Status TarArchive::Add(std::string_view name, std::string_view bytes, int64_t mtime_s) {
  const size_t split = SafeName(name) ? SplitAt(name) : std::string_view::npos;
  if (split == std::string_view::npos) {
    return core::InvalidArgument("tar_name",
                                 "not a relative name that fits ustar (100 bytes, "
                                 "or 155 + 100 split at a '/')");
  }
  char header[kBlock] = {};
  const std::string_view base = split == 0 ? name : name.substr(split + 1);
  std::memcpy(header, base.data(), base.size());                              // name
  if (split > 0) std::memcpy(header + 345, name.data(), split);               // prefix
  Octal(header + 100, 8, 0644);                                               // mode
  Octal(header + 108, 8, 0);                                                  // uid
  Octal(header + 116, 8, 0);                                                  // gid
  Octal(header + 124, 12, bytes.size());                                      // size
  Octal(header + 136, 12, static_cast<uint64_t>(mtime_s < 0 ? 0 : mtime_s));  // mtime
  header[156] = '0';  // typeflag: regular file
  // magic "ustar" NUL, then version "00" (no NUL: the field is two bytes).
  constexpr std::string_view kMagicAndVersion(
      "ustar\0"
      "00",
      8);
  std::copy(kMagicAndVersion.begin(), kMagicAndVersion.end(), header + 257);
  // The checksum is summed with its own field as eight spaces.
  std::memset(header + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : header) sum += c;
  Octal(header + 148, 7, sum);  // six digits and a NUL, then the space kept
  header[155] = ' ';
  static constexpr char kZeros[kBlock] = {};
  SMARTOCR_RETURN_IF_ERROR(Emit(std::string_view(header, kBlock)));
  SMARTOCR_RETURN_IF_ERROR(Emit(bytes));
  return Emit(std::string_view(kZeros, (kBlock - bytes.size() % kBlock) % kBlock));
}

core::Status TarArchive::Emit(std::string_view bytes) {
  size_ += bytes.size();
  if (sink_) return sink_(bytes);
  data_.append(bytes);
  return core::Status::Ok();
}

std::string TarArchive::Finish(core::Status* sink_status) && {
  static constexpr char kZeros[2 * kBlock] = {};
  core::Status st = Emit(std::string_view(kZeros, sizeof(kZeros)));
  if (sink_status != nullptr) *sink_status = st;
  return std::move(data_);
}

}  // namespace smartocr::api
