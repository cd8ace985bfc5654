// src/mrz/internal/pick.h
//
// Choosing among the MRZ pass's readings. Private to src/mrz.
#ifndef SMARTOCR_MRZ_INTERNAL_PICK_H_
#define SMARTOCR_MRZ_INTERNAL_PICK_H_

#include <string>
#include <vector>

#include "mrz/internal/band.h"
#include "mrz/internal/reading.h"

namespace smartocr::mrz::internal {

// The best reading by check digits, and apart from it the name line that agrees best
// with the image: no check digit covers the name line (nor, on passports and visas,
// the document code and issuing state before it), so the reading that wins on check
// digits may have the worse one. One thread only.
struct Pick {
  const std::vector<MrzRow>* rows = nullptr;  // the image's rows, when found
  const ZoneCells* cells = nullptr;           // what the rows' positions show
  Reading best;
  std::string name_line;
  int name_mismatches = 0;
  size_t line_count = 0;
  std::vector<std::vector<std::string>> seen;  // every reading's MRZ lines

  // Takes `r`, and where its lines sit on the image's positions (no filler where the
  // image shows a letter, nor the reverse), `r` with identical glyphs made identical
  // characters as well.
  void Offer(const Reading& r);

  void Consider(const Reading& r);

  // The best reading with the better name line in, when that does not cost a check.
  void Compose();

  // The best reading with, outside the name line, each position as most readings of
  // the same shape have it, when that costs no check: fields no check covers
  // (nationality, issuing state) are then not left to one reader's slip.
  void Vote();

  // The best reading with its name line checked against the names the VIZ prints
  // (ConfirmNamesByViz), where the readings disagree or show a filler for a letter.
  void ConfirmNames(const std::vector<std::string>& viz_words);

  // A scored reading of `texts` (MRZ lines) with the boxes of `like`'s lines, or of
  // the image's rows.
  bool FromTexts(const std::vector<std::string>& texts, const Reading& like, Reading& out) const;
};

}  // namespace smartocr::mrz::internal

#endif  // SMARTOCR_MRZ_INTERNAL_PICK_H_
