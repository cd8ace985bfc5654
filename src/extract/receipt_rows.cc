// Visual rows of a receipt page.
//
// Line detectors read a two-column receipt ("NET TOTAL ........ 174.90") as two
// lines, and the engine's reading order may put all labels of a column before all
// amounts. The receipt rules look for a keyword and its amount on one line, so the
// lines that share a row are joined left to right first.
#include <algorithm>
#include <cmath>

#include "extract/fields_internal.h"

namespace smartocr::extract::fields_internal {

namespace {

bool NumbersOnly(const TextLine& line) {
  return !line.words.empty() &&
         std::all_of(line.words.begin(), line.words.end(),
                     [](const core::Word& w) { return CountDigits(w.text) > 0; });
}

// Vertical overlap of two boxes as a share of the shorter one's height.
double RowOverlap(const core::BBox& a, const core::BBox& b) {
  double overlap = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
  double shorter = std::min(a.height(), b.height());
  return shorter > 0 ? std::max(0.0, overlap) / shorter : 0;
}

// True when `line` can sit on `row`: most of the shorter one's height overlaps the
// row's first line, the centre of one lies within the other's height, and it does not
// overlap any word already on the row horizontally.
bool OnRow(const std::vector<const TextLine*>& row, const TextLine& line) {
  const core::BBox& first = row.front()->box;
  if (row.front()->page != line.page) return false;
  if (RowOverlap(first, line.box) < 0.5) return false;
  bool centred = (line.box.cy() >= first.y0 && line.box.cy() <= first.y1) ||
                 (first.cy() >= line.box.y0 && first.cy() <= line.box.y1);
  if (!centred) return false;
  // Text of a very different size is no part of the row (a stamp beside a name); a
  // box of amounts may be tall (two stacked amounts, see SplitTallLines).
  double ratio = std::max(first.height(), line.box.height()) /
                 std::max(1.0, std::min(first.height(), line.box.height()));
  if (ratio > 1.5 && !NumbersOnly(line) && !NumbersOnly(*row.front())) return false;
  return std::none_of(row.begin(), row.end(), [&](const TextLine* l) {
    double overlap = std::min(l->box.x1, line.box.x1) - std::max(l->box.x0, line.box.x0);
    return overlap > 0.3 * std::min(l->box.width(), line.box.width());
  });
}

// Lines of numbers much taller than the usual line of the page hold words of two rows
// (a detector box around two stacked amounts, "174.90" over "200.00"): each word goes
// to its own row.
std::vector<TextLine> SplitTallLines(const std::vector<TextLine>& lines) {
  std::vector<double> heights;
  for (const TextLine& l : lines) {
    if (!l.box.empty()) heights.push_back(l.box.height());
  }
  if (heights.empty()) return lines;
  std::nth_element(heights.begin(), heights.begin() + static_cast<long>(heights.size() / 2),
                   heights.end());
  double median = heights[heights.size() / 2];
  std::vector<TextLine> out;
  out.reserve(lines.size());
  for (const TextLine& l : lines) {
    if (l.box.height() <= 1.8 * median || l.words.size() < 2 || !NumbersOnly(l)) {
      out.push_back(l);
      continue;
    }
    for (const core::Word& w : l.words) {
      TextLine one;
      one.page = l.page;
      one.text = w.text;
      one.box = w.box.empty() ? l.box : w.box;
      one.words = {w};
      one.confidence = l.confidence;
      out.push_back(std::move(one));
    }
  }
  return out;
}

}  // namespace

std::vector<TextLine> MergeRows(const std::vector<TextLine>& input) {
  const std::vector<TextLine> lines = SplitTallLines(input);
  std::vector<std::vector<const TextLine*>> rows;
  for (const TextLine& line : lines) {
    if (line.box.empty()) {
      rows.push_back({&line});
      continue;
    }
    // The row whose first line is vertically closest: a tall amount box that
    // overlaps two rows goes to the one it is centred on.
    auto row = rows.end();
    double best = 0;
    for (auto r = rows.begin(); r != rows.end(); ++r) {
      if (r->front()->box.empty() || !OnRow(*r, line)) continue;
      double distance = std::abs(r->front()->box.cy() - line.box.cy());
      if (row == rows.end() || distance < best) {
        row = r;
        best = distance;
      }
    }
    if (row == rows.end()) {
      rows.push_back({&line});
    } else {
      row->push_back(&line);
    }
  }
  std::vector<TextLine> out;
  out.reserve(rows.size());
  for (auto& row : rows) {
    std::stable_sort(row.begin(), row.end(),
                     [](const TextLine* a, const TextLine* b) { return a->box.x0 < b->box.x0; });
    TextLine merged = *row.front();
    for (size_t i = 1; i < row.size(); ++i) {
      merged.text += ' ';
      merged.text += row[i]->text;
      merged.words.insert(merged.words.end(), row[i]->words.begin(), row[i]->words.end());
      merged.box = merged.box.Union(row[i]->box);
      merged.confidence = std::min(merged.confidence, row[i]->confidence);
    }
    out.push_back(std::move(merged));
  }
  // Rows top to bottom within each page (pages keep their order); without boxes the
  // given order is all there is.
  if (std::any_of(out.begin(), out.end(), [](const TextLine& l) { return l.box.empty(); })) {
    return out;
  }
  std::stable_sort(out.begin(), out.end(), [](const TextLine& a, const TextLine& b) {
    return a.page != b.page ? a.page < b.page : a.box.cy() < b.box.cy();
  });
  return out;
}

}  // namespace smartocr::extract::fields_internal
