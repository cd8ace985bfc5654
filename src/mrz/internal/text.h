// src/mrz/internal/text.h
//
// What the MRZ pass asks of the text side besides ParseMrz: the check digits of a
// reading without its dates, glyph consensus, and how well a reading fits the ICAO
// layout. Private to src/mrz.
#ifndef SMARTOCR_MRZ_INTERNAL_TEXT_H_
#define SMARTOCR_MRZ_INTERNAL_TEXT_H_

#include <string>
#include <vector>

#include "mrz/mrz.h"

namespace smartocr::mrz::internal {

// ParseMrz without the reference day: lines, checks, repairs and every field but
// birth_date and expiry_date (left ""). options.today is not used. Fails with
// kInvalidArgument "mrz_shape".
core::Result<MrzFields> ParseMrzUndated(const std::vector<std::string>& lines,
                                        const MrzOptions& options);

// OCR-B prints each character identically, so positions that show the same glyph hold
// the same character. `glyph_ids` gives, per line and position, an id shared by the
// positions that look the same on the image (-1: unknown). Positions whose class fixes
// the kind of character (dates and check digits: digits; names and countries: letters)
// tell what each glyph is; document number and optional data positions, where letters
// and digits are both allowed and OCR confuses O/0, S/5, B/8 ..., take that character;
// so do positions whose reading their class forbids (a digit in a name).
// A glyph needs at least two thirds of the votes. Lines that are no MRZ shape, or ids
// that do not match them, leave the lines as they are.
std::vector<std::string> HarmonizeMrzGlyphs(const std::vector<std::string>& lines,
                                            const std::vector<std::vector<int>>& glyph_ids);

// The share of the positions of MRZ `lines` (as read, no repair) whose character its
// ICAO 9303 position allows: a digit in a date (not '<': a row of fillers read from
// anything is no date), a letter or '<' in a name, ...; 0 for
// lines of no MRZ shape. A real MRZ read poorly still scores high; text read upside
// down or sideways, whatever the recognizer's whitelist, does not.
double MrzClassConformity(const std::vector<std::string>& lines);

}  // namespace smartocr::mrz::internal

#endif  // SMARTOCR_MRZ_INTERNAL_TEXT_H_
