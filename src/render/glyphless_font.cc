// The glyphless TrueType font and its CMaps (see pdf_internal.h for why). Built from
// code rather than shipped as a blob so every byte is explained here. The tables are
// the ones the TrueType spec requires: cmap, glyf, head, hhea, hmtx, loca, maxp, name,
// post; both glyphs are empty (no contours), so glyf is empty.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "render/pdf_internal.h"

namespace smartocr::render::internal {

namespace {

constexpr uint16_t kUnitsPerEm = 1000;
constexpr uint16_t kNumGlyphs = 2;  // .notdef and the one glyph every code maps to

// Big-endian byte writer.
class Bytes {
 public:
  Bytes& U16(uint32_t v) {
    data_ += static_cast<char>((v >> 8) & 0xFF);
    data_ += static_cast<char>(v & 0xFF);
    return *this;
  }
  Bytes& I16(int v) { return U16(static_cast<uint16_t>(static_cast<int16_t>(v))); }
  Bytes& U32(uint32_t v) { return U16(v >> 16).U16(v & 0xFFFF); }
  Bytes& Zeros(size_t n) {
    data_.append(n, '\0');
    return *this;
  }
  Bytes& Raw(const std::string& s) {
    data_ += s;
    return *this;
  }
  const std::string& str() const { return data_; }

 private:
  std::string data_;
};

struct Table {
  const char* tag;
  std::string data;
};

uint32_t Checksum(const std::string& data) {
  uint32_t sum = 0;
  for (size_t i = 0; i < data.size(); i += 4) {
    uint32_t word = 0;
    for (size_t k = 0; k < 4; ++k) {
      word = (word << 8) | (i + k < data.size() ? static_cast<uint8_t>(data[i + k]) : 0);
    }
    sum += word;
  }
  return sum;
}

std::string Head() {
  Bytes b;
  b.U32(0x00010000);  // version
  b.U32(0x00010000);  // fontRevision
  b.U32(0);           // checkSumAdjustment, patched once the whole file is known
  b.U32(0x5F0F3CF5);  // magicNumber
  b.U16(0x000B);      // flags: baseline at y=0, lsb at x=0, integer ppem
  b.U16(kUnitsPerEm);
  b.Zeros(16);  // created, modified: left 0 so the file is reproducible
  // Font bbox: xMin, yMin, xMax, yMax.
  b.I16(0).I16(kGlyphDescent).I16(kGlyphAdvance).I16(kGlyphAscent);
  b.U16(0);  // macStyle
  b.U16(3);  // lowestRecPPEM
  b.I16(2);  // fontDirectionHint
  b.I16(0);  // indexToLocFormat: short offsets
  b.I16(0);  // glyphDataFormat
  return b.str();
}

std::string Hhea() {
  Bytes b;
  b.U32(0x00010000);                              // version
  b.I16(kGlyphAscent).I16(kGlyphDescent).I16(0);  // ascender, descender, lineGap
  b.U16(kGlyphAdvance);                           // advanceWidthMax
  b.I16(0).I16(0).I16(0);                         // min lsb, min rsb, xMaxExtent
  b.I16(1).I16(0).I16(0);                         // caret slope rise, run, offset
  b.Zeros(8);                                     // reserved
  b.I16(0);                                       // metricDataFormat
  b.U16(kNumGlyphs);                              // numberOfHMetrics
  return b.str();
}

std::string Maxp() {
  Bytes b;
  b.U32(0x00010000).U16(kNumGlyphs);
  b.U16(0).U16(0).U16(0).U16(0);  // max points/contours, composite points/contours
  b.U16(2);                       // maxZones
  b.Zeros(size_t{2} * 8);         // twilight, storage, defs, stack, instructions...
  return b.str();
}

std::string Hmtx() {
  Bytes b;
  for (int i = 0; i < kNumGlyphs; ++i) {
    b.U16(kGlyphAdvance).I16(0);
  }
  return b.str();
}

// Empty glyphs: every loca offset is 0.
std::string Loca() { return Bytes().Zeros(size_t{2} * (kNumGlyphs + 1)).str(); }

// A Windows Unicode cmap with only the required final segment (0xFFFF -> .notdef):
// the PDF maps codes to glyphs with CIDToGIDMap, not through this table.
std::string Cmap() {
  Bytes b;
  b.U16(0).U16(1);                // version, numTables
  b.U16(3).U16(1).U32(12);        // platform 3 (Windows), encoding 1 (BMP), subtable offset
  b.U16(4).U16(24).U16(0);        // format 4, length, language
  b.U16(2).U16(2).U16(0).U16(0);  // segCountX2, searchRange, entrySelector, rangeShift
  b.U16(0xFFFF);                  // endCode[0]
  b.U16(0);                       // reservedPad
  b.U16(0xFFFF);                  // startCode[0]
  b.U16(1);                       // idDelta[0]
  b.U16(0);                       // idRangeOffset[0]
  return b.str();
}

std::string Name() {
  const std::vector<std::pair<int, std::string>> names = {
      {1, kGlyphlessFontName}, {2, "Regular"}, {4, kGlyphlessFontName}, {6, kGlyphlessFontName}};
  Bytes records;
  Bytes strings;
  for (const auto& [id, text] : names) {
    size_t offset = strings.str().size();
    for (char c : text) {
      strings.U16(static_cast<uint8_t>(c));  // ASCII as UTF-16BE
    }
    records.U16(3).U16(1).U16(0x0409).U16(id).U16(2 * text.size()).U16(offset);
  }
  return Bytes()
      .U16(0)
      .U16(names.size())
      .U16(6 + 12 * names.size())
      .Raw(records.str())
      .Raw(strings.str())
      .str();
}

std::string Post() {
  Bytes b;
  b.U32(0x00030000);    // version 3: no glyph names
  b.U32(0);             // italicAngle
  b.I16(-100).I16(50);  // underline position, thickness
  b.U32(1);             // isFixedPitch
  b.Zeros(16);          // memory hints
  return b.str();
}

}  // namespace

std::string GlyphlessFontProgram() {
  // Sorted by tag, as the table directory requires.
  std::vector<Table> tables = {{"cmap", Cmap()}, {"glyf", ""},     {"head", Head()},
                               {"hhea", Hhea()}, {"hmtx", Hmtx()}, {"loca", Loca()},
                               {"maxp", Maxp()}, {"name", Name()}, {"post", Post()}};
  const uint16_t num_tables = static_cast<uint16_t>(tables.size());
  uint16_t pow2 = 1, log2 = 0;
  while (pow2 * 2 <= num_tables) {
    pow2 *= 2, ++log2;
  }
  Bytes font;
  font.U32(0x00010000).U16(num_tables).U16(pow2 * 16).U16(log2).U16(num_tables * 16 - pow2 * 16);
  size_t offset = 12 + 16 * tables.size();
  size_t head_offset = 0;
  for (const Table& t : tables) {
    font.Raw(t.tag).U32(Checksum(t.data)).U32(offset).U32(t.data.size());
    if (std::string(t.tag) == "head") {
      head_offset = offset;
    }
    offset += (t.data.size() + 3) / 4 * 4;
  }
  for (const Table& t : tables) {
    font.Raw(t.data).Zeros((4 - t.data.size() % 4) % 4);
  }
  std::string out = font.str();
  // head.checkSumAdjustment makes the whole file sum to 0xB1B0AFBA.
  uint32_t adjust = 0xB1B0AFBA - Checksum(out);
  for (int k = 0; k < 4; ++k) {
    out[head_offset + 8 + k] = static_cast<char>(adjust >> (24 - 8 * k));
  }
  return out;
}

std::string CidToGidMap() {
  std::string map;
  map.reserve(size_t{2} * 65536);
  for (int code = 0; code < 65536; ++code) {
    map += {'\0', '\1'};
  }
  return map;
}

std::string ToUnicodeCMap() {
  // One bfrange per high byte; a range may only vary in its last byte. Surrogate code
  // units are not characters, so D800..DFFF have no mapping.
  std::vector<int> high_bytes;
  for (int hi = 0; hi < 256; ++hi) {
    if (hi < 0xD8 || hi > 0xDF) {
      high_bytes.push_back(hi);
    }
  }
  std::string ranges;
  constexpr size_t kMaxPerSection = 100;  // the CMap format's limit per section
  for (size_t i = 0; i < high_bytes.size(); i += kMaxPerSection) {
    size_t n = std::min(kMaxPerSection, high_bytes.size() - i);
    ranges += std::to_string(n) + " beginbfrange\n";
    for (size_t k = i; k < i + n; ++k) {
      char line[32];
      std::snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", high_bytes[k], high_bytes[k],
                    high_bytes[k]);
      ranges += line;
    }
    ranges += "endbfrange\n";
  }
  return "/CIDInit /ProcSet findresource begin\n"
         "12 dict begin\n"
         "begincmap\n"
         "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
         "/CMapName /Adobe-Identity-UCS def\n"
         "/CMapType 2 def\n"
         "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" +
         ranges +
         "endcmap\n"
         "CMapName currentdict /CMap defineresource pop\n"
         "end\n"
         "end\n";
}

}  // namespace smartocr::render::internal
