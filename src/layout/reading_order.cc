// Reading order by recursive XY-cut over text pieces and atomic blocks.
//
// A region is first tried for columns: whitespace gaps that run down the whole
// region split it into vertical strips; a gap counts as a column gutter when the
// strips stand side by side and either the text on both sides reads like prose
// (several pieces of several words), or one side has a table or figure beside the
// other, or the pieces on the two sides do not pair up row by row (a sidebar). The
// item and amount of receipt lines ("Coffee ... 3.50") and the keys and values of
// a form pair up, so they are never torn into columns.
//
// Otherwise the region is cut into horizontal slices at whitespace rows. Slices are
// then regrouped when consecutive ones share a whitespace gap at the same x, so that
// two columns whose lines sit on the same baselines (every row a slice) are found as
// columns again one level down, instead of being read across.
//
// A region that cannot be cut is a leaf: its pieces on the same row are merged
// back into one line, rows read top to bottom.
#include <algorithm>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

#include "layout/layout_internal.h"
#include "layout/tunables.h"

namespace smartocr::layout::internal {

namespace {

using Indexes = std::vector<std::size_t>;

class XyCut {
 public:
  XyCut(const std::vector<Item>& items, double line_height)
      : items_(items), h_(line_height), min_gap_(config::kCellGapFactor * line_height) {}

  std::vector<Item> Run() {
    Indexes all(items_.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    if (!all.empty()) Cut(all);
    return std::move(out_);
  }

 private:
  const core::BBox& Box(std::size_t i) const { return items_[i].box; }

  void Cut(const Indexes& region) {
    if (region.size() == 1) return Leaf(region);
    std::vector<Indexes> columns = Columns(region);
    if (columns.size() > 1) {
      for (const Indexes& c : columns) Cut(c);
      return;
    }
    std::vector<Indexes> slices = Slices(region);
    if (slices.size() == 1) return Leaf(region);
    std::vector<Indexes> groups = GroupSlices(slices, region, /*strict=*/false);
    // The loose grouping can run a column pair on into rows below whose gaps only
    // brush the gutter; regrouping strictly separates them.
    if (groups.size() == 1) groups = GroupSlices(slices, region, /*strict=*/true);
    if (groups.size() == 1) groups = std::move(slices);
    for (const Indexes& g : groups) Cut(g);
  }

  // Strips separated by whitespace gaps down the whole region, with gaps that are not
  // column gutters closed again. Left to right.
  std::vector<Indexes> Columns(Indexes region) const {
    std::stable_sort(region.begin(), region.end(),
                     [&](std::size_t a, std::size_t b) { return Box(a).x0 < Box(b).x0; });
    std::vector<Indexes> strips;
    double right = std::numeric_limits<double>::lowest();
    for (std::size_t i : region) {
      if (strips.empty() || Box(i).x0 - right >= min_gap_) strips.emplace_back();
      strips.back().push_back(i);
      right = std::max(right, Box(i).x1);
    }
    std::vector<Indexes> columns;
    for (Indexes& s : strips) {
      if (!columns.empty() && !Gutter(columns.back(), s)) {
        columns.back().insert(columns.back().end(), s.begin(), s.end());
      } else {
        columns.push_back(std::move(s));
      }
    }
    return columns;
  }

  // Whether the whitespace between strips `left` and `right` is a column gutter.
  bool Gutter(const Indexes& left, const Indexes& right) const {
    // Strips one above the other are not columns: a y-cut reads them in order.
    auto [l0, l1] = YRange(left);
    auto [r0, r1] = YRange(right);
    if (Overlap(l0, l1, r0, r1) < config::kMinSideBySide * std::min(l1 - l0, r1 - r0)) return false;
    // A table or figure beside the other strip's content is a column of its own.
    if (AtomicBeside(left, r0, r1) || AtomicBeside(right, l0, l1)) return true;
    Indexes left_text = TextOnly(left);
    Indexes right_text = TextOnly(right);
    if (left_text.size() < config::kMinColumnPieces ||
        right_text.size() < config::kMinColumnPieces) {
      return false;
    }
    if (Prose(left_text) && Prose(right_text)) return true;
    return PairedShare(left_text, right_text) < config::kMinPairedShare;
  }

  // Whether `strip` holds a table or figure overlapping rows [y0, y1] side by side.
  bool AtomicBeside(const Indexes& strip, double y0, double y1) const {
    return std::any_of(strip.begin(), strip.end(), [&](std::size_t i) {
      const core::BBox& b = Box(i);
      return items_[i].atomic >= 0 && Overlap(b.y0, b.y1, y0, y1) >=
                                          config::kMinSideBySide * std::min(SafeHeight(b), y1 - y0);
    });
  }

  Indexes TextOnly(const Indexes& strip) const {
    Indexes text;
    for (std::size_t i : strip) {
      if (items_[i].atomic < 0) text.push_back(i);
    }
    return text;
  }

  std::pair<double, double> YRange(const Indexes& strip) const {
    double y0 = std::numeric_limits<double>::max();
    double y1 = std::numeric_limits<double>::lowest();
    for (std::size_t i : strip) y0 = std::min(y0, Box(i).y0), y1 = std::max(y1, Box(i).y1);
    return {y0, y1};
  }

  bool HasAtomic(const Indexes& strip) const {
    return std::any_of(strip.begin(), strip.end(),
                       [&](std::size_t i) { return items_[i].atomic >= 0; });
  }

  bool Prose(const Indexes& strip) const {
    std::vector<double> words;
    for (std::size_t i : strip) words.push_back(static_cast<double>(items_[i].line.words.size()));
    return Median(std::move(words)) >= config::kMinColumnWords;
  }

  // Share of the smaller strip's pieces that sit on the same baseline as a piece
  // of the other strip.
  double PairedShare(const Indexes& a, const Indexes& b) const {
    const Indexes& small = a.size() <= b.size() ? a : b;
    Indexes other = a.size() <= b.size() ? b : a;
    std::sort(other.begin(), other.end(),
              [&](std::size_t x, std::size_t y) { return Box(x).y0 < Box(y).y0; });
    double tallest = 0;
    for (std::size_t i : other) tallest = std::max(tallest, SafeHeight(Box(i)));
    std::size_t paired = 0;
    for (std::size_t i : small) {
      const core::BBox& p = Box(i);
      // Only pieces starting within one tallest height above can overlap p.
      auto it = std::lower_bound(other.begin(), other.end(), p.y0 - tallest,
                                 [&](std::size_t x, double y) { return Box(x).y0 < y; });
      for (; it != other.end() && Box(*it).y0 <= p.y1; ++it) {
        const core::BBox& q = Box(*it);
        if (Overlap(p.y0, p.y1, q.y0, q.y1) >=
            config::kPairedOverlap * std::max(SafeHeight(p), SafeHeight(q))) {
          ++paired;
          break;
        }
      }
    }
    return static_cast<double>(paired) / static_cast<double>(small.size());
  }

  // Horizontal slices separated by whitespace rows, top to bottom.
  std::vector<Indexes> Slices(Indexes region) const {
    std::stable_sort(region.begin(), region.end(),
                     [&](std::size_t a, std::size_t b) { return Box(a).y0 < Box(b).y0; });
    std::vector<Indexes> slices;
    double bottom = std::numeric_limits<double>::lowest();
    for (std::size_t i : region) {
      double tolerance = config::kRowOverlapTolerance * std::min(h_, SafeHeight(Box(i)));
      if (slices.empty() || Box(i).y0 >= bottom - tolerance) slices.emplace_back();
      slices.back().push_back(i);
      bottom = std::max(bottom, Box(i).y1);
    }
    return slices;
  }

  // Whitespace intervals (at least min_gap_ wide) of a slice across [x0, x1].
  std::vector<std::pair<double, double>> Gaps(Indexes slice, double x0, double x1) const {
    std::sort(slice.begin(), slice.end(),
              [&](std::size_t a, std::size_t b) { return Box(a).x0 < Box(b).x0; });
    std::vector<std::pair<double, double>> gaps;
    double right = x0;
    for (std::size_t i : slice) {
      if (Box(i).x0 - right >= min_gap_) gaps.emplace_back(right, Box(i).x0);
      right = std::max(right, Box(i).x1);
    }
    if (x1 - right >= min_gap_) gaps.emplace_back(right, x1);
    return gaps;
  }

  // Joins consecutive slices that keep a common whitespace gap; a slice without
  // one stands alone. `strict` also ends a group where the common gap narrows to
  // less than config::kStrictNarrowing of its width so far.
  std::vector<Indexes> GroupSlices(const std::vector<Indexes>& slices, const Indexes& region,
                                   bool strict) const {
    double x0 = std::numeric_limits<double>::max();
    double x1 = std::numeric_limits<double>::lowest();
    for (std::size_t i : region) x0 = std::min(x0, Box(i).x0), x1 = std::max(x1, Box(i).x1);
    std::vector<Kind> kinds;
    kinds.reserve(slices.size());
    for (const Indexes& slice : slices) kinds.push_back(KindOf(slice));
    std::vector<Indexes> groups;
    std::vector<std::pair<double, double>> shared;
    Kind group_kind = Kind::kNeutral;
    for (std::size_t k = 0; k < slices.size(); ++k) {
      const Indexes& slice = slices[k];
      std::vector<std::pair<double, double>> gaps = Gaps(slice, x0, x1);
      std::vector<std::pair<double, double>> common;
      for (const auto& a : shared) {
        for (const auto& b : gaps) {
          double lo = std::max(a.first, b.first);
          double hi = std::min(a.second, b.second);
          // Only gaps inside the region's ink count: margins are shared by all.
          if (hi - lo >= min_gap_ && lo > x0 && hi < x1) common.emplace_back(lo, hi);
        }
      }
      if (strict && !common.empty() && Widest(common) < config::kStrictNarrowing * Widest(shared)) {
        common.clear();
      }
      // Two rows in a row of the other kind (table rows under prose columns whose
      // gaps happen to line up with the gutter) end the group; one alone may be a
      // paragraph's short last line.
      Kind kind = kinds[k];
      if (group_kind != Kind::kNeutral && kind != Kind::kNeutral && kind != group_kind &&
          k + 1 < slices.size() && kinds[k + 1] == kind) {
        common.clear();
      }
      if (!groups.empty() && !common.empty()) {
        groups.back().insert(groups.back().end(), slice.begin(), slice.end());
        shared = std::move(common);
        if (group_kind == Kind::kNeutral) group_kind = kind;
      } else {
        groups.push_back(slice);
        shared = std::move(gaps);
        group_kind = kind;
      }
    }
    return groups;
  }

  // What a slice's pieces look like: prose (several words each), short (cells,
  // labels, amounts), or neutral (one piece, or a table or figure).
  enum class Kind { kNeutral, kProse, kShort };

  Kind KindOf(const Indexes& slice) const {
    if (slice.size() < 2 || HasAtomic(slice)) return Kind::kNeutral;
    return Prose(slice) ? Kind::kProse : Kind::kShort;
  }

  static double Widest(const std::vector<std::pair<double, double>>& gaps) {
    double widest = 0;
    for (const auto& g : gaps) widest = std::max(widest, g.second - g.first);
    return widest;
  }

  // Rows of the region top to bottom; the text pieces of a row become one line.
  void Leaf(Indexes region) {
    std::stable_sort(region.begin(), region.end(),
                     [&](std::size_t a, std::size_t b) { return Box(a).cy() < Box(b).cy(); });
    std::vector<Indexes> rows;
    std::vector<core::BBox> row_boxes;
    std::vector<Item> placed;
    for (std::size_t i : region) {
      if (items_[i].atomic >= 0) {
        placed.push_back(items_[i]);
        continue;
      }
      const core::BBox& b = Box(i);
      bool joined = false;
      if (!rows.empty()) {
        const core::BBox& r = row_boxes.back();
        double overlap = Overlap(b.y0, b.y1, r.y0, r.y1);
        if (overlap >= config::kSameRow * std::min(SafeHeight(b), SafeHeight(r))) {
          rows.back().push_back(i);
          joined = true;
        }
      }
      if (!joined) {
        rows.push_back({i});
        row_boxes.push_back(b);
      }
    }
    for (Indexes& row : rows) placed.push_back(MergeRow(std::move(row)));
    std::stable_sort(placed.begin(), placed.end(),
                     [](const Item& a, const Item& b) { return a.box.y0 < b.box.y0; });
    for (Item& item : placed) out_.push_back(std::move(item));
  }

  Item MergeRow(Indexes row) const {
    std::stable_sort(row.begin(), row.end(),
                     [&](std::size_t a, std::size_t b) { return Box(a).x0 < Box(b).x0; });
    if (row.size() == 1) return items_[row.front()];
    std::vector<core::Word> words;
    double weighted = 0;
    double count = 0;
    for (std::size_t i : row) {
      const core::Line& piece = items_[i].line;
      words.insert(words.end(), piece.words.begin(), piece.words.end());
      double n = std::max<double>(1, static_cast<double>(piece.words.size()));
      weighted += piece.confidence * n;
      count += n;
    }
    Item merged;
    merged.line = MakeLine(std::move(words));
    merged.line.confidence = weighted / count;
    merged.box = merged.line.box;
    return merged;
  }

  const std::vector<Item>& items_;
  double h_;
  double min_gap_;
  std::vector<Item> out_;
};

}  // namespace

std::vector<Item> OrderItems(const std::vector<Item>& items, double line_height) {
  return XyCut(items, std::max(1.0, line_height)).Run();
}

}  // namespace smartocr::layout::internal
