// ONNX Runtime sessions. One Ort::Env and one session per model file for the whole
// process: a session holds the weights (tens of MB) and ORT's Run is thread-safe.
#include "ppocr/onnx_model.h"

#include <onnxruntime_cxx_api.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <tuple>

#include "core/mutex.h"
#include "ppocr/ppocr.h"

namespace smartocr::ppocr {
namespace {

class OrtModel final : public OnnxModel {
 public:
  OrtModel(std::unique_ptr<Ort::Session> session, std::string input, std::string output)
      : session_(std::move(session)), input_(std::move(input)), output_(std::move(output)) {}

  core::Result<Tensor> Run(const Tensor& input) const override {
    try {
      Ort::MemoryInfo mem = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
      // ORT does not write to inputs; its API takes a non-const pointer.
      auto* data = const_cast<float*>(input.data.data());
      Ort::Value in = Ort::Value::CreateTensor<float>(mem, data, input.data.size(),
                                                      input.shape.data(), input.shape.size());
      const char* in_name = input_.c_str();
      const char* out_name = output_.c_str();
      auto outs = session_->Run(Ort::RunOptions{nullptr}, &in_name, &in, 1, &out_name, 1);
      Tensor out;
      auto info = outs[0].GetTensorTypeAndShapeInfo();
      out.shape = info.GetShape();
      const float* p = outs[0].GetTensorData<float>();
      out.data.assign(p, p + info.GetElementCount());
      return out;
    } catch (const Ort::Exception& e) {
      return core::Internal("onnx_run", std::string("ONNX Runtime: ") + e.what());
    }
  }

 private:
  std::unique_ptr<Ort::Session> session_;
  std::string input_, output_;
};

struct Registry {
  core::Mutex mu;
  std::unique_ptr<Ort::Env> env GUARDED_BY(mu);
  std::map<std::tuple<std::string, std::string, int>, std::shared_ptr<const OnnxModel>> models
      GUARDED_BY(mu);
};

Registry& TheRegistry() {
  // Never destroyed: sessions may still run in detached threads at exit, and the Env
  // must outlive every session.
  static auto* registry = std::make_unique<Registry>().release();
  return *registry;
}

bool HasProvider(const std::string& name) {
  auto providers = Ort::GetAvailableProviders();
  return std::find(providers.begin(), providers.end(), name) != providers.end();
}

}  // namespace

core::Result<std::shared_ptr<const OnnxModel>> OpenModel(const std::string& path,
                                                         const std::string& device,
                                                         int intra_threads) {
  if (device != "cpu" && device != "cuda") {
    return core::InvalidArgument("device", "device must be cpu or cuda, got '" + device + "'");
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return core::Unavailable(
        "ppocr_models",
        "model " + path + " not found (run scripts/install-deps.sh or pass --models-dir)");
  }
  Registry& r = TheRegistry();
  core::MutexLock lock(r.mu);
  auto key = std::make_tuple(path, device, intra_threads);
  auto it = r.models.find(key);
  if (it != r.models.end()) return it->second;
  try {
    if (!r.env) r.env = std::make_unique<Ort::Env>(ORT_LOGGING_LEVEL_ERROR, "smartocr");
    Ort::SessionOptions options;
    options.SetIntraOpNumThreads(std::max(1, intra_threads));
    options.SetInterOpNumThreads(1);
    options.SetExecutionMode(ExecutionMode::ORT_SEQUENTIAL);
    // Input shapes change with every page and batch, so ORT's memory patterns never
    // repeat. Without them peak RSS on 12 SROIE receipts fell from 540 to 440 MB at
    // the same CPU time; dropping the arena too gave 350 MB but cost ~4% CPU time.
    options.DisableMemPattern();
    options.SetGraphOptimizationLevel(GraphOptimizationLevel::ORT_ENABLE_ALL);
    // Spinning threads burn cores that other page workers need.
    options.AddConfigEntry("session.intra_op.allow_spinning", "0");
    if (device == "cuda") {
      if (!HasProvider("CUDAExecutionProvider")) {
        return core::Unavailable("device", "this ONNX Runtime (" + RuntimeVersion() +
                                               ") has no CUDA execution provider");
      }
      OrtCUDAProviderOptions cuda{};
      options.AppendExecutionProvider_CUDA(cuda);
    }
    auto session = std::make_unique<Ort::Session>(*r.env, path.c_str(), options);
    Ort::AllocatorWithDefaultOptions alloc;
    std::string input = session->GetInputNameAllocated(0, alloc).get();
    std::string output = session->GetOutputNameAllocated(0, alloc).get();
    std::shared_ptr<const OnnxModel> model =
        std::make_shared<OrtModel>(std::move(session), std::move(input), std::move(output));
    r.models.emplace(key, model);
    return model;
  } catch (const Ort::Exception& e) {
    return core::Unavailable("onnx_load", "cannot load " + path + ": " + e.what());
  }
}

std::string RuntimeVersion() { return Ort::GetVersionString(); }
bool RuntimeAvailable() { return true; }

}  // namespace smartocr::ppocr
