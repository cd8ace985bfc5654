#include "cli/eval_command.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>

#include "cli/document_drivers.h"
#include "cli/extract_command.h"
#include "cli/extract_flags.h"
#include "cli/output_target.h"
#include "cli/progress.h"
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

const char kEvalUsage[] = R"(Usage: smartocr eval --dataset NAME DIR [options]

Runs the pipeline over a labelled folder (formats of ../shared/data) and prints text
CER, WER and bag-of-words F1, field precision/recall/F1 per field and micro-averaged,
and per-document errors, counted as ../shared/tools/*.py count them.

Datasets: sroie, tesseract, funsd, invoices, invoices2, mrz

Options:
      --dataset NAME   the folder's format (required)
      --json FILE      also write the report as JSON
      --baseline FILE  compare with an earlier --json report, side by side
      --limit N        only the first N documents
  plus the pipeline options of `smartocr extract` (-j, --lang, --dpi, --psm,
  --no-preprocess, --progress, limits).
)";

struct EvalFlags {
  std::string dataset;
  std::string dir;
  std::string json_out;
  std::string baseline;
  int limit = 0;
  ExtractFlags extract;
};

core::Result<EvalFlags> ParseEvalFlags(const std::vector<std::string>& args) {
  EvalFlags flags;
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* out) -> core::Status {
      if (i + 1 >= args.size()) return core::InvalidArgument("usage", a + " needs a value");
      *out = args[++i];
      return core::Status::Ok();
    };
    if (a == "--dataset") {
      SMARTOCR_RETURN_IF_ERROR(value(&flags.dataset));
    } else if (a == "--json") {
      SMARTOCR_RETURN_IF_ERROR(value(&flags.json_out));
    } else if (a == "--baseline") {
      SMARTOCR_RETURN_IF_ERROR(value(&flags.baseline));
    } else if (a == "--limit") {
      std::string n;
      SMARTOCR_RETURN_IF_ERROR(value(&n));
      try {
        flags.limit = std::stoi(n);
      } catch (...) {
        flags.limit = -1;
      }
      if (flags.limit < 1) return core::InvalidArgument("usage", "--limit needs a count >= 1");
    } else if (a == "-o" || a == "--output" || a == "-f" || a == "--format") {
      return core::InvalidArgument("usage", a + " does not apply to eval (use --json)");
    } else {
      rest.push_back(a);
    }
  }
  if (flags.dataset.empty()) return core::InvalidArgument("usage", "--dataset is required");
  auto extract = ParseExtractFlags(rest);
  if (!extract.ok()) return extract.status();
  if (extract->inputs.size() != 1) {
    return core::InvalidArgument("usage", "give exactly one labelled folder");
  }
  // The datasets are scored against the built-in schemas' field names.
  const std::vector<std::string> builtin = extract::SchemaNames();
  if ((!extract->schema.empty() &&
       std::find(builtin.begin(), builtin.end(), extract->schema) == builtin.end()) ||
      !extract->schema_file.empty() || !extract->redact.empty() || extract->llm) {
    return core::InvalidArgument(
        "usage",
        "eval takes --schema auto|receipt|invoice|id_document only (no tenant "
        "schemas, --redact or --llm)");
  }
  flags.dir = extract->inputs[0];
  flags.extract = std::move(*extract);
  return flags;
}

core::Result<nlohmann::json> ReadJsonFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::NotFound("no_such_file", "cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
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

}  // namespace

int RunEval(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a == "-h" || a == "--help") {
      std::fputs(kEvalUsage, stdout);
      return kExitOk;
    }
  }
  auto flags = ParseEvalFlags(args);
  if (!flags.ok()) {
    std::fprintf(stderr, "smartocr eval: %s\n", flags.status().message().c_str());
    return kExitUsage;
  }
  auto dataset = eval::LoadDataset(flags->dataset, flags->dir);
  if (!dataset.ok()) {
    std::fprintf(stderr, "smartocr eval: %s\n", dataset.status().ToString().c_str());
    return dataset.status().code() == core::StatusCode::kInvalidArgument ? kExitUsage
                                                                         : kExitInputRejected;
  }
  if (flags->limit > 0 && static_cast<size_t>(flags->limit) < dataset->samples.size()) {
    dataset->samples.resize(static_cast<size_t>(flags->limit));
  }
  std::optional<nlohmann::json> baseline;
  if (!flags->baseline.empty()) {
    auto b = ReadJsonFile(flags->baseline);
    if (!b.ok()) {
      std::fprintf(stderr, "smartocr eval: %s\n", b.status().ToString().c_str());
      return kExitInputRejected;
    }
    baseline = std::move(*b);
  }
  const std::string schema =
      flags->extract.schema.empty() ? dataset->schema : flags->extract.schema;
  auto engine = CreateEngine(flags->extract.engine, schema);
  if (!engine.ok()) {
    std::fprintf(stderr, "smartocr eval: %s\n", engine.status().ToString().c_str());
    return kExitProcessingFailed;
  }
  pipeline::PipelineOptions pipeline_options = flags->extract.pipeline;
  pipeline_options.mrz_pass = MrzPassWanted(schema);
  const std::unique_ptr<recognize::Engine> second_reader = AttachMrzSecondReader(pipeline_options);
  pipeline::Pipeline pipeline(**engine, pipeline_options);
  const auto& samples = dataset->samples;
  bool show = flags->extract.progress == ProgressMode::kOn ||
              (flags->extract.progress == ProgressMode::kAuto && isatty(2));
  Progress progress(show, static_cast<int>(samples.size()), stderr);
  pipeline.set_progress(
      [&](const std::string& in, int done, int total) { progress.OnPage(in, done, total); });

  // Documents run on up to -j driver threads sharing the pipeline's page workers;
  // results are scored in dataset order so the report does not depend on timing.
  struct Outcome {
    core::Result<nlohmann::json> result = core::Internal("not_run", "not run");
    double seconds = 0;
  };
  std::vector<Outcome> outcomes(samples.size());
  const double cpu_start = ProcessCpuSeconds();
  ForEachDocument(samples.size(), pipeline.options().threads, [&](size_t i) {
    auto t0 = std::chrono::steady_clock::now();
    auto doc = pipeline.Run(samples[i].input, nullptr);
    outcomes[i].seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (doc.ok() && !schema.empty()) {
      extract::ExtractOptions options;
      options.schema = schema;
      options.locale = flags->extract.locale;
      options.today = extract::TodayUtc();
      core::Status st = extract::ExtractFields(*doc, options);
      if (!st.ok()) doc = st;
    }
    if (doc.ok()) {
      outcomes[i].result = render::ToJson(*doc);
    } else {
      outcomes[i].result = doc.status();
    }
    progress.OnFileDone();
  });
  progress.Finish();
  const double cpu_seconds = ProcessCpuSeconds() - cpu_start;

  eval::Report report(dataset->name, (*engine)->info().name + " " + (*engine)->info().version,
                      SettingsOf(*flags));
  report.SetCpuSeconds(cpu_seconds);
  for (size_t i = 0; i < samples.size(); ++i) {
    if (outcomes[i].result.ok()) {
      report.Add(*dataset, samples[i], *outcomes[i].result, outcomes[i].seconds);
    } else {
      report.AddFailure(samples[i], outcomes[i].result.status(), *dataset);
    }
  }
  std::fputs(report.ToText(baseline ? &*baseline : nullptr).c_str(), stdout);
  if (!flags->json_out.empty()) {
    core::Status st = WriteFileAtomically(flags->json_out, report.ToJson().dump(2) + "\n");
    if (!st.ok()) {
      std::fprintf(stderr, "smartocr eval: %s\n", st.ToString().c_str());
      return kExitProcessingFailed;
    }
  }
  return kExitOk;
}

}  // namespace smartocr::cli
