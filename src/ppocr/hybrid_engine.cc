// The hybrid engine: PP-OCR finds the lines, Tesseract reads each one, and lines
// Tesseract is unsure of are also read by PP-OCR, the better reading of each word kept. On receipts
// Tesseract's weakness is finding lines (tight spacing, mixed sizes), not reading them.
#include <algorithm>
#include <cstdio>
#include <opencv2/imgproc.hpp>

#include "ppocr/ppocr.h"
#include "ppocr/reader.h"
#include "ppocr/tunables.h"

namespace smartocr::ppocr {
namespace {

class HybridEngine final : public recognize::Engine {
 public:
  HybridEngine(HybridConfig config, std::unique_ptr<Reader> reader,
               std::unique_ptr<recognize::Engine> tesseract)
      : config_(std::move(config)),
        reader_(std::move(reader)),
        tesseract_(std::move(tesseract)),
        info_{"hybrid", Version()} {}

  const core::EngineInfo& info() const override { return info_; }
  // Tesseract reads every line first: its languages are the ones that can be asked for.
  std::vector<std::string> languages() const override { return tesseract_->languages(); }

  core::Result<std::vector<core::Line>> Recognize(
      const cv::Mat& gray, const recognize::RecognizeOptions& options) override {
    if (gray.empty() || gray.type() != CV_8UC1) {
      return core::InvalidArgument("bad_image", "recognize needs a non-empty 8-bit gray image");
    }
    auto quads = reader_->DetectLines(gray);
    if (!quads.ok()) return quads.status();
    std::vector<core::Line> lines(quads->size());
    std::vector<Quad> unsure;
    std::vector<size_t> unsure_index;
    for (size_t i = 0; i < quads->size(); ++i) {
      if (options.cancel != nullptr && options.cancel->load()) {  // between lines
        return core::Cancelled("cancelled", "recognition cancelled");
      }
      auto line = ReadWithTesseract(gray, (*quads)[i], options.lang);
      if (!line.ok()) return line.status();
      lines[i] = std::move(*line);
      if (lines[i].words.empty() || lines[i].confidence < config_.second_opinion_below) {
        unsure.push_back((*quads)[i]);
        unsure_index.push_back(i);
      }
    }
    if (!unsure.empty() && config_.second_opinion_below > 0) {
      auto second = reader_->ReadLines(gray, unsure);
      if (!second.ok()) return second.status();
      for (size_t k = 0; k < unsure.size(); ++k) {
        core::Line& line = lines[unsure_index[k]];
        line = CombineReadings(std::move(line), (*second)[k]);
      }
    }
    std::vector<core::Line> out;
    for (core::Line& line : lines) {
      if (!line.words.empty()) out.push_back(std::move(line));
    }
    return out;
  }

 private:
  std::string Version() const {
    char threshold[32];
    std::snprintf(threshold, sizeof threshold, "%.2f", config_.second_opinion_below);
    return reader_->version() + " + tesseract " + tesseract_->info().version + " second<" +
           threshold;
  }

  // Tesseract on the line's own pixels (no margin: receipt lines are tightly spaced and
  // a margin pulls in the neighbours), scaled to a fixed line height in a white frame.
  core::Result<core::Line> ReadWithTesseract(const cv::Mat& gray, const Quad& quad,
                                             const std::string& lang) const {
    cv::Mat crop = CropQuad(gray, quad, cv::BORDER_REPLICATE);
    double scale = static_cast<double>(config_.tess_line_height) / std::max(1, crop.rows);
    cv::Mat scaled;
    cv::resize(crop, scaled, cv::Size(), scale, scale,
               scale < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
    if (scaled.empty()) return core::Line{};
    const int b = config_.tess_border;
    cv::Mat framed;
    cv::copyMakeBorder(scaled, framed, b, b, b, b, cv::BORDER_CONSTANT, cv::Scalar(255));
    recognize::RecognizeOptions line_options;
    line_options.lang = lang;
    auto read = tesseract_->Recognize(framed, line_options);
    if (!read.ok()) return read.status();
    core::Line line;
    double sum = 0;
    // Crop pixels back to page pixels through the quad.
    const double w = scaled.cols, h = scaled.rows;
    for (core::Line& part : *read) {
      for (core::Word& word : part.words) {
        double u0 = std::clamp((word.box.x0 - b) / w, 0.0, 1.0);
        double u1 = std::clamp((word.box.x1 - b) / w, 0.0, 1.0);
        double v0 = std::clamp((word.box.y0 - b) / h, 0.0, 1.0);
        double v1 = std::clamp((word.box.y1 - b) / h, 0.0, 1.0);
        Quad span;
        span.p = {quad.At(u0, v0), quad.At(u1, v0), quad.At(u1, v1), quad.At(u0, v1)};
        word.box = span.Bounds();
        sum += word.confidence;
        line.box = line.box.Union(word.box);
        line.words.push_back(std::move(word));
      }
    }
    if (!line.words.empty()) line.confidence = sum / static_cast<double>(line.words.size());
    return line;
  }

  const HybridConfig config_;
  std::unique_ptr<Reader> reader_;
  std::unique_ptr<recognize::Engine> tesseract_;
  const core::EngineInfo info_;
};

}  // namespace

core::Result<std::unique_ptr<recognize::Engine>> CreateHybridEngine(const HybridConfig& config) {
  if (config.tess_line_height < config::kMinTessLineHeight || config.tess_border < 0) {
    return core::InvalidArgument("hybrid_config", "bad hybrid line crop settings");
  }
  PpocrConfig ppocr = config.ppocr;
  ppocr.classify_angle = config.classify_angle;
  auto reader = Reader::Open(ppocr);
  if (!reader.ok()) return reader.status();
  recognize::TesseractConfig tess = config.tesseract;
  tess.psm = 7;  // one text line
  auto tesseract = recognize::CreateTesseractEngine(tess);
  if (!tesseract.ok()) return tesseract.status();
  return std::unique_ptr<recognize::Engine>(
      std::make_unique<HybridEngine>(config, std::move(*reader), std::move(*tesseract)));
}

}  // namespace smartocr::ppocr
