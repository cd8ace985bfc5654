// src/layout/layout.h
//
// Layout: turns recognized lines (or text-layer words) into typed blocks in reading
// order, and finds tables. Two steps:
//   DetectRegions(image): image-based, before recognition: table grids from ruling
//     lines, figure (image) regions.
//   Assemble(lines, regions): groups lines into blocks, finds columns (multi-column
//     pages read column by column), types blocks (text, table, image), finds tables
//     without rulings from column alignment, and assigns the reading order.
// Boxes are pixels of the page image.
//
// Thread safety: free functions, no shared state.
#ifndef SMARTOCR_LAYOUT_LAYOUT_H_
#define SMARTOCR_LAYOUT_LAYOUT_H_

#include <opencv2/core.hpp>
#include <vector>

#include "core/core.h"

namespace smartocr::layout {

// A table found from ruling lines: its box and the x / y positions of its
// separators (including the outer border), both sorted.
struct RuledTable {
  core::BBox box;
  std::vector<double> column_edges;  // size = columns + 1
  std::vector<double> row_edges;     // size = rows + 1
};

struct Regions {
  std::vector<RuledTable> tables;
  std::vector<core::BBox> figures;
  // The page has a column gutter: text stands in two or more columns side by side.
  bool multi_column = false;
};

struct PageLayout {
  std::vector<core::Block> blocks;  // sorted by reading_order
  std::vector<core::Table> tables;
};

// Finds ruled tables and figures on a gray page image (CV_8UC1; 8-bit BGR or BGRA
// is converted). A table needs ruling lines that cross into at least two columns;
// underlines, page borders and frames are not tables. Figures are large dense
// regions (photos, logos, filled boxes) outside tables. Sorted top to bottom.
// Returns no regions for an empty, tiny or other-typed image. About 25 ms for a
// 2550 x 3300 page (work is done at about 160 dpi).
Regions DetectRegions(const cv::Mat& gray);

// Whitens the ruling lines of `regions`' tables in `gray` (in place), so a recognizer
// reads the cell text instead of taking the grid for a picture. `scale` maps region
// pixels to `gray` pixels (e.g. the OCR image's upscaling factor).
void EraseTableRulings(const Regions& regions, double scale, cv::Mat& gray);

// Groups loose words (e.g. from a PDF text layer) into lines by vertical overlap and
// horizontal proximity; a gap wider than about 1.2 line heights starts a new line,
// so columns side by side stay apart. Words within a line come out left to right,
// lines top to bottom; line box = union of its words, confidence = their mean.
// Words with no text or a non-finite box are dropped; the input order does not
// matter.
std::vector<core::Line> GroupWordsIntoLines(std::vector<core::Word> words);

// Builds blocks, tables and reading order for a page of `width` x `height` pixels
// (0 for unknown).
//   - Words centred in a ruled table make a kTable block and a core::Table with one
//     cell per grid cell; a line crossing the table's border is cut there.
//   - Lines centred in a figure stay as the text of its kFigure block.
//   - Other lines are cut at column gutters and ordered column by column (XY-cut);
//     pieces of one row not divided by a gutter are merged back into one line.
//   - >= 3 consecutive lines with the same >= 3 aligned columns of short cells
//     become a kTable block and a core::Table (borderless tables).
//   - The rest are grouped into kText paragraphs.
// Blocks come sorted by reading_order (0..n-1), tables in the same order; a block's
// confidence is the mean of its lines' (0 when it has none). Words with no text or
// a non-finite box are dropped; every other word ends up in exactly one block.
// Deterministic; about O(n log n) in the number of lines.
PageLayout Assemble(std::vector<core::Line> lines, const Regions& regions, int width, int height);

}  // namespace smartocr::layout

#endif  // SMARTOCR_LAYOUT_LAYOUT_H_
