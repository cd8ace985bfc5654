// Documents for the extract tests, built from text instead of OCR: one shared way to lay
// out words so every test file measures positions the same way.
#ifndef SMARTOCR_TESTS_UNIT_EXTRACT_DOC_BUILDER_H_
#define SMARTOCR_TESTS_UNIT_EXTRACT_DOC_BUILDER_H_

#include <string>
#include <vector>

#include "core/document.h"
#include "extract/fields.h"

// Not `testing`: that would hide smartocr::testing (tests/support) inside smartocr::extract.
namespace smartocr::extract::test_docs {

// How a line's words are laid out: each word `char_width` px per character, `gap` px apart.
struct LineStyle {
  double char_width = 10;
  double gap = 10;
  double height = 20;
  double confidence = 0.95;  // of the line and of each word
};

// A page-1 line of the space-separated words of `text`, the first word's left top at (x, y).
TextLine Line(const std::string& text, double x, double y, const LineStyle& style);
TextLine Line(const std::string& text, double x, double y, double height = 20);

// A string whose line starts at (x, y), in the default style.
struct Placed {
  std::string text;
  double x = 10;
  double y = 0;
};

std::vector<TextLine> Lines(const std::vector<Placed>& placed);

// One line per text at the left margin (x 10), the first at y 10, each `spacing` px below
// the one above (top to top).
std::vector<TextLine> Stacked(const std::vector<std::string>& texts, double spacing = 30);

// One page of width x height px holding one text block of `lines`, in their order.
core::DocumentResult Document(const std::vector<TextLine>& lines, int width = 600,
                              int height = 1500);

}  // namespace smartocr::extract::test_docs

#endif  // SMARTOCR_TESTS_UNIT_EXTRACT_DOC_BUILDER_H_
