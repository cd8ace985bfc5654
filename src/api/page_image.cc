#include "api/page_image.h"

#include <opencv2/imgproc.hpp>

#include "preprocess/preprocess.h"

namespace smartocr::api {

cv::Mat PageImageForResult(const cv::Mat& original, const core::PageResult& page) {
  cv::Mat image =
      page.rotation != 0 ? preprocess::TurnClockwise(original, page.rotation) : original;
  if (page.width <= 0 || page.height <= 0 ||
      (image.cols == page.width && image.rows == page.height)) {
    return image;
  }
  cv::Mat out;
  cv::resize(image, out, cv::Size(page.width, page.height));
  return out;
}

}  // namespace smartocr::api
