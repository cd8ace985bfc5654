// hOCR 1.2 output (http://kba.github.io/hocr-spec/1.2/): XHTML with one ocr_page per
// page, one ocr_carea (holding one ocr_par) per block, then ocr_line and ocrx_word.
// Boxes are in pixels of the page image, as hOCR expects. Tables are not written as
// ocr_table: their text already appears in the table blocks' lines.
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/xml.h"
#include "render/render.h"
#include "render/render_internal.h"

namespace smartocr::render {

namespace {

long Pixel(double v, int extent) {
  v = internal::FiniteOrZero(v);
  if (extent > 0) {
    v = std::clamp(v, 0.0, static_cast<double>(extent));
  }
  return std::lround(v);
}

// "bbox x0 y0 x1 y1" in whole pixels, clamped to the page.
std::string BBoxTitle(const core::BBox& box, const core::PageResult& page) {
  return "bbox " + std::to_string(Pixel(box.x0, page.width)) + " " +
         std::to_string(Pixel(box.y0, page.height)) + " " +
         std::to_string(Pixel(box.x1, page.width)) + " " +
         std::to_string(Pixel(box.y1, page.height));
}

int WordConfidence(double confidence) {
  return static_cast<int>(
      std::lround(std::clamp(internal::FiniteOrZero(confidence), 0.0, 1.0) * 100));
}

// Element ids must be unique in the document, so they carry the page number.
class HocrWriter {
 public:
  explicit HocrWriter(std::string& out) : out_(out) {}

  void Page(const core::PageResult& page) {
    std::string p = std::to_string(page.number);
    core::BBox page_box{0, 0, static_cast<double>(page.width), static_cast<double>(page.height)};
    // ppageno counts from 0 (as Tesseract writes it); page.number counts from 1.
    Append({"  <div class='ocr_page' id='page_", p, "' title='", BBoxTitle(page_box, page),
            "; ppageno ", std::to_string(std::max(page.number - 1, 0)), "'>\n"});
    int block_id = 0, line_id = 0, word_id = 0;
    for (const core::Block* block : internal::BlocksInReadingOrder(page)) {
      std::string b = p + "_" + std::to_string(++block_id);
      std::string box = BBoxTitle(block->box, page);
      Append({"   <div class='ocr_carea' id='block_", b, "' title='", box, "'>\n"});
      if (!block->lines.empty()) {
        Append({"    <p class='ocr_par' id='par_", b, "' title='", box, "'>\n"});
        for (const core::Line& line : block->lines) {
          Append({"     <span class='ocr_line' id='line_", p, "_", std::to_string(++line_id),
                  "' title='", BBoxTitle(line.box, page), "'>"});
          for (const core::Word& word : line.words) {
            Append({"\n      <span class='ocrx_word' id='word_", p, "_", std::to_string(++word_id),
                    "' title='", BBoxTitle(word.box, page), "; x_wconf ",
                    std::to_string(WordConfidence(word.confidence)), "'>",
                    core::XmlEscape(word.text), "</span>"});
          }
          out_ += "\n     </span>\n";
        }
        out_ += "    </p>\n";
      }
      out_ += "   </div>\n";
    }
    out_ += "  </div>\n";
  }

 private:
  // Appends the pieces in order, without the temporaries `a + b + c` would make.
  void Append(std::initializer_list<std::string_view> parts) {
    for (std::string_view part : parts) {
      out_.append(part);
    }
  }

  std::string& out_;
};

}  // namespace

std::string RenderHocr(const core::DocumentResult& doc) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"\n"
      "    \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
      "<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">\n"
      " <head>\n"
      "  <title>" +
      core::XmlEscape(doc.input) +
      "</title>\n"
      "  <meta http-equiv=\"Content-Type\" content=\"text/html;charset=utf-8\"/>\n"
      "  <meta name=\"ocr-system\" content=\"smartocr " +
      std::string(core::kVersion) +
      "\"/>\n"
      "  <meta name=\"ocr-capabilities\" content=\"ocr_page ocr_carea ocr_par ocr_line "
      "ocrx_word ocrp_wconf\"/>\n"
      "  <meta name=\"ocr-number-of-pages\" content=\"" +
      std::to_string(doc.pages.size()) +
      "\"/>\n"
      " </head>\n"
      " <body>\n";
  HocrWriter writer(out);
  for (const core::PageResult& page : doc.pages) {
    writer.Page(page);
  }
  out += " </body>\n</html>\n";
  return out;
}

}  // namespace smartocr::render
