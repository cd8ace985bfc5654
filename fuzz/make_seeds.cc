// smartocr_fuzz_seeds DIR: writes the ingest fuzz targets' own seed files into DIR, one
// small valid file per format and feature (gray and color PNG, JPEG, a two-page TIFF,
// a PDF with a text layer and an image page), so no binary seed is committed and the
// targets start from every decoder path even without ../shared/data/hostile.
#include <cstdio>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

namespace {

// A small picture with edges and text-like strokes (the decoders see real data).
cv::Mat Picture(int type) {
  cv::Mat image(24, 32, type, cv::Scalar::all(255));
  for (int y = 4; y < 20; y += 4) image.row(y).colRange(3, 29).setTo(cv::Scalar::all(0));
  image.col(16).setTo(cv::Scalar(40, 90, 160));
  return image;
}

// PDF objects 1..n written with a correct cross-reference table.
std::string PdfFile(const std::vector<std::string>& objects) {
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t offset : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

std::string Stream(const std::string& dict, const std::string& data) {
  return "<< " + dict + " /Length " + std::to_string(data.size()) + " >>\nstream\n" + data +
         "\nendstream";
}

// Page 1: a text layer (Helvetica); page 2: a 4x4 gray image, no text.
std::string TwoPagePdf() {
  const std::string text = "BT /F1 18 Tf 36 100 Td (Invoice 2024-06-01 Total 12.50 EUR) Tj ET";
  constexpr char kPixels[] = "\x00\x40\x80\xff\xff\x80\x40\x00\x00\x40\x80\xff\xff\x80\x40\x00";
  return PdfFile({
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 150] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> >> >>",
      Stream("", text),
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 7 0 R "
      "/Resources << /XObject << /Im1 8 0 R >> >> >>",
      Stream("", "q 80 0 0 80 10 10 cm /Im1 Do Q"),
      Stream("/Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray "
             "/BitsPerComponent 8",
             std::string(kPixels, sizeof kPixels - 1)),
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  bool ok = cv::imwrite(dir + "/gray.png", Picture(CV_8UC1)) &&
            cv::imwrite(dir + "/color.png", Picture(CV_8UC3)) &&
            cv::imwrite(dir + "/color.jpg", Picture(CV_8UC3)) &&
            cv::imwritemulti(dir + "/two-pages.tif",
                             std::vector<cv::Mat>{Picture(CV_8UC1), Picture(CV_8UC3)});
  std::ofstream pdf(dir + "/two-pages.pdf", std::ios::binary);
  pdf << TwoPagePdf();
  ok = ok && pdf.good();
  if (!ok) std::fprintf(stderr, "could not write the seeds into %s\n", dir.c_str());
  return ok ? 0 : 1;
}
