// GroupWordsIntoLines: loose words (a PDF text layer, in content-stream order) into
// lines.
//
// Words are swept left to right; each joins the open line it overlaps most
// vertically, provided the horizontal gap to that line's end is word-sized. A wide
// gap (a column gutter) starts a new line, so columns at the same height stay apart.
// Lines that the sweep has moved far past are closed, which keeps the cost near
// O(n log n) on a page of many lines.
#include <algorithm>
#include <cstddef>
#include <numeric>
#include <utility>
#include <vector>

#include "layout/layout.h"
#include "layout/layout_internal.h"
#include "layout/tunables.h"

namespace smartocr::layout {

namespace {

using internal::SafeHeight;

struct OpenLine {
  std::vector<core::Word> words;
  double sum_y0 = 0;  // running sums: the line's band is the mean word band
  double sum_y1 = 0;
  double right = 0;

  double y0() const { return sum_y0 / static_cast<double>(words.size()); }
  double y1() const { return sum_y1 / static_cast<double>(words.size()); }
  double height() const { return std::max(1.0, y1() - y0()); }

  void Add(core::Word word) {
    sum_y0 += word.box.y0;
    sum_y1 += word.box.y1;
    right = words.empty() ? word.box.x1 : std::max(right, word.box.x1);
    words.push_back(std::move(word));
  }
};

// Drops words with non-finite boxes or no text, and turns inverted boxes the right way round.
std::vector<core::Word> CleanWords(std::vector<core::Word> words) {
  std::vector<core::Word> out;
  out.reserve(words.size());
  for (core::Word& w : words) {
    if (!internal::IsFinite(w.box) || internal::IsBlank(w.text)) continue;
    if (w.box.x1 < w.box.x0) std::swap(w.box.x0, w.box.x1);
    if (w.box.y1 < w.box.y0) std::swap(w.box.y0, w.box.y1);
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

std::vector<core::Line> GroupWordsIntoLines(std::vector<core::Word> words) {
  words = CleanWords(std::move(words));
  std::vector<std::size_t> order(words.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Ties broken by position, then input index, so the result never depends on the
  // sort's internals.
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (words[a].box.x0 != words[b].box.x0) return words[a].box.x0 < words[b].box.x0;
    return words[a].box.y0 < words[b].box.y0;
  });

  std::vector<OpenLine> lines;
  std::vector<std::size_t> active;  // indexes into `lines` still open
  for (std::size_t index : order) {
    core::Word& word = words[index];
    double word_h = SafeHeight(word.box);
    int best = -1;
    double best_overlap = 0;
    double best_gap = 0;
    std::size_t kept = 0;
    for (std::size_t a : active) {
      OpenLine& line = lines[a];
      double line_h = line.height();
      double gap = word.box.x0 - line.right;
      // Every later word starts further right, so a line this far behind is done.
      if (gap > config::kCloseLineGaps * config::kLineGapFactor * std::max(line_h, word_h)) {
        continue;
      }
      active[kept++] = a;
      if (gap > config::kLineGapFactor * std::max(line_h, word_h)) continue;
      double overlap = internal::Overlap(word.box.y0, word.box.y1, line.y0(), line.y1()) /
                       std::min(line_h, word_h);
      if (overlap < config::kMinVerticalOverlap) continue;
      if (best < 0 || overlap > best_overlap + config::kOverlapTie ||
          (overlap > best_overlap - config::kOverlapTie && gap < best_gap)) {
        best = static_cast<int>(a);
        best_overlap = overlap;
        best_gap = gap;
      }
    }
    active.resize(kept);
    if (best < 0) {
      lines.emplace_back();
      lines.back().Add(std::move(word));
      active.push_back(lines.size() - 1);
    } else {
      lines[static_cast<std::size_t>(best)].Add(std::move(word));
    }
  }

  std::vector<core::Line> out;
  out.reserve(lines.size());
  for (OpenLine& open : lines) {
    std::stable_sort(open.words.begin(), open.words.end(),
                     [](const core::Word& a, const core::Word& b) { return a.box.x0 < b.box.x0; });
    out.push_back(internal::MakeLine(std::move(open.words)));
  }
  std::stable_sort(out.begin(), out.end(), [](const core::Line& a, const core::Line& b) {
    if (a.box.y0 != b.box.y0) return a.box.y0 < b.box.y0;
    return a.box.x0 < b.box.x0;
  });
  return out;
}

}  // namespace smartocr::layout
