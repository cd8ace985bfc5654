#include "fixtures.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace smartocr::testing {

namespace {

void DrawPage(cairo_t* cr, const FixturePage& page) {
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  if (page.rotate_deg != 0) {
    cairo_translate(cr, page.width_pt / 2, page.height_pt / 2);
    cairo_rotate(cr, -page.rotate_deg * 3.14159265358979323846 / 180.0);
    cairo_translate(cr, -page.width_pt / 2, -page.height_pt / 2);
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (const TextRun& run : page.runs) {
    cairo_select_font_face(cr, run.mono ? "DejaVu Sans Mono" : "DejaVu Sans",
                           CAIRO_FONT_SLANT_NORMAL,
                           run.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, run.size_pt);
    cairo_move_to(cr, run.x_pt, run.y_pt);
    cairo_show_text(cr, run.text.c_str());
  }
  cairo_set_line_width(cr, 1.0);
  for (const auto& r : page.rules) {
    cairo_move_to(cr, r[0], r[1]);
    cairo_line_to(cr, r[2], r[3]);
    cairo_stroke(cr);
  }
  cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
  for (const auto& b : page.boxes) {
    cairo_rectangle(cr, b[0], b[1], b[2] - b[0], b[3] - b[1]);
    cairo_fill(cr);
  }
}

}  // namespace

std::vector<TextRun> Paragraph(const std::vector<std::string>& lines, double x_pt, double y_pt,
                               double size_pt, double leading_pt) {
  std::vector<TextRun> runs;
  for (size_t i = 0; i < lines.size(); ++i) {
    runs.push_back({lines[i], x_pt, y_pt + leading_pt * static_cast<double>(i), size_pt});
  }
  return runs;
}

cv::Mat RenderPage(const FixturePage& page, double dpi) {
  double scale = dpi / 72.0;
  int w = static_cast<int>(page.width_pt * scale + 0.5);
  int h = static_cast<int>(page.height_pt * scale + 0.5);
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t* cr = cairo_create(surface);
  cairo_scale(cr, scale, scale);
  DrawPage(cr, page);
  cairo_destroy(cr);
  cairo_surface_flush(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  int stride = cairo_image_surface_get_stride(surface);
  cv::Mat gray(h, w, CV_8UC1);
  for (int y = 0; y < h; ++y) {
    const uint32_t* row = reinterpret_cast<const uint32_t*>(data + static_cast<size_t>(y) * stride);
    for (int x = 0; x < w; ++x) {
      uint32_t px = row[x];
      int r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;
      gray.at<uint8_t>(y, x) = static_cast<uint8_t>((r * 299 + g * 587 + b * 114) / 1000);
    }
  }
  cairo_surface_destroy(surface);
  return gray;
}

void WritePdf(const std::string& path, const std::vector<FixturePage>& pages, double scan_dpi) {
  double w0 = pages.empty() ? 612 : pages[0].width_pt;
  double h0 = pages.empty() ? 792 : pages[0].height_pt;
  cairo_surface_t* pdf = cairo_pdf_surface_create(path.c_str(), w0, h0);
  for (const FixturePage& page : pages) {
    cairo_pdf_surface_set_size(pdf, page.width_pt, page.height_pt);
    cairo_t* cr = cairo_create(pdf);
    if (page.scanned) {
      double scale = scan_dpi / 72.0;
      int w = static_cast<int>(page.width_pt * scale + 0.5);
      int h = static_cast<int>(page.height_pt * scale + 0.5);
      cairo_surface_t* img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
      cairo_t* icr = cairo_create(img);
      cairo_scale(icr, scale, scale);
      DrawPage(icr, page);
      cairo_destroy(icr);
      cairo_scale(cr, 1 / scale, 1 / scale);
      cairo_set_source_surface(cr, img, 0, 0);
      cairo_paint(cr);
      cairo_surface_destroy(img);
    } else {
      DrawPage(cr, page);
    }
    cairo_show_page(cr);
    cairo_destroy(cr);
  }
  cairo_surface_finish(pdf);
  if (cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error("cairo could not write " + path);
  }
  cairo_surface_destroy(pdf);
}

void AttachFileToPdf(const std::string& path, const std::string& name, const std::string& data) {
  std::string pdf = ReadFile(path);
  auto fail = [&path](const char* what) {
    std::fprintf(stderr, "AttachFileToPdf(%s): %s\n", path.c_str(), what);
    std::abort();
  };
  const size_t startxref = pdf.rfind("startxref");
  if (startxref == std::string::npos) fail("no startxref");
  const long prev = std::strtol(pdf.c_str() + startxref + 9, nullptr, 10);
  std::smatch m;
  const std::string tail = pdf.substr(static_cast<size_t>(prev));
  if (!std::regex_search(tail, m, std::regex(R"(/Root (\d+) 0 R)"))) fail("no /Root");
  const int root = std::stoi(m[1]);
  if (!std::regex_search(tail, m, std::regex(R"(/Size (\d+))"))) fail("no /Size");
  const int size = std::stoi(m[1]);
  const size_t obj = pdf.find("\n" + std::to_string(root) + " 0 obj");
  if (obj == std::string::npos) fail("catalog is not a plain object");
  const size_t dict = pdf.find("<<", obj);
  const size_t dict_end = pdf.rfind(">>", pdf.find("endobj", obj));
  if (dict == std::string::npos || dict_end == std::string::npos || dict_end < dict) {
    fail("catalog dictionary");
  }
  const std::string catalog = pdf.substr(dict, dict_end - dict);  // without the closing >>
  const int spec = size;
  const int file = size + 1;
  if (pdf.back() != '\n') pdf += '\n';
  std::vector<size_t> offsets;
  offsets.push_back(pdf.size());
  pdf += std::to_string(root) + " 0 obj\n" + catalog + " /Names << /EmbeddedFiles << /Names [(" +
         name + ") " + std::to_string(spec) + " 0 R] >> >> /AF [" + std::to_string(spec) +
         " 0 R] >>\nendobj\n";
  offsets.push_back(pdf.size());
  pdf += std::to_string(spec) + " 0 obj\n<< /Type /Filespec /F (" + name + ") /UF (" + name +
         ") /AFRelationship /Alternative /EF << /F " + std::to_string(file) + " 0 R /UF " +
         std::to_string(file) + " 0 R >> >>\nendobj\n";
  offsets.push_back(pdf.size());
  pdf += std::to_string(file) + " 0 obj\n<< /Type /EmbeddedFile /Subtype /text#2Fxml /Length " +
         std::to_string(data.size()) + " >>\nstream\n" + data + "\nendstream\nendobj\n";
  const size_t xref = pdf.size();
  char entry[32];
  auto add_entry = [&](size_t offset) {
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    pdf += entry;
  };
  pdf += "xref\n0 1\n0000000000 65535 f \n" + std::to_string(root) + " 1\n";
  add_entry(offsets[0]);
  pdf += std::to_string(spec) + " 2\n";
  add_entry(offsets[1]);
  add_entry(offsets[2]);
  pdf += "trailer\n<< /Size " + std::to_string(size + 2) + " /Root " + std::to_string(root) +
         " 0 R /Prev " + std::to_string(prev) + " >>\nstartxref\n" + std::to_string(xref) +
         "\n%%EOF\n";
  WriteFile(path, pdf);
}

std::string MakeTempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/smartocr-test-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return std::string(buf.data());
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string SharedDataDir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("SMARTOCR_SHARED_DATA"); env && *env) {
    return fs::is_directory(env) ? std::string(env) : std::string();
  }
#ifdef SMARTOCR_SOURCE_DIR
  fs::path p = fs::path(SMARTOCR_SOURCE_DIR) / ".." / "shared" / "data";
  if (fs::is_directory(p)) return fs::canonical(p).string();
#endif
  return "";
}

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      cur += static_cast<char>(std::tolower(u));
    } else if (!cur.empty()) {
      out.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

double WordRecall(const std::string& expected, const std::string& actual) {
  std::map<std::string, int> have;
  for (const auto& w : Words(actual)) ++have[w];
  int total = 0, found = 0;
  for (const auto& w : Words(expected)) {
    ++total;
    if (have[w] > 0) {
      --have[w];
      ++found;
    }
  }
  return total ? static_cast<double>(found) / total : 1.0;
}

}  // namespace smartocr::testing
