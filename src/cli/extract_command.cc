#include "cli/extract_command.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>

#include "cli/cli_log.h"
#include "cli/common_flags.h"
#include "cli/document_drivers.h"
#include "cli/extract_flags.h"
#include "cli/flag_table.h"
#include "cli/output_target.h"
#include "cli/progress.h"
#include "cli/stdin_input.h"
#include "core/mutex.h"
#include "document/document.h"
#include "extract/fields.h"
#include "extract/schema.h"
#include "llm/llm.h"
#include "pipeline/pipeline_set.h"
#include "redact/redact.h"
#include "render/render.h"

namespace smartocr::cli {
namespace {

// Streams pages into a searchable PDF as the pipeline finishes them.
class PdfSink final : public pipeline::PageSink {
 public:
  explicit PdfSink(render::SearchablePdfWriter& writer) : writer_(writer) {}
  core::Status OnPage(const core::PageResult& page, const cv::Mat& image) override {
    return writer_.AddPage(page, image, page.dpi);
  }

 private:
  render::SearchablePdfWriter& writer_;
};

// Keeps every page and its image, for outputs that must see the whole document before
// writing a page (a redacted PDF needs the fields, which need all pages).
class CollectingSink final : public pipeline::PageSink {
 public:
  struct Kept {
    cv::Mat image;
    double dpi = 0;
  };
  core::Status OnPage(const core::PageResult& page, const cv::Mat& image) override {
    kept_.push_back({image.clone(), page.dpi});
    return core::Status::Ok();
  }
  std::vector<Kept>& kept() { return kept_; }

 private:
  std::vector<Kept> kept_;
};

std::string RenderDocument(const core::DocumentResult& doc, OutputFormat format, bool compact) {
  switch (format) {
    case OutputFormat::kJson:
      return compact ? render::ToJson(doc).dump(-1, ' ', false,
                                                nlohmann::json::error_handler_t::replace) +
                           "\n"
                     : render::RenderJson(doc);
    case OutputFormat::kText:
      return render::RenderText(doc);
    case OutputFormat::kHocr:
      return render::RenderHocr(doc);
    case OutputFormat::kPdf:
      return "";
    case OutputFormat::kCsv:
      return render::RenderFieldsCsv(doc);
  }
  return "";
}

// Writes outputs bound for stdout in input order, whatever order they finish in.
class OrderedStdout {
 public:
  void Put(size_t index, std::string text) {
    core::MutexLock lock(mu_);
    pending_[index] = std::move(text);
    while (!pending_.empty() && pending_.begin()->first == next_) {
      std::fwrite(pending_.begin()->second.data(), 1, pending_.begin()->second.size(), stdout);
      pending_.erase(pending_.begin());
      ++next_;
    }
    std::fflush(stdout);
  }

 private:
  core::Mutex mu_;
  std::map<size_t, std::string> pending_ GUARDED_BY(mu_);
  size_t next_ GUARDED_BY(mu_) = 0;
};

// What the document service is asked to do with each input, from the flags.
document::DocumentOptions DocumentOptionsFor(const ExtractFlags& flags,
                                             std::shared_ptr<const extract::Schema> custom) {
  document::DocumentOptions options;
  options.schema = flags.schema;
  options.custom_schema = std::move(custom);
  options.redact = flags.redact;
  options.locale = flags.locale;
  options.lexicon = flags.lexicon;
  return options;
}

class ExtractRun {
 public:
  ExtractRun(ExtractFlags flags, OutputPlan plan, std::unique_ptr<recognize::Engine> engine,
             Progress& progress, std::shared_ptr<const extract::Schema> custom_schema,
             std::unique_ptr<llm::LlmClient> llm, const StdinSpool* stdin_spool)
      : flags_(std::move(flags)),
        plan_(std::move(plan)),
        progress_(progress),
        stdin_spool_(stdin_spool),
        llm_(std::move(llm)),
        options_(DocumentOptionsFor(flags_, std::move(custom_schema))),
        service_(pipelines_, llm_.get()) {
    pipeline::Pipeline& pipeline =
        pipelines_.Add(std::move(engine), WithLanguage(flags_.engine, flags_.pipeline));
    pipeline.set_progress([this](const std::string& input, int done, int total) {
      progress_.OnPage(input, done, total);
    });
  }

  // Runs every input on up to `jobs` driver threads (pages share one worker pool);
  // returns the exit code.
  int Run() {
    ForEachDocument(flags_.inputs.size(), pipelines_.For("auto").pipeline.options().threads,
                    [this](size_t i) { RunOne(i); });
    progress_.Finish();
    return exit_code_.load();
  }

 private:
  void RunOne(size_t index) {
    const std::string& input = flags_.inputs[index];
    core::Status st = Process(index, input);
    progress_.OnFileDone();
    if (st.ok()) return;
    if (plan_.to_stdout) stdout_.Put(index, "");
    Warn(input, st.ToString());
    int code = core::IsInputRejection(st.code()) || st.code() == core::StatusCode::kInvalidArgument
                   ? kExitInputRejected
                   : kExitProcessingFailed;
    int prev = exit_code_.load();
    while (code > prev && !exit_code_.compare_exchange_weak(prev, code)) {
    }
  }

  const char* progress_line_prefix() const {
    return flags_.progress == ProgressMode::kOff ? "" : (isatty(2) ? "\r\033[K" : "");
  }

  void Warn(const std::string& input, const std::string& message) {
    core::MutexLock lock(stderr_mu_);
    ReportInputWarning(progress_line_prefix(), input, message);
  }

  // The document service's result for `input`; its warnings go to stderr as well.
  core::Result<document::DocumentOutcome> ProcessDocument(
      const std::string& input, pipeline::PageSink* sink,
      const document::DocumentOptions& options) {
    // "-" is standard input, read before the run (StdinSpool); the result names it so.
    const bool from_stdin = input == kStdinInput && stdin_spool_ != nullptr;
    auto done = service_.Process({.path = from_stdin ? stdin_spool_->path() : input,
                                  .input_name = from_stdin ? "stdin" : "",
                                  .sink = sink},
                                 options);
    if (done.ok()) {
      for (const std::string& w : done->doc.warnings) Warn(input, w);
    }
    return done;
  }

  core::Status Process(size_t index, const std::string& input) {
    if (flags_.format == OutputFormat::kPdf) return ProcessPdf(index, input);
    auto done = ProcessDocument(input, nullptr, options_);
    if (!done.ok()) return done.status();
    std::string out = RenderDocument(done->doc, flags_.format,
                                     /*compact=*/plan_.to_stdout && flags_.inputs.size() > 1);
    if (plan_.to_stdout) {
      stdout_.Put(index, std::move(out));
      return core::Status::Ok();
    }
    return WriteFileAtomically(plan_.paths[index], out);
  }

  core::Status ProcessPdf(size_t index, const std::string& input) {
    const std::string& path = plan_.paths[index];
    std::string tmp = TempPathFor(path);
    auto writer = render::OpenSearchablePdf(tmp);
    if (!writer.ok()) return writer.status();
    core::Status st;
    if (flags_.redact.empty()) {
      // Pages stream into the PDF as they are read; fields would not change it.
      PdfSink sink(**writer);
      auto done = ProcessDocument(input, &sink, document::DocumentOptions());
      st = done.ok() ? (*writer)->Finish() : done.status();
    } else {
      st = WriteRedactedPdf(input, **writer);
    }
    std::error_code ec;
    if (st.ok()) {
      std::filesystem::rename(tmp, path, ec);
      if (ec) st = core::IoError("write_output", "cannot write " + path + ": " + ec.message());
    }
    if (!st.ok()) std::filesystem::remove(tmp, ec);
    return st;
  }

  // Redaction needs the whole document's fields before any page is written, so the
  // pages and their images are held until the end (memory grows with page count).
  core::Status WriteRedactedPdf(const std::string& input, render::SearchablePdfWriter& writer) {
    CollectingSink sink;
    auto done = ProcessDocument(input, &sink, options_);
    if (!done.ok()) return done.status();
    const core::DocumentResult& doc = done->doc;
    if (sink.kept().size() != doc.pages.size()) {
      return core::Internal("redact_pages", "page images and pages differ in number");
    }
    for (size_t i = 0; i < doc.pages.size(); ++i) {
      CollectingSink::Kept& kept = sink.kept()[i];
      redact::BurnRegions(doc.pages[i], done->redactions, kept.image);
      SMARTOCR_RETURN_IF_ERROR(writer.AddPage(doc.pages[i], kept.image, kept.dpi));
      kept.image.release();
    }
    return writer.Finish();
  }

  const ExtractFlags flags_;
  const OutputPlan plan_;
  Progress& progress_;
  const StdinSpool* stdin_spool_;              // "-" read before the run; null when not asked
  const std::unique_ptr<llm::LlmClient> llm_;  // null without --llm
  const document::DocumentOptions options_;
  pipeline::PipelineSet pipelines_;  // one pipeline: the engine --engine and --schema pick
  const document::DocumentService service_;
  OrderedStdout stdout_;
  core::Mutex stderr_mu_;  // one message on stderr at a time
  std::atomic<int> exit_code_{kExitOk};
};

// The tenant schema asked for by --schema-file, or by a --schema name that is not
// built in; null for the built-ins.
core::Result<std::shared_ptr<const extract::Schema>> ResolveSchema(const ExtractFlags& flags) {
  if (!flags.schema_file.empty()) {
    auto schema = extract::LoadSchemaFile(flags.schema_file);
    if (!schema.ok()) return schema.status();
    return std::make_shared<const extract::Schema>(std::move(*schema));
  }
  std::vector<std::string> builtin = extract::SchemaNames();
  if (flags.schema.empty() ||
      std::find(builtin.begin(), builtin.end(), flags.schema) != builtin.end()) {
    return std::shared_ptr<const extract::Schema>();
  }
  if (flags.schema_dir.empty()) {
    return core::InvalidArgument("schema", "unknown schema '" + flags.schema + "' (auto, " +
                                               extract::DocTypeNames() +
                                               ", or a tenant schema with --schema-dir)");
  }
  auto schema = extract::FindSchema(flags.schema, flags.schema_dir);
  if (!schema.ok()) return schema.status();
  return std::make_shared<const extract::Schema>(std::move(*schema));
}

}  // namespace

int RunExtract(const std::vector<std::string>& args) {
  auto flags = ParseExtractFlags(args);
  if (!flags.ok()) return FailUsage("extract", flags.status());
  if (flags->help) return PrintHelp(ExtractUsage());
  auto schema = ResolveSchema(*flags);
  if (!schema.ok()) {
    ReportError("extract", schema.status().ToString());
    return kExitUsage;
  }
  auto llm_client = MakeLlmClient(flags->llm);
  if (!llm_client.ok()) return FailUsage("extract", llm_client.status());
  std::unique_ptr<StdinSpool> stdin_spool;
  const auto stdin_inputs = std::count(flags->inputs.begin(), flags->inputs.end(), kStdinInput);
  if (stdin_inputs > 1) {
    return FailUsage("extract", core::InvalidArgument("usage", "'-' (standard input) given twice"));
  }
  if (stdin_inputs == 1) {
    auto spooled = StdinSpool::Read(stdin, flags->pipeline.ingest.limits.max_file_bytes);
    if (!spooled.ok()) {
      ReportError("extract", "stdin: " + spooled.status().ToString());
      return kExitInputRejected;
    }
    stdin_spool = std::move(*spooled);
  }
  auto plan = PlanOutputs(flags->inputs, flags->output, FormatExtension(flags->format));
  if (!plan.ok()) {
    ReportError("extract", plan.status().ToString());
    return kExitProcessingFailed;
  }
  auto engine = CreateEngine(flags->engine, flags->schema);
  if (!engine.ok()) {
    ReportError("extract", engine.status().ToString());
    return engine.status().code() == core::StatusCode::kInvalidArgument ? kExitUsage
                                                                        : kExitProcessingFailed;
  }
  const mrz::ZoneReaders mrz_readers = AttachMrzReaders(flags->pipeline);
  bool show_progress =
      flags->progress == ProgressMode::kOn || (flags->progress == ProgressMode::kAuto && isatty(2));
  Progress progress(show_progress, static_cast<int>(flags->inputs.size()), stderr);
  ExtractRun run(std::move(*flags), std::move(*plan), std::move(*engine), progress,
                 std::move(*schema), std::move(*llm_client), stdin_spool.get());
  return run.Run();
}

}  // namespace smartocr::cli
