// The ppocr engine: PP-OCRv4 detection, angle classification and recognition.
#include "ppocr/ppocr.h"
#include "ppocr/reader.h"

namespace smartocr::ppocr {
namespace {

class PpocrEngine final : public recognize::Engine {
 public:
  explicit PpocrEngine(std::unique_ptr<Reader> reader)
      : reader_(std::move(reader)), info_{"ppocr", reader_->version()} {}

  const core::EngineInfo& info() const override { return info_; }

  core::Result<std::vector<core::Line>> Recognize(
      const cv::Mat& gray, const recognize::RecognizeOptions& /*options*/) override {
    if (gray.empty() || gray.type() != CV_8UC1) {
      return core::InvalidArgument("bad_image", "recognize needs a non-empty 8-bit gray image");
    }
    auto quads = reader_->DetectLines(gray);
    if (!quads.ok()) return quads.status();
    auto lines = reader_->ReadLines(gray, *quads);
    if (!lines.ok()) return lines.status();
    std::vector<core::Line> out;
    for (core::Line& line : *lines) {
      if (!line.words.empty()) out.push_back(std::move(line));
    }
    return out;
  }

 private:
  std::unique_ptr<Reader> reader_;
  const core::EngineInfo info_;
};

}  // namespace

core::Result<std::unique_ptr<recognize::Engine>> CreatePpocrEngine(const PpocrConfig& config) {
  auto reader = Reader::Open(config);
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<recognize::Engine>(std::make_unique<PpocrEngine>(std::move(*reader)));
}

}  // namespace smartocr::ppocr
