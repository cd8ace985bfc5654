#include "ingest/image_header.h"

#include <string>

namespace smartocr::ingest {

namespace {

uint32_t Be16(std::string_view b, size_t at) {
  return (uint32_t{static_cast<uint8_t>(b[at])} << 8) | static_cast<uint8_t>(b[at + 1]);
}

uint32_t Be32(std::string_view b, size_t at) { return (Be16(b, at) << 16) | Be16(b, at + 2); }

constexpr double kCmPerInch = 2.54;
constexpr double kMetresPerInch = 0.0254;
constexpr int kUnitInch = 2;  // TIFF/EXIF ResolutionUnit
constexpr int kUnitCm = 3;

// An EXIF block is a little TIFF file: byte order, 42, the offset of IFD0.
class ExifReader {
 public:
  explicit ExifReader(std::string_view tiff) : b_(tiff), little_(tiff.substr(0, 2) == "II") {}

  std::optional<double> Dpi() const {
    if (b_.size() < 8 || (!little_ && b_.substr(0, 2) != "MM") || U16(2) != 42) {
      return std::nullopt;
    }
    const uint64_t ifd = U32(4);
    if (ifd + 2 > b_.size()) return std::nullopt;
    const uint32_t entries = U16(static_cast<size_t>(ifd));
    double x = 0, y = 0;
    int unit = kUnitInch;  // EXIF's default
    for (uint32_t i = 0; i < entries; ++i) {
      const uint64_t at = ifd + 2 + 12ull * i;
      if (at + 12 > b_.size()) return std::nullopt;
      const auto entry = static_cast<size_t>(at);
      const uint32_t tag = U16(entry);
      if (tag == 0x011a) x = Rational(U32(entry + 8));
      if (tag == 0x011b) y = Rational(U32(entry + 8));
      if (tag == 0x0128) unit = static_cast<int>(U16(entry + 8));
    }
    return DpiFromResolution(x, y, unit);
  }

 private:
  uint32_t U16(size_t at) const {
    const auto lo = static_cast<uint8_t>(b_[little_ ? at : at + 1]);
    const auto hi = static_cast<uint8_t>(b_[little_ ? at + 1 : at]);
    return (uint32_t{hi} << 8) | lo;
  }
  uint32_t U32(size_t at) const {
    return little_ ? (U16(at + 2) << 16) | U16(at) : (U16(at) << 16) | U16(at + 2);
  }
  double Rational(uint64_t at) const {
    if (at + 8 > b_.size()) return 0;
    const uint32_t denominator = U32(static_cast<size_t>(at) + 4);
    return denominator == 0 ? 0 : static_cast<double>(U32(static_cast<size_t>(at))) / denominator;
  }

  std::string_view b_;
  bool little_;
};

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

std::optional<double> DpiFromResolution(double x, double y, int unit) {
  if (!(x > 0) || !(y > 0)) return std::nullopt;
  const double per_unit = (x + y) / 2;
  if (unit == kUnitInch) return per_unit;
  if (unit == kUnitCm) return per_unit * kCmPerInch;
  return std::nullopt;
}

std::optional<double> PngDpi(std::string_view bytes) {
  size_t pos = 8;
  while (pos + 8 <= bytes.size()) {
    const uint64_t length = Be32(bytes, pos);
    if (pos + 12 + length > bytes.size()) return std::nullopt;
    const std::string_view type = bytes.substr(pos + 4, 4);
    if (type == "IDAT" || type == "IEND") return std::nullopt;  // pHYs comes before IDAT
    if (type == "pHYs" && length == 9) {
      // X and Y pixels per unit, then the unit: 1 metre, 0 an aspect ratio only.
      if (static_cast<uint8_t>(bytes[pos + 16]) != 1) return std::nullopt;
      const double x = Be32(bytes, pos + 8) * kMetresPerInch;
      const double y = Be32(bytes, pos + 12) * kMetresPerInch;
      return DpiFromResolution(x, y, kUnitInch);
    }
    pos += 12 + static_cast<size_t>(length);
  }
  return std::nullopt;
}

std::optional<double> JpegDpi(std::string_view bytes) {
  std::optional<double> exif;
  size_t pos = 2;  // after SOI
  while (pos + 4 <= bytes.size() && static_cast<uint8_t>(bytes[pos]) == 0xff) {
    const auto marker = static_cast<uint8_t>(bytes[pos + 1]);
    if (marker == 0xff || IsStandalone(marker)) {
      pos += marker == 0xff ? 1 : 2;
      continue;
    }
    if (marker == 0xda || IsSof(marker)) break;  // the APPn segments come first
    const uint32_t length = Be16(bytes, pos + 2);
    if (length < 2 || pos + 2 + length > bytes.size()) break;
    const std::string_view body = bytes.substr(pos + 4, length - 2);
    if (marker == 0xe0 && body.size() >= 12 && body.substr(0, 5) == std::string_view("JFIF\0", 5)) {
      // Version (2), units (1: per inch, 2: per cm, 0: aspect only), X and Y density.
      const auto units = static_cast<uint8_t>(body[7]);
      const double x = Be16(body, 8), y = Be16(body, 10);
      if (units == 1 || units == 2) {
        return DpiFromResolution(x, y, units == 1 ? kUnitInch : kUnitCm);
      }
    }
    if (marker == 0xe1 && !exif && body.size() > 6 &&
        body.substr(0, 6) == std::string_view("Exif\0\0", 6)) {
      exif = ExifReader(body.substr(6)).Dpi();
    }
    pos += 2 + length;
  }
  return exif;
}

core::Status CheckPagePixels(uint64_t width, uint64_t height, uint64_t max_pixels) {
  // Both come from 32-bit fields, so the product cannot overflow 64 bits.
  if (width * height <= max_pixels) return core::Status::Ok();
  return core::LimitExceeded("page_pixels", std::to_string(width) + "x" + std::to_string(height) +
                                                " pixels, over the limit of " +
                                                std::to_string(max_pixels));
}

}  // namespace smartocr::ingest
