// tests/unit/preprocess/test_pages.h
//
// Pages for the preprocess tests, rendered at test time: paragraphs of plain English
// (OSD needs real words to judge orientation) and a few image degradations.
#ifndef SMARTOCR_TESTS_UNIT_PREPROCESS_TEST_PAGES_H_
#define SMARTOCR_TESTS_UNIT_PREPROCESS_TEST_PAGES_H_

#include <opencv2/core.hpp>

namespace smartocr::preprocess::testing {

// A US Letter page of several paragraphs at `dpi`, text `size_pt` high.
cv::Mat TextPage(double dpi, double size_pt = 11);

// Gray levels mapped linearly so that black becomes `ink` and white `paper`.
cv::Mat WithLevels(const cv::Mat& gray, int ink, int paper);

// `fraction` of the pixels set to black or white at random (fixed seed).
cv::Mat WithSaltAndPepper(const cv::Mat& gray, double fraction);

// Darkened from the left edge (full brightness) to `right_level` at the right edge.
cv::Mat WithShading(const cv::Mat& gray, double right_level);

// Normalized correlation of `a` and `b` after both are resized to 200x260; 1 for equal.
double Similarity(const cv::Mat& a, const cv::Mat& b);

}  // namespace smartocr::preprocess::testing

#endif  // SMARTOCR_TESTS_UNIT_PREPROCESS_TEST_PAGES_H_
