// PNG and JPEG through OpenCV: single-page images, decoded to 8-bit gray with the
// EXIF orientation applied (imdecode does that unless told to ignore it).
#include <fstream>
#include <iterator>
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <optional>
#include <string>

#include "ingest/decoder.h"
#include "ingest/image_header.h"

namespace smartocr::ingest {

namespace {

class RasterDecoder : public PageDecoder {
 public:
  RasterDecoder(FileType type, std::string bytes) : type_(type), bytes_(std::move(bytes)) {}

  FileType type() const override { return type_; }
  int page_count() const override { return 1; }

  core::Result<Page> DecodePage(int number) override {
    cv::Mat buffer(1, static_cast<int>(bytes_.size()), CV_8UC1, bytes_.data());
    Page page;
    page.number = number;
    page.image = cv::imdecode(buffer, cv::IMREAD_GRAYSCALE);
    if (page.image.empty()) {
      const char* reason = type_ == FileType::kPng ? "corrupt_png" : "corrupt_jpeg";
      return core::CorruptInput(
          reason, std::string("the ") + FileTypeName(type_) + " image could not be decoded");
    }
    page.width = page.image.cols;
    page.height = page.image.rows;
    if (std::optional<double> dpi = type_ == FileType::kPng ? PngDpi(bytes_) : JpegDpi(bytes_)) {
      page.dpi = *dpi;
      page.dpi_source = core::DpiSource::kImage;
    }
    return page;
  }

 private:
  FileType type_;
  std::string bytes_;
};

}  // namespace

core::Result<std::unique_ptr<PageDecoder>> OpenRasterDecoder(const std::string& path, FileType type,
                                                             const IngestOptions& options) {
  // Preflight bounded the size by limits.max_file_bytes.
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return core::IoError("read_failed", "cannot read " + path);
  core::Result<ImageSize> size = type == FileType::kPng ? PngSize(bytes) : JpegSize(bytes);
  if (!size.ok()) return size.status();
  if (size->bits != 8) {
    // 12-bit (medical, some cameras) and lossless 16-bit JPEGs are valid files that
    // our 8-bit libjpeg cannot decode: say so rather than call them damaged.
    return core::UnsupportedFormat("jpeg_precision",
                                   std::to_string(size->bits) + "-bit JPEG is not supported");
  }
  SMARTOCR_RETURN_IF_ERROR(
      CheckPagePixels(size->width, size->height, options.limits.max_page_pixels));
  return std::unique_ptr<PageDecoder>(std::make_unique<RasterDecoder>(type, std::move(bytes)));
}

}  // namespace smartocr::ingest
