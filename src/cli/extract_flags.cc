#include "cli/extract_flags.h"

#include <cstdio>
#include <utility>

#include "cli/cli_log.h"
#include "cli/common_flags.h"
#include "extract/fields.h"
#include "redact/redact.h"

namespace smartocr::cli {
namespace {

const char kExtractIntro[] = R"(Usage: smartocr extract FILE... [options]

Reads PDFs (born-digital, scanned or mixed), PNG, JPEG and TIFF files and writes
their text with positions and confidences. FILE '-' reads one document from
standard input (its type told by its bytes; named "stdin" in the result).
)";

const char kExtractOutro[] =
    R"(Exit codes: 0 all inputs done; 2 usage error; 3 an input was rejected (missing,
unsupported, corrupt, encrypted, over a limit); 4 processing failed.
)";

core::Status SetFormat(const std::string& text, OutputFormat* format) {
  if (text == "json") {
    *format = OutputFormat::kJson;
  } else if (text == "text" || text == "txt") {
    *format = OutputFormat::kText;
  } else if (text == "hocr") {
    *format = OutputFormat::kHocr;
  } else if (text == "pdf") {
    *format = OutputFormat::kPdf;
  } else if (text == "csv") {
    *format = OutputFormat::kCsv;
  } else {
    return UsageError("--format must be json, text, hocr, pdf or csv, got '" + text + "'");
  }
  return core::Status::Ok();
}

// A switch that runs `on` (for switches that clear or pick a setting).
FlagSpec ActionFlag(std::string_view name, std::string_view help, std::function<void()> on) {
  return {name, "", help, [on = std::move(on)](const std::string&) {
            on();
            return core::Status::Ok();
          }};
}

// --max-pages, --max-file-mb, --max-megapixels, --page-timeout.
FlagTable LimitRows(ingest::Limits* limits) {
  return {
      IntFlag("--max-pages", "N", "reject documents with more pages (default: 5000)", 1, 1'000'000,
              &limits->max_pages),
      RealFlag(
          "--max-file-mb", "N", "reject files larger than N MiB (default: 256)", 1, 1e6,
          [limits](double mb) { limits->max_file_bytes = static_cast<uint64_t>(mb * 1048576.0); }),
      RealFlag("--max-megapixels", "N", "reject pages larger than N megapixels (default: 200)", 1,
               1e5,
               [limits](double mp) { limits->max_page_pixels = static_cast<uint64_t>(mp * 1e6); }),
      RealFlag("--page-timeout", "S", "give up on a page that takes longer to decode (default: 60)",
               1, 86'400, [limits](double s) { limits->page_timeout_s = s; }),
  };
}

// Every row of `smartocr extract`.
FlagTable ExtractFlagTable(ExtractFlags* flags) {
  return Concat({ExtractOutputRows(flags),
                 ExtractFieldRows(flags),
                 ExtractReadRows(flags),
                 {HelpFlag(&flags->help)}});
}

// A lexicon that cannot be read leaves the rules alone, and says so: fields are still
// extracted, only not corrected.
std::shared_ptr<const extract::FieldLexicon> LoadLexiconOrRulesAlone(const std::string& path) {
  if (path == "none") return extract::FieldLexicon::Empty();
  auto lexicon = extract::FieldLexicon::Load(path);
  if (lexicon.ok()) return *lexicon;
  ReportInputWarning("", "--lexicon " + path,
                     lexicon.status().ToString() + "; fields from the rules alone");
  return extract::FieldLexicon::Empty();
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

FlagTable ExtractOutputRows(ExtractFlags* flags) {
  return {
      {"-f, --format", "FMT",
       "json (default), text, hocr, pdf (searchable PDF) or csv (extracted fields; implies "
       "--schema auto unless given)",
       [flags](const std::string& text) { return SetFormat(text, &flags->format); }},
      NonEmptyTextFlag("-o, --output", "OUT",
                       "output file; with several inputs (or an existing directory) a directory "
                       "receiving <input name>.<ext> for each input. Default: stdout (pdf needs "
                       "-o)",
                       &flags->output, "--output needs a path"),
  };
}

FlagTable ExtractFieldRows(ExtractFlags* flags) {
  return {
      NonEmptyTextFlag("--schema", "NAME",
                       "extract fields: auto, receipt, invoice, id_document, or a tenant schema "
                       "NAME.json in --schema-dir (adds \"doc_type\", \"fields\" and "
                       "\"line_items\" to the JSON)",
                       &flags->schema,
                       "--schema must be auto, " + extract::DocTypeNames() + " or a schema name"),
      NonEmptyTextFlag("--schema-file", "F",
                       "extract the fields of a tenant schema (docs/schemas.md)",
                       &flags->schema_file, "--schema-file needs a path"),
      TextFlag("--schema-dir", "DIR", "where --schema NAME looks (default: $SMARTOCR_SCHEMA_DIR)",
               &flags->schema_dir),
      LlmFlag(&flags->llm),
      {"--redact", "KINDS",
       "replace and black out values: mrz, document_number, iban, email, phone, names (or "
       "all), comma-separated, in every output",
       [flags](const std::string& text) {
         auto kinds = redact::ParseKinds(text);
         if (!kinds.ok()) return UsageError("--redact: " + kinds.status().message());
         flags->redact = std::move(*kinds);
         return core::Status::Ok();
       }},
      TextFlag("--locale", "TAG", "date order and currency hint for fields, e.g. en-US, de-DE",
               &flags->locale),
      {"--lexicon", "FILE",
       "known receipt values that correct misread ones (tools/fields/build_lexicon.py); "
       "none: the rules alone (default: the one built in)",
       [flags](const std::string& text) {
         flags->lexicon = LoadLexiconOrRulesAlone(text);
         return core::Status::Ok();
       }},
  };
}

FlagTable ExtractReadRows(ExtractFlags* flags) {
  pipeline::PipelineOptions& p = flags->pipeline;
  recognize::TesseractConfig& tesseract = flags->engine.tesseract;
  return Concat({
      {{"--pages", "SPEC", "pages to read, e.g. 1-3,7,10- (default: all)",
        [&p](const std::string& text) {
          auto range = core::PageRange::Parse(text);
          if (!range.ok()) return UsageError(range.status().message());
          p.ingest.pages = *range;
          return core::Status::Ok();
        }}},
      EngineFlagRows(&flags->engine),
      {
          DpiFlag(&p.ingest),
          IntFlag("-j, --jobs", "N", "parallel page workers (default: number of cores)", 1, 256,
                  &flags->jobs),
          {"--psm", "N",
           "Tesseract page segmentation mode, 1-13 but 2 (default: chosen per page, 6 for "
           "single-column pages, else 3)",
           [&tesseract](const std::string& text) {
             auto psm = ReadInt("--psm", text, 1, 13);
             if (!psm.ok()) return psm.status();
             if (*psm == 2) return UsageError("--psm 2 is not supported by Tesseract");
             tesseract.psm = static_cast<int>(*psm);
             return core::Status::Ok();
           }},
          {"--tessdata", "DIR", "Tesseract language data directory",
           [&p, &tesseract](const std::string& dir) {
             tesseract.tessdata_dir = p.preprocess.tessdata_dir = dir;
             return core::Status::Ok();
           }},
          ActionFlag("--no-preprocess", "skip orientation, deskew, denoise, contrast and upscaling",
                     [&p] {
                       auto& pre = p.preprocess;
                       pre.orientation = pre.deskew = pre.denoise = pre.contrast = pre.binarize =
                           pre.upscale = false;
                     }),
      },
      LimitRows(&p.ingest.limits),
      {ActionFlag("--progress", "progress on stderr (default: when stderr is a terminal)",
                  [flags] { flags->progress = ProgressMode::kOn; }),
       ActionFlag("--no-progress", "no progress on stderr",
                  [flags] { flags->progress = ProgressMode::kOff; })},
  });
}

std::string ExtractUsage() {
  ExtractFlags unused;
  return Usage(kExtractIntro, ExtractFlagTable(&unused), kExtractOutro);
}

core::Status FinishExtractFlags(ExtractFlags* flags) {
  if (flags->inputs.empty()) return UsageError("no input files (see smartocr extract --help)");
  if (flags->format == OutputFormat::kPdf && flags->output.empty()) {
    return UsageError("--format pdf needs -o OUT");
  }
  if (!flags->schema_file.empty() && !flags->schema.empty()) {
    return UsageError("give --schema or --schema-file, not both");
  }
  if (flags->format == OutputFormat::kCsv && flags->schema.empty() && flags->schema_file.empty()) {
    flags->schema = "auto";
  }
  if (flags->schema_dir.empty()) flags->schema_dir = EnvValue("SMARTOCR_SCHEMA_DIR");
  flags->pipeline.threads = flags->jobs;
  flags->pipeline.mrz_pass = MrzPassWanted(flags->schema);
  flags->pipeline.keep_page_images = flags->format == OutputFormat::kPdf;
  return core::Status::Ok();
}

core::Result<ExtractFlags> ParseExtractFlags(const std::vector<std::string>& args) {
  ExtractFlags flags;
  SMARTOCR_RETURN_IF_ERROR(ParseFlags("extract", ExtractFlagTable(&flags), args, &flags.inputs));
  if (flags.help) return flags;
  SMARTOCR_RETURN_IF_ERROR(FinishExtractFlags(&flags));
  return flags;
}

bool MrzPassWanted(const std::string& schema) {
  const extract::DocType* type = extract::FindDocType(schema);
  return type == nullptr || type->mrz_pass;
}

}  // namespace smartocr::cli
