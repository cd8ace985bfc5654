#include "render/render_internal.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "render/pdf_internal.h"

namespace smartocr::render::internal {
namespace {

TEST(RenderInternal, SanitizeUtf8) {
  struct Case {
    const char* name;
    std::string in, out;
  };
  const std::string kFffd = "\xef\xbf\xbd";
  const Case cases[] = {
      {"ascii", "plain", "plain"},
      {"valid multibyte", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
       "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
      {"bad lead byte",
       "a\xff"
       "b",
       "a" + kFffd + "b"},
      {"lone continuation", "\x80", kFffd},
      {"truncated at end", "ab\xe2\x82", "ab" + kFffd + kFffd},
      {"overlong slash", "\xc0\xaf", kFffd + kFffd},
      {"overlong 3-byte", "\xe0\x80\xaf", kFffd + kFffd + kFffd},
      {"surrogate", "\xed\xa0\x80", kFffd + kFffd + kFffd},
      {"beyond U+10FFFF", "\xf4\x90\x80\x80", kFffd + kFffd + kFffd + kFffd},
      {"embedded nul kept", std::string("a\0b", 3), std::string("a\0b", 3)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(SanitizeUtf8(c.in), c.out);
  }
}

TEST(RenderInternal, RoundTo) {
  EXPECT_EQ(RoundTo(0.123456, 4), 0.1235);
  EXPECT_EQ(RoundTo(2.5e-5, 4), 0.0);
  EXPECT_FALSE(std::signbit(RoundTo(-0.00001, 4)));  // no "-0.0" in the output
  EXPECT_EQ(RoundTo(std::numeric_limits<double>::quiet_NaN(), 3), 0.0);
  EXPECT_EQ(RoundTo(-std::numeric_limits<double>::infinity(), 3), 0.0);
  EXPECT_EQ(RoundTo(1e300, 4), 1e300);
}

TEST(RenderInternal, PdfNumber) {
  struct Case {
    double in;
    const char* out;
  };
  const Case cases[] = {{0, "0"},           {1, "1"},
                        {612, "612"},       {0.5, "0.5"},
                        {1.23456, "1.235"}, {-2.5, "-2.5"},
                        {-0.0001, "0"},     {1e20, "1000000000"},
                        {1e-9, "0"},        {std::numeric_limits<double>::quiet_NaN(), "0"}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(PdfNumber(c.in), c.out);
  }
}

TEST(RenderInternal, PdfLiteralEscapes) {
  EXPECT_EQ(PdfLiteral("a(b)c\\d"), "(a\\(b\\)c\\\\d)");
  EXPECT_EQ(PdfLiteral("x\ny\xe9"), "(x\\012y\\351)");
}

uint32_t BigEndian32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (size_t k = 0; k < 4; ++k) {
    v = (v << 8) | static_cast<uint8_t>(s[at + k]);
  }
  return v;
}

TEST(RenderInternal, GlyphlessFontIsAConsistentTrueTypeFile) {
  std::string font = GlyphlessFontProgram();
  ASSERT_GE(font.size(), 12u);
  EXPECT_EQ(font.size() % 4, 0u);
  EXPECT_EQ(BigEndian32(font, 0), 0x00010000u);
  uint16_t tables =
      static_cast<uint16_t>((static_cast<uint8_t>(font[4]) << 8) | static_cast<uint8_t>(font[5]));
  EXPECT_EQ(tables, 9);
  // Whole-file checksum is the magic value the head table's adjustment aims for.
  uint32_t sum = 0;
  for (size_t i = 0; i < font.size(); i += 4) {
    sum += BigEndian32(font, i);
  }
  EXPECT_EQ(sum, 0xB1B0AFBAu);
  // Every table lies inside the file, and tags are sorted.
  std::string previous;
  for (size_t t = 0; t < tables; ++t) {
    size_t rec = 12 + 16 * t;
    std::string tag = font.substr(rec, 4);
    EXPECT_LT(previous, tag);
    previous = tag;
    EXPECT_LE(BigEndian32(font, rec + 8) + BigEndian32(font, rec + 12), font.size()) << tag;
  }
}

TEST(RenderInternal, ToUnicodeCMapSkipsSurrogatesAndKeepsSectionsSmall) {
  std::string cmap = ToUnicodeCMap();
  EXPECT_NE(cmap.find("<0000> <00FF> <0000>"), std::string::npos);
  EXPECT_NE(cmap.find("<FF00> <FFFF> <FF00>"), std::string::npos);
  EXPECT_EQ(cmap.find("<D800>"), std::string::npos);
  EXPECT_NE(cmap.find("100 beginbfrange"), std::string::npos);
  EXPECT_NE(cmap.find("48 beginbfrange"), std::string::npos);
  EXPECT_EQ(CidToGidMap().size(), 2u * 65536u);
}

}  // namespace
}  // namespace smartocr::render::internal
