// src/mrz/fit.cc
//
// OCR text of an MRZ row fitted to the row's character positions: an edit-distance
// alignment whose costs say what OCR does to an MRZ (drops and adds fillers, reads
// them as 'K' and the like), so that inserted and dropped characters are undone.
#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mrz/internal/band.h"
#include "mrz/tunables.h"

namespace smartocr::mrz::internal {
namespace {

// Letters OCR makes of a filler.
bool FillerLike(char c) {
  return c == '<' || std::string_view("KCELGXSZ").find(c) != std::string_view::npos;
}

// The alignment's costs, with `foreign_filler` the cost of a character OCR does not
// usually make of a filler read at a filler position. Fillers are what OCR drops and
// adds most, so a filler position left unread or an extra '<' is cheap; a letter or
// digit position must be read.
struct FitCosts {
  double foreign_filler;

  double Sub(Cell cell, char c) const {
    switch (cell) {
      case Cell::kFiller:
        return c == '<' ? 0.0 : FillerLike(c) ? config::kFitFillerLikeAtFiller : foreign_filler;
      case Cell::kGlyph:
        return c == '<' ? config::kFitFillerAtGlyph : 0.0;
      case Cell::kUnknown:
        return 0.0;
    }
    return 1.0;
  }
  static double SkipCell(Cell cell) {
    return cell == Cell::kFiller ? config::kFitSkipFillerCell : config::kFitSkipGlyphCell;
  }
  static double SkipChar(char c) {
    return c == '<' ? config::kFitSkipFillerChar : config::kFitSkipOtherChar;
  }
};

// FitToCells with `foreign_filler` the cost of a foreign letter at a filler position.
std::string FitWithCost(const std::string& text, const std::vector<Cell>& cells,
                        double foreign_filler) {
  const size_t n = cells.size(), m = text.size();
  const FitCosts costs{foreign_filler};
  std::vector<std::vector<double>> cost(n + 1, std::vector<double>(m + 1, 0));
  for (size_t i = 1; i <= n; ++i) cost[i][0] = cost[i - 1][0] + FitCosts::SkipCell(cells[i - 1]);
  for (size_t j = 1; j <= m; ++j) cost[0][j] = cost[0][j - 1] + FitCosts::SkipChar(text[j - 1]);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      cost[i][j] = std::min({cost[i - 1][j - 1] + costs.Sub(cells[i - 1], text[j - 1]),
                             cost[i - 1][j] + FitCosts::SkipCell(cells[i - 1]),
                             cost[i][j - 1] + FitCosts::SkipChar(text[j - 1])});
    }
  }
  std::string out(n, '<');
  size_t i = n, j = m;
  // On ties an unread position goes last: OCR drops characters at a line's end most.
  bool tail = true;
  while (i > 0) {
    Cell cell = cells[i - 1];
    if (tail && cost[i][j] == cost[i - 1][j] + FitCosts::SkipCell(cell)) {
      --i;
      continue;
    }
    tail = false;
    if (j > 0 && cost[i][j] == cost[i - 1][j - 1] + costs.Sub(cell, text[j - 1])) {
      out[i - 1] = cell == Cell::kFiller ? '<' : text[j - 1];
      --i;
      --j;
    } else if (j > 0 && cost[i][j] == cost[i][j - 1] + FitCosts::SkipChar(text[j - 1])) {
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
  std::string strict = FitWithCost(text, cells, config::kFitForeignAtFillerStrict);
  if (glyph_ids.size() != cells.size()) return strict;
  std::string lenient = FitWithCost(text, cells, config::kFitForeignAtFillerLenient);
  return GlyphConflicts(lenient, glyph_ids) < GlyphConflicts(strict, glyph_ids) ? lenient : strict;
}

}  // namespace smartocr::mrz::internal
