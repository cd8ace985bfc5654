// src/cli/extract_flags.h
//
// Parses `smartocr extract` arguments into options. No I/O beyond reading flags.
#ifndef SMARTOCR_CLI_EXTRACT_FLAGS_H_
#define SMARTOCR_CLI_EXTRACT_FLAGS_H_

#include <string>
#include <vector>

#include "cli/engine_factory.h"
#include "core/core.h"
#include "pipeline/pipeline.h"
#include "recognize/recognize.h"

namespace smartocr::cli {

enum class OutputFormat { kJson, kText, kHocr, kPdf, kCsv };
const char* FormatExtension(OutputFormat format);  // "json", "txt", "hocr", "pdf", "csv"

enum class ProgressMode { kAuto, kOn, kOff };

struct ExtractFlags {
  std::vector<std::string> inputs;
  OutputFormat format = OutputFormat::kJson;
  std::string output;  // empty: stdout
  int jobs = 0;        // 0: cores
  ProgressMode progress = ProgressMode::kAuto;
  bool help = false;
  // Field extraction: "" (none), "auto", "receipt", "invoice", "id_document".
  std::string schema;
  std::string locale;  // date order / currency hint for extraction, e.g. "en-US"
  pipeline::PipelineOptions pipeline;
  EngineFlags engine;  // engine.tesseract: Tesseract settings (also used by hybrid)
};

// Parses args (without the program and command names). Fails with kInvalidArgument
// (reason "usage") naming the bad flag.
core::Result<ExtractFlags> ParseExtractFlags(const std::vector<std::string>& args);

// The help text of `smartocr extract`.
const char* ExtractUsage();

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_EXTRACT_FLAGS_H_
