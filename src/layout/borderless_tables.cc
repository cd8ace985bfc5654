// Tables without rulings, found from column alignment.
//
// Each line is cut into cells at wide gaps. A run of consecutive lines is a table
// when its rows keep the same >= 3 columns: every cell overlaps exactly one column
// (columns grow as the union of their cells, so left-, right- and centre-aligned
// columns all hold), and the columns never touch. Cells must be short: prose
// that happens to be split in three is not a table, and neither is a single
// amount at the right of a line (two cells).
#include <algorithm>
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "layout/layout_internal.h"
#include "layout/tunables.h"

namespace smartocr::layout::internal {

namespace {

struct Interval {
  double lo = 0;
  double hi = 0;
};

// Column of each cell, or nothing when a cell misses every column, straddles two or
// two cells share one.
std::optional<std::vector<std::size_t>> Match(const std::vector<core::Line>& cells,
                                              const std::vector<Interval>& columns) {
  if (cells.size() < config::kTableMinCellsPerRow || cells.size() > columns.size()) {
    return std::nullopt;
  }
  std::vector<std::size_t> assigned;
  for (const core::Line& cell : cells) {
    std::optional<std::size_t> hit;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (Overlap(cell.box.x0, cell.box.x1, columns[c].lo, columns[c].hi) <= 0) continue;
      if (hit) return std::nullopt;
      hit = c;
    }
    if (!hit || (!assigned.empty() && *hit <= assigned.back())) return std::nullopt;
    assigned.push_back(*hit);
  }
  return assigned;
}

bool ColumnsApart(const std::vector<Interval>& columns) {
  for (std::size_t c = 1; c < columns.size(); ++c) {
    if (columns[c].lo <= columns[c - 1].hi) return false;
  }
  return true;
}

// True when cells are short enough for a table.
bool ShortCells(const std::vector<std::vector<core::Line>>& cells,
                const std::vector<std::vector<std::size_t>>& assigned, std::size_t columns) {
  std::vector<double> all;
  std::vector<std::vector<double>> per_column(columns);
  for (std::size_t r = 0; r < cells.size(); ++r) {
    for (std::size_t k = 0; k < cells[r].size(); ++k) {
      auto n = static_cast<double>(cells[r][k].words.size());
      all.push_back(n);
      per_column[assigned[r][k]].push_back(n);
    }
  }
  if (Median(all) > config::kTableMaxMedianWords) return false;
  for (std::vector<double>& c : per_column) {
    if (Median(std::move(c)) > config::kTableMaxColumnMedianWords) return false;
  }
  return true;
}

core::Table BuildTable(const std::vector<core::Line>& rows,
                       const std::vector<std::vector<core::Line>>& cells,
                       const std::vector<std::vector<std::size_t>>& assigned,
                       const std::vector<Interval>& columns) {
  core::Table table;
  for (const core::Line& l : rows) table.box = table.box.Union(l.box);
  std::vector<double> x_edges{table.box.x0};
  for (std::size_t c = 1; c < columns.size(); ++c) {
    x_edges.push_back((columns[c - 1].hi + columns[c].lo) / 2);
  }
  x_edges.push_back(table.box.x1);
  std::vector<double> y_edges{table.box.y0};
  for (std::size_t r = 1; r < rows.size(); ++r) {
    y_edges.push_back((rows[r - 1].box.y1 + rows[r].box.y0) / 2);
  }
  y_edges.push_back(table.box.y1);
  table.rows.assign(rows.size(), std::vector<core::TableCell>(columns.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      table.rows[r][c].box = {x_edges[c], y_edges[r], x_edges[c + 1], y_edges[r + 1]};
    }
    for (std::size_t k = 0; k < cells[r].size(); ++k) {
      table.rows[r][assigned[r][k]].text = cells[r][k].Text();
    }
  }
  return table;
}

}  // namespace

std::vector<FoundTable> FindBorderlessTables(const std::vector<core::Line>& lines) {
  std::vector<FoundTable> found;
  std::vector<std::vector<core::Line>> cells(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    cells[i] = SplitAtGaps(lines[i], config::kCellGapFactor);
  }

  std::size_t i = 0;
  while (i < lines.size()) {
    if (cells[i].size() < config::kTableMinColumns) {
      ++i;
      continue;
    }
    std::vector<Interval> columns;
    std::vector<std::vector<std::size_t>> assigned{{}};
    for (std::size_t k = 0; k < cells[i].size(); ++k) {
      columns.push_back({cells[i][k].box.x0, cells[i][k].box.x1});
      assigned[0].push_back(k);
    }
    std::size_t full_rows = 1;
    std::size_t j = i + 1;
    for (; j < lines.size(); ++j) {
      const core::BBox& prev = lines[j - 1].box;
      const core::BBox& cur = lines[j].box;
      double h = std::max(SafeHeight(prev), SafeHeight(cur));
      if (cur.cy() <= prev.y1 - config::kTableMinRowDrop * h ||
          cur.y0 - prev.y1 > config::kTableMaxRowGap * h) {
        break;
      }
      std::optional<std::vector<std::size_t>> match = Match(cells[j], columns);
      if (!match) break;
      std::vector<Interval> grown = columns;
      for (std::size_t k = 0; k < match->size(); ++k) {
        Interval& c = grown[(*match)[k]];
        c.lo = std::min(c.lo, cells[j][k].box.x0);
        c.hi = std::max(c.hi, cells[j][k].box.x1);
      }
      if (!ColumnsApart(grown)) break;
      columns = std::move(grown);
      assigned.push_back(std::move(*match));
      if (cells[j].size() >= config::kTableMinColumns) ++full_rows;
    }
    std::vector<std::vector<core::Line>> run(cells.begin() + static_cast<std::ptrdiff_t>(i),
                                             cells.begin() + static_cast<std::ptrdiff_t>(j));
    if (full_rows >= config::kTableMinRows && ShortCells(run, assigned, columns.size())) {
      std::vector<core::Line> rows(lines.begin() + static_cast<std::ptrdiff_t>(i),
                                   lines.begin() + static_cast<std::ptrdiff_t>(j));
      found.push_back({i, j, BuildTable(rows, run, assigned, columns)});
      i = j;
    } else {
      // A long aligned run that failed as a whole (prose cut in three) holds no
      // other table; skipping it keeps the scan linear.
      i = j - i >= config::kTableMinRows ? j : i + 1;
    }
  }
  return found;
}

}  // namespace smartocr::layout::internal
