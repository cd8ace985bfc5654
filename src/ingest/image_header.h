// src/ingest/image_header.h
//
// Private to the ingest module. Reads an image's pixel size from its header alone, so
// that the page-pixel limit is checked before any decoder allocates a bitmap.
#ifndef SMARTOCR_INGEST_IMAGE_HEADER_H_
#define SMARTOCR_INGEST_IMAGE_HEADER_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/core.h"

namespace smartocr::ingest {

struct ImageSize {
  uint32_t width = 0;
  uint32_t height = 0;
  int bits = 8;  // bits per sample (JPEG precision; 8 for PNG, which decodes any depth)
};

// From the IHDR chunk. Fails with kCorruptInput "png_header".
core::Result<ImageSize> PngSize(std::string_view bytes);

// From the first SOFn marker segment. Fails with kCorruptInput "jpeg_header".
core::Result<ImageSize> JpegSize(std::string_view bytes);

// The resolution an image states, in dots per inch, from its header alone; nullopt
// when it states none, states only an aspect ratio, or is malformed (a broken tag is
// not an error: the page is still read, its resolution estimated).
// PNG: the pHYs chunk in pixels per metre. JPEG: the JFIF APP0 density (per inch or
// per cm), else EXIF's XResolution/YResolution with ResolutionUnit.
// Where horizontal and vertical differ (fax modes), their mean.
std::optional<double> PngDpi(std::string_view bytes);
std::optional<double> JpegDpi(std::string_view bytes);
// (x, y, unit) as TIFF and EXIF state them: unit 2 inch, 3 centimetre, else none.
std::optional<double> DpiFromResolution(double x, double y, int unit);

// Fails with kLimitExceeded "page_pixels" when width * height > max_pixels.
core::Status CheckPagePixels(uint64_t width, uint64_t height, uint64_t max_pixels);

}  // namespace smartocr::ingest

#endif  // SMARTOCR_INGEST_IMAGE_HEADER_H_
