// PDF pages: text layers become words with pixel boxes, image-only pages are
// rasterized, and mixed documents are decided page by page.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "fixtures.h"
#include "ingest/ingest.h"
#include "ingest_test_util.h"

namespace smartocr::ingest {
namespace {

using smartocr::testing::FixturePage;
using smartocr::testing::Paragraph;
using smartocr::testing::WritePdf;

FixturePage TextPage(const std::vector<std::string>& lines, bool scanned = false) {
  FixturePage page;
  page.runs = Paragraph(lines, 72, 100, 12, 20);
  page.scanned = scanned;
  return page;
}

// Bounding box of dark pixels in `gray` (whole image).
cv::Rect InkBox(const cv::Mat& gray) {
  cv::Mat dark;
  cv::threshold(gray, dark, 128, 255, cv::THRESH_BINARY_INV);
  return cv::boundingRect(dark);
}

core::BBox UnionOfWords(const std::vector<core::Word>& words) {
  core::BBox box;
  for (const core::Word& w : words) box = box.Union(w.box);
  return box;
}

std::vector<std::string> Texts(const std::vector<core::Word>& words) {
  std::vector<std::string> out;
  for (const core::Word& w : words) out.push_back(w.text);
  return out;
}

class IngestPdfTest : public testing::TempDirTest {};

TEST_F(IngestPdfTest, BornDigitalPageGivesWordsWhereTheTextWasDrawn) {
  FixturePage page = TextPage({"Invoice number 12345 dated today", "Total amount due 678.90"});
  WritePdf(Path("digital.pdf"), {page});
  IngestOptions options;             // 300 dpi
  options.render_text_pages = true;  // to see where poppler draws the text
  auto pages = testing::ReadAll(Path("digital.pdf"), options);
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  ASSERT_EQ(pages->size(), 1u);
  const Page& p = (*pages)[0];
  EXPECT_EQ(p.number, 1);
  EXPECT_EQ(p.source, core::PageSource::kPdfText);
  EXPECT_EQ(p.width, 2550);
  EXPECT_EQ(p.height, 3300);
  ASSERT_EQ(p.image.size(), cv::Size(2550, 3300));
  EXPECT_EQ(Texts(p.words),
            (std::vector<std::string>{"Invoice", "number", "12345", "dated", "today", "Total",
                                      "amount", "due", "678.90"}));
  const double kScale = 300 / 72.0;
  for (size_t line = 0; line < page.runs.size(); ++line) {
    SCOPED_TRACE("line " + std::to_string(line));
    const smartocr::testing::TextRun& run = page.runs[line];
    std::vector<core::Word> words(p.words.begin() + (line == 0 ? 0 : 5),
                                  line == 0 ? p.words.begin() + 5 : p.words.end());
    core::BBox box = UnionOfWords(words);
    // The line starts at the pen position it was drawn from...
    EXPECT_NEAR(box.x0, run.x_pt * kScale, 2);
    EXPECT_LT(box.y0, run.y_pt * kScale);
    EXPECT_GT(box.y1, run.y_pt * kScale);
    EXPECT_LT(box.height(), run.size_pt * kScale * 1.6);  // about one line high
    // ...and covers the line's ink in the page image to within a few pixels (side
    // bearings), enclosing it vertically (boxes span ascent and descent).
    int band_top = static_cast<int>((run.y_pt - run.size_pt) * kScale);
    int band_bottom = static_cast<int>((run.y_pt + run.size_pt / 3) * kScale);
    cv::Rect ink = InkBox(p.image.rowRange(band_top, band_bottom));
    ink.y += band_top;
    EXPECT_NEAR(box.x0, ink.x, 6);
    EXPECT_NEAR(box.x1, ink.x + ink.width, 6);
    EXPECT_LE(box.y0, ink.y + 2);
    EXPECT_GE(box.y1, ink.y + ink.height - 2);
    for (const core::Word& w : words) EXPECT_DOUBLE_EQ(w.confidence, 1.0);
  }
}

TEST_F(IngestPdfTest, TextPageComesWithoutImageByDefault) {
  WritePdf(Path("digital.pdf"), {TextPage({"Born digital text needs no image at all"})});
  auto pages = testing::ReadAll(Path("digital.pdf"), IngestOptions());
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  EXPECT_EQ((*pages)[0].source, core::PageSource::kPdfText);
  EXPECT_TRUE((*pages)[0].image.empty());
  EXPECT_EQ((*pages)[0].width, 2550);
  EXPECT_EQ((*pages)[0].words.size(), 8u);
}

TEST_F(IngestPdfTest, RotatedPageWordsFollowTheDisplayedPage) {
  FixturePage page = TextPage({"Rotated page text runs down the page"});
  WritePdf(Path("upright.pdf"), {page});
  // Give the page /Rotate 90 by rewriting its dictionary's first lines in place (same
  // length, so the cross-reference offsets stay right).
  std::string pdf = smartocr::testing::ReadFile(Path("upright.pdf"));
  const std::string kOld = "<< /Type /Page % 1\n   /Parent 1 0 R\n   /MediaBox [ 0 0 612 792 ]";
  std::string rotated = "<</Type/Page/Rotate 90/Parent 1 0 R/MediaBox[0 0 612 792]";
  rotated.resize(kOld.size(), ' ');
  size_t at = pdf.find(kOld);
  ASSERT_NE(at, std::string::npos) << "cairo wrote an unexpected page dictionary";
  pdf.replace(at, kOld.size(), rotated);
  smartocr::testing::WriteFile(Path("rotated.pdf"), pdf);

  IngestOptions options;
  options.dpi = 100;
  options.render_text_pages = true;
  auto pages = testing::ReadAll(Path("rotated.pdf"), options);
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  const Page& p = (*pages)[0];
  ASSERT_EQ(p.source, core::PageSource::kPdfText);
  EXPECT_EQ(p.width, 1100);  // landscape once turned
  EXPECT_EQ(p.height, 850);
  ASSERT_EQ(p.image.size(), cv::Size(1100, 850));
  core::BBox box = UnionOfWords(p.words);
  cv::Rect ink = InkBox(p.image);
  EXPECT_GT(box.height(), box.width());  // the line now runs top to bottom
  EXPECT_LE(box.x0, ink.x + 2);
  EXPECT_GE(box.x1, ink.x + ink.width - 2);
  EXPECT_NEAR(box.y0, ink.y, 4);
  EXPECT_NEAR(box.y1, ink.y + ink.height, 4);
}

TEST_F(IngestPdfTest, ScannedPageIsRasterizedAtTheDpiAsked) {
  WritePdf(Path("scan.pdf"), {TextPage({"Scanned text that has no text layer"}, true)});
  IngestOptions options;
  options.dpi = 150;
  auto pages = testing::ReadAll(Path("scan.pdf"), options);
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  ASSERT_EQ(pages->size(), 1u);
  const Page& p = (*pages)[0];
  EXPECT_EQ(p.source, core::PageSource::kOcr);
  EXPECT_TRUE(p.words.empty());
  ASSERT_EQ(p.image.type(), CV_8UC1);
  EXPECT_EQ(p.image.cols, 1275);
  EXPECT_EQ(p.image.rows, 1650);
  EXPECT_EQ(p.width, 1275);
  EXPECT_EQ(p.height, 1650);
  // The text is where it was drawn: baseline at 100 pt, from x = 72 pt.
  cv::Rect ink = InkBox(p.image);
  EXPECT_NEAR(ink.x, 72 * 150 / 72.0, 6);
  EXPECT_NEAR(ink.y + ink.height, 100 * 150 / 72.0, 8);
}

TEST_F(IngestPdfTest, MixedDocumentIsDecidedPerPage) {
  WritePdf(Path("mixed.pdf"), {TextPage({"First page is born digital text here"}),
                               TextPage({"Second page was scanned from paper"}, true),
                               TextPage({"Third page is born digital text again"})});
  IngestOptions options;
  options.dpi = 100;
  auto pages = testing::ReadAll(Path("mixed.pdf"), options);
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  ASSERT_EQ(pages->size(), 3u);
  const core::PageSource kWant[] = {core::PageSource::kPdfText, core::PageSource::kOcr,
                                    core::PageSource::kPdfText};
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE("page " + std::to_string(i + 1));
    EXPECT_EQ((*pages)[i].number, i + 1);
    EXPECT_EQ((*pages)[i].source, kWant[i]);
    EXPECT_EQ((*pages)[i].image.empty(), kWant[i] == core::PageSource::kPdfText);
  }
}

TEST_F(IngestPdfTest, PageSelectionSkipsUnselectedPages) {
  std::vector<FixturePage> doc;
  for (int i = 1; i <= 5; ++i) {
    doc.push_back(TextPage({"This is page number " + std::to_string(i) + " of five"}, i % 2 == 0));
  }
  WritePdf(Path("five.pdf"), doc);
  struct Case {
    std::string spec;
    std::vector<int> want;
  };
  const Case kCases[] = {{"2,4", {2, 4}}, {"4-", {4, 5}}, {"1-2,5", {1, 2, 5}}, {"9-", {}}};
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.spec);
    IngestOptions options;
    options.dpi = 50;
    options.pages = *core::PageRange::Parse(c.spec);
    auto source = OpenDocument(Path("five.pdf"), options);
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    EXPECT_EQ((*source)->type(), FileType::kPdf);
    EXPECT_EQ((*source)->page_count(), 5);
    EXPECT_EQ((*source)->selected_page_count(), static_cast<int>(c.want.size()));
    std::vector<int> got;
    while (true) {
      auto page = (*source)->Next();
      ASSERT_TRUE(page.ok()) << page.status().ToString();
      if (!page->has_value()) break;
      got.push_back((*page)->number);
    }
    EXPECT_EQ(got, c.want);
    // The end is sticky.
    auto again = (*source)->Next();
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(again->has_value());
  }
}

TEST_F(IngestPdfTest, RenderTextPagesAlsoGivesTheImage) {
  WritePdf(Path("digital.pdf"), {TextPage({"Searchable output needs the page image too"})});
  IngestOptions options;
  options.dpi = 72;
  options.render_text_pages = true;
  auto pages = testing::ReadAll(Path("digital.pdf"), options);
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  const Page& p = (*pages)[0];
  EXPECT_EQ(p.source, core::PageSource::kPdfText);
  EXPECT_FALSE(p.words.empty());
  ASSERT_FALSE(p.image.empty());
  EXPECT_EQ(p.image.cols, 612);
  EXPECT_EQ(p.image.rows, 792);
  EXPECT_EQ(p.width, 612);
  EXPECT_EQ(p.height, 792);
}

// A text layer of more words than the limit is refused in the sandbox, before anything
// downstream (layout, fields) would spend unbounded time on it.
TEST_F(IngestPdfTest, TextLayerOverTheWordLimitIsRefused) {
  std::vector<std::string> lines(6, "one two three four five six seven");
  WritePdf(Path("bomb.pdf"), {TextPage(lines)});
  IngestOptions options;
  options.dpi = 50;
  options.limits.max_text_layer_words = 40;  // the page has 42
  auto pages = testing::ReadAll(Path("bomb.pdf"), options);
  ASSERT_FALSE(pages.ok());
  EXPECT_EQ(pages.status().code(), core::StatusCode::kLimitExceeded);
  EXPECT_EQ(pages.status().reason(), "text_layer_words");
  options.limits.max_text_layer_words = 42;
  pages = testing::ReadAll(Path("bomb.pdf"), options);
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  EXPECT_EQ((*pages)[0].words.size(), 42u);
}

TEST_F(IngestPdfTest, TooLittleTextIsReadByOcr) {
  WritePdf(Path("short.pdf"), {TextPage({"Hi"})});
  IngestOptions options;
  options.dpi = 50;
  auto pages = testing::ReadAll(Path("short.pdf"), options);
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  EXPECT_EQ((*pages)[0].source, core::PageSource::kOcr);
  EXPECT_FALSE((*pages)[0].image.empty());
}

}  // namespace
}  // namespace smartocr::ingest

namespace smartocr::ingest {
namespace {

// What OpenDocument reports as the embedded e-invoice of `path`, through the sandboxed
// decoder (in_process false) or in this process.
std::optional<EmbeddedInvoice> EmbeddedOf(const std::string& path, IngestOptions options,
                                          bool in_process) {
  options.in_process = in_process;
  if (!in_process) options.decoder_path = testing::DecoderPath();
  auto source = OpenDocument(path, options);
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  if (!source.ok()) return std::nullopt;
  while (true) {
    auto page = (*source)->Next();
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok() || !page->has_value()) break;
  }
  return (*source)->embedded_invoice();
}

class IngestEmbeddedInvoiceTest : public testing::TempDirTest {};

TEST_F(IngestEmbeddedInvoiceTest, AnAttachedInvoiceXmlComesWithTheDocument) {
  const std::string xml = "<rsm:CrossIndustryInvoice>...</rsm:CrossIndustryInvoice>";
  WritePdf(Path("invoice.pdf"), {TextPage({"Invoice 1", "Total 119.00 EUR"})});
  smartocr::testing::AttachFileToPdf(Path("invoice.pdf"), "factur-x.xml", xml);
  for (bool in_process : {false, true}) {
    SCOPED_TRACE(in_process ? "in process" : "sandboxed");
    auto invoice = EmbeddedOf(Path("invoice.pdf"), {}, in_process);
    ASSERT_TRUE(invoice.has_value());
    EXPECT_EQ(invoice->name, "factur-x.xml");
    EXPECT_EQ(invoice->xml, xml);
  }
}

TEST_F(IngestEmbeddedInvoiceTest, OtherAttachmentsAndOversizedXmlAreLeftOut) {
  WritePdf(Path("notes.pdf"), {TextPage({"Invoice 1", "Total 119.00 EUR"})});
  smartocr::testing::AttachFileToPdf(Path("notes.pdf"), "notes.txt", "just notes");
  EXPECT_FALSE(EmbeddedOf(Path("notes.pdf"), {}, false).has_value());
  // Any name, when the XML is a Cross Industry invoice (poppler cannot always read names).
  WritePdf(Path("named.pdf"), {TextPage({"Invoice 1", "Total 119.00 EUR"})});
  smartocr::testing::AttachFileToPdf(Path("named.pdf"), "invoice-data.xml",
                                     "<CrossIndustryDocument/>");
  EXPECT_TRUE(EmbeddedOf(Path("named.pdf"), {}, false).has_value());
  WritePdf(Path("big.pdf"), {TextPage({"Invoice 1", "Total 119.00 EUR"})});
  smartocr::testing::AttachFileToPdf(Path("big.pdf"), "factur-x.xml", std::string(4096, 'x'));
  IngestOptions small;
  small.limits.max_embedded_invoice_bytes = 1024;
  EXPECT_FALSE(EmbeddedOf(Path("big.pdf"), small, false).has_value());
  EXPECT_TRUE(EmbeddedOf(Path("big.pdf"), {}, false).has_value());
}

TEST(IngestEmbeddedInvoiceNames, TheStandardsNamesInAnyCase) {
  EXPECT_TRUE(IsEmbeddedInvoiceName("factur-x.xml"));
  EXPECT_TRUE(IsEmbeddedInvoiceName("ZUGFeRD-invoice.xml"));
  EXPECT_TRUE(IsEmbeddedInvoiceName("xrechnung.xml"));
  EXPECT_FALSE(IsEmbeddedInvoiceName("factur-x.xml.exe"));
  EXPECT_FALSE(IsEmbeddedInvoiceName("invoice.xml"));
}

}  // namespace
}  // namespace smartocr::ingest
