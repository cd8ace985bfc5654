// src/mrz/cells.cc
//
// What each character position of an MRZ zone shows. The filler '<' is printed many
// times on every MRZ, so its look is learnt from the zone itself: the glyphs that
// match the name line's last position (virtually always a filler) form a template,
// and each position is a filler when it matches it well, a letter or digit when it
// clearly does not. Identical glyphs are grouped as well (OCR-B prints every
// character identically).
#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "mrz/internal/band.h"
#include "mrz/internal/layout.h"
#include "mrz/tunables.h"

namespace smartocr::mrz::internal {
namespace {

// How far the row's glyphs sit from a grid of `pitch` starting at `x0` (mean distance
// to the nearest grid point, in pitches).
double GridMisfit(const MrzRow& row, double x0, double pitch) {
  double sum = 0;
  int n = 0;
  for (const cv::Rect& g : row.glyphs) {
    if (!IsSingleGlyph(g)) continue;
    double t = (g.x + g.width / 2.0 - x0) / pitch;
    sum += std::abs(t - std::round(t));
    ++n;
  }
  return n == 0 ? 1 : sum / n;
}

// Centres of the `width` positions of a row: each at the glyph found about one pitch
// after the previous one (so that small pitch errors do not add up), else one pitch on.
// A row whose count came out off the layout's width is either printed so (an extra
// glyph) or was measured with a slightly wrong pitch; the pitch that puts the glyphs
// on the grid decides.
struct Position {
  double x = 0;
  const cv::Rect* glyph = nullptr;  // the single glyph found there
};

std::vector<Position> CellCentres(const MrzRow& row, int width) {
  std::vector<Position> centres;
  const cv::Rect& front = row.glyphs.front();
  double c = IsSingleGlyph(front) ? front.x + front.width / 2.0 : front.x + row.pitch / 2;
  double pitch = row.pitch;
  if (row.chars != width && width > 1) {
    double refit = row.pitch * (row.chars - 1) / (width - 1);
    if (GridMisfit(row, c, refit) < GridMisfit(row, c, pitch)) pitch = refit;
  }
  for (int i = 0; i < width; ++i) {
    double expected = i == 0 ? c : centres.back().x + pitch;
    Position found{expected, nullptr};
    double best = config::kCellSnapPitches * pitch;
    for (const cv::Rect& g : row.glyphs) {
      double gx = g.x + g.width / 2.0;
      if (IsSingleGlyph(g) && std::abs(gx - expected) < best) {
        best = std::abs(gx - expected);
        found = {gx, &g};
      }
    }
    centres.push_back(found);
  }
  return centres;
}

// The row's vertical centre as a line through its glyphs' centres (a row may slant).
struct Midline {
  double a = 0, b = 0;  // y = a + b * x
  double cap = 0;       // glyph height
};

Midline FitMidline(const MrzRow& row) {
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  std::vector<double> heights;
  for (const cv::Rect& g : row.glyphs) {
    if (!IsSingleGlyph(g)) continue;
    double x = g.x + g.width / 2.0, y = g.y + g.height / 2.0;
    n += 1;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
    heights.push_back(g.height);
  }
  Midline m;
  m.cap = heights.empty() ? row.box.height : *std::max_element(heights.begin(), heights.end());
  double d = n * sxx - sx * sx;
  m.b = n < 2 || std::abs(d) < 1e-9 ? 0 : (n * sxy - sx * sy) / d;
  m.a = n < 1 ? row.box.y + row.box.height / 2.0 : (sy - m.b * sx) / n;
  return m;
}

// The position's pixels, scaled to a fixed size, zero mean and unit norm (empty when
// the position is blank or off the image): a cell-sized window centred on the glyph
// found there, else on the grid position.
// With `tight`, the glyph's own box instead (insensitive to where the glyph sits in
// its window, blind to its size; a pixel of misplacement decorrelates small glyphs).
cv::Mat Patch(const cv::Mat& gray, const MrzRow& row, const Midline& mid, const Position& at,
              bool tight) {
  constexpr int kMargin = config::kPatchMarginPx;
  double h = mid.cap;
  double cy = mid.a + mid.b * at.x;
  double x = at.glyph != nullptr ? at.glyph->x + at.glyph->width / 2.0 : at.x;
  if (at.glyph != nullptr) cy = at.glyph->y + at.glyph->height / 2.0;
  cv::Rect r(static_cast<int>(std::lround(x - row.pitch / 2)),
             static_cast<int>(std::lround(cy - 0.5 * h - kMargin)),
             static_cast<int>(std::lround(row.pitch)),
             static_cast<int>(std::lround(h + 2 * kMargin)));
  if (tight) {
    if (at.glyph == nullptr) return {};
    r = cv::Rect(at.glyph->x - kMargin, at.glyph->y - kMargin, at.glyph->width + 2 * kMargin,
                 at.glyph->height + 2 * kMargin);
  }
  r &= cv::Rect(0, 0, gray.cols, gray.rows);
  if (r.width < config::kPatchMinSidePx || r.height < config::kPatchMinSidePx) return {};
  cv::Mat patch;
  cv::resize(gray(r), patch, cv::Size(config::kPatchWidth, config::kPatchHeight), 0, 0,
             cv::INTER_AREA);
  patch.convertTo(patch, CV_32F);
  cv::Scalar mean, sd;
  cv::meanStdDev(patch, mean, sd);
  if (sd[0] < config::kPatchMinInkSd) return {};  // no ink
  patch -= mean[0];
  patch /= cv::norm(patch);
  return patch;
}

struct Sample {
  cv::Mat patch;
  cv::Mat tight;  // the glyph's own box, when there is a glyph
  cv::Size size;  // the glyph's, or 0x0 for a grid cell
};
using Samples = std::vector<std::vector<Sample>>;

// Identical glyphs (high correlation, same size to the pixel) get one id, in order of
// first appearance; fillers and positions without a glyph of their own get -1.
std::vector<std::vector<int>> GroupGlyphs(const Samples& samples,
                                          const std::vector<std::vector<Cell>>& kinds) {
  std::vector<const Sample*> representatives;
  std::vector<std::vector<int>> ids;
  for (size_t l = 0; l < samples.size(); ++l) {
    std::vector<int> line;
    for (size_t k = 0; k < samples[l].size(); ++k) {
      const Sample& s = samples[l][k];
      bool filler = l < kinds.size() && kinds[l][k] == Cell::kFiller;
      if (filler || s.patch.empty() || s.size.area() == 0) {
        line.push_back(-1);
        continue;
      }
      int id = -1;
      for (size_t r = 0; r < representatives.size() && id < 0; ++r) {
        const Sample& rep = *representatives[r];
        if (std::abs(rep.size.width - s.size.width) <= config::kSameGlyphSizeTolPx &&
            std::abs(rep.size.height - s.size.height) <= config::kSameGlyphSizeTolPx &&
            rep.patch.dot(s.patch) > config::kSameGlyphCorrelation) {
          id = static_cast<int>(r);
        }
      }
      if (id < 0) {
        id = static_cast<int>(representatives.size());
        representatives.push_back(&s);
      }
      line.push_back(id);
    }
    ids.push_back(std::move(line));
  }
  return ids;
}

// Dark strokes lifted off the background around the zone (tints and guilloches
// behind an MRZ vary along a row and would otherwise decide the correlation); zero
// elsewhere (the page may be large).
cv::Mat ZoneInk(const cv::Mat& gray, const std::vector<MrzRow>& rows) {
  int cap = 0;
  for (const MrzRow& row : rows) cap = std::max(cap, row.box.height);
  cv::Rect roi = rows.front().box;
  for (const MrzRow& row : rows) roi |= row.box;
  const int margin = config::kInkMarginCaps * cap;
  roi = cv::Rect(roi.x - margin, roi.y - margin, roi.width + 2 * margin, roi.height + 2 * margin) &
        cv::Rect(0, 0, gray.cols, gray.rows);
  cv::Mat ink = cv::Mat::zeros(gray.size(), CV_8UC1);
  cv::Mat zone_ink;
  const int kernel = config::kInkKernelCaps * cap + 1;
  cv::morphologyEx(gray(roi), zone_ink, cv::MORPH_BLACKHAT,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(kernel, kernel)));
  zone_ink.copyTo(ink(roi));
  return ink;
}

// Both views of every position of every row.
Samples SamplesOf(const cv::Mat& ink, const std::vector<MrzRow>& rows, int width) {
  Samples samples;
  for (const MrzRow& row : rows) {
    std::vector<Sample> line;
    Midline mid = FitMidline(row);
    for (const Position& at : CellCentres(row, width)) {
      line.push_back({Patch(ink, row, mid, at, false), Patch(ink, row, mid, at, true),
                      at.glyph ? at.glyph->size() : cv::Size()});
    }
    samples.push_back(std::move(line));
  }
  return samples;
}

// Patches are scaled to one size, so a glyph's own size tells shapes apart that
// scaling makes alike ('<' is shorter than '4').
bool SameSize(cv::Size a, cv::Size b) {
  if (a.area() == 0 || b.area() == 0) return true;
  int tol_h = std::max(config::kSizeTolMinPx,
                       static_cast<int>(config::kSizeTolHeight * std::max(a.height, b.height)));
  int tol_w = std::max(config::kSizeTolMinPx,
                       static_cast<int>(config::kSizeTolWidth * std::max(a.width, b.width)));
  return std::abs(a.height - b.height) <= tol_h && std::abs(a.width - b.width) <= tol_w;
}

double Corr(const cv::Mat& a, const cv::Mat& b) { return a.empty() || b.empty() ? 0.0 : a.dot(b); }

// The filler's look: the mean of the positions that look like the seed, in both views
// (the window, which sees the glyph's size and place, and the glyph's own box, which
// forgives a pixel of misplacement on small prints), and its median size.
struct FillerLook {
  cv::Mat patch, tight;
  cv::Size size;
  int twins = 0;
};

FillerLook LearnFiller(const Samples& samples, const Sample& seed) {
  cv::Mat sum = cv::Mat::zeros(config::kPatchHeight, config::kPatchWidth, CV_32F);
  cv::Mat tight_sum = sum.clone();
  std::vector<double> widths, heights;
  FillerLook look;
  for (const auto& line : samples) {
    for (const Sample& s : line) {
      bool twin = Corr(s.patch, seed.patch) > config::kTwinCorrelation ||
                  Corr(s.tight, seed.tight) > config::kTwinCorrelation;
      if (!twin || !SameSize(s.size, seed.size)) continue;
      if (!s.patch.empty()) sum += s.patch;
      if (!s.tight.empty()) tight_sum += s.tight;
      ++look.twins;
      if (s.size.area() > 0) {
        widths.push_back(s.size.width);
        heights.push_back(s.size.height);
      }
    }
  }
  look.patch = sum / std::max(1e-6, cv::norm(sum));
  look.tight = tight_sum / std::max(1e-6, cv::norm(tight_sum));
  look.size = widths.empty()
                  ? cv::Size()
                  : cv::Size(static_cast<int>(Median(widths)), static_cast<int>(Median(heights)));
  return look;
}

// Each position as a filler, a glyph or unknown by its likeness to the filler; empty
// when too many are unknown.
std::vector<std::vector<Cell>> ClassifyCells(const Samples& samples, const FillerLook& filler,
                                             int width) {
  std::vector<std::vector<Cell>> cells;
  int unknown = 0;
  for (const auto& line : samples) {
    std::vector<Cell> out;
    for (const Sample& s : line) {
      double score = Corr(s.patch, filler.patch), tight = Corr(s.tight, filler.tight);
      bool size_ok = SameSize(s.size, filler.size);
      // A position without a glyph of its own (glyphs run together) is never
      // called a letter: its window holds pieces of the neighbours.
      Cell cell = Cell::kUnknown;
      if (size_ok && (score >= config::kFillerCorrelation ||
                      (tight >= config::kTwinCorrelation && score >= config::kGlyphCorrelation))) {
        cell = Cell::kFiller;
      } else if (s.size.area() > 0 &&
                 ((score < config::kGlyphCorrelation && tight < config::kFillerCorrelation) ||
                  !size_ok)) {
        cell = Cell::kGlyph;
      }
      unknown += cell == Cell::kUnknown ? 1 : 0;
      out.push_back(cell);
    }
    cells.push_back(std::move(out));
  }
  // Glyphs too small or blurred to tell apart: no opinion rather than a wrong one.
  if (unknown > config::kMaxUnknownCellShare * width * static_cast<double>(samples.size())) {
    cells.clear();
  }
  return cells;
}

}  // namespace

std::vector<double> CellCentreXs(const MrzRow& row, int width) {
  std::vector<double> xs;
  if (row.glyphs.empty() || width < 1) return xs;
  for (const Position& at : CellCentres(row, width)) xs.push_back(at.x);
  return xs;
}

ZoneCells AnalyzeCells(const cv::Mat& gray, const std::vector<MrzRow>& rows, int width) {
  ZoneCells zone;
  if (gray.empty() || rows.size() != LineCountOf(width)) return zone;
  Samples samples = SamplesOf(ZoneInk(gray, rows), rows, width);
  const Sample& seed = samples[NameLineOf(rows.size())].back();
  if (seed.patch.empty()) {
    zone.glyph_ids = GroupGlyphs(samples, {});
    return zone;
  }
  FillerLook filler = LearnFiller(samples, seed);
  if (filler.twins < config::kMinFillerTwins) {
    zone.glyph_ids = GroupGlyphs(samples, {});
    return zone;
  }
  std::vector<std::vector<Cell>> cells = ClassifyCells(samples, filler, width);
  zone.glyph_ids = GroupGlyphs(samples, cells);
  zone.kinds = std::move(cells);
  return zone;
}

}  // namespace smartocr::mrz::internal
