// Column gutters: a vertical strip of white that runs down most of the text's height
// between inked areas on both sides. Found on the ink mask, before recognition, so
// the recognizer can be told whether the page reads as one column.
#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "layout/layout_internal.h"
#include "layout/tunables.h"

namespace smartocr::layout::internal {

bool HasColumnGutter(const cv::Mat& ink, double text_height) {
  if (ink.empty() || text_height < config::kGutterMinTextHeight) return false;
  // Letters merge into words and words into line pieces; a gutter is wider than a
  // (justified) word space.
  int merge = std::max(config::kGutterMinMergePx, static_cast<int>(text_height));
  // Rules, borders and scanner edges are not text: they would fill a gutter (a
  // horizontal rule) or pose as a column (a dark page edge).
  int rule_len = std::max(config::kGutterMinRulePx,
                          static_cast<int>(config::kGutterRuleHeights * text_height));
  cv::Mat vertical, horizontal;
  cv::morphologyEx(ink, vertical, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(1, rule_len)));
  cv::morphologyEx(ink, horizontal, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(rule_len, 1)));
  cv::Mat text = ink & ~(vertical | horizontal);
  cv::Mat merged;
  cv::dilate(text, merged, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(merge, 1)));

  int rows_with_ink = 0;
  cv::Mat ink_rows;
  cv::reduce(merged, ink_rows, 1, cv::REDUCE_MAX, CV_8U);
  for (int y = 0; y < ink_rows.rows; ++y) rows_with_ink += ink_rows.at<uint8_t>(y) ? 1 : 0;
  // Too little text to have columns.
  if (rows_with_ink < config::kGutterMinInkRowsHeights * text_height) return false;

  // For each x: in how many inked rows is x inked?
  cv::Mat counts;
  cv::reduce(merged / 255, counts, 0, cv::REDUCE_SUM, CV_32S);
  int x_first = -1, x_last = -1;
  for (int x = 0; x < counts.cols; ++x) {
    if (counts.at<int>(x) > 0) {
      if (x_first < 0) x_first = x;
      x_last = x;
    }
  }
  if (x_first < 0 || x_last - x_first < config::kGutterMinTextWidthHeights * text_height) {
    return false;
  }
  // Gutters sit in the middle of the text's width, wide, crossed by few of the inked
  // rows (headings and footers span them), with wide text on both sides in many rows.
  const double width = x_last - x_first;
  const int lo = x_first + static_cast<int>(config::kGutterLoShare * width);
  const int hi = x_first + static_cast<int>(config::kGutterHiShare * width);
  const int min_gutter = static_cast<int>(config::kGutterMinWidthHeights * text_height);
  const int max_crossing = static_cast<int>(config::kGutterMaxCrossingShare * rows_with_ink);
  int run = 0;
  for (int x = lo; x <= hi; ++x) {
    run = counts.at<int>(x) <= max_crossing ? run + 1 : 0;
    if (run < min_gutter) continue;
    // Columns of prose are wide; a narrow strip of amounts is a table column.
    const double min_column = config::kGutterMinColumnHeights * text_height;
    if (x - run - x_first < min_column || x_last - x < min_column) continue;
    int left = 0, right = 0;
    for (int l = x_first; l < x - run; ++l) left = std::max(left, counts.at<int>(l));
    for (int r = x + 1; r <= x_last; ++r) right = std::max(right, counts.at<int>(r));
    if (left >= config::kGutterMinSideShare * rows_with_ink &&
        right >= config::kGutterMinSideShare * rows_with_ink) {
      return true;
    }
  }
  return false;
}

}  // namespace smartocr::layout::internal
