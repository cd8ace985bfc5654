// Type sniffing, image-header sizes and the child's page-range encoding.
#include <gtest/gtest.h>

#include <string>

#include "ingest/decode_args.h"
#include "ingest/image_header.h"
#include "ingest/ingest.h"
#include "ingest_test_util.h"

namespace smartocr::ingest {
namespace {

using namespace std::string_literals;

TEST(IngestSniffTest, DetectsTypeByMagicBytes) {
  struct Case {
    std::string name;
    std::string head;
    FileType want;
  };
  const Case kCases[] = {
      {"pdf", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", FileType::kPdf},
      {"pdf after junk", std::string(500, 'x') + "%PDF-1.4", FileType::kPdf},
      {"pdf header too late", std::string(1100, 'x') + "%PDF-1.4", FileType::kUnknown},
      {"png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s, FileType::kPng},
      {"png without signature end", "\x89PNG\r\n"s, FileType::kUnknown},
      {"jpeg jfif", "\xff\xd8\xff\xe0\0\x10JFIF"s, FileType::kJpeg},
      {"jpeg exif", "\xff\xd8\xff\xe1"s, FileType::kJpeg},
      {"tiff little-endian", "II*\0\x08\0\0\0"s, FileType::kTiff},
      {"tiff big-endian", "MM\0*\0\0\0\x08"s, FileType::kTiff},
      {"bigtiff little-endian", "II+\0\x08\0\0\0"s, FileType::kTiff},
      {"bigtiff big-endian", "MM\0+\0\x08\0\0"s, FileType::kTiff},
      {"gif", "GIF89a", FileType::kUnknown},
      {"text", "hello world", FileType::kUnknown},
      {"empty", "", FileType::kUnknown},
      {"zip", "PK\x03\x04", FileType::kUnknown},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(SniffType(c.head), c.want);
  }
}

TEST(IngestSniffTest, NamesTypes) {
  EXPECT_STREQ(FileTypeName(FileType::kPdf), "pdf");
  EXPECT_STREQ(FileTypeName(FileType::kPng), "png");
  EXPECT_STREQ(FileTypeName(FileType::kJpeg), "jpeg");
  EXPECT_STREQ(FileTypeName(FileType::kTiff), "tiff");
  EXPECT_STREQ(FileTypeName(FileType::kUnknown), "unknown");
}

TEST(IngestSniffTest, PopplerVersionIsKnown) { EXPECT_FALSE(PopplerVersion().empty()); }

TEST(IngestImageHeaderTest, ReadsPngSize) {
  auto size = PngSize(testing::PngHeader(40000, 30000));
  ASSERT_TRUE(size.ok()) << size.status().ToString();
  EXPECT_EQ(size->width, 40000u);
  EXPECT_EQ(size->height, 30000u);
  EXPECT_EQ(PngSize("\x89PNG\r\n\x1a\n"s).status().reason(), "png_header");
  EXPECT_EQ(PngSize(testing::PngHeader(0, 5)).status().reason(), "png_header");
}

// Found by fuzz/ingest_image_fuzz: an 87-byte PNG whose tEXt chunk declares 2 GB made
// libpng allocate that much before finding the file short. No chunk may run past the
// end of the file.
TEST(IngestImageHeaderTest, PngChunkPastTheEndIsRefused) {
  const std::string png = testing::PngHeader(1, 1);
  const std::string ihdr_end = png.substr(0, 8 + 25);  // signature, IHDR chunk
  const std::string bomb = ihdr_end +
                           "\x7f\x00\x00\x0c"
                           "tEXt"
                           "no separator"s;
  EXPECT_EQ(PngSize(bomb).status().reason(), "corrupt_png");
  std::string cut = png;
  cut.resize(cut.size() - 2);  // IEND's CRC cut short
  EXPECT_EQ(PngSize(cut).status().reason(), "corrupt_png");
  EXPECT_TRUE(PngSize(png).ok());
  EXPECT_TRUE(PngSize(png + "trailing bytes after IEND").ok());
}

TEST(IngestImageHeaderTest, ReadsJpegSizeFromSof) {
  // SOI, an APP0 to skip, fill bytes, then SOF2 (progressive) 8 bits 300x200.
  std::string jpeg =
      "\xff\xd8\xff\xe0\x00\x04"
      "ab"
      "\xff\xff\xc2\x00\x0b\x08\x00\xc8\x01\x2c\x01"s;
  jpeg += "\x01\x11\x00"s;
  auto size = JpegSize(jpeg);
  ASSERT_TRUE(size.ok()) << size.status().ToString();
  EXPECT_EQ(size->width, 300u);
  EXPECT_EQ(size->height, 200u);
  EXPECT_EQ(size->bits, 8);
  EXPECT_EQ(JpegSize("\xff\xd8\xff\xda\x00\x02"s).status().reason(), "jpeg_header");
  EXPECT_EQ(JpegSize("\xff\xd8\xff\xe0\x00\x20"s).status().reason(), "jpeg_header");
}

TEST(IngestDecodeArgsTest, PageRangeSpecRoundTrips) {
  struct Case {
    std::string spec;
    int max_page;
    std::string want;
  };
  const Case kCases[] = {
      {"1-3,7,10-", 100, "1-3,7,10-"}, {"2", 5, "2"},        {"4-", 5, "4-"}, {"1-5", 5, "1-"},
      {"3-4,4-6", 100, "3-6"},         {"200-", 100, "101"},  // nothing within the limit
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.spec);
    auto range = core::PageRange::Parse(c.spec);
    ASSERT_TRUE(range.ok());
    std::string spec = PageRangeSpec(*range, c.max_page);
    EXPECT_EQ(spec, c.want);
    auto back = core::PageRange::Parse(spec);
    ASSERT_TRUE(back.ok());
    for (int p = 1; p <= c.max_page; ++p) EXPECT_EQ(back->Contains(p), range->Contains(p)) << p;
  }
  EXPECT_EQ(PageRangeSpec(core::PageRange(), 10), "all");
}

TEST(IngestDecodeArgsTest, OptionsRoundTrip) {
  IngestOptions options;
  options.dpi = 150;
  options.image_dpi = 240;
  options.pages = *core::PageRange::Parse("2-3");
  options.limits.max_pages = 7;
  options.limits.max_page_pixels = 12345;
  options.limits.max_text_layer_words = 321;
  options.limits.max_embedded_invoice_bytes = 4321;
  options.limits.page_timeout_s = 2.5;
  options.render_text_pages = true;
  options.min_text_layer_chars = 3;
  auto parsed = ParseDecodeArgs(EncodeDecodeArgs(options, "/tmp/a b.pdf"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->path, "/tmp/a b.pdf");
  EXPECT_EQ(parsed->options.dpi, 150);
  EXPECT_EQ(parsed->options.image_dpi, 240);
  EXPECT_FALSE(parsed->options.pages.Contains(1));
  EXPECT_TRUE(parsed->options.pages.Contains(3));
  EXPECT_EQ(parsed->options.limits.max_pages, 7);
  EXPECT_EQ(parsed->options.limits.max_page_pixels, 12345u);
  EXPECT_EQ(parsed->options.limits.max_text_layer_words, 321u);
  EXPECT_EQ(parsed->options.limits.max_embedded_invoice_bytes, 4321u);
  EXPECT_DOUBLE_EQ(parsed->options.limits.page_timeout_s, 2.5);
  EXPECT_TRUE(parsed->options.render_text_pages);
  EXPECT_EQ(parsed->options.min_text_layer_chars, 3);
  EXPECT_EQ(ParseDecodeArgs({"--dpi=x", "--", "f"}).status().reason(), "decoder_args");
  EXPECT_EQ(ParseDecodeArgs({"--dpi=300"}).status().reason(), "decoder_args");
  EXPECT_EQ(ParseDecodeArgs({"--image-dpi=-1", "--", "f"}).status().reason(), "decoder_args");
}

}  // namespace
}  // namespace smartocr::ingest
