// src/layout/layout_internal.h
//
// Private to the layout module: the pieces Assemble() and DetectRegions() are built
// from, declared here so that each lives in its own file and can be tested alone.
// Boxes are page pixels unless a comment says "work pixels" (the downscaled image
// that DetectRegions() analyses).
//
// Thread safety: free functions, no shared state.
#ifndef SMARTOCR_LAYOUT_LAYOUT_INTERNAL_H_
#define SMARTOCR_LAYOUT_LAYOUT_INTERNAL_H_

#include <cstddef>
#include <opencv2/core.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/core.h"
#include "layout/layout.h"

namespace smartocr::layout::internal {

// ---- geometry.cc: small helpers on boxes, words and lines.

// Median of `values`; 0 when empty.
double Median(std::vector<double> values);
// A box's height, at least 1 so that ratios stay finite on degenerate boxes.
double SafeHeight(const core::BBox& box);
// True when `text` is empty or only ASCII whitespace.
bool IsBlank(const std::string& text);
// True when all four coordinates are finite numbers.
bool IsFinite(const core::BBox& box);
// Smallest box holding all the words' boxes, degenerate ones included.
core::BBox BoxOfWords(const std::vector<core::Word>& words);
// Mean of the words' confidences; 0 when empty.
double MeanConfidence(const std::vector<core::Word>& words);
// A line of `words` (kept in the given order) with box and mean confidence.
core::Line MakeLine(std::vector<core::Word> words);
// Length of the overlap of [a0, a1] and [b0, b1]; negative when apart.
double Overlap(double a0, double a1, double b0, double b1);
// Splits a line whose words are left to right at gaps wider than
// `gap_factor` x its height. Pieces keep the line's confidence.
std::vector<core::Line> SplitAtGaps(const core::Line& line, double gap_factor);
// Mean confidence of `lines`; 0 when empty.
double MeanLineConfidence(const std::vector<core::Line>& lines);
// Line height (median over the lines), at least 1.
double TypicalLineHeight(const std::vector<core::Line>& lines);

// ---- column_gutters.cc

// True when the ink mask (255 = ink) has a white vertical gutter between two columns
// of text running down most of the text's height. `text_height` in mask pixels.
bool HasColumnGutter(const cv::Mat& ink, double text_height);

// ---- rulings.cc: ruling lines and the table grids they form.

// A straight ruling line: for a horizontal one, `pos` is its y and [lo, hi] its
// x extent; for a vertical one, `pos` is its x and [lo, hi] its y extent.
struct Segment {
  double pos = 0;
  double lo = 0;
  double hi = 0;
};

struct Rulings {
  std::vector<Segment> horizontal;
  std::vector<Segment> vertical;
};

// Finds ruling lines on `ink` (CV_8UC1, nonzero = ink): runs of ink at least
// `min_h_len` (`min_v_len`) long, with gaps of one or two pixels bridged, no thicker
// than `max_thickness`; pieces of a broken line (down to half that length),
// collinear and at most `join_gap` apart, become one segment.
Rulings FindRulings(const cv::Mat& ink, int min_h_len, int min_v_len, double max_thickness,
                    double join_gap);

// Groups rulings that cross each other (within `tol`) into table grids. A grid needs
// at least two columns; a lone rectangle (page border, frame) or an underline is no
// table. Edges are in the units of the segments.
std::vector<RuledTable> GridsFromRulings(const Rulings& rulings, double tol);

// ---- figures.cc

// Figure boxes on `ink` (work pixels): large, fairly dense connected regions well
// above text size, merged when close, and not inside any of `tables`.
std::vector<core::BBox> FindFigures(const cv::Mat& ink, const std::vector<core::BBox>& tables);

// ---- reading_order.cc

// One thing to place in reading order: a text line (atomic < 0) or an atomic block
// (a table or figure, identified by the caller's index).
struct Item {
  core::BBox box;
  int atomic = -1;
  core::Line line;  // when atomic < 0
};

// Orders `items` for reading with a recursive XY-cut: a whitespace gutter that
// separates column-like text (or blocks) splits a region into columns read left to
// right; otherwise the region is cut into horizontal slices read top to bottom, and
// text pieces on the same row of a slice are merged back into one line.
// `line_height` is the page's typical line height.
std::vector<Item> OrderItems(const std::vector<Item>& items, double line_height);

// ---- borderless_tables.cc

// A table found in a run of consecutive lines: lines [begin, end) of the input.
struct FoundTable {
  std::size_t begin = 0;
  std::size_t end = 0;
  core::Table table;
};

// Finds runs of >= 3 consecutive lines (in reading order) whose words split, at wide
// gaps, into the same >= 3 aligned columns of short cells. Prose and lines with a
// single amount at the right are not tables. Runs do not overlap.
std::vector<FoundTable> FindBorderlessTables(const std::vector<core::Line>& lines);

// ---- paragraphs.cc

// Groups consecutive lines (in reading order) into paragraphs: a line joins the
// previous one's paragraph when it sits just below it, overlaps it horizontally and
// has a similar height. Returns [begin, end) index ranges covering all lines.
std::vector<std::pair<std::size_t, std::size_t>> GroupParagraphs(
    const std::vector<core::Line>& lines);

// ---- ruled_cells.cc

// The table of a ruled grid: one cell per grid cell, its text the words whose centre
// falls in it, in reading order of `words` (sorted by the caller).
core::Table TableFromGrid(const RuledTable& grid, const std::vector<core::Word>& words);

}  // namespace smartocr::layout::internal

#endif  // SMARTOCR_LAYOUT_LAYOUT_INTERNAL_H_
