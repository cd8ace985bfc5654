// Built instead of onnx_model.cc when CMake found no ONNX Runtime: the engines exist
// but report kUnavailable.
#include "ppocr/onnx_model.h"
#include "ppocr/ppocr.h"

namespace smartocr::ppocr {

core::Result<std::shared_ptr<const OnnxModel>> OpenModel(const std::string& /*path*/,
                                                         const std::string& /*device*/,
                                                         int /*intra_threads*/) {
  return core::Unavailable("onnxruntime",
                           "this build has no ONNX Runtime (configure with "
                           "-DONNXRUNTIME_ROOT=..., see scripts/install-deps.sh)");
}

std::string RuntimeVersion() { return ""; }
bool RuntimeAvailable() { return false; }

}  // namespace smartocr::ppocr
