#include "cli/extract_flags.h"

#include <charconv>
#include <cstdlib>

#include "extract/fields.h"
#include "redact/redact.h"

namespace smartocr::cli {
namespace {

core::Status Usage(const std::string& message) { return core::InvalidArgument("usage", message); }

bool ParseNumber(const std::string& text, double* out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// Reads a numeric flag value within [lo, hi].
core::Status NumberFlag(const std::string& flag, const std::string& text, double lo, double hi,
                        double* out) {
  if (!ParseNumber(text, out) || *out < lo || *out > hi) {
    return Usage(flag + " needs a number from " + std::to_string(static_cast<long long>(lo)) +
                 " to " + std::to_string(static_cast<long long>(hi)) + ", got '" + text + "'");
  }
  return core::Status::Ok();
}

}  // namespace

const char* FormatExtension(OutputFormat format) {
  switch (format) {
    case OutputFormat::kJson:
      return "json";
    case OutputFormat::kText:
      return "txt";
    case OutputFormat::kHocr:
      return "hocr";
    case OutputFormat::kPdf:
      return "pdf";
    case OutputFormat::kCsv:
      return "csv";
  }
  return "json";
}

const char* ExtractUsage() {
  return R"(Usage: smartocr extract FILE... [options]

Reads PDFs (born-digital, scanned or mixed), PNG, JPEG and TIFF files and writes
their text with positions and confidences.

Options:
  -f, --format FMT     json (default), text, hocr, pdf (searchable PDF) or csv
                       (extracted fields; implies --schema auto unless given)
      --schema NAME    extract fields: auto, receipt, invoice, id_document, or a
                       tenant schema NAME.json in --schema-dir (adds "doc_type",
                       "fields" and "line_items" to the JSON)
      --schema-file F  extract the fields of a tenant schema (docs/schemas.md)
      --schema-dir DIR where --schema NAME looks (default: $SMARTOCR_SCHEMA_DIR)
      --llm            also ask an OpenAI-compatible LLM (SMARTOCR_LLM_BASE_URL,
                       SMARTOCR_LLM_MODEL, SMARTOCR_LLM_API_KEY); rules stay first
      --redact KINDS   replace and black out values: mrz, document_number, iban,
                       email, phone, names (or all), comma-separated, in every output
      --locale TAG     date order and currency hint for fields, e.g. en-US, de-DE
  -o, --output OUT     output file; with several inputs (or an existing directory)
                       a directory receiving <input name>.<ext> for each input.
                       Default: stdout (pdf needs -o)
      --pages SPEC     pages to read, e.g. 1-3,7,10- (default: all)
      --engine NAME    recognition engine: tesseract, ppocr (PP-OCRv4 detection +
                       recognition on ONNX Runtime), hybrid (PP-OCR line detection,
                       Tesseract per line, PP-OCR where Tesseract is unsure) or auto
                       (default: hybrid with --schema receipt when the PP-OCR models
                       are installed, else tesseract)
      --models-dir DIR PP-OCR model folder (default: env SMARTOCR_MODELS_DIR, else
                       the one scripts/install-deps.sh fills)
      --device DEV     cpu (default) or cuda for the PP-OCR models
      --lang LANGS     Tesseract languages, e.g. eng or eng+deu (default: eng)
      --dpi N          PDF rasterization resolution, 72-1200 (default: 300)
  -j, --jobs N         parallel page workers (default: number of cores)
      --psm N          Tesseract page segmentation mode (default: chosen per page,
                       6 for single-column pages, else 3)
      --tessdata DIR   Tesseract language data directory
      --no-preprocess  skip orientation, deskew, denoise, contrast and upscaling
      --max-pages N    reject documents with more pages (default: 5000)
      --max-file-mb N  reject files larger than N MiB (default: 256)
      --max-megapixels N  reject pages larger than N megapixels (default: 200)
      --page-timeout S give up on a page that takes longer to decode (default: 60)
      --progress / --no-progress
                       progress on stderr (default: when stderr is a terminal)
  -h, --help           this help

Exit codes: 0 all inputs done; 2 usage error; 3 an input was rejected (missing,
unsupported, corrupt, encrypted, over a limit); 4 processing failed.
)";
}

core::Result<ExtractFlags> ParseExtractFlags(const std::vector<std::string>& args) {
  ExtractFlags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::string value;
    bool has_inline = false;
    if (arg.rfind("--", 0) == 0) {
      size_t eq = arg.find('=');
      if (eq != std::string::npos) {
        value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
        has_inline = true;
      }
    }
    auto take = [&](std::string* out) -> core::Status {
      if (has_inline) {
        *out = value;
        return core::Status::Ok();
      }
      if (i + 1 >= args.size()) return Usage(arg + " needs a value");
      *out = args[++i];
      return core::Status::Ok();
    };
    double number = 0;
    std::string text;
    if (arg == "-h" || arg == "--help") {
      flags.help = true;
    } else if (arg == "-f" || arg == "--format") {
      SMARTOCR_RETURN_IF_ERROR(take(&text));
      if (text == "json") {
        flags.format = OutputFormat::kJson;
      } else if (text == "text" || text == "txt") {
        flags.format = OutputFormat::kText;
      } else if (text == "hocr") {
        flags.format = OutputFormat::kHocr;
      } else if (text == "pdf") {
        flags.format = OutputFormat::kPdf;
      } else if (text == "csv") {
        flags.format = OutputFormat::kCsv;
      } else {
        return Usage("--format must be json, text, hocr, pdf or csv, got '" + text + "'");
      }
    } else if (arg == "-o" || arg == "--output") {
      SMARTOCR_RETURN_IF_ERROR(take(&flags.output));
      if (flags.output.empty()) return Usage("--output needs a path");
    } else if (arg == "--pages") {
      SMARTOCR_RETURN_IF_ERROR(take(&text));
      auto range = core::PageRange::Parse(text);
      if (!range.ok()) return Usage(range.status().message());
      flags.pipeline.ingest.pages = *range;
    } else if (arg == "--schema") {
      SMARTOCR_RETURN_IF_ERROR(take(&flags.schema));
      if (flags.schema.empty()) {
        return Usage("--schema must be auto, " + extract::DocTypeNames() + " or a schema name");
      }
    } else if (arg == "--schema-file") {
      SMARTOCR_RETURN_IF_ERROR(take(&flags.schema_file));
      if (flags.schema_file.empty()) return Usage("--schema-file needs a path");
    } else if (arg == "--schema-dir") {
      SMARTOCR_RETURN_IF_ERROR(take(&flags.schema_dir));
    } else if (arg == "--llm") {
      flags.llm = true;
    } else if (arg == "--redact") {
      SMARTOCR_RETURN_IF_ERROR(take(&text));
      auto kinds = redact::ParseKinds(text);
      if (!kinds.ok()) return Usage("--redact: " + kinds.status().message());
      flags.redact = std::move(*kinds);
    } else if (arg == "--locale") {
      SMARTOCR_RETURN_IF_ERROR(take(&flags.locale));
    } else if (arg == "--engine") {
      SMARTOCR_RETURN_IF_ERROR(take(&flags.engine.engine));
      std::string bad = CheckEngineName(flags.engine.engine);
      if (!bad.empty()) return Usage(bad);
    } else if (arg == "--models-dir") {
      SMARTOCR_RETURN_IF_ERROR(take(&flags.engine.models_dir));
    } else if (arg == "--device") {
      SMARTOCR_RETURN_IF_ERROR(take(&flags.engine.device));
      if (flags.engine.device != "cpu" && flags.engine.device != "cuda") {
        return Usage("--device must be cpu or cuda, got '" + flags.engine.device + "'");
      }
    } else if (arg == "--lang" || arg == "-l") {
      SMARTOCR_RETURN_IF_ERROR(take(&flags.engine.tesseract.lang));
      if (flags.engine.tesseract.lang.empty()) return Usage("--lang needs a language");
    } else if (arg == "--dpi") {
      SMARTOCR_RETURN_IF_ERROR(take(&text));
      SMARTOCR_RETURN_IF_ERROR(NumberFlag(arg, text, 72, 1200, &number));
      flags.pipeline.ingest.dpi = static_cast<int>(number);
    } else if (arg == "-j" || arg == "--jobs") {
      SMARTOCR_RETURN_IF_ERROR(take(&text));
      SMARTOCR_RETURN_IF_ERROR(NumberFlag(arg, text, 1, 256, &number));
      flags.jobs = static_cast<int>(number);
    } else if (arg == "--psm") {
      SMARTOCR_RETURN_IF_ERROR(take(&text));
      SMARTOCR_RETURN_IF_ERROR(NumberFlag(arg, text, 1, 13, &number));
      flags.engine.tesseract.psm = static_cast<int>(number);
      if (flags.engine.tesseract.psm == 2) return Usage("--psm 2 is not supported by Tesseract");
    } else if (arg == "--tessdata") {
      SMARTOCR_RETURN_IF_ERROR(take(&flags.engine.tesseract.tessdata_dir));
      flags.pipeline.preprocess.tessdata_dir = flags.engine.tesseract.tessdata_dir;
    } else if (arg == "--no-preprocess") {
      auto& p = flags.pipeline.preprocess;
      p.orientation = p.deskew = p.denoise = p.contrast = p.binarize = p.upscale = false;
    } else if (arg == "--max-pages") {
      SMARTOCR_RETURN_IF_ERROR(take(&text));
      SMARTOCR_RETURN_IF_ERROR(NumberFlag(arg, text, 1, 1e6, &number));
      flags.pipeline.ingest.limits.max_pages = static_cast<int>(number);
    } else if (arg == "--max-file-mb") {
      SMARTOCR_RETURN_IF_ERROR(take(&text));
      SMARTOCR_RETURN_IF_ERROR(NumberFlag(arg, text, 1, 1e6, &number));
      flags.pipeline.ingest.limits.max_file_bytes = static_cast<uint64_t>(number * 1048576.0);
    } else if (arg == "--max-megapixels") {
      SMARTOCR_RETURN_IF_ERROR(take(&text));
      SMARTOCR_RETURN_IF_ERROR(NumberFlag(arg, text, 1, 1e5, &number));
      flags.pipeline.ingest.limits.max_page_pixels = static_cast<uint64_t>(number * 1e6);
    } else if (arg == "--page-timeout") {
      SMARTOCR_RETURN_IF_ERROR(take(&text));
      SMARTOCR_RETURN_IF_ERROR(NumberFlag(arg, text, 1, 86400, &number));
      flags.pipeline.ingest.limits.page_timeout_s = number;
    } else if (arg == "--progress") {
      flags.progress = ProgressMode::kOn;
    } else if (arg == "--no-progress") {
      flags.progress = ProgressMode::kOff;
    } else if (arg == "--") {
      for (++i; i < args.size(); ++i) flags.inputs.push_back(args[i]);
    } else if (arg.size() > 1 && arg[0] == '-') {
      return Usage("unknown option '" + arg + "' (see smartocr extract --help)");
    } else {
      flags.inputs.push_back(arg);
    }
  }
  if (flags.help) return flags;
  if (flags.inputs.empty()) return Usage("no input files (see smartocr extract --help)");
  if (flags.format == OutputFormat::kPdf && flags.output.empty()) {
    return Usage("--format pdf needs -o OUT");
  }
  if (!flags.schema_file.empty() && !flags.schema.empty()) {
    return Usage("give --schema or --schema-file, not both");
  }
  if (flags.format == OutputFormat::kCsv && flags.schema.empty() && flags.schema_file.empty()) {
    flags.schema = "auto";
  }
  if (flags.schema_dir.empty()) {
    const char* dir = std::getenv("SMARTOCR_SCHEMA_DIR");
    if (dir != nullptr) flags.schema_dir = dir;
  }
  flags.pipeline.threads = flags.jobs;
  flags.pipeline.mrz_pass = MrzPassWanted(flags.schema);
  flags.pipeline.keep_page_images = flags.format == OutputFormat::kPdf;
  return flags;
}

bool MrzPassWanted(const std::string& schema) {
  const extract::DocType* type = extract::FindDocType(schema);
  return type == nullptr || type->mrz_pass;
}

}  // namespace smartocr::cli
