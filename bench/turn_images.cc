// Writes each image of a folder turned by a given angle, as PNG bytes under the same
// file name (so that the dataset's labels, keyed by file name, still apply): quarter
// turns exactly, other angles about the centre on a white canvas that keeps the
// whole image, bicubic. For bench/mrz_turned.sh.
// Usage: smartocr-turn-images IN_DIR OUT_DIR DEGREES_COUNTER_CLOCKWISE
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

cv::Mat Turn(const cv::Mat& image, double degrees) {
  if (degrees == 90) {
    cv::Mat out;
    cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE);
    return out;
  }
  if (degrees == 180 || degrees == 270) {
    cv::Mat out;
    cv::rotate(image, out, degrees == 180 ? cv::ROTATE_180 : cv::ROTATE_90_CLOCKWISE);
    return out;
  }
  const cv::Point2f centre(static_cast<float>(image.cols) / 2, static_cast<float>(image.rows) / 2);
  cv::Mat m = cv::getRotationMatrix2D(centre, degrees, 1.0);
  const cv::Rect box =
      cv::RotatedRect(centre, image.size(), static_cast<float>(degrees)).boundingRect();
  m.at<double>(0, 2) += box.width / 2.0 - centre.x;
  m.at<double>(1, 2) += box.height / 2.0 - centre.y;
  cv::Mat out;
  cv::warpAffine(image, out, m, box.size(), cv::INTER_CUBIC, cv::BORDER_CONSTANT,
                 cv::Scalar::all(255));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s IN_DIR OUT_DIR DEGREES\n", argv[0]);
    return 2;
  }
  const fs::path in = argv[1], out = argv[2];
  const double degrees = std::atof(argv[3]);
  fs::create_directories(out);
  int written = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(in)) {
    const cv::Mat image = cv::imread(entry.path().string(), cv::IMREAD_COLOR);
    if (image.empty()) continue;
    std::vector<uint8_t> png;
    if (!cv::imencode(".png", Turn(image, degrees), png)) continue;
    FILE* f = std::fopen((out / entry.path().filename()).string().c_str(), "wb");
    if (f == nullptr) continue;
    written += std::fwrite(png.data(), 1, png.size(), f) == png.size() ? 1 : 0;
    std::fclose(f);
  }
  std::printf("%d images turned %g degrees into %s\n", written, degrees, out.c_str());
  return written > 0 ? 0 : 1;
}
