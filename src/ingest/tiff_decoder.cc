// TIFF through libtiff: one page per directory (IFD). Pixels go through the RGBA
// interface, which handles every photometric/compression combination libtiff knows
// (G3/G4, LZW, JPEG, planar, YCbCr, palette, 16-bit); single-sample 16/32-bit integer
// and float images, which it refuses, are read row by row and stretched to 8 bits.
#include <tiffio.h>

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ingest/decoder.h"
#include "ingest/image_header.h"

namespace smartocr::ingest {

namespace {

// Per-handle message sink: libtiff's default handlers print to stderr; we keep the
// last error to put in the Status instead.
struct TiffMessages {
  std::string last_error;
};

int OnTiffError(TIFF* /*tif*/, void* user_data, const char* module, const char* fmt, va_list args) {
  char text[512];
  std::vsnprintf(text, sizeof(text), fmt, args);
  auto* messages = static_cast<TiffMessages*>(user_data);
  messages->last_error = std::string(module ? module : "libtiff") + ": " + text;
  return 1;  // handled: do not call the global handler
}

int OnTiffWarning(TIFF* /*tif*/, void* /*user_data*/, const char* /*module*/, const char* /*fmt*/,
                  va_list /*args*/) {
  return 1;
}

struct TiffCloser {
  void operator()(TIFF* tif) const { TIFFClose(tif); }
};

// Reads a one-sample, strip-organized 16/32-bit page and stretches its value range
// onto 0..255.
core::Result<cv::Mat> ReadWideGray(TIFF* tif, uint32_t width, uint32_t height) {
  uint16_t bits = 0, samples = 1, format = SAMPLEFORMAT_UINT;
  TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bits);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &samples);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &format);
  int cv_type = -1;
  if (bits == 16) cv_type = format == SAMPLEFORMAT_INT ? CV_16S : CV_16U;
  if (bits == 32) cv_type = format == SAMPLEFORMAT_IEEEFP ? CV_32F : CV_32S;
  if (samples != 1 || cv_type < 0 || TIFFIsTiled(tif)) {
    return core::UnsupportedFormat(
        "tiff_format", "unsupported TIFF layout: " + std::to_string(samples) + " samples of " +
                           std::to_string(bits) + " bits");
  }
  cv::Mat wide(static_cast<int>(height), static_cast<int>(width), cv_type);
  if (static_cast<size_t>(TIFFScanlineSize64(tif)) != wide.step[0]) {
    return core::CorruptInput("corrupt_tiff", "TIFF scanline size does not match the image");
  }
  for (uint32_t y = 0; y < height; ++y) {
    if (TIFFReadScanline(tif, wide.ptr(static_cast<int>(y)), y, 0) < 0) {
      return core::CorruptInput("corrupt_tiff", "TIFF row " + std::to_string(y) + " unreadable");
    }
  }
  if (cv_type == CV_32S && format == SAMPLEFORMAT_UINT) {
    // OpenCV has no 32-bit unsigned type; reinterpret through doubles.
    cv::Mat as_double(wide.size(), CV_64F);
    for (int y = 0; y < wide.rows; ++y) {
      const uint32_t* src = wide.ptr<uint32_t>(y);
      double* dst = as_double.ptr<double>(y);
      for (int x = 0; x < wide.cols; ++x) dst[x] = src[x];
    }
    wide = as_double;
  }
  if (wide.depth() == CV_32F) {
    // NaN and infinities would poison the min-max stretch.
    for (int y = 0; y < wide.rows; ++y) {
      float* row = wide.ptr<float>(y);
      for (int x = 0; x < wide.cols; ++x) {
        if (!std::isfinite(row[x])) row[x] = 0;
      }
    }
  }
  cv::Mat gray;
  cv::normalize(wide, gray, 0, 255, cv::NORM_MINMAX, CV_8U);
  return gray;
}

class TiffDecoder : public PageDecoder {
 public:
  TiffDecoder(std::unique_ptr<TIFF, TiffCloser> tif, std::unique_ptr<TiffMessages> messages,
              int pages, const IngestOptions& options)
      : tif_(std::move(tif)), messages_(std::move(messages)), pages_(pages), options_(options) {}

  FileType type() const override { return FileType::kTiff; }
  int page_count() const override { return pages_; }

  core::Result<Page> DecodePage(int number) override {
    TIFF* tif = tif_.get();
    if (!TIFFSetDirectory(tif, static_cast<tdir_t>(number - 1))) return Corrupt("directory");
    uint32_t width = 0, height = 0;
    if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width) ||
        !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height) || width == 0 || height == 0) {
      return Corrupt("image size");
    }
    SMARTOCR_RETURN_IF_ERROR(CheckPagePixels(width, height, options_.limits.max_page_pixels));
    Page page;
    page.number = number;
    char why[1024] = "";
    if (TIFFRGBAImageOK(tif, why)) {
      // ABGR words in host order: bytes R, G, B, A on little-endian machines.
      cv::Mat rgba(static_cast<int>(height), static_cast<int>(width), CV_8UC4);
      if (!TIFFReadRGBAImageOriented(tif, width, height, rgba.ptr<uint32_t>(), ORIENTATION_TOPLEFT,
                                     1)) {
        return Corrupt("pixels");
      }
      cv::cvtColor(rgba, page.image, cv::COLOR_RGBA2GRAY);
    } else {
      core::Result<cv::Mat> gray = ReadWideGray(tif, width, height);
      if (!gray.ok()) return gray.status().WithContext(why);
      page.image = *std::move(gray);
    }
    page.width = page.image.cols;
    page.height = page.image.rows;
    float x_res = 0, y_res = 0;
    uint16_t unit = RESUNIT_INCH;  // TIFF's default
    if (TIFFGetField(tif, TIFFTAG_XRESOLUTION, &x_res) &&
        TIFFGetField(tif, TIFFTAG_YRESOLUTION, &y_res)) {
      TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
      if (std::optional<double> dpi = DpiFromResolution(x_res, y_res, unit)) {
        page.dpi = *dpi;
        page.dpi_source = core::DpiSource::kImage;
      }
    }
    return page;
  }

 private:
  core::Status Corrupt(const std::string& what) const {
    return core::CorruptInput("corrupt_tiff", "bad TIFF " + what + ": " + messages_->last_error);
  }

  std::unique_ptr<TIFF, TiffCloser> tif_;
  std::unique_ptr<TiffMessages> messages_;
  int pages_;
  IngestOptions options_;
};

}  // namespace

core::Result<std::unique_ptr<PageDecoder>> OpenTiffDecoder(const std::string& path,
                                                           const IngestOptions& options) {
  auto messages = std::make_unique<TiffMessages>();
  TIFFOpenOptions* opts = TIFFOpenOptionsAlloc();
  TIFFOpenOptionsSetErrorHandlerExtR(opts, OnTiffError, messages.get());
  TIFFOpenOptionsSetWarningHandlerExtR(opts, OnTiffWarning, nullptr);
  // A hostile strip size should fail cleanly rather than reach the address-space cap;
  // the largest legitimate buffer is a whole page of 4 samples x 16 bits.
  TIFFOpenOptionsSetMaxSingleMemAlloc(
      opts, static_cast<tmsize_t>(options.limits.max_page_pixels * 8 + (64 << 20)));
  std::unique_ptr<TIFF, TiffCloser> tif(TIFFOpenExt(path.c_str(), "r", opts));
  TIFFOpenOptionsFree(opts);
  if (tif == nullptr) {
    return core::CorruptInput("corrupt_tiff",
                              path + " is not a readable TIFF: " + messages->last_error);
  }
  // libtiff 4.5 follows the IFD chain with loop detection, so a looped chain ends.
  tdir_t pages = TIFFNumberOfDirectories(tif.get());
  if (pages == 0) return core::CorruptInput("no_pages", path + " has no TIFF directories");
  int count = pages > 0x7fffffff ? 0x7fffffff : static_cast<int>(pages);
  return std::unique_ptr<PageDecoder>(
      std::make_unique<TiffDecoder>(std::move(tif), std::move(messages), count, options));
}

}  // namespace smartocr::ingest
