// src/api/page_image.h
//
// The image a stored result's boxes refer to, drawn again from the original page once,
// then kept beside the result: upright, sized to the result and redacted, as served.
#ifndef SMARTOCR_API_PAGE_IMAGE_H_
#define SMARTOCR_API_PAGE_IMAGE_H_

#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/core.h"

namespace smartocr::api {

// The image a page's boxes refer to, from the original page image: turned as the page
// was (`rotation`: OSD, or the MRZ of an ID card), then sized to the result's width x
// height (deskew grows the canvas by a few pixels).
cv::Mat PageImageForResult(const cv::Mat& original, const core::PageResult& page);

// Where page `page_number` of a job is kept once served: "pages/<tenant>/<job>/<n>"
// (DeleteJobAndBlobs removes it with the job).
std::string PageImageKey(const std::string& tenant_id, const std::string& job_id, int page_number);

// A served page as kept: a stamp of the result it was drawn for (no '\n' in it), '\n',
// then the PNG. A re-run writes a new result, so a page kept for the old one (turned
// or redacted differently) reads as absent and is drawn again.
std::string PackPageImage(std::string_view result_stamp, std::string_view png);
std::optional<std::string> UnpackPageImage(std::string_view kept, std::string_view result_stamp);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_PAGE_IMAGE_H_
