// PDF pages through poppler-cpp: a page with a usable text layer comes back as words
// (kPdfText); any other page is rasterized for OCR.
//
// Geometry: poppler's text_list() and page_renderer both work in the page's displayed
// frame (its /Rotate applied, origin at the crop box's top-left corner), text_list in
// points and the renderer at the resolution asked. So word boxes map to pixels by one
// scale factor, dpi / 72, and a text page's size is the size its rendering would have.
//
// Oversized pages are rejected (kLimitExceeded "page_pixels") rather than rendered at
// a lower dpi, so that every page's size stays "at options.dpi" as the API promises.
#include <poppler-document.h>
#include <poppler-embedded-file.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <poppler-version.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "ingest/decoder.h"
#include "ingest/image_header.h"

namespace smartocr::ingest {

namespace {

void IgnorePopplerMessage(const std::string& /*message*/, void* /*closure*/) {}

// Poppler prints parser complaints about damaged files to stderr by default.
void SilencePoppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(IgnorePopplerMessage, nullptr); });
}

// Code points that come out of fonts without a usable Unicode mapping.
bool IsGarbage(char16_t c) {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0xfffd || (c >= 0xe000 && c <= 0xf8ff);
}

bool IsSpace(char16_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xa0 || c == 0x3000;
}

// A text layer is usable when it has enough characters and at least 90% of them map
// to real text; the rest of the time OCR reads the page better than the layer does.
bool TextLayerUsable(const std::vector<poppler::text_box>& boxes, int min_chars) {
  long total = 0;
  long garbage = 0;
  for (const poppler::text_box& box : boxes) {
    for (char16_t c : box.text()) {
      if (IsSpace(c)) continue;
      ++total;
      if (IsGarbage(c)) ++garbage;
    }
  }
  return total >= min_chars && garbage * 10 <= total;
}

std::string ToUtf8(const poppler::ustring& text) {
  poppler::byte_array bytes = text.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

// A PDF text string as UTF-8: UTF-16BE after a byte order mark (how most writers store
// file names), else PDFDocEncoding, whose ASCII part is all a file name we look for
// needs (other bytes become '?').
std::string PdfTextString(const std::string& raw) {
  std::string out;
  if (raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0xfe &&
      static_cast<unsigned char>(raw[1]) == 0xff) {
    for (size_t i = 2; i + 1 < raw.size(); i += 2) {
      const unsigned hi = static_cast<unsigned char>(raw[i]);
      const unsigned lo = static_cast<unsigned char>(raw[i + 1]);
      out += hi == 0 && lo < 0x80 ? static_cast<char>(lo) : '?';
    }
    return out;
  }
  for (char c : raw) out += static_cast<unsigned char>(c) < 0x80 ? c : '?';
  return out;
}

// An attachment's name can be unreadable (poppler-cpp cuts UTF-16 names at their first
// zero byte): an XML whose root is a Cross Industry invoice counts too. The samples put
// a few kilobytes of licence comments before the root.
bool LooksLikeCrossIndustryXml(const std::string& xml) {
  constexpr size_t kSniffBytes = 64 << 10;
  std::string_view head(xml.data(), std::min(xml.size(), kSniffBytes));
  return head.find("CrossIndustryInvoice") != std::string_view::npos ||
         head.find("CrossIndustryDocument") != std::string_view::npos;
}

// Splash sizes its bitmap by rounding the scaled page size; we do the same so that a
// text page's size equals that of its rendering.
int ScaledSize(double points, double scale) {
  double px = points * scale + 0.5;
  if (!(px >= 1)) return 1;  // also catches NaN
  return px > 1e9 ? 1'000'000'000 : static_cast<int>(px);
}

class PdfDecoder : public PageDecoder {
 public:
  PdfDecoder(std::unique_ptr<poppler::document> doc, const IngestOptions& options)
      : doc_(std::move(doc)), options_(options) {}

  FileType type() const override { return FileType::kPdf; }
  int page_count() const override { return doc_->pages(); }

  core::Result<Page> DecodePage(int number) override {
    std::unique_ptr<poppler::page> page(doc_->create_page(number - 1));
    if (page == nullptr) {
      return core::CorruptInput("corrupt_pdf", "page " + std::to_string(number) + " unreadable");
    }
    poppler::rectf crop = page->page_rect(poppler::crop_box);
    double w_pt = std::abs(crop.width());
    double h_pt = std::abs(crop.height());
    poppler::page::orientation_enum orientation = page->orientation();
    if (orientation == poppler::page::landscape || orientation == poppler::page::seascape) {
      std::swap(w_pt, h_pt);
    }
    double scale = options_.dpi / 72.0;
    Page out;
    out.number = number;
    out.width = ScaledSize(w_pt, scale);
    out.height = ScaledSize(h_pt, scale);
    out.dpi = options_.dpi;
    out.dpi_source = core::DpiSource::kRender;
    core::Status pixels = CheckPagePixels(out.width, out.height, options_.limits.max_page_pixels);
    if (!pixels.ok()) return pixels.WithContext("at " + std::to_string(options_.dpi) + " dpi");
    std::vector<poppler::text_box> boxes = page->text_list();
    if (boxes.size() > options_.limits.max_text_layer_words) {
      return core::LimitExceeded("text_layer_words",
                                 "page " + std::to_string(number) + " has a text layer of " +
                                     std::to_string(boxes.size()) + " words (at most " +
                                     std::to_string(options_.limits.max_text_layer_words) + ")");
    }
    if (TextLayerUsable(boxes, options_.min_text_layer_chars)) {
      out.source = core::PageSource::kPdfText;
      out.words = ToWords(boxes, scale, out.width, out.height);
      if (!options_.render_text_pages) return out;
    }
    return Render(*page, std::move(out));
  }

 private:
  static std::vector<core::Word> ToWords(const std::vector<poppler::text_box>& boxes, double scale,
                                         int width, int height) {
    std::vector<core::Word> words;
    words.reserve(boxes.size());
    for (const poppler::text_box& box : boxes) {
      core::Word word;
      word.text = ToUtf8(box.text());
      if (word.text.find_first_not_of(" \t\r\n") == std::string::npos) continue;
      poppler::rectf r = box.bbox();
      // Clamp: glyph boxes of text drawn partly off the page reach outside it.
      word.box.x0 = std::clamp(r.left() * scale, 0.0, double(width));
      word.box.y0 = std::clamp(r.top() * scale, 0.0, double(height));
      word.box.x1 = std::clamp(r.right() * scale, 0.0, double(width));
      word.box.y1 = std::clamp(r.bottom() * scale, 0.0, double(height));
      word.confidence = 1.0;
      words.push_back(std::move(word));
    }
    return words;
  }

  core::Result<Page> Render(const poppler::page& page, Page out) const {
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_image_format(poppler::image::format_gray8);
    poppler::image image = renderer.render_page(&page, options_.dpi, options_.dpi);
    if (!image.is_valid() || image.width() <= 0 || image.height() <= 0) {
      return core::CorruptInput("render_failed",
                                "page " + std::to_string(out.number) + " could not be rendered");
    }
    // Rounding may make the bitmap a row or column larger than the size checked.
    SMARTOCR_RETURN_IF_ERROR(
        CheckPagePixels(image.width(), image.height(), options_.limits.max_page_pixels));
    cv::Mat view(image.height(), image.width(), CV_8UC1, const_cast<char*>(image.const_data()),
                 static_cast<size_t>(image.bytes_per_row()));
    out.image = view.clone();
    // Trust the bitmap for the size: it is what the words will be read from.
    out.width = out.image.cols;
    out.height = out.image.rows;
    return out;
  }

  // The first attachment named as an e-invoice standard names its XML.
  std::optional<EmbeddedInvoice> FindEmbeddedInvoice() const override {
    if (!doc_->has_embedded_files()) return std::nullopt;
    for (poppler::embedded_file* file : doc_->embedded_files()) {  // owned by doc_
      if (file == nullptr || !file->is_valid()) continue;
      // The declared size is optional (-1 when absent); the data decides.
      if (static_cast<int64_t>(file->size()) >
          static_cast<int64_t>(options_.limits.max_embedded_invoice_bytes)) {
        continue;
      }
      poppler::byte_array bytes = file->data();
      if (bytes.size() > options_.limits.max_embedded_invoice_bytes) continue;
      std::string xml(bytes.begin(), bytes.end());
      std::string name = PdfTextString(file->name());
      if (!IsEmbeddedInvoiceName(name) && !LooksLikeCrossIndustryXml(xml)) continue;
      if (name.size() > kMaxEmbeddedInvoiceNameBytes) name.resize(kMaxEmbeddedInvoiceNameBytes);
      return EmbeddedInvoice{std::move(name), std::move(xml)};
    }
    return std::nullopt;
  }

  std::unique_ptr<poppler::document> doc_;
  IngestOptions options_;
};

}  // namespace

core::Result<std::unique_ptr<PageDecoder>> OpenPdfDecoder(const std::string& path,
                                                          const IngestOptions& options) {
  SilencePoppler();
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path));
  if (doc == nullptr) return core::CorruptInput("corrupt_pdf", path + " is not a readable PDF");
  // Files encrypted with an empty user password (common: "no copying" permissions)
  // open fine; only a real user password locks us out.
  if (doc->is_locked()) doc->unlock("", "");  // returns the new locked state
  if (doc->is_locked()) return core::Encrypted("encrypted_pdf", path + " is password-protected");
  if (doc->pages() <= 0) return core::CorruptInput("no_pages", path + " has no pages");
  return std::unique_ptr<PageDecoder>(std::make_unique<PdfDecoder>(std::move(doc), options));
}

std::string PopplerVersion() { return poppler::version_string(); }

}  // namespace smartocr::ingest
