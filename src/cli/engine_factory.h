// src/cli/engine_factory.h
//
// Creates the recognition engine that --engine names, for extract and eval, and the
// pipelines the services (serve, worker) run documents on.
#ifndef SMARTOCR_CLI_ENGINE_FACTORY_H_
#define SMARTOCR_CLI_ENGINE_FACTORY_H_

#include <memory>
#include <string>

#include "core/core.h"
#include "mrz/mrz.h"
#include "pipeline/pipeline_set.h"
#include "ppocr/ppocr.h"
#include "recognize/recognize.h"

namespace smartocr::cli {

struct EngineFlags {
  // tesseract | ppocr | hybrid | auto (hybrid for receipts when the PP-OCR runtime and
  // models are installed, else tesseract; see ResolveEngineName).
  std::string engine = "auto";
  // --lang: Tesseract's languages, or pipeline::kAutoLanguage (the default): engines
  // load English and the pipeline picks each page's language (WithLanguage).
  recognize::TesseractConfig tesseract = {.lang = pipeline::kAutoLanguage};
  std::string models_dir;      // empty: env SMARTOCR_MODELS_DIR, else the installed models
  std::string device = "cpu";  // cpu | cuda
};

// The engine "auto" stands for, given the field schema asked for ("" when none).
// Measured on SROIE receipts (README, Accuracy): hybrid reads ~11 points of word F1
// more than Tesseract at ~1.6x its CPU time; other document types have no measurement
// yet and stay on Tesseract.
std::string ResolveEngineName(const EngineFlags& flags, const std::string& schema);

// kInvalidArgument for an unknown engine name, else what the engine's factory returns
// (kUnavailable when its runtime, models or device are missing). `schema` resolves
// "auto".
core::Result<std::unique_ptr<recognize::Engine>> CreateEngine(const EngineFlags& flags,
                                                              const std::string& schema = "");

// The pipelines of a service process, engines built once: an explicit engine runs
// every document; "auto" runs each schema on the engine ResolveEngineName picks for
// it (receipts on hybrid when PP-OCR is installed) and everything else on Tesseract.
// A pipeline only for schemas that need no MRZ pass (MrzPassWanted) skips it; those
// that run it share one set of readers (mrz::CreateZoneReaders, unless
// options.mrz_readers names some), kept by the set. CreateEngine's errors.
core::Result<std::unique_ptr<pipeline::PipelineSet>> CreatePipelineSet(
    const EngineFlags& flags, const pipeline::PipelineOptions& options);

// `options` with the pipeline's languages that --lang asks for: kAutoLanguage under
// "auto", else "" (the engine's own).
pipeline::PipelineOptions WithLanguage(const EngineFlags& flags, pipeline::PipelineOptions options);

// The MRZ pass's readers for a pipeline built with `options`: made
// (mrz::CreateZoneReaders) and set as options.mrz_readers when the pipeline runs the
// pass and names none; empty otherwise. Must outlive the pipeline.
mrz::ZoneReaders AttachMrzReaders(pipeline::PipelineOptions& options);

// "tesseract" or "tesseract, hybrid (receipt)": a set's engines for the startup log.
std::string DescribeEngines(const pipeline::PipelineSet& set);

// Checks an --engine value; "" when valid, else the usage message.
std::string CheckEngineName(const std::string& name);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_ENGINE_FACTORY_H_
