// src/ppocr/onnx_model.h
//
// One ONNX model behind a small interface, so the engines compile (and say
// "unavailable") in a build without ONNX Runtime.
#ifndef SMARTOCR_PPOCR_ONNX_MODEL_H_
#define SMARTOCR_PPOCR_ONNX_MODEL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/core.h"

namespace smartocr::ppocr {

struct Tensor {
  std::vector<float> data;
  std::vector<int64_t> shape;
};

// Thread-safe: Run may be called from many threads at once.
class OnnxModel {
 public:
  virtual ~OnnxModel() = default;
  // Runs the model's first input -> first output.
  virtual core::Result<Tensor> Run(const Tensor& input) const = 0;
};

// The process-wide session for (path, device, threads), created on first use and kept
// for the life of the process. kUnavailable when the file, the runtime or the device
// is missing.
core::Result<std::shared_ptr<const OnnxModel>> OpenModel(const std::string& path,
                                                         const std::string& device,
                                                         int intra_threads);

}  // namespace smartocr::ppocr

#endif  // SMARTOCR_PPOCR_ONNX_MODEL_H_
