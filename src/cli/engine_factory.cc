#include "cli/engine_factory.h"

#include <cstdlib>
#include <filesystem>

namespace smartocr::cli {
namespace {

bool PpocrInstalled(const EngineFlags& flags) {
  if (!ppocr::RuntimeAvailable()) return false;
  std::string dir = flags.models_dir;
  const char* env = std::getenv("SMARTOCR_MODELS_DIR");
  if (dir.empty() && env != nullptr) dir = env;
  if (dir.empty()) dir = ppocr::DefaultModelsDir();
  std::error_code ec;
  return std::filesystem::exists(std::filesystem::path(dir) / "ch_PP-OCRv4_rec_infer.onnx", ec);
}

}  // namespace

std::string CheckEngineName(const std::string& name) {
  if (name == "auto" || name == "tesseract" || name == "ppocr" || name == "hybrid") return "";
  return "--engine must be auto, tesseract, ppocr or hybrid, got '" + name + "'";
}

std::string ResolveEngineName(const EngineFlags& flags, const std::string& schema) {
  if (flags.engine != "auto") return flags.engine;
  return schema == "receipt" && PpocrInstalled(flags) ? "hybrid" : "tesseract";
}

core::Result<std::unique_ptr<recognize::Engine>> CreateEngine(const EngineFlags& flags,
                                                              const std::string& schema) {
  std::string bad = CheckEngineName(flags.engine);
  if (!bad.empty()) return core::InvalidArgument("usage", bad);
  if (flags.device != "cpu" && flags.device != "cuda") {
    return core::InvalidArgument("usage",
                                 "--device must be cpu or cuda, got '" + flags.device + "'");
  }
  const std::string engine = ResolveEngineName(flags, schema);
  if (engine == "tesseract") {
    if (flags.device != "cpu") {
      return core::Unavailable("device", "the tesseract engine runs on the CPU only");
    }
    return recognize::CreateTesseractEngine(flags.tesseract);
  }
  ppocr::PpocrConfig ppocr;
  ppocr.models_dir = flags.models_dir;
  ppocr.device = flags.device;
  // Tesseract's language names; PP-OCR's dictionary is Chinese + English, restricted
  // to the English alphabet for Latin-script pages.
  ppocr.lang = flags.tesseract.lang.find("chi") != std::string::npos ? "" : "eng";
  if (engine == "ppocr") return ppocr::CreatePpocrEngine(ppocr);
  ppocr::HybridConfig hybrid;
  hybrid.ppocr = ppocr;
  hybrid.tesseract = flags.tesseract;
  return ppocr::CreateHybridEngine(hybrid);
}

}  // namespace smartocr::cli
