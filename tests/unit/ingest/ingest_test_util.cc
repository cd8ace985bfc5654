#include "ingest_test_util.h"

#include <dirent.h>
#include <sys/wait.h>
#include <tiffio.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <stdexcept>

#include "fixtures.h"

namespace smartocr::ingest::testing {

namespace {

std::string Be16(int v) { return {char((v >> 8) & 0xff), char(v & 0xff)}; }
std::string Be32(uint32_t v) { return Be16(int(v >> 16)) + Be16(int(v & 0xffff)); }
std::string Le16(int v) { return {char(v & 0xff), char((v >> 8) & 0xff)}; }
std::string Le32(uint32_t v) { return Le16(int(v & 0xffff)) + Le16(int(v >> 16)); }

// PNG's CRC-32 (ISO 3309), bit by bit: a test needs no table.
uint32_t Crc32(const std::string& bytes) {
  uint32_t crc = 0xffffffffu;
  for (char c : bytes) {
    crc ^= static_cast<uint8_t>(c);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return crc ^ 0xffffffffu;
}

std::string Encode(const cv::Mat& image, const char* ext) {
  std::vector<uint8_t> encoded;
  cv::imencode(ext, image, encoded);
  return {encoded.begin(), encoded.end()};
}

}  // namespace

core::Result<std::vector<Page>> ReadAll(const std::string& path, const IngestOptions& options) {
  auto source = OpenDocument(path, options);
  if (!source.ok()) return source.status();
  std::vector<Page> pages;
  while (true) {
    auto page = (*source)->Next();
    if (!page.ok()) return page.status();
    if (!page->has_value()) break;
    pages.push_back(std::move(**page));
  }
  return pages;
}

void WriteTiff(const std::string& path, const std::vector<TiffPage>& pages) {
  TIFF* tif = TIFFOpen(path.c_str(), "w");
  if (tif == nullptr) throw std::runtime_error("cannot write " + path);
  for (const TiffPage& page : pages) {
    const cv::Mat& gray = page.gray;
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, uint32_t(gray.cols));
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, uint32_t(gray.rows));
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, uint16_t(1));
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, uint32_t(gray.rows));
    if (page.dpi > 0) {
      TIFFSetField(tif, TIFFTAG_XRESOLUTION, float(page.dpi));
      TIFFSetField(tif, TIFFTAG_YRESOLUTION, float(page.dpi));
      TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, uint16_t(page.unit));
    }
    if (page.g4) {
      TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, uint16_t(1));
      TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
      TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
      std::vector<uint8_t> row((gray.cols + 7) / 8);
      for (int y = 0; y < gray.rows; ++y) {
        std::fill(row.begin(), row.end(), 0);
        for (int x = 0; x < gray.cols; ++x) {
          if (gray.at<uint8_t>(y, x) < 128) row[x / 8] |= uint8_t(0x80 >> (x % 8));
        }
        TIFFWriteScanline(tif, row.data(), uint32_t(y), 0);
      }
    } else {
      TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, uint16_t(8));
      TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
      TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
      for (int y = 0; y < gray.rows; ++y) {
        TIFFWriteScanline(tif, const_cast<uint8_t*>(gray.ptr<uint8_t>(y)), uint32_t(y), 0);
      }
    }
    TIFFWriteDirectory(tif);
  }
  TIFFClose(tif);
}

std::string JpegWithExifOrientation(const cv::Mat& image, int orientation) {
  std::vector<uint8_t> encoded;
  cv::imencode(".jpg", image, encoded);
  // EXIF: "Exif\0\0", then a big-endian TIFF header and one IFD with one entry,
  // Orientation (0x0112), type SHORT (3), count 1, value left-aligned in 4 bytes.
  std::string tiff = std::string("MM\0*", 4) + Be32(8) + Be16(1) + Be16(0x0112) + Be16(3) +
                     Be32(1) + Be16(orientation) + Be16(0) + Be32(0);
  std::string payload = std::string("Exif\0\0", 6) + tiff;
  std::string app1 = "\xff\xe1" + Be16(int(payload.size() + 2)) + payload;
  std::string jpeg(encoded.begin(), encoded.end());
  // Right after SOI, ahead of the JFIF APP0: EXIF readers look at the first APP1.
  return jpeg.substr(0, 2) + app1 + jpeg.substr(2);
}

std::string JpegWithDensity(const cv::Mat& image, int units, int x, int y) {
  std::string jpeg = Encode(image, ".jpg");
  // libjpeg writes JFIF APP0 right after SOI: FFE0, length, "JFIF\0", version (2),
  // then units at byte 13 and the densities after it.
  if (jpeg.compare(6, 5, std::string("JFIF\0", 5)) != 0) throw std::runtime_error("no JFIF");
  jpeg[13] = char(units);
  jpeg.replace(14, 4, Be16(x) + Be16(y));
  return jpeg;
}

std::string JpegWithExifResolution(const cv::Mat& image, uint32_t x, uint32_t y, int unit) {
  std::string jpeg = JpegWithDensity(image, 0, 1, 1);
  // IFD0 at 8 with three entries (12 bytes each) and a next-IFD offset: the two
  // RATIONALs (type 5) follow at 8 + 2 + 36 + 4 = 50 and 58.
  std::string tiff = std::string("II*\0", 4) + Le32(8) + Le16(3) +                        //
                     Le16(0x011a) + Le16(5) + Le32(1) + Le32(50) +                        //
                     Le16(0x011b) + Le16(5) + Le32(1) + Le32(58) +                        //
                     Le16(0x0128) + Le16(3) + Le32(1) + Le16(unit) + Le16(0) + Le32(0) +  //
                     Le32(x) + Le32(1) + Le32(y) + Le32(1);
  std::string payload = std::string("Exif\0\0", 6) + tiff;
  std::string app1 = "\xff\xe1" + Be16(int(payload.size() + 2)) + payload;
  // After the JFIF APP0 (2 + 2 + 16 bytes).
  return jpeg.substr(0, 20) + app1 + jpeg.substr(20);
}

std::string PngWithPhys(const cv::Mat& image, uint32_t x, uint32_t y, int unit) {
  std::string png = Encode(image, ".png");
  const std::string body = "pHYs" + Be32(x) + Be32(y) + std::string(1, char(unit));
  const std::string chunk = Be32(9) + body + Be32(Crc32(body));
  // After the signature (8) and IHDR (4 + 4 + 13 + 4).
  return png.substr(0, 33) + chunk + png.substr(33);
}

std::string PdfFromObjects(const std::vector<std::string>& objects,
                           const std::string& trailer_extra) {
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t offset : offsets) {
    std::string num = std::to_string(offset);
    pdf += std::string(10 - num.size(), '0') + num + " 00000 n \n";
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R " +
         trailer_extra + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

std::string EncryptedPdf() {
  return PdfFromObjects(
      {
          "<< /Type /Catalog /Pages 2 0 R >>",
          "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
          "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
          "<< /Filter /Standard /V 1 /R 2 /P -4\n"
          "   /O <0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef>\n"
          "   /U <fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210> >>",
      },
      "/Encrypt 4 0 R\n"
      "   /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]");
}

std::string PngHeader(uint32_t width, uint32_t height) {
  // Bit depth 8, gray, no interlace; the CRC is not checked before the size is.
  std::string ihdr = Be32(13) + "IHDR" + Be32(width) + Be32(height) +
                     std::string("\x08\x00\x00\x00\x00", 5) + Be32(0);
  std::string iend = Be32(0) + "IEND" + Be32(0xae426082);
  return std::string("\x89PNG\r\n\x1a\n", 8) + ihdr + iend;
}

std::string DecoderPath() {
  if (const char* env = std::getenv("SMARTOCR_DECODER"); env && *env) return env;
#ifdef SMARTOCR_TEST_DECODER
  return SMARTOCR_TEST_DECODER;
#else
  return "";
#endif
}

int OpenFdCount() {
  int count = 0;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the DIR's own descriptor
}

bool NoChildren() {
  int status = 0;
  return waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD;
}

ScopedEnv::ScopedEnv(const char* name, const char* value) : name_(name) {
  if (const char* old = std::getenv(name)) old_ = old;
  if (value != nullptr) {
    setenv(name, value, 1);
  } else {
    unsetenv(name);
  }
}

ScopedEnv::~ScopedEnv() {
  if (old_) {
    setenv(name_.c_str(), old_->c_str(), 1);
  } else {
    unsetenv(name_.c_str());
  }
}

void TempDirTest::SetUp() { dir_ = smartocr::testing::MakeTempDir(); }

void TempDirTest::TearDown() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace smartocr::ingest::testing
