// src/cli/extract_flags.h
//
// Parses `smartocr extract` arguments into options. No I/O beyond reading flags. The
// rows (flag_table.h) come in groups so that `smartocr eval` can take the same
// reading settings.
#ifndef SMARTOCR_CLI_EXTRACT_FLAGS_H_
#define SMARTOCR_CLI_EXTRACT_FLAGS_H_

#include <memory>
#include <string>
#include <vector>

#include "cli/engine_factory.h"
#include "cli/flag_table.h"
#include "core/core.h"
#include "extract/lexicon.h"
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
  // Field extraction: "" (none), "auto", "receipt", "invoice", "id_document", or the
  // name of a tenant schema in schema_dir.
  std::string schema;
  std::string schema_file;          // --schema-file: a tenant schema (docs/schemas.md)
  std::string schema_dir;           // --schema-dir or $SMARTOCR_SCHEMA_DIR: tenant schemas by name
  std::vector<std::string> redact;  // --redact kinds (redact::ParseKinds)
  bool llm = false;                 // --llm: also ask the LLM configured by SMARTOCR_LLM_*
  std::shared_ptr<const extract::FieldLexicon> lexicon;  // --lexicon; null: built in
  std::string locale;  // date order / currency hint for extraction, e.g. "en-US"
  pipeline::PipelineOptions pipeline;
  EngineFlags engine;  // engine.tesseract: Tesseract settings (also used by hybrid)
};

// The rows of `smartocr extract`, bound to *flags, by group. Output: -f/--format,
// -o/--output. Fields: --schema, --schema-file, --schema-dir, --llm, --redact,
// --locale. Reading: --pages, the engine rows, --dpi, -j/--jobs, --psm, --tessdata,
// --no-preprocess, the input limits and --progress / --no-progress.
FlagTable ExtractOutputRows(ExtractFlags* flags);
FlagTable ExtractFieldRows(ExtractFlags* flags);
FlagTable ExtractReadRows(ExtractFlags* flags);

// Checks the flags together once parsed and fills in what follows from them (the
// schema for csv, $SMARTOCR_SCHEMA_DIR, the pipeline's threads, MRZ pass and page
// images). Fails with a UsageError: no input, pdf without -o, both --schema and
// --schema-file.
core::Status FinishExtractFlags(ExtractFlags* flags);

// Parses args (without the program and command names). Fails with kInvalidArgument
// (reason "usage") naming the bad flag.
core::Result<ExtractFlags> ParseExtractFlags(const std::vector<std::string>& args);

// The help text of `smartocr extract`.
std::string ExtractUsage();

// Whether pages read for `schema` get the dedicated MRZ pass. Receipts and invoices
// carry no MRZ, and their long digit rows (card numbers, GST ids) look enough like one
// to trigger re-reads that cost time and never change a field.
bool MrzPassWanted(const std::string& schema);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_EXTRACT_FLAGS_H_
