// src/mrz/rows.cc
//
// Reading the rows the image itself shows (FindMrzRows), each on its own, fitted to
// the row's character positions (FitToCells), and the glyph consensus applied.
#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "mrz/internal/reading.h"
#include "mrz/internal/text.h"
#include "mrz/tunables.h"

namespace smartocr::mrz::internal {
namespace {

// The vertical extent of `row` with a margin for ascenders and slant, within `image`.
std::pair<int, int> RowSpan(const cv::Mat& image, const MrzRow& row) {
  double h = row.box.height;
  int y0 = std::max(0, static_cast<int>(row.box.y - config::kRowReadPadHeights * h));
  int y1 = std::min(image.rows,
                    static_cast<int>(row.box.y + row.box.height + config::kRowReadPadHeights * h));
  return {y0, y1};
}

// `image`'s rectangle scaled by `scale`, bicubic up and area-averaged down.
cv::Mat Scaled(const cv::Mat& image, const cv::Rect& r, double scale) {
  cv::Mat scaled;
  cv::resize(image(r), scaled, cv::Size(), scale, scale,
             scale > 1 ? cv::INTER_CUBIC : cv::INTER_AREA);
  return scaled;
}

// A row read short lost characters, and FitToCells leaves '<' where the reading has
// none: right for the fillers OCR drops most, wrong for a letter or digit lost among
// them (a TD1 composite check digit after a long run of fillers). Such positions not
// seen to be fillers are read again one by one, a few per row at most.
void ReadDroppedCells(const cv::Mat& image, const MrzRow& row, int width,
                      const std::vector<Cell>& cells, double cap, recognize::Engine& engine,
                      std::string& text) {
  std::vector<double> xs = CellCentreXs(row, width);
  if (xs.size() != text.size() || cells.size() != text.size()) return;
  double h = row.box.height;
  auto [y0, y1] = RowSpan(image, row);
  int rereads = 0;
  for (size_t p = 0; p < text.size() && rereads < config::kMaxCellRereads; ++p) {
    if (text[p] != '<' || cells[p] == Cell::kFiller) continue;
    ++rereads;
    // Half a pitch either side: the cell without its neighbours' strokes.
    int x0 = std::max(0, static_cast<int>(xs[p] - config::kCellRereadHalfPitches * row.pitch));
    int x1 =
        std::min(image.cols, static_cast<int>(xs[p] + config::kCellRereadHalfPitches * row.pitch));
    if (x1 - x0 < config::kCellRereadMinWidthPx || y1 - y0 < config::kRowReadMinHeightPx) continue;
    double scale = std::clamp(cap / h, config::kMinUpscale, config::kMaxUpscale);
    cv::Mat scaled;
    cv::resize(image(cv::Rect(x0, y0, x1 - x0, y1 - y0)), scaled, cv::Size(), scale, scale,
               cv::INTER_CUBIC);
    Reading one = ReadBand(scaled, scale, {x0, y0}, kPsmChar, engine);
    std::string c;
    for (const core::Line& l : one.lines) c += MrzChars(l.words[0].text);
    if (c.size() == 1 && c[0] != '<') text[p] = c[0];
  }
}

// One row read on its own (one line), as MRZ characters, with its mean confidence;
// false when the row's band is too small to read.
bool ReadOneRow(const cv::Mat& image, const MrzRow& row, int width, double cap,
                recognize::Engine& engine, std::string& text, double& confidence) {
  double h = row.box.height;
  int x0 = std::max(0, static_cast<int>(row.box.x - row.pitch));
  int right = std::max(row.box.x + row.box.width, static_cast<int>(row.box.x + width * row.pitch));
  int x1 = std::min(image.cols, static_cast<int>(right + row.pitch));
  auto [y0, y1] = RowSpan(image, row);
  if (x1 - x0 < config::kRowReadMinWidthPx || y1 - y0 < config::kRowReadMinHeightPx) return false;
  double scale = std::min(
      std::clamp(cap / h, config::kMinUpscale, config::kMaxUpscale),
      std::max(config::kMinUpscale, config::kMaxScaledWidthPx / static_cast<double>(x1 - x0)));
  Reading one = ReadBand(Scaled(image, cv::Rect(x0, y0, x1 - x0, y1 - y0), scale), scale, {x0, y0},
                         kPsmLine, engine);
  text.clear();
  confidence = 0;
  for (const core::Line& l : one.lines) {
    text += l.words[0].text;
    confidence += l.confidence / static_cast<double>(one.lines.size());
  }
  text = MrzChars(text);
  return true;
}

// `r`'s lines of full width with identical glyphs made identical characters.
void Harmonize(const std::vector<MrzRow>& rows, const ZoneCells& zone, int width, Reading& r) {
  std::vector<std::string> texts;
  for (const core::Line& l : r.lines) {
    if (static_cast<int>(l.words[0].text.size()) == width) texts.push_back(l.words[0].text);
  }
  if (texts.size() == rows.size() && zone.glyph_ids.size() == rows.size()) {
    texts = HarmonizeMrzGlyphs(texts, zone.glyph_ids);
    for (size_t k = 0; k < texts.size(); ++k) r.lines[k].words[0].text = texts[k];
  }
}

// The image's cells misjudge a glyph now and then (a small '4' taken for a filler),
// and the fit then overrides a reading that was right. A reading of full width as
// read is the alternative: it wins when its check digits need fewer repairs than the
// fit's, counting each position where it contradicts the cells as one repair.
Reading PreferAsRead(const Reading& r, const std::vector<std::string>& raw, int width,
                     const ZoneCells& zone) {
  Reading as_read = r;
  bool differs = false;
  for (size_t k = 0; k < as_read.lines.size() && k < raw.size(); ++k) {
    std::string& text = as_read.lines[k].words[0].text;
    if (static_cast<int>(raw[k].size()) == width && raw[k] != text) {
      text = raw[k];
      differs = true;
    }
  }
  if (!differs) return r;
  Score(as_read, &zone);
  int as_read_cost = as_read.repairs + as_read.mismatches, fit_cost = r.repairs + r.mismatches;
  bool prefer =
      as_read.valid_checks >= r.valid_checks &&
      (as_read_cost < fit_cost || (as_read_cost == fit_cost && as_read.repairs < r.repairs));
  return prefer ? as_read : r;
}

// One row as read on its own, before fitting: MRZ characters and mean confidence;
// !ok when the row's band is too small to read.
struct RowRead {
  bool ok = false;
  std::string text;
  double confidence = 0;
};

std::vector<RowRead> ReadEachRow(const cv::Mat& image, const std::vector<MrzRow>& rows, int width,
                                 double cap, recognize::Engine& engine) {
  std::vector<RowRead> reads(rows.size());
  for (size_t k = 0; k < rows.size(); ++k) {
    reads[k].ok =
        ReadOneRow(image, rows[k], width, cap, engine, reads[k].text, reads[k].confidence);
  }
  return reads;
}

// The rows' reads fitted to the image's cells, glyph consensus applied, scored.
// `trusted`: the reader knows the typeface better than the cells and the glyph
// groups; its reads of full width are kept as read, and no read is harmonized.
Reading FitRowReads(const cv::Mat& image, const std::vector<MrzRow>& rows, const ZoneCells& zone,
                    double cap, recognize::Engine& engine, const std::vector<RowRead>& reads,
                    bool trusted) {
  const auto& cells = zone.kinds;
  int width = ZoneWidth(rows);
  Reading r;
  std::vector<std::string> raw;  // per line of `r`, the reading before FitToCells
  for (size_t k = 0; k < rows.size(); ++k) {
    const MrzRow& row = rows[k];
    if (!reads[k].ok) continue;
    std::string text = reads[k].text;
    const double conf = reads[k].confidence;
    raw.push_back(text);
    if (text.empty()) continue;
    if (trusted && static_cast<int>(text.size()) == width) {
      // As read.
    } else if (k < cells.size()) {
      bool short_read = static_cast<int>(text.size()) < width;
      text = FitToCells(text, cells[k],
                        k < zone.glyph_ids.size() ? zone.glyph_ids[k] : std::vector<int>{});
      if (short_read) ReadDroppedCells(image, row, width, cells[k], cap, engine, text);
    } else if (static_cast<int>(text.size()) < width) {
      text.append(width - text.size(), '<');
    }
    core::Line line;
    line.box = {static_cast<double>(row.box.x), static_cast<double>(row.box.y),
                static_cast<double>(row.box.x + row.box.width),
                static_cast<double>(row.box.y + row.box.height)};
    line.confidence = conf;
    line.words.push_back({text, line.box, conf});
    r.lines.push_back(std::move(line));
  }
  // Positions known: identical glyphs are made identical characters (not for a
  // trusted reader, which tells glyphs apart better than the grouping: I from 1).
  if (!trusted) Harmonize(rows, zone, width, r);
  Score(r, &zone);
  return PreferAsRead(r, raw, width, zone);
}

// A zone read at full width whose every check passes as read: the cells that
// contradict it are the ones wrong.
bool PassesAsRead(const std::vector<RowRead>& reads, int width) {
  Reading r;
  for (const RowRead& read : reads) {
    if (!read.ok || static_cast<int>(read.text.size()) != width) return false;
    core::Line line;
    line.words.push_back({read.text, {}, read.confidence});
    r.lines.push_back(std::move(line));
  }
  Score(r);
  return AllPass(r);
}

Cell KindOf(char c) { return c == '<' ? Cell::kFiller : Cell::kGlyph; }

// Sets a row's cell kinds from a confident read of full width that the image's known
// cells contradict at few positions, or at any when the zone passes as read (see
// ReadRowsAdoptingCells).
void AdoptKinds(const std::vector<RowRead>& reads, int width, ZoneCells& zone) {
  const bool passes = PassesAsRead(reads, width);
  for (size_t k = 0; k < reads.size() && k < zone.kinds.size(); ++k) {
    const RowRead& read = reads[k];
    std::vector<Cell>& kinds = zone.kinds[k];
    if (!read.ok || static_cast<int>(read.text.size()) != width ||
        static_cast<int>(kinds.size()) != width ||
        read.confidence < config::kAdoptCellsMinConfidence) {
      continue;
    }
    int contradictions = 0;
    for (size_t p = 0; p < kinds.size(); ++p) {
      contradictions += kinds[p] != Cell::kUnknown && kinds[p] != KindOf(read.text[p]);
    }
    if (!passes && contradictions > config::kAdoptCellsMaxContradictions) continue;
    for (size_t p = 0; p < kinds.size(); ++p) kinds[p] = KindOf(read.text[p]);
  }
}

}  // namespace

Reading ReadRows(const cv::Mat& image, const std::vector<MrzRow>& rows, const ZoneCells& zone,
                 double cap, recognize::Engine& engine) {
  return FitRowReads(image, rows, zone, cap, engine,
                     ReadEachRow(image, rows, ZoneWidth(rows), cap, engine), /*trusted=*/false);
}

Reading ReadRowsAdoptingCells(const cv::Mat& image, const std::vector<MrzRow>& rows,
                              ZoneCells& zone, double cap, recognize::Engine& reader) {
  std::vector<RowRead> reads = ReadEachRow(image, rows, ZoneWidth(rows), cap, reader);
  AdoptKinds(reads, ZoneWidth(rows), zone);
  return FitRowReads(image, rows, zone, cap, reader, reads, /*trusted=*/true);
}

}  // namespace smartocr::mrz::internal
