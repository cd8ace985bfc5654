// src/render/render_internal.h
//
// Helpers shared by the renderers and private to the render module: UTF-8 repair,
// number hygiene for the output formats, and the reading order of a page.
#ifndef SMARTOCR_RENDER_RENDER_INTERNAL_H_
#define SMARTOCR_RENDER_RENDER_INTERNAL_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "core/utf8.h"

namespace smartocr::render::internal {

using core::AppendUtf8;
using core::DecodeUtf8;
using core::kReplacementChar;
// `text` with invalid UTF-8 replaced by U+FFFD; valid input comes back unchanged.
std::string SanitizeUtf8(std::string_view text);

// `value` if finite, else 0. Engines can hand us NaN (e.g. a 0/0 mean).
double FiniteOrZero(double value);
// Rounds to `decimals` places; non-finite gives 0 and -0 gives +0, so the text is stable.
double RoundTo(double value, int decimals);

// The page's blocks sorted by reading_order (stable, so ties keep their stored order).
std::vector<const core::Block*> BlocksInReadingOrder(const core::PageResult& page);

// The page text: `page.text` when set, else the blocks' text in reading order with a
// blank line between blocks (what PageResult::FinalizeTextAndConfidence would give).
std::string PageText(const core::PageResult& page);

}  // namespace smartocr::render::internal

#endif  // SMARTOCR_RENDER_RENDER_INTERNAL_H_
