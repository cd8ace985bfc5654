// tests/unit/preprocess/test_pages.cc
#include "test_pages.h"

#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "fixtures.h"

namespace smartocr::preprocess::testing {

namespace st = smartocr::testing;

cv::Mat TextPage(double dpi, double size_pt) {
  const std::vector<std::string> lines = {
      "The quick brown fox jumps over the lazy dog near the river bank.",
      "Receipts, invoices and letters arrive scanned at many angles and",
      "resolutions; the preprocessing stage makes them easier to read.",
      "Each step measures the page first and only then decides to act,",
      "so that clean pages pass through untouched and quickly.",
      "Total amount due: 1,234.56 dollars, payable within thirty days.",
  };
  st::FixturePage page;
  const double leading = size_pt * 1.4;
  double y = 90;
  for (int paragraph = 0; paragraph < 5; ++paragraph) {
    for (const st::TextRun& run : st::Paragraph(lines, 72, y, size_pt, leading)) {
      page.runs.push_back(run);
    }
    y += leading * (static_cast<double>(lines.size()) + 1.5);
    if (y > 700) break;
  }
  return st::RenderPage(page, dpi);
}

cv::Mat WithLevels(const cv::Mat& gray, int ink, int paper) {
  cv::Mat out;
  gray.convertTo(out, CV_8U, (paper - ink) / 255.0, ink);
  return out;
}

cv::Mat WithSaltAndPepper(const cv::Mat& gray, double fraction) {
  cv::Mat out = gray.clone();
  cv::RNG rng(12345);
  const int n = static_cast<int>(fraction * static_cast<double>(gray.total()));
  for (int i = 0; i < n; ++i) {
    out.at<uint8_t>(rng.uniform(0, gray.rows), rng.uniform(0, gray.cols)) = (i % 2) ? 0 : 255;
  }
  return out;
}

cv::Mat WithShading(const cv::Mat& gray, double right_level) {
  cv::Mat out(gray.size(), CV_8UC1);
  for (int y = 0; y < gray.rows; ++y) {
    for (int x = 0; x < gray.cols; ++x) {
      const double light = 1.0 - (1.0 - right_level / 255.0) * x / gray.cols;
      out.at<uint8_t>(y, x) = cv::saturate_cast<uint8_t>(gray.at<uint8_t>(y, x) * light);
    }
  }
  return out;
}

double Similarity(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat sa, sb, r;
  cv::resize(a, sa, cv::Size(200, 260), 0, 0, cv::INTER_AREA);
  cv::resize(b, sb, cv::Size(200, 260), 0, 0, cv::INTER_AREA);
  cv::matchTemplate(sa, sb, r, cv::TM_CCOEFF_NORMED);
  return r.at<float>(0, 0);
}

}  // namespace smartocr::preprocess::testing
