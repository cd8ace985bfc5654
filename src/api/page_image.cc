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

std::string PageImageKey(const std::string& tenant_id, const std::string& job_id, int page_number) {
  return "pages/" + tenant_id + "/" + job_id + "/" + std::to_string(page_number);
}

std::string PackPageImage(std::string_view result_stamp, std::string_view png) {
  std::string kept;
  kept.reserve(result_stamp.size() + 1 + png.size());
  kept.append(result_stamp).append(1, '\n').append(png);
  return kept;
}

std::optional<std::string> UnpackPageImage(std::string_view kept, std::string_view result_stamp) {
  if (kept.size() <= result_stamp.size() + 1 ||
      kept.substr(0, result_stamp.size()) != result_stamp || kept[result_stamp.size()] != '\n') {
    return std::nullopt;
  }
  return std::string(kept.substr(result_stamp.size() + 1));
}

}  // namespace smartocr::api
