// Visual rows of a receipt page.
//
// Line detectors read a two-column receipt ("NET TOTAL ........ 174.90") as two
// lines, and the engine's reading order may put all labels of a column before all
// amounts. The receipt rules look for a keyword and its amount on one line, so the
// lines that share a row are joined left to right first.
#include <algorithm>

#include "extract/fields_internal.h"

namespace smartocr::extract::fields_internal {

namespace {

// Vertical overlap of two boxes as a share of the shorter one's height.
double RowOverlap(const core::BBox& a, const core::BBox& b) {
  double overlap = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
  double shorter = std::min(a.height(), b.height());
  return shorter > 0 ? std::max(0.0, overlap) / shorter : 0;
}

// True when `line` sits on `row`: most of its height overlaps the row's first line and
// its centre lies within that line's height (a tall word cannot chain rows together),
// and it does not overlap any word already on the row horizontally.
bool OnRow(const std::vector<const TextLine*>& row, const TextLine& line) {
  const core::BBox& first = row.front()->box;
  if (row.front()->page != line.page) return false;
  if (RowOverlap(first, line.box) < 0.5) return false;
  if (line.box.cy() < first.y0 || line.box.cy() > first.y1) return false;
  return std::none_of(row.begin(), row.end(), [&](const TextLine* l) {
    double overlap = std::min(l->box.x1, line.box.x1) - std::max(l->box.x0, line.box.x0);
    return overlap > 0.3 * std::min(l->box.width(), line.box.width());
  });
}

}  // namespace

std::vector<TextLine> MergeRows(const std::vector<TextLine>& lines) {
  std::vector<std::vector<const TextLine*>> rows;
  for (const TextLine& line : lines) {
    if (line.box.empty()) {
      rows.push_back({&line});
      continue;
    }
    auto row = std::find_if(rows.begin(), rows.end(), [&](const auto& r) {
      return !r.front()->box.empty() && OnRow(r, line);
    });
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
