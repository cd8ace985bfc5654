// The searchable-PDF writer: a PDF 1.5 file written front to back. Object numbers 1..9
// are reserved up front for the objects written last or shared by all pages (catalog,
// page tree, font, info); each AddPage appends its image, content stream and page
// object at once, so only one page is held in memory. Finish writes the shared objects,
// the cross-reference table and the trailer. The output has no dates or ids in it, so
// the same pages always give the same bytes.
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "render/pdf_internal.h"
#include "render/render.h"

namespace smartocr::render {

namespace {

using internal::PdfNumber;

// Reserved object numbers.
constexpr int kCatalogObj = 1;
constexpr int kPagesObj = 2;
constexpr int kFontObj = 3;
constexpr int kCidFontObj = 4;
constexpr int kFontDescriptorObj = 5;
constexpr int kFontFileObj = 6;
constexpr int kCidToGidObj = 7;
constexpr int kToUnicodeObj = 8;
constexpr int kInfoObj = 9;
constexpr int kFirstPageObj = 10;

std::string Ref(int obj) { return std::to_string(obj) + " 0 R"; }

// Closes without checking: only used to drop a file we are abandoning anyway. Finish
// closes explicitly and checks the result.
struct FileCloser {
  void operator()(std::FILE* file) const {
    std::fclose(file);  // NOLINT(cppcoreguidelines-owning-memory): the unique_ptr owns it
  }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

class PdfFileWriter : public SearchablePdfWriter {
 public:
  PdfFileWriter(std::string path, FilePtr file, bool remove_on_failure)
      : path_(std::move(path)), file_(std::move(file)), remove_on_failure_(remove_on_failure) {
    offsets_.resize(kFirstPageObj, 0);
    // The binary comment tells transfer tools the file is not text.
    Write("%PDF-1.5\n%\xE2\xE3\xCF\xD3\n");
  }

  ~PdfFileWriter() override {
    // Finish was never called (the caller gave up): do not leave a broken PDF behind.
    if (file_ != nullptr) {
      Abandon();
    }
  }

  core::Status AddPage(const core::PageResult& page, const cv::Mat& image, double dpi) override {
    if (file_ == nullptr) {
      return core::InvalidArgument("pdf_finished", "AddPage after Finish: " + path_);
    }
    if (!error_.ok()) {
      return error_;
    }
    if (!std::isfinite(dpi) || dpi <= 0) {
      return core::InvalidArgument("bad_dpi",
                                   "page dpi must be positive, got " + std::to_string(dpi));
    }
    core::Result<internal::PdfImage> encoded = internal::EncodePageImage(image);
    if (!encoded.ok()) {
      return encoded.status().WithContext("page " + std::to_string(page.number));
    }

    // Boxes are in page.width x page.height pixels; the image should be that size, but
    // if it is not, it is stretched over the same page and the boxes follow it.
    double width_pt = image.cols * 72.0 / dpi;
    double height_pt = image.rows * 72.0 / dpi;
    internal::PageGeometry geometry;
    geometry.points_per_px_x = width_pt / (page.width > 0 ? page.width : image.cols);
    geometry.points_per_px_y = height_pt / (page.height > 0 ? page.height : image.rows);
    geometry.height_pt = height_pt;
    std::string content = "q " + PdfNumber(width_pt) + " 0 0 " + PdfNumber(height_pt) +
                          " 0 0 cm /Im0 Do Q\n" + internal::TextLayerOps(page, geometry);
    core::Result<std::string> packed = internal::Deflate(content);
    if (!packed.ok()) {
      return packed.status();
    }

    int image_obj = NewObject();
    WriteStream(image_obj, "/Type /XObject /Subtype /Image " + encoded->dict, encoded->data);
    int content_obj = NewObject();
    WriteStream(content_obj, "/Filter /FlateDecode", *packed);
    int page_obj = NewObject();
    WriteObject(page_obj, "<< /Type /Page /Parent " + Ref(kPagesObj) + " /MediaBox [0 0 " +
                              PdfNumber(width_pt) + " " + PdfNumber(height_pt) +
                              "] /Resources << /XObject << /Im0 " + Ref(image_obj) +
                              " >> /Font << /F0 " + Ref(kFontObj) + " >> >> /Contents " +
                              Ref(content_obj) + " >>");
    page_objs_.push_back(page_obj);
    return error_;
  }

  core::Status Finish() override {
    if (file_ == nullptr) {
      return core::InvalidArgument("pdf_finished", "Finish called twice: " + path_);
    }
    if (error_.ok() && page_objs_.empty()) {
      // A PDF must have at least one page; rather than an invalid file, write none.
      error_ = core::InvalidArgument("no_pages", "no pages were added to " + path_);
    }
    if (error_.ok()) {
      WriteTrailerObjects();
    }
    if (error_.ok() && std::fclose(file_.release()) != 0) {
      error_ = core::IoError("pdf_write", "closing " + path_ + ": " + std::strerror(errno));
    }
    if (!error_.ok()) {
      Abandon();
    }
    return error_;
  }

 private:
  void Write(std::string_view bytes) {
    if (!error_.ok()) {
      return;
    }
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_.get()) != bytes.size()) {
      error_ = core::IoError("pdf_write", "writing " + path_ + ": " + std::strerror(errno));
      return;
    }
    offset_ += bytes.size();
  }

  int NewObject() {
    offsets_.push_back(0);
    return static_cast<int>(offsets_.size()) - 1;
  }

  void WriteObject(int obj, const std::string& body) {
    offsets_[obj] = offset_;
    Write(std::to_string(obj) + " 0 obj\n" + body + "\nendobj\n");
  }

  void WriteStream(int obj, const std::string& dict, std::string_view data) {
    offsets_[obj] = offset_;
    Write(std::to_string(obj) + " 0 obj\n<< " + dict + " /Length " + std::to_string(data.size()) +
          " >>\nstream\n");
    Write(data);
    Write("\nendstream\nendobj\n");
  }

  // Deflates `data` into a stream object; `dict` gets /Filter added.
  void WriteDeflated(int obj, const std::string& dict, const std::string& data) {
    core::Result<std::string> packed = internal::Deflate(data);
    if (!packed.ok()) {
      error_ = packed.status();
      return;
    }
    WriteStream(obj, dict + (dict.empty() ? "" : " ") + "/Filter /FlateDecode", *packed);
  }

  void WriteFont() {
    std::string name = std::string("/") + internal::kGlyphlessFontName;
    WriteObject(kFontObj, "<< /Type /Font /Subtype /Type0 /BaseFont " + name +
                              " /Encoding /Identity-H /DescendantFonts [" + Ref(kCidFontObj) +
                              "] /ToUnicode " + Ref(kToUnicodeObj) + " >>");
    WriteObject(kCidFontObj,
                "<< /Type /Font /Subtype /CIDFontType2 /BaseFont " + name +
                    " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
                    " /FontDescriptor " +
                    Ref(kFontDescriptorObj) + " /DW " + std::to_string(internal::kGlyphAdvance) +
                    " /CIDToGIDMap " + Ref(kCidToGidObj) + " >>");
    std::string ascent = std::to_string(internal::kGlyphAscent);
    std::string descent = std::to_string(internal::kGlyphDescent);
    WriteObject(kFontDescriptorObj,
                "<< /Type /FontDescriptor /FontName " + name + " /Flags 5 /FontBBox [0 " + descent +
                    " " + std::to_string(internal::kGlyphAdvance) + " " + ascent +
                    "] /ItalicAngle 0 /Ascent " + ascent + " /Descent " + descent + " /CapHeight " +
                    ascent + " /StemV 80 /FontFile2 " + Ref(kFontFileObj) + " >>");
    std::string program = internal::GlyphlessFontProgram();
    WriteDeflated(kFontFileObj, "/Length1 " + std::to_string(program.size()), program);
    WriteDeflated(kCidToGidObj, "", internal::CidToGidMap());
    WriteDeflated(kToUnicodeObj, "", internal::ToUnicodeCMap());
  }

  void WriteTrailerObjects() {
    WriteFont();
    std::string kids;
    for (int obj : page_objs_) {
      kids += (kids.empty() ? "" : " ") + Ref(obj);
    }
    WriteObject(kPagesObj, "<< /Type /Pages /Kids [" + kids + "] /Count " +
                               std::to_string(page_objs_.size()) + " >>");
    WriteObject(kCatalogObj, "<< /Type /Catalog /Pages " + Ref(kPagesObj) + " >>");
    WriteObject(
        kInfoObj,
        "<< /Producer " + internal::PdfLiteral(std::string("SmartOCR ") + core::kVersion) + " >>");
    size_t xref_offset = offset_;
    std::string xref = "xref\n0 " + std::to_string(offsets_.size()) + "\n0000000000 65535 f \n";
    for (size_t obj = 1; obj < offsets_.size(); ++obj) {
      char entry[32];
      std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offsets_[obj]);
      xref += entry;
    }
    Write(xref);
    Write("trailer\n<< /Size " + std::to_string(offsets_.size()) + " /Root " + Ref(kCatalogObj) +
          " /Info " + Ref(kInfoObj) + " >>\nstartxref\n" + std::to_string(xref_offset) +
          "\n%%EOF\n");
  }

  // Closes the file and deletes it: a partial PDF is worse than none. Only a regular
  // file we opened is deleted, never e.g. a device.
  void Abandon() {
    file_.reset();
    if (remove_on_failure_) {
      std::error_code ignored;
      std::filesystem::remove(path_, ignored);
    }
  }

  std::string path_;
  FilePtr file_;  // null once finished or abandoned
  bool remove_on_failure_;
  core::Status error_;           // sticky: the first failure, returned from then on
  size_t offset_ = 0;            // bytes written so far
  std::vector<size_t> offsets_;  // byte offset of each object, by object number
  std::vector<int> page_objs_;
};

}  // namespace

core::Result<std::unique_ptr<SearchablePdfWriter>> OpenSearchablePdf(const std::string& path) {
  FilePtr file(std::fopen(path.c_str(), "wb"));
  if (file == nullptr) {
    return core::IoError("pdf_open",
                         "cannot open " + path + " for writing: " + std::strerror(errno));
  }
  std::error_code ec;
  bool regular = std::filesystem::is_regular_file(path, ec);
  return std::unique_ptr<SearchablePdfWriter>(
      std::make_unique<PdfFileWriter>(path, std::move(file), regular));
}

}  // namespace smartocr::render
