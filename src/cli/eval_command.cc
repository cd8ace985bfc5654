#include "cli/eval_command.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "cli/cli_log.h"
#include "cli/common_flags.h"
#include "cli/document_drivers.h"
#include "cli/extract_command.h"
#include "cli/extract_flags.h"
#include "cli/flag_table.h"
#include "cli/output_target.h"
#include "cli/progress.h"
#include "document/document.h"
#include "eval/eval.h"
#include "extract/fields.h"
#include "render/render.h"

namespace smartocr::cli {
namespace {

// This process and its finished children (the PDF decoder runs in one per document).
double ProcessCpuSeconds() {
  auto seconds = [](int who) {
    rusage usage{};
    getrusage(who, &usage);
    auto s = [](const timeval& t) {
      return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return s(usage.ru_utime) + s(usage.ru_stime);
  };
  return seconds(RUSAGE_SELF) + seconds(RUSAGE_CHILDREN);
}

const char kEvalIntro[] = R"(Usage: smartocr eval --dataset NAME DIR [options]

Runs the pipeline over a labelled folder (formats of ../shared/data) and prints text
CER, WER and bag-of-words F1, field precision/recall/F1 per field and micro-averaged,
and per-document errors, counted as ../shared/tools/*.py count them.

Datasets: sroie, tesseract, funsd, invoices, invoices2, mrz, and reviewed: documents
approved in review, as GET /review/export?format=dataset unpacks (docs/review.md)
)";

struct EvalFlags {
  std::string dataset;
  std::string dir;
  std::string json_out;
  std::string metrics_out;  // --metrics-out: Prometheus text format
  std::string baseline;
  std::string results;  // score saved results (extract -f json) instead of reading
  int limit = 0;
  ExtractFlags extract;
};

// Eval takes the built-in schemas only: the datasets are scored against their fields.
std::string BuiltinSchemasOnly() {
  return "eval takes --schema auto|" + extract::DocTypeNames("|") +
         " only (no tenant schemas, --redact or --llm)";
}

// Eval's own rows, then the reading settings of `smartocr extract` and its built-in
// schemas; what would change the output or ask a third party is refused.
FlagTable EvalFlagTable(EvalFlags* f) {
  const FlagTable output = ExtractOutputRows(&f->extract);
  const FlagTable fields = ExtractFieldRows(&f->extract);
  return Concat({
      {TextFlag("--dataset", "NAME", "the folder's format (required)", &f->dataset),
       TextFlag("--json", "FILE", "also write the report as JSON", &f->json_out),
       TextFlag("--metrics-out", "FILE",
                "also write the figures in the Prometheus text format (textfile collector)",
                &f->metrics_out),
       TextFlag("--baseline", "FILE", "compare with an earlier --json report, side by side",
                &f->baseline),
       TextFlag("--results", "DIR", "fields again from results saved by extract -f json -o DIR",
                &f->results),
       IntFlag("--limit", "N", "only the first N documents", 1, 1'000'000'000, &f->limit)},
      Without(fields, {"--schema-file", "--redact", "--llm"}),
      ExtractReadRows(&f->extract),
      {HelpFlag(&f->extract.help)},
      Refused(output, {"-f, --format"}, "--format does not apply to eval (use --json)"),
      Refused(output, {"-o, --output"}, "--output does not apply to eval (use --json)"),
      Refused(fields, {"--schema-file", "--redact", "--llm"}, BuiltinSchemasOnly()),
  });
}

// Checks the flags together once parsed; a UsageError.
core::Status FinishEvalFlags(EvalFlags* flags) {
  if (flags->dataset.empty()) return UsageError("--dataset is required");
  ExtractFlags& extract = flags->extract;
  if (extract.inputs.size() != 1) return UsageError("give exactly one labelled folder");
  SMARTOCR_RETURN_IF_ERROR(FinishExtractFlags(&extract));
  const std::vector<std::string> builtin = extract::SchemaNames();
  if (!extract.schema.empty() &&
      std::find(builtin.begin(), builtin.end(), extract.schema) == builtin.end()) {
    return UsageError(BuiltinSchemasOnly());
  }
  flags->dir = extract.inputs[0];
  std::error_code ec;
  if (!flags->results.empty() && !std::filesystem::is_directory(flags->results, ec)) {
    return UsageError("--results " + flags->results + " is not a folder");
  }
  return core::Status::Ok();
}

core::Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::NotFound("no_such_file", "cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

core::Result<nlohmann::json> ReadJsonFile(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded()) return core::CorruptInput("baseline_json", path + " is not JSON");
  return j;
}

nlohmann::json SettingsOf(const EvalFlags& flags) {
  const auto& p = flags.extract.pipeline;
  const auto& pre = p.preprocess;
  return {{"engine", flags.extract.engine.engine},
          {"lang", flags.extract.engine.tesseract.lang},
          {"psm", flags.extract.engine.tesseract.psm == 0
                      ? std::string("auto")
                      : std::to_string(flags.extract.engine.tesseract.psm)},
          {"dpi", p.ingest.dpi},
          {"preprocess", pre.orientation || pre.deskew || pre.denoise || pre.contrast ||
                             pre.binarize || pre.upscale},
          {"limit", flags.limit}};
}

// One document's result (render::ToJson with fields) or why it failed, and its time.
struct Outcome {
  core::Result<nlohmann::json> result = core::Internal("not_run", "not run");
  double seconds = 0;
};

// One document through the service (`step`), timed; its result as JSON or why it failed.
template <typename Step>
Outcome Timed(Step step) {
  Outcome out;
  auto t0 = std::chrono::steady_clock::now();
  core::Result<document::DocumentOutcome> done = step();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (done.ok()) {
    out.result = render::ToJson(done->doc);
  } else {
    out.result = done.status();
  }
  return out;
}

// Documents run on up to -j driver threads sharing the pipeline's page workers;
// the outcomes come in dataset order so the report does not depend on timing.
// Each sample through the document service, as `smartocr extract` runs a document.
std::vector<Outcome> RunSamples(const document::DocumentService& service, int threads,
                                const std::vector<eval::Sample>& samples,
                                const document::DocumentOptions& options, Progress& progress) {
  std::vector<Outcome> outcomes(samples.size());
  ForEachDocument(samples.size(), threads, [&](size_t i) {
    outcomes[i] = Timed([&] { return service.Process({.path = samples[i].input}, options); });
    progress.OnFileDone();
  });
  progress.Finish();
  return outcomes;
}

// The fields of each sample again from a result saved by `smartocr extract -f json -o
// DIR`: the text as read then, the extraction as built now. Fitting and checking the
// extractor needs many runs over the same text; reading it once is enough.
std::vector<Outcome> RescoreSaved(const document::DocumentService& service, const std::string& dir,
                                  const std::vector<eval::Sample>& samples,
                                  const document::DocumentOptions& options) {
  std::vector<Outcome> outcomes(samples.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    auto text = ReadTextFile(dir + "/" + samples[i].stem + ".json");
    auto doc = text.ok() ? render::ParseResultJson(*text)
                         : core::Result<core::DocumentResult>(text.status());
    if (!doc.ok()) {
      outcomes[i].result = doc.status();
      continue;
    }
    doc->fields.clear();
    doc->line_items.clear();
    outcomes[i] = Timed([&] { return service.PostRecognition(std::move(*doc), options); });
  }
  return outcomes;
}

int PrintReport(const EvalFlags& flags, const eval::Dataset& dataset,
                const recognize::Engine& engine, const std::vector<Outcome>& outcomes,
                double cpu_seconds, const std::optional<nlohmann::json>& baseline) {
  eval::Report report(dataset.name, engine.info().name + " " + engine.info().version,
                      SettingsOf(flags));
  report.SetCpuSeconds(cpu_seconds);
  for (size_t i = 0; i < dataset.samples.size(); ++i) {
    if (outcomes[i].result.ok()) {
      report.Add(dataset, dataset.samples[i], *outcomes[i].result, outcomes[i].seconds);
    } else {
      report.AddFailure(dataset.samples[i], outcomes[i].result.status(), dataset);
    }
  }
  std::fputs(report.ToText(baseline ? &*baseline : nullptr).c_str(), stdout);
  std::vector<std::pair<std::string, std::string>> files;
  if (!flags.json_out.empty()) files.emplace_back(flags.json_out, report.ToJson().dump(2) + "\n");
  if (!flags.metrics_out.empty()) {
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    files.emplace_back(flags.metrics_out, eval::ReportToPrometheus(report.ToJson(), now));
  }
  for (const auto& [path, text] : files) {
    // Atomically: a textfile collector never reads half a file.
    core::Status st = WriteFileAtomically(path, text);
    if (!st.ok()) {
      ReportError("eval", st.ToString());
      return kExitProcessingFailed;
    }
  }
  return kExitOk;
}

}  // namespace

int RunEval(const std::vector<std::string>& args) {
  EvalFlags flags;
  if (auto exit = ParseCommandLine("eval", EvalFlagTable(&flags), flags.extract.help, kEvalIntro,
                                   args, &flags.extract.inputs)) {
    return *exit;
  }
  core::Status st = FinishEvalFlags(&flags);
  if (!st.ok()) return FailUsage("eval", st);
  auto dataset = eval::LoadDataset(flags.dataset, flags.dir);
  if (!dataset.ok()) {
    ReportError("eval", dataset.status().ToString());
    return dataset.status().code() == core::StatusCode::kInvalidArgument ? kExitUsage
                                                                         : kExitInputRejected;
  }
  if (flags.limit > 0 && static_cast<size_t>(flags.limit) < dataset->samples.size()) {
    dataset->samples.resize(static_cast<size_t>(flags.limit));
  }
  std::optional<nlohmann::json> baseline;
  if (!flags.baseline.empty()) {
    auto b = ReadJsonFile(flags.baseline);
    if (!b.ok()) {
      ReportError("eval", b.status().ToString());
      return kExitInputRejected;
    }
    baseline = std::move(*b);
  }
  std::string schema = flags.extract.schema.empty() ? dataset->schema : flags.extract.schema;
  // A reviewed set of a tenant schema's documents: eval has the built-in types only.
  if (flags.extract.schema.empty() && schema != "auto" && extract::FindDocType(schema) == nullptr) {
    schema = "auto";
  }
  auto engine = CreateEngine(flags.extract.engine, schema);
  if (!engine.ok()) {
    ReportError("eval", engine.status().ToString());
    return kExitProcessingFailed;
  }
  pipeline::PipelineOptions pipeline_options =
      WithLanguage(flags.extract.engine, flags.extract.pipeline);
  pipeline_options.mrz_pass = MrzPassWanted(schema);
  const mrz::ZoneReaders mrz_readers = AttachMrzReaders(pipeline_options);
  const recognize::Engine& engine_used = **engine;
  pipeline::PipelineSet pipelines;
  pipeline::Pipeline& pipeline = pipelines.Add(std::move(*engine), pipeline_options);
  const document::DocumentService service(pipelines, /*llm=*/nullptr);
  document::DocumentOptions options;
  options.schema = schema;
  options.locale = flags.extract.locale;
  options.lexicon = flags.extract.lexicon;
  // The page is what is measured: the e-invoice sets' labels come from their XML.
  options.read_embedded_invoice = false;
  bool show = flags.extract.progress == ProgressMode::kOn ||
              (flags.extract.progress == ProgressMode::kAuto && isatty(2));
  Progress progress(show, static_cast<int>(dataset->samples.size()), stderr);
  pipeline.set_progress(
      [&](const std::string& in, int done, int total) { progress.OnPage(in, done, total); });
  const double cpu_start = ProcessCpuSeconds();
  std::vector<Outcome> outcomes =
      flags.results.empty()
          ? RunSamples(service, pipeline.options().threads, dataset->samples, options, progress)
          : RescoreSaved(service, flags.results, dataset->samples, options);
  const double cpu_seconds = ProcessCpuSeconds() - cpu_start;
  return PrintReport(flags, *dataset, engine_used, outcomes, cpu_seconds, baseline);
}

}  // namespace smartocr::cli
