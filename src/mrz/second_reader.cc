// src/mrz/second_reader.cc
//
// The MRZ pass's other readers: our OCR-B line recognizer and PP-OCR's recognizer,
// each when its runtime is installed, its model loaded on first use.
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>

#include "mrz/mrz.h"
#include "mrz/tunables.h"
#include "ppocr/ppocr.h"

namespace smartocr::mrz {
namespace {

using EngineFactory = std::function<core::Result<std::unique_ptr<recognize::Engine>>()>;

// Most pages never need these readers (the first reads their MRZ, or they have none),
// so a reader's model is loaded when it is first asked to read: a process that reads
// receipts and letters only does not pay for the load (about half a second for
// PP-OCR). Thread-safe: the first caller loads, the others wait for it. A load that
// fails makes every read fail with its status (the pass goes on without the reader).
class LazyReader final : public recognize::Engine {
 public:
  LazyReader(std::string name, EngineFactory create)
      : unavailable_{std::move(name), "unavailable"}, create_(std::move(create)) {}

  const core::EngineInfo& info() const override {
    Load();
    return engine_ != nullptr ? engine_->info() : unavailable_;
  }

  core::Result<std::vector<core::Line>> Recognize(
      const cv::Mat& gray, const recognize::RecognizeOptions& options) override {
    Load();
    if (engine_ == nullptr) return status_;
    return engine_->Recognize(gray, options);
  }

 private:
  void Load() const {
    std::call_once(loaded_, [this] {
      auto created = create_();
      if (created.ok()) {
        engine_ = std::move(*created);
      } else {
        status_ = created.status();
      }
    });
  }

  const core::EngineInfo unavailable_;
  const EngineFactory create_;
  mutable std::once_flag loaded_;
  mutable std::unique_ptr<recognize::Engine> engine_;  // set once, by Load
  mutable core::Status status_;                        // why engine_ is null
};

}  // namespace

std::string DefaultOcrbModelPath() { return SMARTOCR_DEFAULT_OCRB_MODEL; }

std::unique_ptr<recognize::Engine> CreateOcrbReader(std::string model_path) {
  if (!ppocr::RuntimeAvailable()) return nullptr;
  if (model_path.empty()) {
    const char* env = std::getenv("SMARTOCR_MRZ_MODEL");
    model_path = env != nullptr && *env != '\0' ? env : DefaultOcrbModelPath();
  }
  return std::make_unique<LazyReader>("ocrb", [model_path] {
    return ppocr::CreateLineRecognizer({.model_path = model_path,
                                        .alphabet = std::string(kOcrbAlphabet),
                                        .name = "ocrb",
                                        .ink_margin = config::kOcrbInkMargin});
  });
}

std::unique_ptr<recognize::Engine> CreateSecondReader() {
  if (!ppocr::RuntimeAvailable()) return nullptr;
  return std::make_unique<LazyReader>("ppocr", [] {
    ppocr::PpocrConfig config;
    config.classify_angle = false;  // rows come upright
    return ppocr::CreatePpocrEngine(config);
  });
}

ZoneReaders CreateZoneReaders() { return {CreateOcrbReader(), CreateSecondReader()}; }

}  // namespace smartocr::mrz
