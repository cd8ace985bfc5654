// src/render/pdf_internal.h
//
// Building blocks of the searchable-PDF writer, private to the render module: PDF
// number and string syntax, Flate compression, the page image as an image XObject,
// the invisible text layer, and the glyphless font the text layer is set in.
//
// The font: the text layer is never painted (text render mode 3), so its glyphs need no
// outlines. Like Tesseract, we embed a tiny TrueType font whose glyphs are all empty and
// 0.5 em wide, use it as a Type0 font with 2-byte codes equal to the UTF-16 code unit
// (Identity-H), and map codes back to Unicode with a ToUnicode CMap. So any BMP text
// round-trips through copy/paste and pdftotext, and no system font is needed.
#ifndef SMARTOCR_RENDER_PDF_INTERNAL_H_
#define SMARTOCR_RENDER_PDF_INTERNAL_H_

#include <opencv2/core.hpp>
#include <string>
#include <string_view>

#include "core/core.h"

namespace smartocr::render::internal {

// A PDF real: fixed notation (PDF has no exponents), at most 3 decimals, trailing zeros
// dropped, non-finite as 0.
std::string PdfNumber(double value);
// A PDF literal string "(...)" with ( ) \ escaped and bytes outside printable ASCII
// written as octal escapes.
std::string PdfLiteral(std::string_view bytes);

// zlib-format (FlateDecode) compression. Fails with kResourceExhausted.
core::Result<std::string> Deflate(std::string_view bytes);

// The page image as an image XObject: the dictionary entries (without /Type, /Subtype
// and /Length) and the stream bytes. A bilevel image (only 0 and 255) is packed to
// 1 bit per pixel and deflated; any other 8-bit gray or colour image is a JPEG
// (DCTDecode, quality kJpegQuality). 16-bit images are reduced to 8 bits, BGRA drops
// alpha. Fails with kInvalidArgument ("image_type") for other types or an empty image.
inline constexpr int kJpegQuality = 80;
struct PdfImage {
  std::string dict;
  std::string data;
};
core::Result<PdfImage> EncodePageImage(const cv::Mat& image);

// How the page's pixel boxes map to PDF user space.
struct PageGeometry {
  double points_per_px_x = 1;  // PDF points per box pixel, horizontally
  double points_per_px_y = 1;
  double height_pt = 0;  // page height; PDF's y axis points up
};

// Content-stream operators that draw the page's words invisibly (3 Tr) in the font
// resource named /F0, in reading order, one BT..ET text object per word. Each word is
// sized so the glyph box (ascent 0.8 em, descent 0.2 em) fills the word's box height and
// horizontally scaled (Tz) so its advance fills the box width. Words with an empty box
// or no text are skipped.
std::string TextLayerOps(const core::PageResult& page, const PageGeometry& geometry);

// Font metrics of the glyphless font (1000 units per em), shared by the font program,
// its PDF descriptor and the text layer.
inline constexpr int kGlyphAdvance = 500;
inline constexpr int kGlyphAscent = 800;
inline constexpr int kGlyphDescent = -200;
inline constexpr const char* kGlyphlessFontName = "GlyphLessFont";

// The TrueType font program (2 empty glyphs, both kGlyphAdvance wide).
std::string GlyphlessFontProgram();
// CIDToGIDMap stream bytes: every 2-byte code maps to glyph 1.
std::string CidToGidMap();
// ToUnicode CMap: code == UTF-16 code unit, for every code outside the surrogates.
std::string ToUnicodeCMap();

}  // namespace smartocr::render::internal

#endif  // SMARTOCR_RENDER_PDF_INTERNAL_H_
