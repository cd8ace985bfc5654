// src/pipeline/mrz_band.cc
//
// The classic MRZ locator (blackhat to lift dark strokes off a patterned background,
// then glyphs grouped into rows) with the test that makes it specific: an MRZ row is
// 30, 36 or 44 glyphs of one height at one pitch, and the zone is the lowest stack
// of two or three such rows, left-aligned.
#include "pipeline/mrz_band.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <opencv2/imgproc.hpp>
#include <string>
#include <string_view>

namespace smartocr::pipeline::internal {
namespace {

// Correlations (of zero-mean unit-norm patches) that make a position the seed's twin,
// a filler, or clearly something else; measured on the dev specimens (see
// FillerScores in the unit test).
constexpr double kTwin = 0.8, kFillerScore = 0.7, kGlyphScore = 0.45;
// Correlation above which two glyphs of one size are taken for the same character.
constexpr double kSameGlyph = 0.93;

struct Glyph {
  cv::Rect box;
  bool single() const { return box.width <= 1.6 * box.height; }
  double cx() const { return box.x + box.width / 2.0; }
  double cy() const { return box.y + box.height / 2.0; }
};

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  auto mid = v.begin() + static_cast<long>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// Dark glyph-sized blobs of the page.
std::vector<Glyph> FindGlyphs(const cv::Mat& gray) {
  // Larger than any stroke, so that the blackhat keeps whole glyphs and drops the
  // smooth background tints and photos' broad shapes.
  int k = std::clamp(gray.rows / 15, 9, 101) | 1;
  cv::Mat hat;
  cv::morphologyEx(gray, hat, cv::MORPH_BLACKHAT,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k)));
  cv::Mat bin;
  double t = cv::threshold(hat, bin, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  if (t < 20) cv::threshold(hat, bin, 20, 255, cv::THRESH_BINARY);
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(bin, labels, stats, centroids, 8, CV_32S);
  std::vector<Glyph> glyphs;
  int min_h = std::max(5, gray.rows / 90);
  int max_h = std::max(min_h + 1, gray.rows / 6);
  for (int i = 1; i < n; ++i) {
    cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                 stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    // Wide blobs are glyphs run together (filler runs on small or blurred prints).
    if (box.height < min_h || box.height > max_h || box.width > 30 * box.height) continue;
    if (stats.at<int>(i, cv::CC_STAT_AREA) < 8) continue;
    glyphs.push_back({box});
  }
  return glyphs;
}

// Glyphs grouped into text rows (by vertical centre), each row split at wide gaps.
std::vector<std::vector<Glyph>> GroupRows(std::vector<Glyph> glyphs) {
  std::sort(glyphs.begin(), glyphs.end(),
            [](const Glyph& a, const Glyph& b) { return a.cy() < b.cy(); });
  struct Row {
    std::vector<Glyph> glyphs;
    double cy = 0, h = 0;
  };
  std::vector<Row> rows;
  for (const Glyph& g : glyphs) {
    Row* home = nullptr;
    for (auto it = rows.rbegin(); it != rows.rend() && it->cy > g.cy() - 2 * g.box.height; ++it) {
      if (std::abs(it->cy - g.cy()) < 0.35 * std::max(it->h, 1.0 * g.box.height) &&
          g.box.height > 0.4 * it->h && g.box.height < 2.5 * it->h) {
        home = &*it;
        break;
      }
    }
    if (home == nullptr) {
      rows.push_back({{g}, g.cy(), static_cast<double>(g.box.height)});
      continue;
    }
    home->glyphs.push_back(g);
    double n = static_cast<double>(home->glyphs.size());
    home->cy += (g.cy() - home->cy) / n;
    home->h = std::max(home->h, static_cast<double>(g.box.height));
  }
  std::vector<std::vector<Glyph>> runs;
  for (Row& row : rows) {
    std::sort(row.glyphs.begin(), row.glyphs.end(),
              [](const Glyph& a, const Glyph& b) { return a.box.x < b.box.x; });
    std::vector<Glyph> run;
    for (const Glyph& g : row.glyphs) {
      if (!run.empty() && g.box.x - run.back().box.br().x > 2.5 * row.h) {
        runs.push_back(std::move(run));
        run.clear();
      }
      run.push_back(g);
    }
    if (!run.empty()) runs.push_back(std::move(run));
  }
  return runs;
}

// The run as an MRZ row, or chars == 0 when it is not one.
MrzRow AsMrzRow(const std::vector<Glyph>& run) {
  MrzRow row;
  if (run.size() < 20) return row;
  std::vector<double> heights, steps;
  for (size_t i = 0; i < run.size(); ++i) {
    heights.push_back(run[i].box.height);
    if (i > 0 && run[i].single() && run[i - 1].single()) {
      steps.push_back(run[i].cx() - run[i - 1].cx());
    }
  }
  if (steps.size() < 15) return row;
  double step = Median(steps);
  if (step <= 1) return row;
  // Monospaced: most neighbours one pitch apart (the rest are broken or merged glyphs).
  long regular = std::count_if(steps.begin(), steps.end(),
                               [&](double s) { return s > 0.7 * step && s < 1.4 * step; });
  if (regular < 0.6 * static_cast<double>(steps.size())) return row;
  std::sort(heights.begin(), heights.end());
  double cap = heights[heights.size() * 3 / 4];
  if (step < 0.4 * cap || step > 1.5 * cap) return row;
  // From the first glyph's centre to the last one's (half a pitch in from a blob's end).
  double first = run.front().single() ? run.front().cx() : run.front().box.x + step / 2;
  double last = run.back().single() ? run.back().cx() : run.back().box.br().x - step / 2;
  double span = last - first;
  int chars = static_cast<int>(std::lround(span / step)) + 1;
  if (chars < 26 || chars > 48) return row;
  cv::Rect box = run.front().box;
  for (const Glyph& g : run) box |= g.box;
  row.box = box;
  row.chars = chars;
  row.pitch = span / (chars - 1);
  for (const Glyph& g : run) row.glyphs.push_back(g.box);
  return row;
}

bool SameZone(const MrzRow& above, const MrzRow& below) {
  double p = std::max(above.pitch, below.pitch);
  return std::abs(above.pitch - below.pitch) < 0.15 * p &&
         std::abs(above.box.x - below.box.x) < 2 * p && std::abs(above.chars - below.chars) <= 4 &&
         below.box.y > above.box.y &&
         below.box.y - above.box.y < 3.0 * std::max(above.box.height, below.box.height);
}

}  // namespace

std::vector<MrzRow> FindMrzRows(const cv::Mat& gray) {
  if (gray.empty() || gray.type() != CV_8UC1) return {};
  // Large pages are searched at a lower resolution (an MRZ stays well legible to the
  // search) and the rows scaled back: the blackhat's cost grows with the page.
  constexpr int kSearchRows = 1600;
  if (gray.rows > kSearchRows) {
    double s = static_cast<double>(kSearchRows) / gray.rows;
    cv::Mat small;
    cv::resize(gray, small, cv::Size(), s, s, cv::INTER_AREA);
    std::vector<MrzRow> rows = FindMrzRows(small);
    auto up = [s](const cv::Rect& r) {
      return cv::Rect(static_cast<int>(r.x / s), static_cast<int>(r.y / s),
                      static_cast<int>(std::ceil(r.width / s)),
                      static_cast<int>(std::ceil(r.height / s)));
    };
    for (MrzRow& row : rows) {
      row.box = up(row.box);
      row.pitch /= s;
      for (cv::Rect& g : row.glyphs) g = up(g);
    }
    return rows;
  }
  std::vector<MrzRow> rows;
  for (const std::vector<Glyph>& run : GroupRows(FindGlyphs(gray))) {
    MrzRow row = AsMrzRow(run);
    if (row.chars > 0) rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(),
            [](const MrzRow& a, const MrzRow& b) { return a.box.y < b.box.y; });
  // The lowest stack of two or three rows.
  for (size_t end = rows.size(); end >= 2; --end) {
    size_t begin = end - 1;
    while (begin > 0 && end - begin < 3 && SameZone(rows[begin - 1], rows[begin])) --begin;
    if (end - begin >= 2) {
      return {rows.begin() + static_cast<long>(begin), rows.begin() + static_cast<long>(end)};
    }
  }
  return {};
}

int ZoneWidth(const std::vector<MrzRow>& rows) {
  std::vector<double> counts;
  counts.reserve(rows.size());
  for (const MrzRow& row : rows) counts.push_back(row.chars);
  double chars = Median(counts);
  int width = 44;
  for (int w : {30, 36, 44}) {
    if (std::abs(chars - w) < std::abs(chars - width)) width = w;
  }
  return width;
}

namespace {

constexpr int kPatchW = 12, kPatchH = 18;

bool Single(const cv::Rect& r) { return r.width <= 1.6 * r.height; }

// How far the row's glyphs sit from a grid of `pitch` starting at `x0` (mean distance
// to the nearest grid point, in pitches).
double GridMisfit(const MrzRow& row, double x0, double pitch) {
  double sum = 0;
  int n = 0;
  for (const cv::Rect& g : row.glyphs) {
    if (!Single(g)) continue;
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
  double c = Single(front) ? front.x + front.width / 2.0 : front.x + row.pitch / 2;
  double pitch = row.pitch;
  if (row.chars != width && width > 1) {
    double refit = row.pitch * (row.chars - 1) / (width - 1);
    if (GridMisfit(row, c, refit) < GridMisfit(row, c, pitch)) pitch = refit;
  }
  for (int i = 0; i < width; ++i) {
    double expected = i == 0 ? c : centres.back().x + pitch;
    Position found{expected, nullptr};
    double best = 0.3 * pitch;
    for (const cv::Rect& g : row.glyphs) {
      double gx = g.x + g.width / 2.0;
      if (Single(g) && std::abs(gx - expected) < best) {
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
    if (g.width > 1.6 * g.height) continue;
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
// the position is blank or off the image): the glyph's own box where one was found
// (a pixel of misplacement decorrelates small glyphs): a cell-sized window centred on
// the glyph found there, else on the grid position.
// With `tight`, the glyph's own box instead (insensitive to where the glyph sits in
// its window, blind to its size).
cv::Mat Patch(const cv::Mat& gray, const MrzRow& row, const Midline& mid, const Position& at,
              bool tight) {
  double h = mid.cap;
  double cy = mid.a + mid.b * at.x;
  double x = at.glyph != nullptr ? at.glyph->x + at.glyph->width / 2.0 : at.x;
  if (at.glyph != nullptr) cy = at.glyph->y + at.glyph->height / 2.0;
  cv::Rect r(static_cast<int>(std::lround(x - row.pitch / 2)),
             static_cast<int>(std::lround(cy - 0.5 * h - 1)),
             static_cast<int>(std::lround(row.pitch)), static_cast<int>(std::lround(h + 2)));
  if (tight) {
    if (at.glyph == nullptr) return {};
    r = cv::Rect(at.glyph->x - 1, at.glyph->y - 1, at.glyph->width + 2, at.glyph->height + 2);
  }
  r &= cv::Rect(0, 0, gray.cols, gray.rows);
  if (r.width < 3 || r.height < 3) return {};
  cv::Mat patch;
  cv::resize(gray(r), patch, cv::Size(kPatchW, kPatchH), 0, 0, cv::INTER_AREA);
  patch.convertTo(patch, CV_32F);
  cv::Scalar mean, sd;
  cv::meanStdDev(patch, mean, sd);
  if (sd[0] < 4) return {};  // no ink
  patch -= mean[0];
  patch /= cv::norm(patch);
  return patch;
}

}  // namespace

std::vector<double> CellCentreXs(const MrzRow& row, int width) {
  std::vector<double> xs;
  if (row.glyphs.empty() || width < 1) return xs;
  for (const Position& at : CellCentres(row, width)) xs.push_back(at.x);
  return xs;
}

namespace {

struct Sample {
  cv::Mat patch;
  cv::Mat tight;  // the glyph's own box, when there is a glyph
  cv::Size size;  // the glyph's, or 0x0 for a grid cell
};

// Identical glyphs (high correlation, same size to the pixel) get one id, in order of
// first appearance; fillers and positions without a glyph of their own get -1.
std::vector<std::vector<int>> GroupGlyphs(const std::vector<std::vector<Sample>>& samples,
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
        if (std::abs(rep.size.width - s.size.width) <= 1 &&
            std::abs(rep.size.height - s.size.height) <= 1 && rep.patch.dot(s.patch) > kSameGlyph) {
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

}  // namespace

ZoneCells AnalyzeCells(const cv::Mat& gray, const std::vector<MrzRow>& rows, int width) {
  ZoneCells zone;
  size_t expected_rows = width == 30 ? 3 : 2;
  if (gray.empty() || rows.size() != expected_rows) return zone;
  // Dark strokes lifted off the background (tints and guilloches behind an MRZ vary
  // along a row and would otherwise decide the correlation).
  int cap = 0;
  for (const MrzRow& row : rows) cap = std::max(cap, row.box.height);
  // Only around the zone: the page may be large.
  cv::Rect roi = rows.front().box;
  for (const MrzRow& row : rows) roi |= row.box;
  roi = cv::Rect(roi.x - 3 * cap, roi.y - 3 * cap, roi.width + 6 * cap, roi.height + 6 * cap) &
        cv::Rect(0, 0, gray.cols, gray.rows);
  cv::Mat ink = cv::Mat::zeros(gray.size(), CV_8UC1);
  cv::Mat zone_ink;
  cv::morphologyEx(gray(roi), zone_ink, cv::MORPH_BLACKHAT,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * cap + 1, 2 * cap + 1)));
  zone_ink.copyTo(ink(roi));
  std::vector<std::vector<Sample>> samples;
  for (const MrzRow& row : rows) {
    std::vector<Sample> line;
    Midline mid = FitMidline(row);
    for (const Position& at : CellCentres(row, width)) {
      line.push_back({Patch(ink, row, mid, at, false), Patch(ink, row, mid, at, true),
                      at.glyph ? at.glyph->size() : cv::Size()});
    }
    samples.push_back(std::move(line));
  }
  const Sample& seed = samples[width == 30 ? 2 : 0].back();
  if (seed.patch.empty()) {
    zone.glyph_ids = GroupGlyphs(samples, {});
    return zone;
  }
  // Patches are scaled to one size, so a glyph's own size tells shapes apart that
  // scaling makes alike ('<' is shorter than '4').
  auto same_size = [](cv::Size a, cv::Size b) {
    if (a.area() == 0 || b.area() == 0) return true;
    int tol_h = std::max(2, static_cast<int>(0.25 * std::max(a.height, b.height)));
    int tol_w = std::max(2, static_cast<int>(0.3 * std::max(a.width, b.width)));
    return std::abs(a.height - b.height) <= tol_h && std::abs(a.width - b.width) <= tol_w;
  };
  // The template: the mean of the positions that look like the seed.
  // Both views: the window (which sees the glyph's size and place) and the glyph's own
  // box (which forgives a pixel of misplacement on small prints).
  auto corr = [](const cv::Mat& a, const cv::Mat& b) {
    return a.empty() || b.empty() ? 0.0 : a.dot(b);
  };
  cv::Mat sum = cv::Mat::zeros(kPatchH, kPatchW, CV_32F);
  cv::Mat tight_sum = sum.clone();
  std::vector<double> widths, heights;
  int twins = 0;
  for (const auto& line : samples) {
    for (const Sample& s : line) {
      bool twin = corr(s.patch, seed.patch) > kTwin || corr(s.tight, seed.tight) > kTwin;
      if (twin && same_size(s.size, seed.size)) {
        if (!s.patch.empty()) sum += s.patch;
        if (!s.tight.empty()) tight_sum += s.tight;
        ++twins;
        if (s.size.area() > 0) {
          widths.push_back(s.size.width);
          heights.push_back(s.size.height);
        }
      }
    }
  }
  if (twins < 4) {
    zone.glyph_ids = GroupGlyphs(samples, {});
    return zone;
  }
  cv::Mat filler = sum / std::max(1e-6, cv::norm(sum));
  cv::Mat tight_filler = tight_sum / std::max(1e-6, cv::norm(tight_sum));
  cv::Size filler_size = widths.empty() ? cv::Size()
                                        : cv::Size(static_cast<int>(Median(widths)),
                                                   static_cast<int>(Median(heights)));
  std::vector<std::vector<Cell>> cells;
  int unknown = 0;
  for (const auto& line : samples) {
    std::vector<Cell> out;
    for (const Sample& s : line) {
      double score = corr(s.patch, filler), tight = corr(s.tight, tight_filler);
      bool size_ok = same_size(s.size, filler_size);
      // A position without a glyph of its own (glyphs run together) is never
      // called a letter: its window holds pieces of the neighbours.
      Cell cell = Cell::kUnknown;
      if (size_ok && (score >= kFillerScore || (tight >= kTwin && score >= kGlyphScore))) {
        cell = Cell::kFiller;
      } else if (s.size.area() > 0 && ((score < kGlyphScore && tight < kFillerScore) || !size_ok)) {
        cell = Cell::kGlyph;
      }
      unknown += cell == Cell::kUnknown ? 1 : 0;
      out.push_back(cell);
    }
    cells.push_back(std::move(out));
  }
  // Glyphs too small or blurred to tell apart: no opinion rather than a wrong one.
  if (unknown > 0.4 * width * static_cast<double>(rows.size())) cells.clear();
  zone.glyph_ids = GroupGlyphs(samples, cells);
  zone.kinds = std::move(cells);
  return zone;
}

namespace {

// Letters OCR makes of a filler.
bool FillerLike(char c) {
  return c == '<' || std::string_view("KCELGXSZ").find(c) != std::string_view::npos;
}

// FitToCells with `foreign_filler` the cost of a character OCR does not usually make
// of a filler read at a filler position.
std::string FitWithCost(const std::string& text, const std::vector<Cell>& cells,
                        double foreign_filler) {
  const size_t n = cells.size(), m = text.size();
  // Costs: fillers are what OCR drops and adds most, so a filler position left
  // unread or an extra '<' is cheap; a letter or digit position must be read.
  auto sub = [foreign_filler](Cell cell, char c) {
    switch (cell) {
      case Cell::kFiller:
        return c == '<' ? 0.0 : FillerLike(c) ? 0.4 : foreign_filler;
      case Cell::kGlyph:
        return c == '<' ? 1.0 : 0.0;
      case Cell::kUnknown:
        return 0.0;
    }
    return 1.0;
  };
  auto skip_cell = [](Cell cell) { return cell == Cell::kFiller ? 0.3 : 1.0; };
  auto skip_char = [](char c) { return c == '<' ? 0.5 : 1.0; };
  std::vector<std::vector<double>> cost(n + 1, std::vector<double>(m + 1, 0));
  for (size_t i = 1; i <= n; ++i) cost[i][0] = cost[i - 1][0] + skip_cell(cells[i - 1]);
  for (size_t j = 1; j <= m; ++j) cost[0][j] = cost[0][j - 1] + skip_char(text[j - 1]);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      cost[i][j] = std::min({cost[i - 1][j - 1] + sub(cells[i - 1], text[j - 1]),
                             cost[i - 1][j] + skip_cell(cells[i - 1]),
                             cost[i][j - 1] + skip_char(text[j - 1])});
    }
  }
  std::string out(n, '<');
  size_t i = n, j = m;
  // On ties an unread position goes last: OCR drops characters at a line's end most.
  bool tail = true;
  while (i > 0) {
    Cell cell = cells[i - 1];
    if (tail && cost[i][j] == cost[i - 1][j] + skip_cell(cell)) {
      --i;
      continue;
    }
    tail = false;
    if (j > 0 && cost[i][j] == cost[i - 1][j - 1] + sub(cell, text[j - 1])) {
      out[i - 1] = cell == Cell::kFiller ? '<' : text[j - 1];
      --i;
      --j;
    } else if (j > 0 && cost[i][j] == cost[i][j - 1] + skip_char(text[j - 1])) {
      --j;
    } else {
      --i;  // unread position: '<'
    }
  }
  return out;
}

}  // namespace

int GlyphConflicts(const std::string& text, const std::vector<int>& glyph_ids) {
  if (glyph_ids.size() != text.size()) return 0;
  std::map<int, std::map<char, int>> groups;
  for (size_t k = 0; k < text.size(); ++k) {
    if (glyph_ids[k] >= 0) ++groups[glyph_ids[k]][text[k]];
  }
  int conflicts = 0;
  for (const auto& [id, chars] : groups) {
    int total = 0, most = 0;
    for (const auto& [c, count] : chars) {
      total += count;
      most = std::max(most, count);
    }
    conflicts += total - most;
  }
  return conflicts;
}

std::string FitToCells(const std::string& text, const std::vector<Cell>& cells,
                       const std::vector<int>& glyph_ids) {
  // A filler misread as a letter OCR rarely makes of it ('A') costs more than a shift of
  // the letters by one position, which a filler skipped here and a letter dropped
  // further on pay for. Both fits are made; the one whose identical glyphs got
  // identical characters wins, the stricter one on a tie.
  std::string strict = FitWithCost(text, cells, 1.2);
  if (glyph_ids.size() != cells.size()) return strict;
  std::string lenient = FitWithCost(text, cells, 0.4);
  return GlyphConflicts(lenient, glyph_ids) < GlyphConflicts(strict, glyph_ids) ? lenient : strict;
}

}  // namespace smartocr::pipeline::internal
