// src/mrz/internal/quad.h
//
// The document in a photo: the card's or passport page's outline as a quadrilateral,
// and the page rectified from it, so that the MRZ rows come out straight and evenly
// spaced. Private to src/mrz.
#ifndef SMARTOCR_MRZ_INTERNAL_QUAD_H_
#define SMARTOCR_MRZ_INTERNAL_QUAD_H_

#include <array>
#include <opencv2/core.hpp>
#include <optional>

namespace smartocr::mrz::internal {

// Corners in image pixels: top-left, top-right, bottom-right, bottom-left.
using Quad = std::array<cv::Point2f, 4>;

// The largest convex four-sided outline in `gray` (8-bit) that covers at least
// config::kMinQuadShare of the image and is not the image's own frame, found on edges
// and on the brightness split; nullopt when there is none.
std::optional<Quad> FindDocumentQuad(const cv::Mat& gray);

// `gray` seen straight on through `quad`: its longer sides become the output's width
// or height as in the photo, at the resolution of the quad's longer edges. `to_image`
// receives the 3x3 homography from the output's pixels back to `gray`'s.
cv::Mat RectifyQuad(const cv::Mat& gray, const Quad& quad, cv::Mat& to_image);

}  // namespace smartocr::mrz::internal

#endif  // SMARTOCR_MRZ_INTERNAL_QUAD_H_
