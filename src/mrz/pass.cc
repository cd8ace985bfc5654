// src/mrz/pass.cc
//
// The MRZ pass: a second, dedicated OCR pass over the MRZ band of a page. The band
// comes from the general pass's MRZ-like lines and from the rows the image shows, so
// pages without either cost little. The zone is read several ways (rows one by one,
// the band as a block and line by line, a second reader where the first leaves a
// check failing), the readings combined, and the re-read replaces the general pass's
// lines only when its check digits say it is better.
#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <optional>

#include "mrz/internal/band.h"
#include "mrz/internal/pick.h"
#include "mrz/internal/quad.h"
#include "mrz/internal/reading.h"
#include "mrz/internal/viz.h"
#include "mrz/internal/zone.h"
#include "mrz/mrz.h"
#include "mrz/tunables.h"

namespace smartocr::mrz {
namespace {

using internal::Hit;
using internal::MrzRow;
using internal::Pick;
using internal::Reading;

// When the page shows no MRZ rows but was deskewed, the deskew may have turned a
// straight MRZ askew (strong stripes of a security print can mislead it): the page
// turned back (either way) is tried. Returns the turned page and the transform from
// its coordinates to the page's, or an empty image.
cv::Mat UndoDeskew(const cv::Mat& image, double skew_deg, std::vector<MrzRow>& rows,
                   cv::Mat& to_page) {
  if (std::abs(skew_deg) < config::kMinUndoSkewDeg) return {};
  cv::Point2f centre(static_cast<float>(image.cols) / 2, static_cast<float>(image.rows) / 2);
  for (double angle : {skew_deg, -skew_deg}) {
    cv::Mat m = cv::getRotationMatrix2D(centre, angle, 1.0);
    cv::Mat turned;
    cv::warpAffine(image, turned, m, image.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                   cv::Scalar(255));
    rows = internal::FindMrzRows(turned);
    if (!rows.empty()) {
      cv::invertAffineTransform(m, to_page);
      return turned;
    }
  }
  return {};
}

// `b` mapped by `m`: a 2x3 affine transform or a 3x3 homography.
core::BBox MapBox(const core::BBox& b, const cv::Mat& m) {
  core::BBox out;
  bool first = true;
  for (double x : {b.x0, b.x1}) {
    for (double y : {b.y0, b.y1}) {
      double px = m.at<double>(0, 0) * x + m.at<double>(0, 1) * y + m.at<double>(0, 2);
      double py = m.at<double>(1, 0) * x + m.at<double>(1, 1) * y + m.at<double>(1, 2);
      if (m.rows == 3) {
        const double w = m.at<double>(2, 0) * x + m.at<double>(2, 1) * y + m.at<double>(2, 2);
        if (std::abs(w) > 1e-12) {
          px /= w;
          py /= w;
        }
      }
      if (first) {
        out = {px, py, px, py};
        first = false;
      } else {
        out = {std::min(out.x0, px), std::min(out.y0, py), std::max(out.x1, px),
               std::max(out.y1, py)};
      }
    }
  }
  return out;
}

// Offers `pick` every reading of the zone: the general pass's `first`, the image's
// rows as the OCR-B reader and the main engine read them, the band around the general
// pass's zone lines, and the second reader's rows.
void ReadZone(const core::PageResult& page, const std::vector<Hit>& zone, const Reading& first,
              const std::optional<Reading>& ocrb, const std::vector<MrzRow>& rows,
              const cv::Mat& image, recognize::Engine& engine, const PassOptions& options,
              Pick& pick) {
  pick.Offer(first);
  if (ocrb) pick.Offer(*ocrb);
  if (!rows.empty() && !internal::AllPass(pick.best)) {
    for (double cap : config::kReadCapHeightsPx) {
      Reading r = internal::ReadRows(image, rows, *pick.cells, cap, engine);
      pick.Offer(r);
      if (internal::AllPass(pick.best)) break;
    }
  }
  if (!zone.empty() && !internal::AllPass(pick.best)) {
    internal::ReadAroundZone(page, zone, image, engine, pick.cells, pick);
  }
  // The second reader reads the rows as well when the first's readings leave a check
  // failing (on the dev specimens it alone reads FRA's document number).
  recognize::Engine* second =
      rows.empty() || internal::AllPass(pick.best) ? nullptr : options.second_reader;
  if (second != nullptr && second != &engine) {
    pick.Offer(internal::ReadRows(image, rows, *pick.cells, config::kQuickCapHeightPx, *second));
  }
}

// Whether `best` should replace the general pass's reading `first`.
bool Replaces(const Reading& best, const Reading& first, bool found_by_image_alone) {
  // A composed reading may tie with the general pass's on every score and still be
  // the better text (glyph consensus in fields no check covers): not worse and
  // different is enough.
  bool improves =
      internal::Better(best, first) ||
      (best.valid_checks > 0 && !internal::Better(first, best) && best.mrz != first.mrz);
  if (!improves) return false;
  // Found by the image alone (the general pass saw no MRZ-like line): monospaced
  // receipt or letter text also makes even rows, one check digit in ten passes by
  // chance, and fields of fillers pass always, so such a zone must pass all checks but
  // one, and at least two with digits.
  return !found_by_image_alone || (best.digit_checks >= config::kMinDigitChecks &&
                                   best.valid_checks >= best.checks - config::kMaxFailedChecks);
}

}  // namespace

namespace {

// The MRZ pass over `image`; `to_page` (empty: none) maps `image`'s pixels to the
// page's, as for a deskew undone or a document rectified out of a photo.
bool ReadBandOn(core::PageResult& page, const cv::Mat& page_image, cv::Mat image, cv::Mat to_page,
                recognize::Engine& engine, const PassOptions& options) {
  std::vector<Hit> zone = to_page.empty() ? internal::ZoneHits(page) : std::vector<Hit>{};
  // The zone as the image shows it, found whether or not the general pass read it.
  std::vector<MrzRow> rows = internal::FindMrzRows(image);
  if (zone.empty() && rows.empty() && to_page.empty()) {
    image = UndoDeskew(page_image, page.skew_deg, rows, to_page);
    if (image.empty()) return false;
  }
  if (zone.empty() && rows.empty()) return false;

  Reading first;
  for (const Hit& hit : zone) first.lines.push_back(page.blocks[hit.block].lines[hit.line]);
  internal::ZoneCells cells;
  if (!rows.empty()) cells = internal::AnalyzeCells(image, rows, internal::ZoneWidth(rows));
  // The OCR-B reader first: trained on this typeface alone, it reads the rows better
  // than the main engine, tells the image's cells where a 'K' is not a filler, and
  // costs a few ms a row.
  std::optional<Reading> ocrb;
  if (!rows.empty() && options.ocrb_reader != nullptr && options.ocrb_reader != &engine) {
    ocrb = internal::ReadRowsAdoptingCells(image, rows, cells, config::kQuickCapHeightPx,
                                           *options.ocrb_reader);
  }
  if (!first.lines.empty()) internal::Score(first, &cells);
  Pick pick;
  pick.rows = &rows;
  pick.cells = &cells;
  pick.best = first;
  ReadZone(page, zone, first, ocrb, rows, image, engine, options, pick);
  pick.Compose();
  pick.Vote();
  pick.ConfirmNames(internal::VizWords(page, internal::LooksLikeMrz));
  if (!Replaces(pick.best, first, zone.empty())) return false;
  if (!to_page.empty()) {
    for (core::Line& line : pick.best.lines) {
      line.box = MapBox(line.box, to_page);
      for (core::Word& word : line.words) word.box = MapBox(word.box, to_page);
    }
  }
  internal::ReplaceZone(page, zone, std::move(pick.best.lines));
  return true;
}

// The page's MRZ lines as they now read, scored by their check digits.
Reading AsRead(const core::PageResult& page) {
  Reading r;
  for (const Hit& hit : internal::ZoneHits(page)) {
    r.lines.push_back(page.blocks[hit.block].lines[hit.line]);
  }
  if (!r.lines.empty()) internal::Score(r);
  return r;
}

}  // namespace

bool RereadMrzBand(core::PageResult& page, const cv::Mat& page_image, recognize::Engine& engine,
                   const PassOptions& options) {
  if (page_image.empty() || page_image.type() != CV_8UC1) return false;
  bool replaced = ReadBandOn(page, page_image, page_image, cv::Mat(), engine, options);
  Reading now = AsRead(page);
  if (internal::AllPass(now)) return replaced;
  // A document photographed at an angle: its rows converge and bend out of the
  // band. Read it again seen straight on, and keep that when its checks say better.
  std::optional<internal::Quad> quad = internal::FindDocumentQuad(page_image);
  if (!quad) return replaced;
  cv::Mat to_page;
  cv::Mat rectified = internal::RectifyQuad(page_image, *quad, to_page);
  // Where the page showed nothing of an MRZ, only an outline shaped like an ID card or
  // a passport page is worth a read (not a receipt or a letter on a table).
  const double aspect = static_cast<double>(rectified.cols) / std::max(1, rectified.rows);
  if (now.lines.empty() &&
      (aspect < config::kMinDocumentAspect || aspect > config::kMaxDocumentAspect)) {
    return replaced;
  }
  core::PageResult trial = page;
  for (const Hit& hit : internal::ZoneHits(trial)) {
    trial.blocks[hit.block].lines[hit.line].words.clear();  // not the zone's reading
  }
  for (core::Block& b : trial.blocks) {
    std::erase_if(b.lines, [](const core::Line& l) { return l.words.empty(); });
  }
  std::erase_if(trial.blocks, [](const core::Block& b) { return b.lines.empty(); });
  if (!ReadBandOn(trial, page_image, rectified, to_page, engine, options)) return replaced;
  if (!internal::Better(AsRead(trial), now)) return replaced;
  // The trial dropped the zone's old lines; put the new ones where those were.
  std::vector<Hit> old_zone = internal::ZoneHits(page);
  std::vector<Hit> new_zone = internal::ZoneHits(trial);
  std::vector<core::Line> lines;
  lines.reserve(new_zone.size());
  for (const Hit& hit : new_zone) lines.push_back(trial.blocks[hit.block].lines[hit.line]);
  internal::ReplaceZone(page, old_zone, std::move(lines));
  return true;
}

}  // namespace smartocr::mrz
