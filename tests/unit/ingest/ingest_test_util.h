// tests/unit/ingest/ingest_test_util.h
//
// Fixture builders for the ingest tests: hand-made files (TIFF via libtiff, a JPEG
// with an EXIF orientation, an encrypted PDF, a PNG header claiming a huge size) and
// helpers to read a whole document and to check that no child or descriptor leaked.
#ifndef SMARTOCR_TESTS_UNIT_INGEST_INGEST_TEST_UTIL_H_
#define SMARTOCR_TESTS_UNIT_INGEST_INGEST_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/core.h"
#include "ingest/ingest.h"

namespace smartocr::ingest::testing {

// Opens `path` and reads every selected page.
core::Result<std::vector<Page>> ReadAll(const std::string& path, const IngestOptions& options);

// One TIFF page: an 8-bit gray image, written LZW-compressed, or as a 1-bit bilevel
// page with CCITT G4 compression when `g4` (pixels < 128 become black).
struct TiffPage {
  cv::Mat gray;
  bool g4 = false;
  // Resolution tags written when dpi > 0: XResolution = YResolution = dpi in `unit`
  // (RESUNIT_INCH 2, RESUNIT_CENTIMETER 3, RESUNIT_NONE 1).
  double dpi = 0;
  int unit = 2;
};
void WriteTiff(const std::string& path, const std::vector<TiffPage>& pages);

// A JPEG of `image` (8-bit gray) with an EXIF APP1 segment holding `orientation`.
std::string JpegWithExifOrientation(const cv::Mat& image, int orientation);

// A JPEG of `image` whose JFIF APP0 says `units` (0 aspect only, 1 per inch, 2 per
// cm) and density x, y.
std::string JpegWithDensity(const cv::Mat& image, int units, int x, int y);

// A JPEG of `image` whose JFIF APP0 states no resolution, with an EXIF APP1 holding
// XResolution x, YResolution y (rationals over 1) and ResolutionUnit `unit`, little-endian.
std::string JpegWithExifResolution(const cv::Mat& image, uint32_t x, uint32_t y, int unit);

// A PNG of `image` with a pHYs chunk (pixels per unit x, y; unit 1 metre, 0 none)
// before its image data, CRC included.
std::string PngWithPhys(const cv::Mat& image, uint32_t x, uint32_t y, int unit);

// A minimal PDF: objects numbered from 1 (object 1 is the catalog), a correct
// cross-reference table, and `trailer_extra` added to the trailer dictionary.
std::string PdfFromObjects(const std::vector<std::string>& objects,
                           const std::string& trailer_extra = "");

// A PDF whose trailer names an RC4 /Encrypt dictionary that the empty password does
// not open.
std::string EncryptedPdf();

// A PNG signature and IHDR claiming width x height, and nothing else useful.
std::string PngHeader(uint32_t width, uint32_t height);

// The smartocr-decode helper: $SMARTOCR_DECODER, else the one this test was built with.
std::string DecoderPath();

// Number of open descriptors of this process.
int OpenFdCount();
// True when this process has no child left to reap (no zombie, none running).
bool NoChildren();

// Sets an environment variable for the scope's lifetime.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value);  // value nullptr: unset
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// A test fixture with a fresh temp dir, removed afterwards.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  std::string dir_;
};

}  // namespace smartocr::ingest::testing

#endif  // SMARTOCR_TESTS_UNIT_INGEST_INGEST_TEST_UTIL_H_
