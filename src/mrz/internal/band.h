// src/mrz/internal/band.h
//
// Finding the MRZ on a page image by its look alone, independent of any OCR: rows of
// many dark glyphs of one size at one pitch (OCR-B is monospaced), two or three such
// rows stacked at the bottom of the page; then what each character position shows
// (a filler or not, which positions show the same glyph), and OCR text fitted to the
// positions. Private to src/mrz.
#ifndef SMARTOCR_MRZ_INTERNAL_BAND_H_
#define SMARTOCR_MRZ_INTERNAL_BAND_H_

#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace smartocr::mrz::internal {

// One row of the zone: the box of its glyphs, the character pitch and the number of
// character positions it spans (first glyph to last, fillers included).
struct MrzRow {
  cv::Rect box;
  double pitch = 0;
  int chars = 0;
  std::vector<cv::Rect> glyphs;  // left to right; a wide one is several run together
};

// The rows of the lowest MRZ-like zone of a gray page, top to bottom; empty when the
// page has none.
std::vector<MrzRow> FindMrzRows(const cv::Mat& gray);

// The MRZ width (30, 36 or 44) nearest the rows' character counts.
int ZoneWidth(const std::vector<MrzRow>& rows);

// What the image says a character position holds.
enum class Cell { kUnknown, kFiller, kGlyph };

struct ZoneCells {
  // Per row and position; empty when the zone gives no reliable opinion.
  std::vector<std::vector<Cell>> kinds;
  // Per row and position: positions showing the same glyph share an id (-1: a filler,
  // or no glyph of its own). OCR-B prints every character identically, so equal ids
  // mean equal characters.
  std::vector<std::vector<int>> glyph_ids;
};

// Classifies the `width` character positions of each row by the look of the filler
// '<', which is printed many times on every MRZ: the glyphs that match the zone's last
// name-line position (virtually always a filler) form the template; each position is
// a filler when it matches the template well, a letter or digit when it clearly does
// not. Also groups identical glyphs.
ZoneCells AnalyzeCells(const cv::Mat& gray, const std::vector<MrzRow>& rows, int width);

// Fits an OCR reading of a row to its classified positions: aligns the text to the
// positions (edit distance, where a '<' or a letter OCR makes of one, such as 'K',
// fits a filler position), so that inserted and dropped characters are undone; filler
// positions become '<', the others take the aligned character ('<' where the reading
// has none). With the row's `glyph_ids` (ZoneCells), of two fits that weigh a foreign
// letter at a filler position differently, the one with fewer GlyphConflicts.
std::string FitToCells(const std::string& text, const std::vector<Cell>& cells,
                       const std::vector<int>& glyph_ids = {});

// Positions of `text` whose character differs from the one most positions with the
// same glyph id have (ZoneCells::glyph_ids of the row); 0 when the sizes differ.
int GlyphConflicts(const std::string& text, const std::vector<int>& glyph_ids);

// The horizontal centre of each of the row's `width` character positions (the pitch
// grid snapped to the glyphs found on it), as AnalyzeCells places them.
std::vector<double> CellCentreXs(const MrzRow& row, int width);

// Whether a glyph box holds one character: wider ones are several run together.
bool IsSingleGlyph(const cv::Rect& box);

// The median of `v` (the upper one of an even count); 0 when empty.
double Median(std::vector<double> v);

}  // namespace smartocr::mrz::internal

#endif  // SMARTOCR_MRZ_INTERNAL_BAND_H_
