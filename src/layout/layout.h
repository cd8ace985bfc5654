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

#include <vector>

#include <opencv2/core.hpp>

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
};

struct PageLayout {
  std::vector<core::Block> blocks;  // sorted by reading_order
  std::vector<core::Table> tables;
};

// Finds ruled tables and figures on a gray page image (CV_8UC1).
Regions DetectRegions(const cv::Mat& gray);

// Groups loose words (e.g. from a PDF text layer) into lines by vertical overlap and
// horizontal proximity. Words within a line come out left to right.
std::vector<core::Line> GroupWordsIntoLines(std::vector<core::Word> words);

// Builds blocks, tables and reading order for a page of `width` x `height` pixels.
PageLayout Assemble(std::vector<core::Line> lines, const Regions& regions, int width,
                    int height);

}  // namespace smartocr::layout

#endif  // SMARTOCR_LAYOUT_LAYOUT_H_
