// Per-stage CPU time of the PP-OCR engines on page images (single thread):
//   smartocr-ppocr-stages IMG...
// Prints detection, angle classification, recognition and per-line Tesseract times
// (thread CPU ms, so figures hold on a busy machine) and the number of lines.
#include <time.h>

#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "ppocr/reader.h"
#include "recognize/recognize.h"

namespace {

double CpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace smartocr;
  ppocr::PpocrConfig config;
  auto reader = ppocr::Reader::Open(config);
  if (!reader.ok()) {
    std::fprintf(stderr, "%s\n", reader.status().ToString().c_str());
    return 1;
  }
  ppocr::PpocrConfig no_cls = config;
  no_cls.classify_angle = false;
  auto plain = ppocr::Reader::Open(no_cls);
  recognize::TesseractConfig tc;
  tc.psm = 7;
  auto tess = recognize::CreateTesseractEngine(tc);
  if (!plain.ok() || !tess.ok()) return 1;
  double sum[5] = {0, 0, 0, 0, 0};
  int lines = 0;
  for (int i = 1; i < argc; ++i) {
    cv::Mat gray = cv::imread(argv[i], cv::IMREAD_GRAYSCALE);
    if (gray.empty()) continue;
    double t0 = CpuMs();
    auto q0 = (*plain)->DetectLines(gray);
    double t1 = CpuMs();
    auto quads = (*reader)->DetectLines(gray);
    double t2 = CpuMs();
    auto read = (*reader)->ReadLines(gray, *quads);
    double t3 = CpuMs();
    for (const auto& q : *quads) {
      cv::Mat crop = ppocr::CropQuad(gray, q, cv::BORDER_REPLICATE);
      double s = 24.0 / std::max(1, crop.rows);
      cv::resize(crop, crop, cv::Size(), s, s, s < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
      cv::copyMakeBorder(crop, crop, 6, 6, 6, 6, cv::BORDER_CONSTANT, cv::Scalar(255));
      (void)(*tess)->Recognize(crop, {});
    }
    double t4 = CpuMs();
    lines += static_cast<int>(quads->size());
    sum[0] += t1 - t0;
    sum[1] += (t2 - t1) - (t1 - t0);
    sum[2] += t3 - t2;
    sum[3] += t4 - t3;
    sum[4] += 1;
  }
  double n = sum[4] > 0 ? sum[4] : 1;
  std::printf("pages %d, lines/page %.1f\n", static_cast<int>(n), lines / n);
  std::printf("detect %.0f ms, classify %.0f ms, recognize %.0f ms, tesseract lines %.0f ms\n",
              sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n);
  return 0;
}
