// Cells of a ruled table: the grid gives the boxes, the words give the text.
#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "layout/layout_internal.h"

namespace smartocr::layout::internal {

namespace {

// Index of the interval of sorted `edges` holding `v`, or -1 outside.
int IntervalOf(const std::vector<double>& edges, double v) {
  if (edges.size() < 2 || v < edges.front() || v > edges.back()) return -1;
  auto it = std::upper_bound(edges.begin(), edges.end(), v);
  int i = static_cast<int>(it - edges.begin()) - 1;
  return std::min(i, static_cast<int>(edges.size()) - 2);
}

}  // namespace

core::Table TableFromGrid(const RuledTable& grid, const std::vector<core::Word>& words) {
  core::Table table;
  table.box = grid.box;
  if (grid.row_edges.size() < 2 || grid.column_edges.size() < 2) return table;
  std::size_t rows = grid.row_edges.size() - 1;
  std::size_t cols = grid.column_edges.size() - 1;
  table.rows.assign(rows, std::vector<core::TableCell>(cols));
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      table.rows[r][c].box = {grid.column_edges[c], grid.row_edges[r], grid.column_edges[c + 1],
                              grid.row_edges[r + 1]};
    }
  }
  for (const core::Word& w : words) {
    int r = IntervalOf(grid.row_edges, w.box.cy());
    int c = IntervalOf(grid.column_edges, w.box.cx());
    if (r < 0 || c < 0 || w.text.empty()) continue;
    std::string& text = table.rows[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)].text;
    if (!text.empty()) text += ' ';
    text += w.text;
  }
  return table;
}

}  // namespace smartocr::layout::internal
