// PDF syntax helpers and the invisible text layer of a searchable page.
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "render/pdf_internal.h"
#include "render/render_internal.h"

namespace smartocr::render::internal {

namespace {

// Keeps numbers inside what every PDF reader accepts for a real.
constexpr double kMaxPdfNumber = 1e9;

// The 2-byte code of one character in the Identity-H text layer (see pdf_internal.h).
uint16_t TextLayerCode(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
    return 0x20;  // controls read as spaces
  }
  if (cp > 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0xFFFD;  // outside the BMP
  }
  return static_cast<uint16_t>(cp);
}

}  // namespace

std::string PdfNumber(double value) {
  value = std::clamp(FiniteOrZero(value), -kMaxPdfNumber, kMaxPdfNumber);
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, 3);
  if (ec != std::errc()) {
    return "0";
  }
  std::string out(buf, end);
  while (out.back() == '0') {
    out.pop_back();
  }
  if (out.back() == '.') {
    out.pop_back();
  }
  if (out == "-0") {
    out = "0";
  }
  return out;
}

std::string PdfLiteral(std::string_view bytes) {
  std::string out = "(";
  for (char ch : bytes) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '(' || c == ')' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c > 0x7E) {
      char oct[5];
      std::snprintf(oct, sizeof oct, "\\%03o", c);
      out += oct;
    } else {
      out += ch;
    }
  }
  return out + ")";
}

core::Result<std::string> Deflate(std::string_view bytes) {
  uLongf size = compressBound(static_cast<uLong>(bytes.size()));
  std::string out(size, '\0');
  int rc = compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                     reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uLong>(bytes.size()),
                     Z_DEFAULT_COMPRESSION);
  if (rc != Z_OK) {
    return core::ResourceExhausted("deflate",
                                   "zlib compress2 failed with code " + std::to_string(rc));
  }
  out.resize(size);
  return out;
}

std::string TextLayerOps(const core::PageResult& page, const PageGeometry& geometry) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  constexpr double kEmHeight = (kGlyphAscent - kGlyphDescent) / 1000.0;
  std::string ops = "3 Tr\n";  // render mode 3: neither fill nor stroke
  for (const core::Block* block : BlocksInReadingOrder(page)) {
    for (const core::Line& line : block->lines) {
      for (const core::Word& word : line.words) {
        const core::BBox& box = word.box;
        if (word.text.empty() || box.empty()) {
          continue;
        }
        std::string hex;
        int glyphs = 0;
        for (char32_t cp : DecodeUtf8(word.text)) {
          uint16_t code = TextLayerCode(cp);
          for (int shift : {12, 8, 4, 0}) {
            hex += kHex[(code >> shift) & 0xF];
          }
          ++glyphs;
        }
        double left = box.x0 * geometry.points_per_px_x;
        double width = box.width() * geometry.points_per_px_x;
        double top = box.y0 * geometry.points_per_px_y;
        double height = box.height() * geometry.points_per_px_y;
        double font_size = height / kEmHeight;
        double baseline = geometry.height_pt - (top + font_size * kGlyphAscent / 1000.0);
        double natural_width = glyphs * font_size * kGlyphAdvance / 1000.0;
        double scale_pct = natural_width > 0 ? 100.0 * width / natural_width : 100.0;
        ops += "BT /F0 " + PdfNumber(font_size) + " Tf " + PdfNumber(scale_pct) + " Tz 1 0 0 1 " +
               PdfNumber(left) + " " + PdfNumber(baseline) + " Tm <" + hex + "> Tj ET\n";
      }
    }
  }
  return ops;
}

}  // namespace smartocr::render::internal
