// Ruling lines and the table grids they form.
//
// A ruling is found as a morphological opening of the ink with a long line: a pixel
// stays when it lies on a horizontal (vertical) run of ink at least the minimum
// length. Runs are measured directly, one pass over the image for each direction,
// and joined into components run by run, which is the same opening and labelling
// at a fraction of the cost. Short gaps are bridged so a
// slightly broken scan line still reads as one run; thick runs (filled boxes,
// photos) are dropped by their mean thickness.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <opencv2/imgproc.hpp>
#include <utility>
#include <vector>

#include "layout/layout_internal.h"
#include "layout/tunables.h"

namespace smartocr::layout::internal {

namespace {

// A horizontal run of ink on one row: columns [x0, x1], inclusive.
struct Run {
  int row = 0;
  int x0 = 0;
  int x1 = 0;
};

// Runs at least `min_len` long, row by row and left to right within a row.
std::vector<Run> LongRuns(const cv::Mat& ink, int min_len) {
  std::vector<Run> runs;
  for (int y = 0; y < ink.rows; ++y) {
    const uint8_t* in = ink.ptr<uint8_t>(y);
    int start = -1;
    int last = -1;
    for (int x = 0; x <= ink.cols; ++x) {
      if (x < ink.cols && in[x] != 0) {
        if (start < 0) start = x;
        last = x;
        continue;
      }
      if (start >= 0 && (x == ink.cols || x - last > config::kRunGap)) {
        if (last - start + 1 >= min_len) runs.push_back({y, start, last});
        start = -1;
      }
    }
  }
  return runs;
}

std::size_t Find(std::vector<std::size_t>& parent, std::size_t i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

// Connected groups of runs (touching on consecutive rows, diagonals included) that
// are thin enough for a rule, as segments along the rows. This is connected
// components on the run mask, at the cost of the few long runs rather than of the
// whole image.
std::vector<Segment> SegmentsOf(const std::vector<Run>& runs, double max_thickness) {
  std::vector<std::size_t> parent(runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) parent[i] = i;
  std::size_t prev_begin = 0;  // runs of the previous row: [prev_begin, row_begin)
  std::size_t row_begin = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (i > 0 && runs[i].row != runs[i - 1].row) {
      prev_begin = runs[i - 1].row == runs[i].row - 1 ? row_begin : i;
      row_begin = i;
    }
    for (std::size_t j = prev_begin; j < row_begin; ++j) {
      if (runs[j].x0 <= runs[i].x1 + 1 && runs[i].x0 <= runs[j].x1 + 1) {
        parent[Find(parent, i)] = Find(parent, j);
      }
    }
  }
  struct Acc {
    int lo = 0, hi = 0;
    double area = 0, row_sum = 0;
    bool used = false;
  };
  std::vector<Acc> acc(runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    Acc& a = acc[Find(parent, i)];
    double len = runs[i].x1 - runs[i].x0 + 1;
    if (!a.used) a.lo = runs[i].x0, a.hi = runs[i].x1, a.used = true;
    a.lo = std::min(a.lo, runs[i].x0);
    a.hi = std::max(a.hi, runs[i].x1);
    a.area += len;
    a.row_sum += runs[i].row * len;
  }
  std::vector<Segment> out;
  for (const Acc& a : acc) {
    if (!a.used) continue;
    double length = a.hi - a.lo + 1;
    if (a.area / length > max_thickness) continue;  // a filled box, not a rule
    out.push_back({a.row_sum / a.area, double(a.lo), double(a.hi + 1)});
  }
  return out;
}

// Joins collinear pieces (same pos within `pos_tol`, at most `join_gap` apart) and
// keeps the lines that hold at least one piece `min_len` long: a short piece counts
// only as part of a real line (the stub at the end of a broken rule), never alone
// (a letter's stroke).
std::vector<Segment> JoinPieces(std::vector<Segment> pieces, double pos_tol, double join_gap,
                                double min_len) {
  std::sort(pieces.begin(), pieces.end(), [](const Segment& a, const Segment& b) {
    return a.lo != b.lo ? a.lo < b.lo : a.pos < b.pos;
  });
  std::vector<Segment> joined;
  std::vector<double> weight;
  std::vector<double> longest;
  for (const Segment& p : pieces) {
    bool merged = false;
    for (std::size_t j = 0; j < joined.size(); ++j) {
      Segment& s = joined[j];
      if (std::abs(s.pos - p.pos) > pos_tol || p.lo - s.hi > join_gap) continue;
      double len = p.hi - p.lo;
      s.pos = (s.pos * weight[j] + p.pos * len) / (weight[j] + len);
      weight[j] += len;
      longest[j] = std::max(longest[j], len);
      s.hi = std::max(s.hi, p.hi);
      merged = true;
      break;
    }
    if (!merged) {
      joined.push_back(p);
      weight.push_back(p.hi - p.lo);
      longest.push_back(p.hi - p.lo);
    }
  }
  std::vector<Segment> kept;
  for (std::size_t j = 0; j < joined.size(); ++j) {
    if (longest[j] >= min_len) kept.push_back(joined[j]);
  }
  return kept;
}

bool Crosses(const Segment& h, const Segment& v, double tol) {
  return v.pos >= h.lo - tol && v.pos <= h.hi + tol && h.pos >= v.lo - tol && h.pos <= v.hi + tol;
}

// Sorted positions merged when within `tol` of each other.
std::vector<double> ClusterPositions(std::vector<double> values, double tol) {
  std::sort(values.begin(), values.end());
  std::vector<double> out;
  std::vector<int> count;
  for (double v : values) {
    if (!out.empty() && v - out.back() <= tol) {
      out.back() = (out.back() * count.back() + v) / (count.back() + 1);
      ++count.back();
    } else {
      out.push_back(v);
      count.push_back(1);
    }
  }
  return out;
}

}  // namespace

Rulings FindRulings(const cv::Mat& ink, int min_h_len, int min_v_len, double max_thickness,
                    double join_gap) {
  Rulings r;
  if (ink.empty()) return r;
  double pos_tol = std::max(config::kMinRulePosTolPx, max_thickness);
  // Pieces down to a fraction of the length are found, to be joined to the long ones.
  // Vertical runs are the rows of the transposed image, read in memory order.
  cv::Mat transposed;
  cv::transpose(ink, transposed);
  r.horizontal =
      JoinPieces(SegmentsOf(LongRuns(ink, min_h_len / config::kRulePieceDivisor), max_thickness),
                 pos_tol, join_gap, min_h_len);
  r.vertical = JoinPieces(
      SegmentsOf(LongRuns(transposed, min_v_len / config::kRulePieceDivisor), max_thickness),
      pos_tol, join_gap, min_v_len);
  return r;
}

std::vector<RuledTable> GridsFromRulings(const Rulings& rulings, double tol) {
  const std::vector<Segment>& hs = rulings.horizontal;
  const std::vector<Segment>& vs = rulings.vertical;
  std::size_t nh = hs.size();
  std::vector<std::pair<std::size_t, std::size_t>> crossings;
  for (std::size_t i = 0; i < nh; ++i) {
    for (std::size_t j = 0; j < vs.size(); ++j) {
      if (Crosses(hs[i], vs[j], tol)) crossings.emplace_back(i, nh + j);
    }
  }
  // A grid line crosses at least two others; stray rules (underlines, a text stroke
  // touching a border) do not, and peeling them off may expose more.
  std::vector<bool> alive(nh + vs.size(), true);
  for (bool changed = true; changed;) {
    changed = false;
    std::vector<int> degree(alive.size(), 0);
    for (auto [a, b] : crossings) {
      if (alive[a] && alive[b]) ++degree[a], ++degree[b];
    }
    for (std::size_t k = 0; k < alive.size(); ++k) {
      if (alive[k] && degree[k] < 2) alive[k] = false, changed = true;
    }
  }
  std::vector<std::size_t> parent(alive.size());
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  for (auto [a, b] : crossings) {
    if (alive[a] && alive[b]) parent[Find(parent, a)] = Find(parent, b);
  }

  std::vector<RuledTable> tables;
  for (std::size_t root = 0; root < alive.size(); ++root) {
    if (!alive[root] || Find(parent, root) != root) continue;
    std::vector<double> ys, xs;
    double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
    for (std::size_t k = 0; k < alive.size(); ++k) {
      if (!alive[k] || Find(parent, k) != root) continue;
      bool horizontal = k < nh;
      const Segment& s = horizontal ? hs[k] : vs[k - nh];
      (horizontal ? ys : xs).push_back(s.pos);
      if (horizontal) {
        x0 = std::min(x0, s.lo), x1 = std::max(x1, s.hi);
      } else {
        y0 = std::min(y0, s.lo), y1 = std::max(y1, s.hi);
      }
    }
    RuledTable t;
    t.row_edges = ClusterPositions(ys, tol);
    t.column_edges = ClusterPositions(xs, tol);
    // Open sides (no outer border) end where the rules end.
    if (t.column_edges.front() - x0 > tol) t.column_edges.insert(t.column_edges.begin(), x0);
    if (x1 - t.column_edges.back() > tol) t.column_edges.push_back(x1);
    if (t.row_edges.front() - y0 > tol) t.row_edges.insert(t.row_edges.begin(), y0);
    if (y1 - t.row_edges.back() > tol) t.row_edges.push_back(y1);
    // A rectangle, or a frame cut only by horizontal rules, is no table.
    if (t.column_edges.size() < 3 || t.row_edges.size() < 2) continue;
    t.box = {t.column_edges.front(), t.row_edges.front(), t.column_edges.back(),
             t.row_edges.back()};
    tables.push_back(std::move(t));
  }
  std::sort(tables.begin(), tables.end(), [](const RuledTable& a, const RuledTable& b) {
    return a.box.y0 != b.box.y0 ? a.box.y0 < b.box.y0 : a.box.x0 < b.box.x0;
  });
  return tables;
}

}  // namespace smartocr::layout::internal
