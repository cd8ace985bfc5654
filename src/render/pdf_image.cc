// The page image as a PDF image XObject. Scans are mostly photos of paper (JPEG keeps
// them small); binarized pages compress far better as 1-bit Flate than as JPEG, and
// stay sharp.
#include <algorithm>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "render/pdf_internal.h"

namespace smartocr::render::internal {

namespace {

// JPEG's limit on each side.
constexpr int kMaxJpegSide = 65500;

bool IsBilevel(const cv::Mat& gray) { return cv::countNonZero((gray != 0) & (gray != 255)) == 0; }

std::string Header(const cv::Mat& image, const char* color_space, int bits) {
  return "/Width " + std::to_string(image.cols) + " /Height " + std::to_string(image.rows) +
         " /ColorSpace " + color_space + " /BitsPerComponent " + std::to_string(bits);
}

// Packs 0/255 pixels to 1 bit each, rows padded to whole bytes; 1 is white in
// DeviceGray, as in the image.
std::string PackBits(const cv::Mat& gray) {
  size_t row_bytes = (static_cast<size_t>(gray.cols) + 7) / 8;
  std::string out(row_bytes * static_cast<size_t>(gray.rows), '\0');
  for (int y = 0; y < gray.rows; ++y) {
    const uint8_t* src = gray.ptr<uint8_t>(y);
    char* dst = out.data() + row_bytes * static_cast<size_t>(y);
    for (int x = 0; x < gray.cols; ++x) {
      if (src[x]) {
        dst[x / 8] = static_cast<char>(dst[x / 8] | (0x80 >> (x % 8)));
      }
    }
  }
  return out;
}

// Raw 8-bit samples (BGR turned to RGB), for images too large for JPEG.
std::string RawSamples(const cv::Mat& image) {
  std::string out;
  out.reserve(image.total() * image.elemSize());
  for (int y = 0; y < image.rows; ++y) {
    const uint8_t* row = image.ptr<uint8_t>(y);
    for (int x = 0; x < image.cols; ++x) {
      if (image.channels() == 1) {
        out += static_cast<char>(row[x]);
      } else {
        const uint8_t* px = row + 3 * static_cast<size_t>(x);
        out += {static_cast<char>(px[2]), static_cast<char>(px[1]), static_cast<char>(px[0])};
      }
    }
  }
  return out;
}

// 8-bit gray or BGR, or an error for a type we do not write.
core::Result<cv::Mat> To8BitGrayOrBgr(const cv::Mat& image) {
  if (image.empty() || image.dims != 2) {
    return core::InvalidArgument("image_type", "page image is empty");
  }
  int channels = image.channels();
  if ((image.depth() != CV_8U && image.depth() != CV_16U) ||
      (channels != 1 && channels != 3 && channels != 4)) {
    return core::InvalidArgument("image_type",
                                 "page image must be 8- or 16-bit gray, BGR "
                                 "or BGRA, got type " +
                                     std::to_string(image.type()));
  }
  cv::Mat out = image;
  if (out.depth() == CV_16U) {
    out.convertTo(out, CV_MAKETYPE(CV_8U, channels), 1.0 / 257);
  }
  if (channels == 4) {
    cv::Mat bgr(out.size(), CV_8UC3);
    const int from_to[] = {0, 0, 1, 1, 2, 2};
    cv::mixChannels(&out, 1, &bgr, 1, from_to, 3);
    out = bgr;
  }
  return out;
}

}  // namespace

core::Result<PdfImage> EncodePageImage(const cv::Mat& image) {
  core::Result<cv::Mat> converted = To8BitGrayOrBgr(image);
  if (!converted.ok()) {
    return converted.status();
  }
  const cv::Mat& img = *converted;
  bool gray = img.channels() == 1;
  const char* color_space = gray ? "/DeviceGray" : "/DeviceRGB";
  if (gray && IsBilevel(img)) {
    core::Result<std::string> data = Deflate(PackBits(img));
    if (!data.ok()) {
      return data.status();
    }
    return PdfImage{Header(img, "/DeviceGray", 1) + " /Filter /FlateDecode", std::move(*data)};
  }
  if (std::max(img.cols, img.rows) > kMaxJpegSide) {
    core::Result<std::string> data = Deflate(RawSamples(img));
    if (!data.ok()) {
      return data.status();
    }
    return PdfImage{Header(img, color_space, 8) + " /Filter /FlateDecode", std::move(*data)};
  }
  std::vector<uchar> jpeg;
  try {
    if (!cv::imencode(".jpg", img, jpeg, {cv::IMWRITE_JPEG_QUALITY, kJpegQuality})) {
      return core::Internal("jpeg_encode", "OpenCV could not encode the page as JPEG");
    }
  } catch (const cv::Exception& e) {
    return core::Internal("jpeg_encode", std::string("JPEG encoding failed: ") + e.what());
  }
  return PdfImage{Header(img, color_space, 8) + " /Filter /DCTDecode",
                  std::string(jpeg.begin(), jpeg.end())};
}

}  // namespace smartocr::render::internal
