// Type detection by magic bytes. The file name is never consulted: inputs arrive
// under arbitrary names (uploads, temp files) and a wrong extension is common.
#include <string_view>

#include "ingest/ingest.h"

namespace smartocr::ingest {

namespace {

// PDF readers accept a header anywhere in the first KiB (junk before %PDF is common
// in files produced by mail gateways and old generators).
constexpr size_t kPdfHeaderWindow = 1024;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

const char* FileTypeName(FileType type) {
  switch (type) {
    case FileType::kPdf:
      return "pdf";
    case FileType::kPng:
      return "png";
    case FileType::kJpeg:
      return "jpeg";
    case FileType::kTiff:
      return "tiff";
    case FileType::kUnknown:
      break;
  }
  return "unknown";
}

const char* MediaTypeOf(FileType type) {
  switch (type) {
    case FileType::kPdf:
      return "application/pdf";
    case FileType::kPng:
      return "image/png";
    case FileType::kJpeg:
      return "image/jpeg";
    case FileType::kTiff:
      return "image/tiff";
    case FileType::kUnknown:
      break;
  }
  return "application/octet-stream";
}

FileType SniffType(std::string_view head) {
  using namespace std::string_view_literals;
  if (StartsWith(head, "\x89PNG\r\n\x1a\n"sv)) return FileType::kPng;
  if (StartsWith(head, "\xff\xd8\xff"sv)) return FileType::kJpeg;
  if (StartsWith(head, "II*\0"sv) || StartsWith(head, "MM\0*"sv) || StartsWith(head, "II+\0"sv) ||
      StartsWith(head, "MM\0+"sv)) {
    return FileType::kTiff;
  }
  if (head.substr(0, kPdfHeaderWindow).find("%PDF") != std::string_view::npos) {
    return FileType::kPdf;
  }
  return FileType::kUnknown;
}

}  // namespace smartocr::ingest
