#include "cli/engine_factory.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <vector>

#include "cli/extract_flags.h"
#include "extract/fields.h"
#include "mrz/mrz.h"
#include "telemetry/metrics.h"

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
  const extract::DocType* type = extract::FindDocType(schema);
  const std::string engine = type != nullptr ? std::string(type->default_engine) : "tesseract";
  return engine != "tesseract" && PpocrInstalled(flags) ? engine : "tesseract";
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
  // Under "auto" the engines load English; the pipeline reads a page again in its own
  // language when that is another (pipeline/page_language.h).
  recognize::TesseractConfig tesseract = flags.tesseract;
  if (tesseract.lang == pipeline::kAutoLanguage) tesseract.lang = "eng";
  if (engine == "tesseract") {
    if (flags.device != "cpu") {
      return core::Unavailable("device", "the tesseract engine runs on the CPU only");
    }
    return recognize::CreateTesseractEngine(tesseract);
  }
  ppocr::PpocrConfig ppocr;
  ppocr.models_dir = flags.models_dir;
  ppocr.device = flags.device;
  // Tesseract's language names; PP-OCR's dictionary is Chinese + English, restricted
  // to the English alphabet for Latin-script pages.
  ppocr.lang = flags.tesseract.lang.find("chi") != std::string::npos ? "" : "eng";
  core::Result<std::unique_ptr<recognize::Engine>> created = core::Internal("engine", "none");
  if (engine == "ppocr") {
    created = ppocr::CreatePpocrEngine(ppocr);
  } else {
    ppocr::HybridConfig hybrid;
    hybrid.ppocr = ppocr;
    hybrid.tesseract = tesseract;
    created = ppocr::CreateHybridEngine(hybrid);
  }
  // smartocr_gpu_available: whether a GPU asked for was there (alerted on in a GPU pool).
  if (flags.device == "cuda") telemetry::SetGpuAvailable(created.ok());
  return created;
}

pipeline::PipelineOptions WithLanguage(const EngineFlags& flags,
                                       pipeline::PipelineOptions options) {
  options.lang = flags.tesseract.lang == pipeline::kAutoLanguage ? pipeline::kAutoLanguage : "";
  return options;
}

core::Result<std::unique_ptr<pipeline::PipelineSet>> CreatePipelineSet(
    const EngineFlags& flags, const pipeline::PipelineOptions& language_free) {
  const pipeline::PipelineOptions options = WithLanguage(flags, language_free);
  auto set = std::make_unique<pipeline::PipelineSet>();
  if (flags.device != "cpu" && flags.device != "cuda") {
    return core::InvalidArgument("usage",
                                 "--device must be cpu or cuda, got '" + flags.device + "'");
  }
  // The MRZ pass's readers (they load their models on first use): one of each, kept
  // by the set, for every pipeline that runs the pass.
  mrz::PassOptions readers = options.mrz_readers;
  if (readers.ocrb_reader == nullptr && readers.second_reader == nullptr) {
    mrz::ZoneReaders made = mrz::CreateZoneReaders();
    readers.ocrb_reader = set->Keep(std::move(made.ocrb));
    readers.second_reader = set->Keep(std::move(made.second));
  }
  auto with_readers = [readers](pipeline::PipelineOptions o) {
    o.mrz_readers = o.mrz_pass ? readers : mrz::PassOptions{};
    return o;
  };
  EngineFlags default_flags = flags;
  // --device is for the PP-OCR models; under "auto" the default is Tesseract (CPU).
  if (flags.engine == "auto") default_flags.device = "cpu";
  auto default_engine = CreateEngine(default_flags);  // "auto" with no schema: Tesseract
  if (!default_engine.ok()) return default_engine.status();
  set->Add(std::move(*default_engine), with_readers(options));
  if (flags.engine != "auto") return set;
  // The document types, known before the OCR when asked for, that "auto" may send
  // elsewhere, by engine.
  std::map<std::string, std::vector<std::string>> routed;
  for (const extract::DocType& type : extract::DocTypes()) {
    const std::string schema(type.name);
    const std::string engine = ResolveEngineName(flags, schema);
    if (engine != set->names().front()) routed[engine].push_back(schema);
  }
  for (const auto& [resolved, schemas] : routed) {
    auto engine = CreateEngine(flags, schemas.front());
    if (!engine.ok()) return engine.status();
    const std::string added = (*engine)->info().name;
    pipeline::PipelineOptions engine_options = options;
    engine_options.mrz_pass = false;
    for (const std::string& schema : schemas) engine_options.mrz_pass |= MrzPassWanted(schema);
    set->Add(std::move(*engine), with_readers(engine_options));
    for (const std::string& schema : schemas) SMARTOCR_RETURN_IF_ERROR(set->Route(schema, added));
  }
  return set;
}

mrz::ZoneReaders AttachMrzReaders(pipeline::PipelineOptions& options) {
  if (!options.mrz_pass || options.mrz_readers.ocrb_reader != nullptr ||
      options.mrz_readers.second_reader != nullptr) {
    return {};
  }
  mrz::ZoneReaders readers = mrz::CreateZoneReaders();
  options.mrz_readers = readers.Borrow();
  return readers;
}

std::string DescribeEngines(const pipeline::PipelineSet& set) {
  std::string out;
  for (const std::string& name : set.names()) {
    if (!out.empty()) out += ", ";
    out += name;
    std::string schemas;
    for (const extract::DocType& type : extract::DocTypes()) {
      const std::string schema(type.name);
      if (name != set.names().front() && set.For(schema).engine_name == name) {
        schemas += (schemas.empty() ? "" : ", ") + schema;
      }
    }
    if (!schemas.empty()) out += " (" + schemas + ")";
  }
  return out;
}

}  // namespace smartocr::cli
