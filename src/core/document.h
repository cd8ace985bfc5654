// src/core/document.h
//
// The document model every stage reads and writes: words, lines, blocks, tables
// and pages, with boxes in pixels of the page image (the upright, deskewed image the
// words were read from). Renderers normalize boxes to 0..1 on output.
//
// Thread safety: plain values; one writer at a time.
#ifndef SMARTOCR_CORE_DOCUMENT_H_
#define SMARTOCR_CORE_DOCUMENT_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace smartocr::core {

// Axis-aligned box in pixels: x0,y0 top-left (inclusive), x1,y1 bottom-right (exclusive).
struct BBox {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;

  double width() const { return x1 > x0 ? x1 - x0 : 0; }
  double height() const { return y1 > y0 ? y1 - y0 : 0; }
  double area() const { return width() * height(); }
  double cx() const { return (x0 + x1) / 2; }
  double cy() const { return (y0 + y1) / 2; }
  bool empty() const { return width() <= 0 || height() <= 0; }

  // Smallest box holding both; an empty box is the identity.
  BBox Union(const BBox& other) const;
  BBox Intersect(const BBox& other) const;
  // Area of the intersection over this box's area (0 for an empty box).
  double CoveredBy(const BBox& other) const;

  bool operator==(const BBox&) const = default;
};

struct Word {
  std::string text;  // UTF-8
  BBox box;
  double confidence = 0;  // [0,1]
};

struct Line {
  BBox box;
  std::vector<Word> words;
  double confidence = 0;  // [0,1], mean of the words' confidences

  // Words joined by single spaces.
  std::string Text() const;
};

enum class BlockType { kText, kTable, kFigure };
const char* BlockTypeName(BlockType type);  // "text", "table", "image"

struct Block {
  BlockType type = BlockType::kText;
  BBox box;
  double confidence = 0;  // [0,1]
  int reading_order = 0;  // 0-based position in the page's reading order
  std::vector<Line> lines;

  std::string Text() const;  // lines joined by '\n'
};

struct TableCell {
  BBox box;
  std::string text;
};

struct Table {
  BBox box;
  std::vector<std::vector<TableCell>> rows;  // rows[r][c]
};

enum class PageSource { kOcr, kPdfText };
const char* PageSourceName(PageSource source);  // "ocr", "pdf-text"

// Where a page's resolution (dots per inch of its image) came from.
enum class DpiSource {
  kUnknown,    // not known (0 dpi)
  kRender,     // a PDF page rasterized (or its text layer laid out) at that resolution
  kImage,      // the image file's own tag: TIFF resolution, PNG pHYs, JPEG JFIF/EXIF
  kOption,     // the caller's --dpi, which overrides an image's own tag
  kEstimated,  // no tag: estimated from the height of the text read on the page
  kAssumed,    // no tag and no text to estimate from: pipeline::kDefaultImageDpi
};
const char* DpiSourceName(DpiSource source);  // "unknown", "render", "image", ...
// The inverse; kUnknown for a name it does not know.
DpiSource DpiSourceFromName(std::string_view name);

// What one preprocessing step did to a page, for the output and for debugging.
struct StepReport {
  std::string name;  // "orientation", "deskew", "denoise", ...
  bool applied = false;
  double value = 0;    // the measured quantity (angle, scale, noise level...)
  std::string detail;  // a short human sentence
};

struct PageResult {
  int number = 0;  // 1-based page number in the input
  int width = 0;   // pixels of the page image
  int height = 0;
  int rotation = 0;     // 0/90/180/270: clockwise turn applied to make the page upright
  double skew_deg = 0;  // skew found and removed
  PageSource source = PageSource::kOcr;
  // Resolution of the page image (sizes a searchable PDF page: pixels * 72 / dpi).
  double dpi = 0;
  DpiSource dpi_source = DpiSource::kUnknown;
  // The language the page's text is in, as identified from its words ("deu"; "" when
  // not identified), and how sure: the share of its words that say so, [0,1].
  std::string language;
  double language_confidence = 0;
  std::vector<Block> blocks;  // sorted by reading_order
  std::vector<Table> tables;
  std::string text;       // page text in reading order
  double confidence = 0;  // [0,1]
  std::vector<StepReport> preprocess;
  std::map<std::string, double> timings_ms;  // per stage

  // Fills `text` (blocks in reading order, blank line between blocks) and `confidence`
  // (mean word confidence weighted by characters) from the blocks.
  void FinalizeTextAndConfidence();
};

struct EngineInfo {
  std::string name;
  std::string version;
};

// A field extracted from the document (invoice number, total, MRZ...).
struct Field {
  std::string name;
  std::string value;       // as printed on the document
  std::string normalized;  // ISO 8601 dates, plain decimals for amounts, else = value
  double confidence = 0;   // [0,1]: min(recognition, validator)
  std::string validator_status = "unchecked";  // valid | invalid | unchecked
  std::string validator_detail;
  int page = 0;                  // 1-based; 0 when not tied to a page
  BBox bbox;                     // pixels of that page's image (union of the source words)
  std::string source = "rules";  // rules | mrz | llm | pdf-text
  std::string engine_version;
  // The value as read when a learned correction (extract/lexicon.h) replaced it; "" when
  // the value is what was read.
  std::string corrected_from;
  // Below the review threshold or failing its validator (only meaningful when the
  // document's review_threshold > 0).
  bool needs_review = false;
};

// One row of an invoice's or receipt's item list.
struct LineItem {
  std::string description;
  std::string quantity;
  std::string unit_price;
  std::string amount;
  int page = 0;
  BBox bbox;
};

struct DocumentResult {
  std::string input;  // the input's path or name as given
  EngineInfo engine;
  std::vector<PageResult> pages;             // in page order
  int page_count = 0;                        // pages in the input (before --pages selection)
  std::map<std::string, double> timings_ms;  // summed over pages, plus "total"

  // Field extraction (written to the output only when it ran: extracted == true).
  bool extracted = false;
  std::string doc_type;  // invoice | receipt | id_document | other
  // What extracted the fields: "rules", or "rules + lexicon <version>" (extract/lexicon.h).
  std::string extractor_version;
  // An e-invoice XML embedded in the input (Factur-X, ZUGFeRD, XRechnung), as found, for
  // field extraction; not part of the JSON result (its fields are).
  std::string embedded_invoice_name;
  std::string embedded_invoice_xml;
  double doc_type_confidence = 0;
  std::vector<Field> fields;
  std::vector<LineItem> line_items;

  // Redaction (written to the output only when it ran: redacted_kinds not empty).
  std::vector<std::string> redacted_kinds;  // e.g. {"mrz", "names"}
  int redacted_regions = 0;                 // word boxes blacked out, all pages
  // The boxes blacked out (pixels of their page), so images rendered later from the
  // original (the API's page images and PDFs) can be blacked out the same way.
  struct RedactedBox {
    int page = 0;
    BBox box;
  };
  std::vector<RedactedBox> redacted_boxes;

  // Review flags (written only when > 0): a field needs review when its confidence
  // is below this or its validator failed.
  double review_threshold = 0;

  // What went wrong without failing the document (e.g. the LLM could not be asked and
  // the rule fields stand), one sentence each; written only when not empty.
  std::vector<std::string> warnings;
};

}  // namespace smartocr::core

#endif  // SMARTOCR_CORE_DOCUMENT_H_
