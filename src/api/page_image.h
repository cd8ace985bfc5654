// src/api/page_image.h
//
// The image a stored result's boxes refer to, drawn again from the original page: the
// API keeps no page images, only the result JSON (render::ParseResultJson reads it).
#ifndef SMARTOCR_API_PAGE_IMAGE_H_
#define SMARTOCR_API_PAGE_IMAGE_H_

#include <opencv2/core.hpp>

#include "core/core.h"

namespace smartocr::api {

// The image a page's boxes refer to, from the original page image: turned as the page
// was (`rotation`: OSD, or the MRZ of an ID card), then sized to the result's width x
// height (deskew grows the canvas by a few pixels).
cv::Mat PageImageForResult(const cv::Mat& original, const core::PageResult& page);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_PAGE_IMAGE_H_
