#include "ingest/image_header.h"

#include <string>

namespace smartocr::ingest {

namespace {

uint32_t Be16(std::string_view b, size_t at) {
  return (uint32_t{static_cast<uint8_t>(b[at])} << 8) | static_cast<uint8_t>(b[at + 1]);
}

uint32_t Be32(std::string_view b, size_t at) { return (Be16(b, at) << 16) | Be16(b, at + 2); }

// SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range
// but are not frame headers.
bool IsSof(uint8_t marker) {
  return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

// Markers without a length field.
bool IsStandalone(uint8_t marker) { return marker == 0x01 || (marker >= 0xd0 && marker <= 0xd9); }

}  // namespace

core::Result<ImageSize> PngSize(std::string_view bytes) {
  // Signature (8), chunk length (4), "IHDR" (4), width (4), height (4).
  if (bytes.size() < 24 || bytes.substr(12, 4) != "IHDR") {
    return core::CorruptInput("png_header", "PNG header (IHDR) missing or truncated");
  }
  ImageSize size{Be32(bytes, 16), Be32(bytes, 20)};
  // The PNG spec caps both at 2^31-1.
  if (size.width == 0 || size.height == 0 || size.width > 0x7fffffff || size.height > 0x7fffffff) {
    return core::CorruptInput("png_header", "PNG header has an invalid size");
  }
  // No chunk may run past the end of the file: libpng allocates a chunk's declared
  // length before reading it (2 GB for an 87-byte file; found by fuzz/ingest_image_fuzz).
  size_t pos = 8;
  while (pos + 8 <= bytes.size()) {
    const uint64_t length = Be32(bytes, pos);
    if (length > 0x7fffffff || pos + 12 + length > bytes.size()) {
      return core::CorruptInput("corrupt_png", "a PNG chunk runs past the end of the file");
    }
    if (bytes.substr(pos + 4, 4) == "IEND") break;
    pos += 12 + length;
  }
  return size;
}

core::Result<ImageSize> JpegSize(std::string_view bytes) {
  size_t pos = 2;  // after SOI
  while (pos + 4 <= bytes.size()) {
    if (static_cast<uint8_t>(bytes[pos]) != 0xff) {
      return core::CorruptInput("jpeg_header",
                                "JPEG marker expected at byte " + std::to_string(pos));
    }
    uint8_t marker = static_cast<uint8_t>(bytes[pos + 1]);
    if (marker == 0xff) {  // fill byte
      ++pos;
      continue;
    }
    if (IsStandalone(marker)) {
      pos += 2;
      continue;
    }
    if (marker == 0xda) break;  // start of scan before any frame header
    uint32_t length = Be16(bytes, pos + 2);
    if (length < 2) break;
    if (IsSof(marker)) {
      // Length, precision (1), height (2), width (2).
      if (length < 7 || pos + 9 > bytes.size()) break;
      ImageSize size{Be16(bytes, pos + 7), Be16(bytes, pos + 5),
                     static_cast<uint8_t>(bytes[pos + 4])};
      // Height 0 means "defined later by DNL", which our decoders do not support.
      if (size.width == 0 || size.height == 0) break;
      return size;
    }
    pos += 2 + length;
  }
  return core::CorruptInput("jpeg_header", "JPEG frame header (SOF) missing or truncated");
}

core::Status CheckPagePixels(uint64_t width, uint64_t height, uint64_t max_pixels) {
  // Both come from 32-bit fields, so the product cannot overflow 64 bits.
  if (width * height <= max_pixels) return core::Status::Ok();
  return core::LimitExceeded("page_pixels", std::to_string(width) + "x" + std::to_string(height) +
                                                " pixels, over the limit of " +
                                                std::to_string(max_pixels));
}

}  // namespace smartocr::ingest
