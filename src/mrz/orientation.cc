// src/mrz/orientation.cc
//
// The orientation probe: how an ID card stands, told by where its MRZ reads. Text read
// upside down or sideways comes out as MRZ characters too (the recognizer's whitelist
// sees to that), but not where the ICAO layout puts them: the share of positions that
// fit their class (digits in dates, letters in names) tells the right turn from the
// wrong ones, by a margin, before the check digits do.
#include <algorithm>
#include <numeric>

#include "mrz/internal/band.h"
#include "mrz/internal/reading.h"
#include "mrz/internal/text.h"
#include "mrz/internal/zone.h"
#include "mrz/mrz.h"
#include "mrz/tunables.h"
#include "preprocess/preprocess.h"

namespace smartocr::mrz {
namespace {

using internal::Reading;

// A page that reads well as it stands is upright: many words read with confidence,
// along lines that run across it (Tesseract reads a sideways page's lines too, but
// as tall boxes; an upside-down page comes out as noise).
bool ReadsUpright(const core::PageResult& page) {
  int upright_words = 0;
  for (const core::Block& block : page.blocks) {
    for (const core::Line& line : block.lines) {
      for (const core::Word& w : line.words) {
        upright_words += w.confidence >= config::kUprightWordConfidence &&
                                 w.text.size() >= config::kUprightWordMinChars &&
                                 w.box.width() > w.box.height()
                             ? 1
                             : 0;
      }
    }
  }
  return upright_words >= config::kUprightWords;
}

struct Turned {
  int turn = 0;
  double conformity = 0;
  Reading reading;
};

// Each turn that shows MRZ rows, read once (quickly: one row read, no second reader).
std::vector<Turned> ReadTurns(const cv::Mat& image, bool sideways, recognize::Engine& engine) {
  std::vector<Turned> seen;
  for (int turn : {90, 270, 180}) {
    if (sideways && turn == 180) continue;
    cv::Mat turned = preprocess::TurnClockwise(image, turn);
    std::vector<internal::MrzRow> rows = internal::FindMrzRows(turned);
    if (rows.empty()) continue;
    internal::ZoneCells cells = internal::AnalyzeCells(turned, rows, internal::ZoneWidth(rows));
    Reading r = internal::ReadRows(turned, rows, cells, config::kQuickCapHeightPx, engine);
    double conformity = internal::MrzClassConformity(r.mrz);
    seen.push_back({turn, conformity, std::move(r)});
  }
  return seen;
}

}  // namespace

int FindMrzTurn(const core::PageResult& page, const cv::Mat& image, recognize::Engine& engine,
                const PassOptions& options) {
  if (image.empty() || image.type() != CV_8UC1) return 0;
  // What the page as read shows: an MRZ that passes its checks, and whether its lines
  // run across the page or down it (Tesseract reads a sideways MRZ too, but poorly).
  Reading as_read;
  int sideways = 0, across = 0;
  for (const internal::Hit& hit : internal::ZoneHits(page)) {
    const core::BBox& b = page.blocks[hit.block].lines[hit.line].box;
    (b.y1 - b.y0 > b.x1 - b.x0 ? sideways : across) += 1;
    as_read.lines.push_back(page.blocks[hit.block].lines[hit.line]);
  }
  internal::Score(as_read);
  const bool is_sideways = sideways > across;
  // Checks that pass (after repair) on a reading shaped like an MRZ: upright. Text read
  // upside down passes a check or two now and then, but not in MRZ shape.
  if (!is_sideways && as_read.digit_checks >= config::kMinDigitChecks &&
      internal::MrzClassConformity(as_read.mrz) >= config::kMinTurnConformity) {
    return 0;
  }
  // Receipts and letters are spared the reads below, a tenth of a second per page.
  if (!is_sideways && ReadsUpright(page)) return 0;
  std::vector<Turned> seen =
      ReadTurns(image, is_sideways, options.ocrb_reader != nullptr ? *options.ocrb_reader : engine);
  auto best = std::max_element(seen.begin(), seen.end(), [](const Turned& a, const Turned& b) {
    return a.conformity < b.conformity;
  });
  if (best == seen.end()) return 0;
  const double runner_up =
      std::max(internal::MrzClassConformity(as_read.mrz),
               std::accumulate(seen.begin(), seen.end(), 0.0, [&](double m, const Turned& t) {
                 return t.turn == best->turn ? m : std::max(m, t.conformity);
               }));
  const bool shaped = best->conformity >= config::kMinTurnConformity &&
                      best->conformity - runner_up >= config::kMinTurnConformityMargin;
  // A check with a digit confirms it, or a near-perfect shape alone.
  const bool confirmed =
      best->reading.digit_checks >= 1 || best->conformity >= config::kSureTurnConformity;
  return shaped && confirmed ? best->turn : 0;
}

}  // namespace smartocr::mrz
