// src/ingest/image_header.h
//
// Private to the ingest module. Reads an image's pixel size from its header alone, so
// that the page-pixel limit is checked before any decoder allocates a bitmap.
#ifndef SMARTOCR_INGEST_IMAGE_HEADER_H_
#define SMARTOCR_INGEST_IMAGE_HEADER_H_

#include <cstdint>
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

// Fails with kLimitExceeded "page_pixels" when width * height > max_pixels.
core::Status CheckPagePixels(uint64_t width, uint64_t height, uint64_t max_pixels);

}  // namespace smartocr::ingest

#endif  // SMARTOCR_INGEST_IMAGE_HEADER_H_
