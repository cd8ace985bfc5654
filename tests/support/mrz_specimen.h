// tests/support/mrz_specimen.h
//
// Synthetic MRZ specimens: random holders with correct ICAO 9303 check digits, their
// MRZ lines (TD1, TD2, TD3, MRV-A, MRV-B), rendered with the OCR-B typeface (Debian's
// fonts-ocr-b) on card and passport pages with a visual zone, and degraded the ways
// phones and scanners degrade them (blur, turns, perspective, JPEG, uneven light,
// low resolution, noise). The check digits are computed here, not by src/mrz, so the
// specimens are an independent witness for the reader.
//
//   std::mt19937 rng(7);
//   MrzHolder h = RandomHolder(SpecimenLayout::kTd3, rng);
//   std::vector<std::string> lines = ComposeMrz(SpecimenLayout::kTd3, h);
//   cv::Mat page = RenderSpecimen(SpecimenLayout::kTd3, h, rng);
//   cv::Mat photo = Degrade(page, DegradationByName("moderate"), rng);
#ifndef SMARTOCR_TESTS_SUPPORT_MRZ_SPECIMEN_H_
#define SMARTOCR_TESTS_SUPPORT_MRZ_SPECIMEN_H_

#include <array>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace smartocr::testing {

enum class SpecimenLayout { kTd1, kTd2, kTd3, kMrvA, kMrvB };
const char* SpecimenLayoutName(SpecimenLayout layout);  // "TD1", ..., "MRVA", "MRVB"

struct MrzHolder {
  std::string document_code;  // two characters, e.g. "P<", "ID", "V<"
  std::string issuing;        // three, '<'-padded ("D<<")
  std::string surname;        // letters and spaces ("VAN DER BERG")
  std::vector<std::string> given_names;
  std::string number;       // up to 9 letters/digits
  std::string nationality;  // three, '<'-padded
  std::string birth;        // YYMMDD
  char sex = '<';           // 'M', 'F' or '<'
  std::string expiry;       // YYMMDD
  std::string optional1;    // TD3 personal number (14), TD1 optional data (15), visas
  std::string optional2;    // TD1 line 2 optional data (11)
};

// ICAO 9303 check digit (weights 7, 3, 1; '<' = 0; 'A' = 10), computed on its own.
int SpecimenCheckDigit(std::string_view s);

// The MRZ lines of `h` in `layout`, fillers and check digits included. A personal
// number that is all fillers gets '<' as its check digit (Doc 9303 part 4).
std::vector<std::string> ComposeMrz(SpecimenLayout layout, const MrzHolder& h);

// A random holder: pronounceable names, a number of common shapes, real codes, dates
// that make sense (born 1940-2010, expiring 2015-2036).
MrzHolder RandomHolder(SpecimenLayout layout, std::mt19937& rng);

// The document (card, or passport or visa page) at 300 dpi, 8-bit BGR: a tinted
// security background, a photo, the visual zone (names, dates, number, sex printed in
// plain type) and the MRZ in OCR-B at the ICAO pitch (2.54 mm).
cv::Mat RenderSpecimen(SpecimenLayout layout, const MrzHolder& h, std::mt19937& rng);

struct Degradation {
  std::string name;
  double blur_sigma = 0;   // Gaussian blur, pixels at 300 dpi
  double rotate_deg = 0;   // the largest turn, either way
  double perspective = 0;  // the largest corner shift, share of the shorter side
  int jpeg_quality = 0;    // 0: lossless PNG
  double light = 0;        // uneven light: the darkest share of the brightness lost
  double scale = 1;        // resample to this share of 300 dpi
  double noise_sigma = 0;  // Gaussian sensor noise, grey levels
  bool on_scene = false;   // photographed: the document on a darker surface
};

// The named degradations of the synthetic set: "clean", "blur", "rotate",
// "perspective", "jpeg", "light", "lowres", "noise", "moderate", "severe", "angled"
// (a strong perspective, as a phone held at an angle).
std::vector<Degradation> SpecimenDegradations();
// One of them by name; "clean" for an unknown name.
Degradation DegradationByName(std::string_view name);

// `image` as the degradation leaves it, 8-bit BGR; random amounts up to its limits.
// `corners` (optional) receives where the document's corners end up: top-left,
// top-right, bottom-right, bottom-left.
cv::Mat Degrade(const cv::Mat& image, const Degradation& d, std::mt19937& rng,
                std::array<cv::Point2f, 4>* corners = nullptr);

// The label in ../shared/data/mrz's format (lines, mrz_type, parsed fields with their
// check digits, all_valid), plus "degradation".
nlohmann::json SpecimenLabel(SpecimenLayout layout, const MrzHolder& h,
                             const std::string& degradation);

}  // namespace smartocr::testing

#endif  // SMARTOCR_TESTS_SUPPORT_MRZ_SPECIMEN_H_
