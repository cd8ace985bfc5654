// src/mrz/internal/viz.h
//
// The visual inspection zone (VIZ) as a second witness for the MRZ name line, which no
// check digit covers: the names are printed above the MRZ in plain type, and the
// general OCR pass reads them there. Private to src/mrz.
#ifndef SMARTOCR_MRZ_INTERNAL_VIZ_H_
#define SMARTOCR_MRZ_INTERNAL_VIZ_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"

namespace smartocr::mrz::internal {

// The runs of letters in `text` as MRZ letters: upper case, Latin diacritics folded
// ('Č' -> 'C'), split at anything that is no letter.
std::vector<std::string> VizLetterRuns(std::string_view text);

// Words the page's lines show, other than those `skip` says are the MRZ's, read with
// confidence, as MRZ letters: upper case, Latin diacritics folded ('Č' -> 'C'), split
// at anything that is no letter; words of four letters or more only.
std::vector<std::string> VizWords(const core::PageResult& page,
                                  bool (*skip)(const std::string& line_text));

// `name_line` with the names the VIZ prints put in where the MRZ reading differs from
// one in a letter (two, for names of eight letters or more), only at positions that
// `unsure` marks or where a filler stands for a printed letter, and only where the
// name fills a run of positions from `field_start` or a filler to a filler or the
// line's end. A position two names would write differently, or inside a name the VIZ
// prints exactly as read, is left as read.
std::string ConfirmNamesByViz(const std::string& name_line, size_t field_start,
                              const std::vector<bool>& unsure,
                              const std::vector<std::string>& viz_words);

}  // namespace smartocr::mrz::internal

#endif  // SMARTOCR_MRZ_INTERNAL_VIZ_H_
