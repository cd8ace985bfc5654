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
  if (name.empty() || name.size() > 100 || name.front() == '/' ||
      name.find('\0') != std::string_view::npos) {
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

}  // namespace

core::Status TarArchive::Add(std::string_view name, std::string_view bytes, int64_t mtime_s) {
  if (!SafeName(name)) {
    return core::InvalidArgument("tar_name", "not a relative name of 1 to 100 bytes");
  }
  char header[kBlock] = {};
  std::memcpy(header, name.data(), name.size());                              // name
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
  data_.append(header, kBlock);
  data_.append(bytes);
  data_.append((kBlock - bytes.size() % kBlock) % kBlock, '\0');
  return core::Status::Ok();
}

std::string TarArchive::Finish() && {
  data_.append(2 * kBlock, '\0');
  return std::move(data_);
}

}  // namespace smartocr::api
