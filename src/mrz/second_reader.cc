// src/mrz/second_reader.cc
//
// The MRZ pass's second reader: PP-OCR's recognizer, when its runtime is installed,
// its models loaded on first use.
#include <memory>
#include <mutex>

#include "mrz/mrz.h"
#include "ppocr/ppocr.h"

namespace smartocr::mrz {
namespace {

// Most pages never need the second reader (the first reads their MRZ, or they have
// none), so its models are loaded when it is first asked to read: a process that reads
// receipts and letters only does not pay for the load (about half a second).
// Thread-safe: the first caller loads, the others wait for it.
class LazyPpocrReader final : public recognize::Engine {
 public:
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
      ppocr::PpocrConfig config;
      config.classify_angle = false;  // rows come upright
      auto created = ppocr::CreatePpocrEngine(config);
      if (created.ok()) {
        engine_ = std::move(*created);
      } else {
        status_ = created.status();
      }
    });
  }

  const core::EngineInfo unavailable_{"ppocr", "unavailable"};
  mutable std::once_flag loaded_;
  mutable std::unique_ptr<recognize::Engine> engine_;  // set once, by Load
  mutable core::Status status_;                        // why engine_ is null
};

}  // namespace

std::unique_ptr<recognize::Engine> CreateSecondReader() {
  if (!ppocr::RuntimeAvailable()) return nullptr;
  return std::make_unique<LazyPpocrReader>();
}

}  // namespace smartocr::mrz
