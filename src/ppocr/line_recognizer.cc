// src/ppocr/line_recognizer.cc
//
// A CTC recognizer over a whole crop: no detection, the crop is one line. For models
// of our own with one gray input plane, such as the MRZ pass's OCR-B reader
// (models/mrz/ocrb-rec.onnx, trained by tools/mrz/train_ocrb.py, whose to_input() is
// the preprocessing below).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <opencv2/imgproc.hpp>

#include "ppocr/onnx_model.h"
#include "ppocr/ppocr.h"
#include "ppocr/ppocr_internal.h"
#include "ppocr/tunables.h"

namespace smartocr::ppocr {
namespace {

std::vector<std::string> AlphabetEntries(const std::string& alphabet) {
  std::vector<std::string> entries;
  entries.reserve(alphabet.size());
  for (char c : alphabet) entries.emplace_back(1, c);
  return entries;
}

// The part of `gray` that is not a pure white frame (callers pad crops with white).
cv::Rect WithoutWhiteFrame(const cv::Mat& gray) {
  cv::Mat ink = gray < 255;
  std::vector<cv::Point> points;
  cv::findNonZero(ink, points);
  return points.empty() ? cv::Rect() : cv::boundingRect(points);
}

// `area` narrowed to the band of rows that holds the line's ink, with `margin` line
// heights above and below: a crop cut generously (ascenders, slant, a neighbour's
// edge) would otherwise shrink the text below what the model was trained on. The band
// is the rows around the inkiest one with at least config::kInkRowShare as many dark
// pixels (Otsu's split).
cv::Rect InkBand(const cv::Mat& gray, cv::Rect area, double margin) {
  cv::Mat dark;
  cv::threshold(gray(area), dark, 0, 1, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  cv::Mat counts;
  cv::reduce(dark, counts, 1, cv::REDUCE_SUM, CV_32S);
  cv::Point peak;
  double most = 0;
  cv::minMaxLoc(counts, nullptr, &most, nullptr, &peak);
  if (most <= 0) return area;
  const auto enough = [&](int y) { return counts.at<int>(y) >= config::kInkRowShare * most; };
  int y0 = peak.y, y1 = peak.y;
  while (y0 > 0 && enough(y0 - 1)) --y0;
  while (y1 + 1 < counts.rows && enough(y1 + 1)) ++y1;
  const int pad = static_cast<int>(std::lround(margin * (y1 - y0 + 1)));
  const int top = std::max(0, y0 - pad), bottom = std::min(area.height, y1 + 1 + pad);
  return {area.x, area.y + top, area.width, bottom - top};
}

class LineRecognizer final : public recognize::Engine {
 public:
  LineRecognizer(LineModelConfig config, std::shared_ptr<const OnnxModel> model,
                 std::string version)
      : config_(std::move(config)),
        charset_(AlphabetEntries(config_.alphabet), "eng"),
        model_(std::move(model)),
        info_{config_.name, std::move(version)} {}

  const core::EngineInfo& info() const override { return info_; }

  core::Result<std::vector<core::Line>> Recognize(
      const cv::Mat& gray, const recognize::RecognizeOptions& options) override {
    if (gray.empty() || gray.type() != CV_8UC1) {
      return core::InvalidArgument("image_empty", "no 8-bit gray image to read");
    }
    if (options.cancel != nullptr && options.cancel->load()) {
      return core::Cancelled("cancelled", "recognition cancelled");
    }
    cv::Rect area = WithoutWhiteFrame(gray);
    if (area.empty()) return std::vector<core::Line>{};
    if (config_.ink_margin > 0) area = InkBand(gray, area, config_.ink_margin);
    const int h = config_.height;
    const int step = config_.width_step;
    const double ratio = static_cast<double>(area.width) / area.height;
    const int w = std::max(2 * step, static_cast<int>(std::lround(ratio * h / step)) * step);
    cv::Mat resized;
    cv::resize(gray(area), resized, cv::Size(w, h), 0, 0,
               area.height > h ? cv::INTER_AREA : cv::INTER_CUBIC);
    Tensor in;
    in.shape = {1, 1, h, w};
    in.data.resize(static_cast<size_t>(h) * static_cast<size_t>(w));
    for (int y = 0; y < h; ++y) {
      const uint8_t* row = resized.ptr<uint8_t>(y);
      float* out = in.data.data() + static_cast<ptrdiff_t>(y) * w;
      for (int x = 0; x < w; ++x) out[x] = (row[x] / 255.0f - 0.5f) / 0.5f;
    }
    auto out = model_->Run(in);
    if (!out.ok()) return out.status();
    if (out->shape.size() != 3 || out->shape[0] != 1 || out->shape[2] != charset_.size()) {
      return core::Internal("line_model_output", "unexpected line recognizer output shape");
    }
    const int steps = static_cast<int>(out->shape[1]);
    std::vector<DecodedChar> chars = CtcGreedy(out->data.data(), steps, charset_.size(), charset_);
    Quad quad;
    const auto x0 = static_cast<float>(area.x), y0 = static_cast<float>(area.y);
    const auto x1 = static_cast<float>(area.x + area.width),
               y1 = static_cast<float>(area.y + area.height);
    quad.p = {cv::Point2f(x0, y0), cv::Point2f(x1, y0), cv::Point2f(x1, y1), cv::Point2f(x0, y1)};
    core::Line line;
    line.words = SplitWords(chars, steps, quad);
    if (line.words.empty()) return std::vector<core::Line>{};
    double sum = 0;
    for (const DecodedChar& c : chars) sum += c.prob;
    line.confidence = sum / static_cast<double>(chars.size());
    for (const core::Word& word : line.words) line.box = line.box.Union(word.box);
    return std::vector<core::Line>{std::move(line)};
  }

 private:
  const LineModelConfig config_;
  const Charset charset_;
  const std::shared_ptr<const OnnxModel> model_;
  const core::EngineInfo info_;
};

}  // namespace

core::Result<std::unique_ptr<recognize::Engine>> CreateLineRecognizer(
    const LineModelConfig& config) {
  if (config.model_path.empty() || config.alphabet.empty() || config.height < 8 ||
      config.width_step < 1 || config.intra_threads < 1) {
    return core::InvalidArgument("line_model_config", "bad line recognizer settings");
  }
  if (!std::filesystem::is_regular_file(config.model_path)) {
    return core::Unavailable("line_model_missing",
                             "line recognizer model not found: " + config.model_path);
  }
  auto model = OpenModel(config.model_path, "cpu", config.intra_threads);
  if (!model.ok()) return model.status();
  std::string version =
      config.name + " " + FileFingerprint(config.model_path) + " ort" + RuntimeVersion();
  return std::unique_ptr<recognize::Engine>(
      std::make_unique<LineRecognizer>(config, std::move(*model), std::move(version)));
}

}  // namespace smartocr::ppocr
