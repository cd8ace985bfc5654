#include "mrz_specimen.h"

#include <cairo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace smartocr::testing {
namespace {

constexpr double kDpi = 300;
constexpr double kPxPerMm = kDpi / 25.4;
// ICAO 9303 part 3: 10 characters per inch in the MRZ, lines about 4.2 mm apart.
constexpr double kMrzPitchMm = 2.54;
constexpr double kMrzLeadingMm = 4.2;
constexpr double kPi = 3.14159265358979323846;

struct Geometry {
  double width_mm, height_mm;  // the document (ICAO 9303 parts 4-7)
  int width_chars;
  int lines;
};

Geometry GeometryOf(SpecimenLayout layout) {
  switch (layout) {
    case SpecimenLayout::kTd1:
      return {85.6, 54.0, 30, 3};
    case SpecimenLayout::kTd2:
      return {105.0, 74.0, 36, 2};
    case SpecimenLayout::kTd3:
      return {125.0, 88.0, 44, 2};
    case SpecimenLayout::kMrvA:
      return {120.0, 80.0, 44, 2};
    case SpecimenLayout::kMrvB:
      return {105.0, 74.0, 36, 2};
  }
  return {125.0, 88.0, 44, 2};
}

// `s` cut or padded with fillers to `n` characters.
std::string Fit(std::string s, size_t n) {
  s.resize(n, '<');
  return s;
}

char Digit(std::string_view s) { return static_cast<char>('0' + SpecimenCheckDigit(s)); }

bool AllFillers(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '<'; });
}

std::string ToFillers(std::string s) {
  std::replace(s.begin(), s.end(), ' ', '<');
  return s;
}

std::string NameField(const MrzHolder& h, size_t width) {
  std::string name = ToFillers(h.surname) + "<<";
  for (size_t i = 0; i < h.given_names.size(); ++i) {
    name += (i ? "<" : "") + ToFillers(h.given_names[i]);
  }
  return Fit(name, width);
}

int Uniform(std::mt19937& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}
double Real(std::mt19937& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}
template <typename T>
const T& Pick(std::mt19937& rng, const std::vector<T>& v) {
  return v[static_cast<size_t>(Uniform(rng, 0, static_cast<int>(v.size()) - 1))];
}

std::string RandomName(std::mt19937& rng, int min_syllables, int max_syllables) {
  static const std::vector<std::string> kOnsets = {"B", "D", "K", "L",  "M",  "N",  "P",  "R",
                                                   "S", "T", "V", "Z",  "CH", "SH", "TR", "BR",
                                                   "G", "H", "J", "ST", "GR", "KL", "W",  "F"};
  static const std::vector<std::string> kVowels = {"A", "E", "I", "O", "U", "AI", "EE", "OU", "Y"};
  static const std::vector<std::string> kCodas = {"", "", "", "N", "R", "S", "L", "K", "M", "X"};
  std::string out;
  const int n = Uniform(rng, min_syllables, max_syllables);
  for (int i = 0; i < n; ++i) out += Pick(rng, kOnsets) + Pick(rng, kVowels) + Pick(rng, kCodas);
  return out;
}

std::string RandomChars(std::mt19937& rng, std::string_view alphabet, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += alphabet[static_cast<size_t>(Uniform(rng, 0, static_cast<int>(alphabet.size()) - 1))];
  }
  return out;
}

std::string RandomDate(std::mt19937& rng, int first_year, int last_year) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d%02d%02d", Uniform(rng, first_year, last_year) % 100,
                Uniform(rng, 1, 12), Uniform(rng, 1, 28));
  return buf;
}

// "12 AUG 1974" for YYMMDD (birth: 19YY after 2010's YY).
std::string VizDate(const std::string& yymmdd, bool birth) {
  static const char* kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                  "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  const int yy = std::stoi(yymmdd.substr(0, 2));
  const int year = birth ? (yy > 10 ? 1900 + yy : 2000 + yy) : 2000 + yy;
  return yymmdd.substr(4, 2) + " " + kMonths[std::stoi(yymmdd.substr(2, 2)) - 1] + " " +
         std::to_string(year);
}

// ---- drawing

void Text(cairo_t* cr, const char* face, double size_px, double x, double y, const std::string& s,
          bool bold = false) {
  cairo_select_font_face(cr, face, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size_px);
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, s.c_str());
}

void DrawBackground(cairo_t* cr, double w, double h, std::mt19937& rng) {
  const double r = Real(rng, 0.82, 0.98), g = Real(rng, 0.82, 0.98), b = Real(rng, 0.82, 0.98);
  cairo_pattern_t* grad = cairo_pattern_create_linear(0, 0, w, h);
  cairo_pattern_add_color_stop_rgb(grad, 0, r, g, b);
  cairo_pattern_add_color_stop_rgb(grad, 1, r * 0.93, g * 0.95, b * 0.97);
  cairo_set_source(cr, grad);
  cairo_paint(cr);
  cairo_pattern_destroy(grad);
  // Guilloche: fine interleaved waves, the security print that confuses binarization.
  cairo_set_line_width(cr, 1.2);
  const int waves = Uniform(rng, 12, 30);
  const double freq = Real(rng, 2, 6) * 2 * kPi / w, amp = Real(rng, 0.02, 0.06) * h;
  for (int i = 0; i < waves; ++i) {
    cairo_set_source_rgba(cr, r * 0.7, g * 0.75, b * 0.8, 0.5);
    const double y0 = h * i / waves, phase = Real(rng, 0, 2 * kPi);
    cairo_move_to(cr, 0, y0);
    for (double x = 0; x <= w; x += 4) {
      cairo_line_to(cr, x, y0 + amp * std::sin(freq * x + phase));
    }
    cairo_stroke(cr);
  }
}

void DrawPhoto(cairo_t* cr, double x, double y, double w, double h, std::mt19937& rng) {
  const double tone = Real(rng, 0.45, 0.75);
  cairo_set_source_rgb(cr, tone * 0.9, tone * 0.95, tone);
  cairo_rectangle(cr, x, y, w, h);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, tone * 0.6, tone * 0.5, tone * 0.45);
  cairo_save(cr);
  cairo_translate(cr, x + w / 2, y + h * 0.42);
  cairo_scale(cr, w * 0.3, h * 0.3);
  cairo_arc(cr, 0, 0, 1, 0, 2 * kPi);
  cairo_restore(cr);
  cairo_fill(cr);
  cairo_rectangle(cr, x + w * 0.15, y + h * 0.75, w * 0.7, h * 0.25);
  cairo_fill(cr);
}

// The MRZ in OCR-B, one character per pitch (a monospaced zone is what readers expect).
void DrawMrz(cairo_t* cr, const std::vector<std::string>& lines, double x, double bottom) {
  cairo_select_font_face(cr, "OCR B", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 100);
  cairo_text_extents_t e;
  cairo_text_extents(cr, "<", &e);
  const double pitch = kMrzPitchMm * kPxPerMm;
  cairo_set_font_size(cr, 100 * pitch / e.x_advance);
  cairo_set_source_rgb(cr, 0.08, 0.08, 0.1);
  const double leading = kMrzLeadingMm * kPxPerMm;
  for (size_t l = 0; l < lines.size(); ++l) {
    const double y = bottom - leading * static_cast<double>(lines.size() - 1 - l);
    for (size_t k = 0; k < lines[l].size(); ++k) {
      cairo_move_to(cr, x + pitch * static_cast<double>(k), y);
      const char c[2] = {lines[l][k], 0};
      cairo_show_text(cr, c);
    }
  }
}

cv::Mat ToMat(cairo_surface_t* surface) {
  cairo_surface_flush(surface);
  const int w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface);
  cv::Mat bgra(h, w, CV_8UC4, cairo_image_surface_get_data(surface),
               static_cast<size_t>(cairo_image_surface_get_stride(surface)));
  cv::Mat bgr;
  cv::cvtColor(bgra, bgr, cv::COLOR_BGRA2BGR);
  return bgr;
}

}  // namespace

const char* SpecimenLayoutName(SpecimenLayout layout) {
  switch (layout) {
    case SpecimenLayout::kTd1:
      return "TD1";
    case SpecimenLayout::kTd2:
      return "TD2";
    case SpecimenLayout::kTd3:
      return "TD3";
    case SpecimenLayout::kMrvA:
      return "MRVA";
    case SpecimenLayout::kMrvB:
      return "MRVB";
  }
  return "TD3";
}

int SpecimenCheckDigit(std::string_view s) {
  static constexpr int kWeights[] = {7, 3, 1};
  int sum = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : 0;
    sum += v * kWeights[i % 3];
  }
  return sum % 10;
}

std::vector<std::string> ComposeMrz(SpecimenLayout layout, const MrzHolder& h) {
  const std::string number = Fit(h.number, 9);
  const std::string head = Fit(h.document_code, 2) + Fit(h.issuing, 3);
  // Number, nationality, birth, sex, expiry with their check digits (TD2, TD3, visas).
  const std::string dates = number + Digit(number) + Fit(h.nationality, 3) + h.birth +
                            Digit(h.birth) + h.sex + h.expiry + Digit(h.expiry);
  switch (layout) {
    case SpecimenLayout::kTd1: {
      const std::string l1 = head + number + Digit(number) + Fit(h.optional1, 15);
      const std::string l2 = h.birth + Digit(h.birth) + h.sex + h.expiry + Digit(h.expiry) +
                             Fit(h.nationality, 3) + Fit(h.optional2, 11);
      const std::string composite =
          l1.substr(5, 25) + l2.substr(0, 7) + l2.substr(8, 7) + l2.substr(18, 11);
      return {l1, l2 + Digit(composite), NameField(h, 30)};
    }
    case SpecimenLayout::kTd2: {
      const std::string l2 = dates + Fit(h.optional1, 7);
      const std::string composite = l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 14);
      return {head + NameField(h, 31), l2 + Digit(composite)};
    }
    case SpecimenLayout::kTd3: {
      const std::string personal = Fit(h.optional1, 14);
      const std::string l2 = dates + personal + (AllFillers(personal) ? '<' : Digit(personal));
      const std::string composite = l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 22);
      return {head + NameField(h, 39), l2 + Digit(composite)};
    }
    case SpecimenLayout::kMrvA:
      return {head + NameField(h, 39), dates + Fit(h.optional1, 16)};
    case SpecimenLayout::kMrvB:
      return {head + NameField(h, 31), dates + Fit(h.optional1, 8)};
  }
  return {};
}

MrzHolder RandomHolder(SpecimenLayout layout, std::mt19937& rng) {
  static const std::vector<std::string> kCodes = {
      "UTO", "D<<", "GBR", "FRA", "ITA", "ESP", "NLD", "BEL", "POL", "CZE", "SWE", "NOR",
      "FIN", "DNK", "AUT", "CHE", "PRT", "GRC", "IRL", "USA", "CAN", "AUS", "NZL", "JPN",
      "KOR", "CHN", "IND", "BRA", "MEX", "ARG", "ZAF", "EGY", "TUR", "ROU", "HUN", "HRV",
      "LTU", "LVA", "EST", "SVK", "SVN", "BGR", "ISL", "LUX", "MLT", "CYP", "UKR", "KEN"};
  MrzHolder h;
  switch (layout) {
    case SpecimenLayout::kTd3:
      h.document_code =
          Uniform(rng, 0, 9) < 8 ? "P<" : Pick(rng, std::vector<std::string>{"PD", "PS", "PO"});
      break;
    case SpecimenLayout::kTd1:
    case SpecimenLayout::kTd2:
      h.document_code = Pick(rng, std::vector<std::string>{"ID", "I<", "IR", "AC", "C<"});
      break;
    case SpecimenLayout::kMrvA:
    case SpecimenLayout::kMrvB:
      h.document_code = "V<";
      break;
  }
  h.issuing = Pick(rng, kCodes);
  h.nationality = Uniform(rng, 0, 9) < 8 ? h.issuing : Pick(rng, kCodes);
  if (layout == SpecimenLayout::kMrvA || layout == SpecimenLayout::kMrvB) {
    h.nationality = Pick(rng, kCodes);
  }
  h.surname = RandomName(rng, 1, 3);
  if (Uniform(rng, 0, 9) == 0) h.surname += " " + RandomName(rng, 1, 2);
  const int given = Uniform(rng, 1, 3);
  for (int i = 0; i < given; ++i) h.given_names.push_back(RandomName(rng, 1, 3));
  static constexpr std::string_view kDigits = "0123456789";
  // Issuers mostly keep 'O', 'Q' and 'I' out of numbers: they look like digits.
  static constexpr std::string_view kLetters = "ABCDEFGHJKLMNPRSTUVWXYZ";
  static constexpr std::string_view kAlnum = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
  switch (Uniform(rng, 0, 4)) {
    case 0:
      h.number = RandomChars(rng, kDigits, 9);
      break;
    case 1:
      h.number = RandomChars(rng, kLetters, 2) + RandomChars(rng, kDigits, 7);
      break;
    case 2:
      h.number = RandomChars(rng, kLetters, 1) + RandomChars(rng, kDigits, 7) +
                 RandomChars(rng, kLetters, 1);
      break;
    case 3:
      h.number = RandomChars(rng, kLetters, 1) + RandomChars(rng, kAlnum, 8);
      break;
    default:
      h.number = RandomChars(rng, kDigits, 8);
      break;
  }
  h.birth = RandomDate(rng, 1940, 2010);
  h.expiry = RandomDate(rng, 2015, 2036);
  h.sex = Pick(rng, std::vector<char>{'M', 'F', 'M', 'F', 'M', 'F', 'M', 'F', '<'});
  if (Uniform(rng, 0, 1) == 0) {
    const int max = layout == SpecimenLayout::kTd2 ? 7 : layout == SpecimenLayout::kMrvB ? 8 : 14;
    h.optional1 = RandomChars(rng, kDigits, Uniform(rng, 4, max));
  }
  if (layout == SpecimenLayout::kTd1 && Uniform(rng, 0, 3) == 0) {
    h.optional2 = RandomChars(rng, kAlnum, Uniform(rng, 3, 11));
  }
  return h;
}

cv::Mat RenderSpecimen(SpecimenLayout layout, const MrzHolder& h, std::mt19937& rng) {
  const Geometry g = GeometryOf(layout);
  const int w = static_cast<int>(g.width_mm * kPxPerMm),
            ht = static_cast<int>(g.height_mm * kPxPerMm);
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, ht);
  cairo_t* cr = cairo_create(surface);
  DrawBackground(cr, w, ht, rng);

  const double mm = kPxPerMm;
  const double mrz_width = g.width_chars * kMrzPitchMm * mm;
  const double mrz_bottom = ht - 4.5 * mm;
  const double mrz_top = mrz_bottom - (g.lines - 1) * kMrzLeadingMm * mm - 3 * mm;
  // The visual zone: title, photo, labelled values (a TD1's back shows none of them).
  const bool back_side = layout == SpecimenLayout::kTd1 && Uniform(rng, 0, 2) == 0;
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.15);
  const char* title = layout == SpecimenLayout::kTd3 ? "PASSPORT / PASSEPORT"
                      : layout == SpecimenLayout::kMrvA || layout == SpecimenLayout::kMrvB
                          ? "VISA"
                          : "IDENTITY CARD / CARTE D'IDENTITE";
  Text(cr, "DejaVu Sans", 3.2 * mm, 5 * mm, 6 * mm, title, true);
  if (!back_side) {
    const double photo_w = g.width_mm * 0.24 * mm,
                 photo_h = std::min(photo_w * 1.28, mrz_top - 12 * mm);
    DrawPhoto(cr, 5 * mm, 9 * mm, photo_w, photo_h, rng);
    std::string given;
    for (const std::string& n : h.given_names) given += (given.empty() ? "" : " ") + n;
    std::string code = h.document_code;
    code.erase(std::remove(code.begin(), code.end(), '<'), code.end());
    std::string country = h.nationality;
    country.erase(std::remove(country.begin(), country.end(), '<'), country.end());
    const std::string sex = h.sex == '<' ? "X" : std::string(1, h.sex) + "/" + h.sex;
    const std::vector<std::pair<std::string, std::string>> rows = {
        {"Type / Type", code + "    Code " + h.issuing.substr(0, h.issuing.find('<'))},
        {"Surname / Nom", h.surname},
        {"Given names / Prenoms", given},
        {"Nationality / Nationalite", country},
        {"Date of birth / Date de naissance", VizDate(h.birth, true) + "    Sex " + sex},
        {"Document No. / No du document", h.number},
        {"Date of expiry / Date d'expiration", VizDate(h.expiry, false)},
    };
    const double x = 5 * mm + photo_w + 4 * mm;
    const double row_h = std::min(6.2 * mm, (mrz_top - 10 * mm) / static_cast<double>(rows.size()));
    double y = 10 * mm;
    for (const auto& [label, value] : rows) {
      cairo_set_source_rgb(cr, 0.25, 0.25, 0.35);
      Text(cr, "DejaVu Sans", row_h * 0.3, x, y + row_h * 0.3, label);
      cairo_set_source_rgb(cr, 0.05, 0.05, 0.08);
      Text(cr, "DejaVu Sans", row_h * 0.45, x, y + row_h * 0.85, value, true);
      y += row_h;
    }
  }
  DrawMrz(cr, ComposeMrz(layout, h), (w - mrz_width) / 2, mrz_bottom);
  cairo_destroy(cr);
  cv::Mat out = ToMat(surface).clone();
  cairo_surface_destroy(surface);
  return out;
}

std::vector<Degradation> SpecimenDegradations() {
  return {
      {.name = "clean"},
      {.name = "blur", .blur_sigma = 2.2},
      {.name = "rotate", .rotate_deg = 12},
      {.name = "perspective", .perspective = 0.08, .on_scene = true},
      {.name = "jpeg", .jpeg_quality = 12},
      {.name = "light", .light = 0.6},
      {.name = "lowres", .scale = 0.45},
      {.name = "noise", .noise_sigma = 14},
      {"moderate", 1.2, 4, 0.03, 45, 0.3, 0.7, 5, true},
      {"severe", 2.0, 10, 0.07, 20, 0.55, 0.5, 10, true},
      // A phone held at an angle over a page on a table.
      {.name = "angled", .perspective = 0.16, .on_scene = true},
  };
}

Degradation DegradationByName(std::string_view name) {
  for (const Degradation& d : SpecimenDegradations()) {
    if (d.name == name) return d;
  }
  return SpecimenDegradations()[0];
}

cv::Mat Degrade(const cv::Mat& image, const Degradation& d, std::mt19937& rng,
                std::array<cv::Point2f, 4>* corners) {
  // Each effect at a random strength between 40% and 100% of its limit.
  auto amount = [&](double limit) { return limit * Real(rng, 0.4, 1.0); };
  cv::Mat img = image.clone();
  const auto w0 = static_cast<float>(image.cols), h0 = static_cast<float>(image.rows);
  std::vector<cv::Point2f> where = {{0, 0}, {w0, 0}, {w0, h0}, {0, h0}};
  const cv::Scalar fill = d.on_scene
                              ? cv::Scalar(Real(rng, 40, 90), Real(rng, 45, 95), Real(rng, 50, 100))
                              : cv::Scalar(255, 255, 255);
  if (d.on_scene) {
    const int mx = img.cols / 8, my = img.rows / 8;
    cv::Mat scene(img.rows + 2 * my, img.cols + 2 * mx, CV_8UC3, fill);
    cv::Mat texture(scene.size(), CV_8UC3);
    cv::randn(texture, cv::Scalar::all(0), cv::Scalar::all(12));
    scene += texture;
    img.copyTo(scene(cv::Rect(mx, my, img.cols, img.rows)));
    img = scene;
    for (cv::Point2f& p : where) p += cv::Point2f(static_cast<float>(mx), static_cast<float>(my));
  }
  if (d.perspective > 0) {
    const float s = static_cast<float>(amount(d.perspective) * std::min(img.cols, img.rows));
    auto jitter = [&] { return static_cast<float>(Real(rng, -1, 1)) * s; };
    const float w = static_cast<float>(img.cols), h = static_cast<float>(img.rows);
    std::array<cv::Point2f, 4> from = {cv::Point2f(0, 0), {w, 0}, {w, h}, {0, h}};
    std::array<cv::Point2f, 4> to = {cv::Point2f(std::abs(jitter()), std::abs(jitter())),
                                     {w - std::abs(jitter()), std::abs(jitter())},
                                     {w - std::abs(jitter()), h - std::abs(jitter())},
                                     {std::abs(jitter()), h - std::abs(jitter())}};
    cv::Mat m = cv::getPerspectiveTransform(from.data(), to.data());
    cv::warpPerspective(img, img, m, img.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, fill);
    cv::perspectiveTransform(where, where, m);
  }
  if (d.rotate_deg > 0) {
    const double angle = amount(d.rotate_deg) * (Uniform(rng, 0, 1) ? 1 : -1);
    cv::Point2f centre(static_cast<float>(img.cols) / 2, static_cast<float>(img.rows) / 2);
    cv::Mat m = cv::getRotationMatrix2D(centre, angle, 1.0);
    const cv::Rect2f box =
        cv::RotatedRect(centre, img.size(), static_cast<float>(angle)).boundingRect2f();
    m.at<double>(0, 2) += box.width / 2.0 - centre.x;
    m.at<double>(1, 2) += box.height / 2.0 - centre.y;
    cv::warpAffine(img, img, m, box.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, fill);
    cv::transform(where, where, m);
  }
  if (d.light > 0) {
    // A soft shadow falling across the page from a random side.
    const double dir = Real(rng, 0, 2 * kPi), strength = amount(d.light);
    cv::Mat gain(img.size(), CV_32F);
    for (int y = 0; y < img.rows; ++y) {
      for (int x = 0; x < img.cols; ++x) {
        const double t = (std::cos(dir) * x / img.cols + std::sin(dir) * y / img.rows + 1) / 2;
        gain.at<float>(y, x) = static_cast<float>(1 - strength * t * t);
      }
    }
    cv::Mat f;
    img.convertTo(f, CV_32FC3);
    cv::Mat gain3;
    cv::merge(std::vector<cv::Mat>{gain, gain, gain}, gain3);
    f = f.mul(gain3);
    f.convertTo(img, CV_8UC3);
  }
  if (d.blur_sigma > 0) cv::GaussianBlur(img, img, cv::Size(0, 0), amount(d.blur_sigma));
  if (d.scale < 1) {
    const double s = 1 - amount(1 - d.scale);
    cv::resize(img, img, cv::Size(), s, s, cv::INTER_AREA);
    for (cv::Point2f& p : where) p *= static_cast<float>(s);
  }
  if (d.noise_sigma > 0) {
    cv::Mat noise(img.size(), CV_16SC3);
    cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(amount(d.noise_sigma)));
    cv::Mat wide;
    img.convertTo(wide, CV_16SC3);
    wide += noise;
    wide.convertTo(img, CV_8UC3);
  }
  if (corners != nullptr) std::copy(where.begin(), where.end(), corners->begin());
  if (d.jpeg_quality > 0) {
    const int q = static_cast<int>(
        std::lround(d.jpeg_quality + (100 - d.jpeg_quality) * (1 - Real(rng, 0.4, 1.0)) * 0.3));
    std::vector<uchar> bytes;
    cv::imencode(".jpg", img, bytes, {cv::IMWRITE_JPEG_QUALITY, q});
    img = cv::imdecode(bytes, cv::IMREAD_COLOR);
  }
  return img;
}

nlohmann::json SpecimenLabel(SpecimenLayout layout, const MrzHolder& h,
                             const std::string& degradation) {
  const std::vector<std::string> lines = ComposeMrz(layout, h);
  const size_t name_line = layout == SpecimenLayout::kTd1 ? 2 : 0;
  const size_t name_start = layout == SpecimenLayout::kTd1 ? 0 : 5;
  // The names as the MRZ holds them (cut to the field), as the labels give them.
  std::string name = lines[name_line].substr(name_start);
  const size_t sep = name.find("<<");
  auto spaced = [](std::string s) {
    std::replace(s.begin(), s.end(), '<', ' ');
    while (!s.empty() && s.back() == ' ') s.pop_back();
    std::string out;
    for (char c : s) {
      if (c != ' ' || (!out.empty() && out.back() != ' ')) out += c;
    }
    return out;
  };
  nlohmann::json j;
  j["lines"] = lines;
  j["mrz_type"] = SpecimenLayoutName(layout);
  j["type"] = Fit(h.document_code, 2);
  j["country"] = Fit(h.issuing, 3);
  j["surname"] = spaced(name.substr(0, sep));
  j["names"] = sep == std::string::npos ? "" : spaced(name.substr(sep + 2));
  j["number"] = Fit(h.number, 9);
  j["nationality"] = Fit(h.nationality, 3);
  j["date_of_birth"] = h.birth;
  j["sex"] = std::string(1, h.sex);
  j["expiration_date"] = h.expiry;
  const char* optional_key = layout == SpecimenLayout::kTd3   ? "personal_number"
                             : layout == SpecimenLayout::kTd1 ? "optional1"
                                                              : "optional";
  j[optional_key] = h.optional1;
  if (layout == SpecimenLayout::kTd1) j["optional2"] = h.optional2;
  j["all_valid"] = true;
  j["degradation"] = degradation;
  j["transcribed_by"] = "generated (tests/support/mrz_specimen.cc)";
  return j;
}

}  // namespace smartocr::testing
