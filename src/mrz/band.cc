// src/mrz/band.cc
//
// The classic MRZ locator (blackhat to lift dark strokes off a patterned background,
// then glyphs grouped into rows) with the test that makes it specific: an MRZ row is
// 30, 36 or 44 glyphs of one height at one pitch, and the zone is the lowest stack
// of two or three such rows, left-aligned.
#include "mrz/internal/band.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "mrz/internal/layout.h"
#include "mrz/tunables.h"

namespace smartocr::mrz::internal {

bool IsSingleGlyph(const cv::Rect& box) {
  return box.width <= config::kSingleGlyphMaxAspect * box.height;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  auto mid = v.begin() + static_cast<long>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

namespace {

struct Glyph {
  cv::Rect box;
  bool single() const { return IsSingleGlyph(box); }
  double cx() const { return box.x + box.width / 2.0; }
  double cy() const { return box.y + box.height / 2.0; }
};

// Dark glyph-sized blobs of the page.
std::vector<Glyph> FindGlyphs(const cv::Mat& gray) {
  // Larger than any stroke, so that the blackhat keeps whole glyphs and drops the
  // smooth background tints and photos' broad shapes.
  int k = std::clamp(gray.rows / config::kBlackhatPageDivisor, config::kBlackhatMinPx,
                     config::kBlackhatMaxPx) |
          1;
  cv::Mat hat;
  cv::morphologyEx(gray, hat, cv::MORPH_BLACKHAT,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k)));
  cv::Mat bin;
  double t = cv::threshold(hat, bin, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  if (t < config::kMinInkThreshold) {
    cv::threshold(hat, bin, config::kMinInkThreshold, 255, cv::THRESH_BINARY);
  }
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(bin, labels, stats, centroids, 8, CV_32S);
  std::vector<Glyph> glyphs;
  int min_h = std::max(config::kGlyphMinHeightPx, gray.rows / config::kGlyphMinHeightDivisor);
  int max_h = std::max(min_h + 1, gray.rows / config::kGlyphMaxHeightDivisor);
  for (int i = 1; i < n; ++i) {
    cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                 stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    // Wide blobs are glyphs run together (filler runs on small or blurred prints).
    if (box.height < min_h || box.height > max_h ||
        box.width > config::kBlobMaxAspect * box.height) {
      continue;
    }
    if (stats.at<int>(i, cv::CC_STAT_AREA) < config::kGlyphMinArea) continue;
    glyphs.push_back({box});
  }
  return glyphs;
}

struct TextRow {
  std::vector<Glyph> glyphs;
  double cy = 0, h = 0;
};

// Glyphs grouped into text rows by vertical centre, in order of their centres.
std::vector<TextRow> RowsOf(std::vector<Glyph> glyphs) {
  std::sort(glyphs.begin(), glyphs.end(),
            [](const Glyph& a, const Glyph& b) { return a.cy() < b.cy(); });
  std::vector<TextRow> rows;
  for (const Glyph& g : glyphs) {
    TextRow* home = nullptr;
    for (auto it = rows.rbegin();
         it != rows.rend() && it->cy > g.cy() - config::kRowSearchHeights * g.box.height; ++it) {
      if (std::abs(it->cy - g.cy()) <
              config::kRowCentreTolerance * std::max(it->h, 1.0 * g.box.height) &&
          g.box.height > config::kRowMinHeightRatio * it->h &&
          g.box.height < config::kRowMaxHeightRatio * it->h) {
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
  return rows;
}

// Glyphs grouped into text rows (by vertical centre), each row split at wide gaps.
std::vector<std::vector<Glyph>> GroupRows(std::vector<Glyph> glyphs) {
  std::vector<std::vector<Glyph>> runs;
  for (TextRow& row : RowsOf(std::move(glyphs))) {
    std::sort(row.glyphs.begin(), row.glyphs.end(),
              [](const Glyph& a, const Glyph& b) { return a.box.x < b.box.x; });
    std::vector<Glyph> run;
    for (const Glyph& g : row.glyphs) {
      if (!run.empty() && g.box.x - run.back().box.br().x > config::kRowMaxGapHeights * row.h) {
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
  if (run.size() < config::kRowMinGlyphs) return row;
  std::vector<double> heights, steps;
  for (size_t i = 0; i < run.size(); ++i) {
    heights.push_back(run[i].box.height);
    if (i > 0 && run[i].single() && run[i - 1].single()) {
      steps.push_back(run[i].cx() - run[i - 1].cx());
    }
  }
  if (steps.size() < config::kRowMinSteps) return row;
  double step = Median(steps);
  if (step <= config::kRowMinPitchPx) return row;
  // Monospaced: most neighbours one pitch apart (the rest are broken or merged glyphs).
  long regular = std::count_if(steps.begin(), steps.end(), [&](double s) {
    return s > config::kPitchMinRatio * step && s < config::kPitchMaxRatio * step;
  });
  if (regular < config::kRowMinRegularShare * static_cast<double>(steps.size())) return row;
  std::sort(heights.begin(), heights.end());
  double cap = heights[heights.size() * config::kCapHeightPercentile / 100];
  if (step < config::kPitchMinCaps * cap || step > config::kPitchMaxCaps * cap) return row;
  // From the first glyph's centre to the last one's (half a pitch in from a blob's end).
  double first = run.front().single() ? run.front().cx() : run.front().box.x + step / 2;
  double last = run.back().single() ? run.back().cx() : run.back().box.br().x - step / 2;
  double span = last - first;
  int chars = static_cast<int>(std::lround(span / step)) + 1;
  if (chars < config::kRowMinChars || chars > config::kRowMaxChars) return row;
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
  return std::abs(above.pitch - below.pitch) < config::kZonePitchTolerance * p &&
         std::abs(above.box.x - below.box.x) < config::kZoneMaxIndentPitches * p &&
         std::abs(above.chars - below.chars) <= config::kZoneMaxCharsDiff &&
         below.box.y > above.box.y &&
         below.box.y - above.box.y <
             config::kZoneMaxRowStepHeights * std::max(above.box.height, below.box.height);
}

// FindMrzRows on a copy of `gray` scaled to kSearchRows rows, the rows scaled back.
std::vector<MrzRow> FindMrzRowsScaled(const cv::Mat& gray) {
  double s = static_cast<double>(config::kSearchRows) / gray.rows;
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

}  // namespace

std::vector<MrzRow> FindMrzRows(const cv::Mat& gray) {
  if (gray.empty() || gray.type() != CV_8UC1) return {};
  // Large pages are searched at a lower resolution (an MRZ stays well legible to the
  // search) and the rows scaled back: the blackhat's cost grows with the page.
  if (gray.rows > config::kSearchRows) return FindMrzRowsScaled(gray);
  std::vector<MrzRow> rows;
  for (const std::vector<Glyph>& run : GroupRows(FindGlyphs(gray))) {
    MrzRow row = AsMrzRow(run);
    if (row.chars > 0) rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(),
            [](const MrzRow& a, const MrzRow& b) { return a.box.y < b.box.y; });
  // The lowest stack of two or three rows.
  for (size_t end = rows.size(); end >= kMinLines; --end) {
    size_t begin = end - 1;
    while (begin > 0 && end - begin < kTd1Lines && SameZone(rows[begin - 1], rows[begin])) {
      --begin;
    }
    if (end - begin >= kMinLines) {
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
  int width = kTd3Width;
  for (int w : kWidths) {
    if (std::abs(chars - w) < std::abs(chars - width)) width = w;
  }
  return width;
}

}  // namespace smartocr::mrz::internal
