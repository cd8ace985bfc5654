// src/pipeline/page_dpi.h
//
// Private to the pipeline module. A page's resolution when its image states none:
// estimated from the height of the text lines read on it, the way a person guesses a
// scan's resolution from how tall its text is. Printed body text varies (receipts ~8 pt,
// letters 10-12 pt), so the estimate is rough (within about a quarter), which is enough to
// size a searchable PDF page plausibly instead of assuming 300 dpi.
#ifndef SMARTOCR_PIPELINE_PAGE_DPI_H_
#define SMARTOCR_PIPELINE_PAGE_DPI_H_

#include <optional>

#include "core/document.h"

namespace smartocr::pipeline {

// Median height of a text line's word boxes, in points, on printed pages: fitted on
// ../shared/data/invoices2 rendered at 200 dpi (55 pages: 7.16 pt; the estimate within
// 6% of the truth on the median page, 28% at the 90th percentile) and checked on 300 dpi
// renders (within 8% and 25%); tools/dpi/fit_line_height.py prints both.
inline constexpr double kTypicalLineHeightPt = 7.2;
// Lines counted: at least this many, of at least kMinLineChars characters each, or no
// estimate (a page with two words says little about its text size).
inline constexpr int kMinEstimateLines = 3;
inline constexpr int kMinLineChars = 3;
// An estimate outside this range is clipped to it (Tesseract's credible range).
inline constexpr double kMinEstimatedDpi = 70;
inline constexpr double kMaxEstimatedDpi = 2400;

// The estimate from `page`'s lines, rounded to a whole dpi; nullopt when the page has
// too few lines.
std::optional<double> EstimateDpiFromText(const core::PageResult& page);

// Sets page.dpi and page.dpi_source: `dpi` from `source` when positive, else the
// estimate (kEstimated), else kDefaultImageDpi (kAssumed).
void AssignPageDpi(double dpi, core::DpiSource source, core::PageResult& page);

}  // namespace smartocr::pipeline

#endif  // SMARTOCR_PIPELINE_PAGE_DPI_H_
