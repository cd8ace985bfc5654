#include "cli/extract_command.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>

#include "cli/document_drivers.h"
#include "cli/extract_flags.h"
#include "cli/output_target.h"
#include "cli/progress.h"
#include "extract/fields.h"
#include "extract/schema.h"
#include "llm/llm.h"
#include "redact/redact.h"
#include "render/render.h"

namespace smartocr::cli {
namespace {

// Streams pages into a searchable PDF as the pipeline finishes them.
class PdfSink final : public pipeline::PageSink {
 public:
  explicit PdfSink(render::SearchablePdfWriter& writer) : writer_(writer) {}
  core::Status OnPage(const core::PageResult& page, const cv::Mat& image, double dpi) override {
    return writer_.AddPage(page, image, dpi);
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
  core::Status OnPage(const core::PageResult& /*page*/, const cv::Mat& image, double dpi) override {
    kept_.push_back({image.clone(), dpi});
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
    std::lock_guard<std::mutex> lock(mu_);
    pending_[index] = std::move(text);
    while (!pending_.empty() && pending_.begin()->first == next_) {
      std::fwrite(pending_.begin()->second.data(), 1, pending_.begin()->second.size(), stdout);
      pending_.erase(pending_.begin());
      ++next_;
    }
    std::fflush(stdout);
  }

 private:
  std::mutex mu_;
  std::map<size_t, std::string> pending_;  // guarded by mu_
  size_t next_ = 0;                        // guarded by mu_
};

class ExtractRun {
 public:
  ExtractRun(ExtractFlags flags, OutputPlan plan, recognize::Engine& engine, Progress& progress,
             std::shared_ptr<const extract::Schema> custom_schema,
             std::unique_ptr<llm::LlmClient> llm)
      : flags_(std::move(flags)),
        plan_(std::move(plan)),
        pipeline_(engine, flags_.pipeline),
        progress_(progress),
        custom_schema_(std::move(custom_schema)),
        llm_(std::move(llm)) {
    pipeline_.set_progress([this](const std::string& input, int done, int total) {
      progress_.OnPage(input, done, total);
    });
  }

  // Runs every input on up to `jobs` driver threads (pages share one worker pool);
  // returns the exit code.
  int Run() {
    ForEachDocument(flags_.inputs.size(), pipeline_.options().threads,
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
    {
      std::lock_guard<std::mutex> lock(stderr_mu_);
      std::fprintf(stderr, "%ssmartocr: %s: %s\n", progress_line_prefix(), input.c_str(),
                   st.ToString().c_str());
    }
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
    std::lock_guard<std::mutex> lock(stderr_mu_);
    std::fprintf(stderr, "%ssmartocr: %s: %s\n", progress_line_prefix(), input.c_str(),
                 message.c_str());
  }

  // Fields (rules, then the LLM when asked), then redaction; returns the regions to
  // black out of the page images.
  core::Result<std::vector<redact::Region>> PostProcess(core::DocumentResult& doc) {
    const bool want_fields = !flags_.schema.empty() || custom_schema_ != nullptr;
    if (!want_fields && flags_.redact.empty()) return std::vector<redact::Region>{};
    extract::ExtractOptions options;
    options.schema = custom_schema_ != nullptr || flags_.schema.empty() ? "auto" : flags_.schema;
    options.custom_schema = custom_schema_;
    options.locale = flags_.locale;
    options.today = extract::TodayUtc();
    SMARTOCR_RETURN_IF_ERROR(extract::ExtractFields(doc, options));
    if (want_fields && llm_ != nullptr) AskLlm(doc, options);
    if (flags_.redact.empty()) return std::vector<redact::Region>{};
    std::vector<redact::Region> regions = redact::RedactDocument(doc, {.kinds = flags_.redact});
    // Fields found only to know what to redact are not output unless asked for.
    if (!want_fields) {
      doc.extracted = false;
      doc.fields.clear();
      doc.line_items.clear();
    }
    return regions;
  }

  // The LLM is an extra: when it fails, the rule fields stand and a warning says why.
  void AskLlm(core::DocumentResult& doc, const extract::ExtractOptions& options) {
    std::shared_ptr<const extract::Schema> schema = custom_schema_;
    if (schema == nullptr) {
      auto builtin = extract::BuiltinSchema(doc.doc_type);
      if (!builtin.ok()) return;  // "other": nothing to ask for
      schema = std::make_shared<const extract::Schema>(std::move(*builtin));
    }
    auto answer = llm_->Extract(doc, *schema);
    if (!answer.ok()) {
      Warn(doc.input, "LLM extraction skipped, rule fields kept: " + answer.status().ToString());
      return;
    }
    llm::MergeLlmFields(doc, *answer, *schema, options);
  }

  core::Status Process(size_t index, const std::string& input) {
    if (flags_.format == OutputFormat::kPdf) return ProcessPdf(index, input);
    auto doc = pipeline_.Run(input, nullptr);
    if (!doc.ok()) return doc.status();
    auto regions = PostProcess(*doc);
    if (!regions.ok()) return regions.status();
    std::string out = RenderDocument(*doc, flags_.format,
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
      PdfSink sink(**writer);
      auto doc = pipeline_.Run(input, &sink);
      st = doc.ok() ? (*writer)->Finish() : doc.status();
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
    auto doc = pipeline_.Run(input, &sink);
    if (!doc.ok()) return doc.status();
    if (sink.kept().size() != doc->pages.size()) {
      return core::Internal("redact_pages", "page images and pages differ in number");
    }
    auto regions = PostProcess(*doc);
    if (!regions.ok()) return regions.status();
    for (size_t i = 0; i < doc->pages.size(); ++i) {
      CollectingSink::Kept& kept = sink.kept()[i];
      redact::BurnRegions(doc->pages[i], *regions, kept.image);
      SMARTOCR_RETURN_IF_ERROR(writer.AddPage(doc->pages[i], kept.image, kept.dpi));
      kept.image.release();
    }
    return writer.Finish();
  }

  const ExtractFlags flags_;
  const OutputPlan plan_;
  pipeline::Pipeline pipeline_;
  Progress& progress_;
  OrderedStdout stdout_;
  std::mutex stderr_mu_;
  std::atomic<int> exit_code_{kExitOk};
  const std::shared_ptr<const extract::Schema> custom_schema_;
  const std::unique_ptr<llm::LlmClient> llm_;
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
    return core::InvalidArgument("schema", "unknown schema '" + flags.schema +
                                               "' (auto, receipt, invoice, id_document, or a "
                                               "tenant schema with --schema-dir)");
  }
  auto schema = extract::FindSchema(flags.schema, flags.schema_dir);
  if (!schema.ok()) return schema.status();
  return std::make_shared<const extract::Schema>(std::move(*schema));
}

}  // namespace

int RunExtract(const std::vector<std::string>& args) {
  auto flags = ParseExtractFlags(args);
  if (!flags.ok()) {
    std::fprintf(stderr, "smartocr extract: %s\n", flags.status().message().c_str());
    return kExitUsage;
  }
  if (flags->help) {
    std::fputs(ExtractUsage(), stdout);
    return kExitOk;
  }
  auto schema = ResolveSchema(*flags);
  if (!schema.ok()) {
    std::fprintf(stderr, "smartocr extract: %s\n", schema.status().ToString().c_str());
    return kExitUsage;
  }
  std::unique_ptr<llm::LlmClient> llm_client;
  if (flags->llm) {
    auto config = llm::ConfigFromEnv([](const char* name) { return std::getenv(name); });
    if (!config.ok() || !config->has_value()) {
      std::fprintf(stderr, "smartocr extract: --llm: %s\n",
                   config.ok() ? "set SMARTOCR_LLM_BASE_URL and SMARTOCR_LLM_MODEL"
                               : config.status().message().c_str());
      return kExitUsage;
    }
    llm_client = std::make_unique<llm::LlmClient>(std::move(**config));
  }
  auto plan = PlanOutputs(flags->inputs, flags->output, FormatExtension(flags->format));
  if (!plan.ok()) {
    std::fprintf(stderr, "smartocr extract: %s\n", plan.status().ToString().c_str());
    return kExitProcessingFailed;
  }
  auto engine = CreateEngine(flags->engine, flags->schema);
  if (!engine.ok()) {
    std::fprintf(stderr, "smartocr extract: %s\n", engine.status().ToString().c_str());
    return engine.status().code() == core::StatusCode::kInvalidArgument ? kExitUsage
                                                                        : kExitProcessingFailed;
  }
  const std::unique_ptr<recognize::Engine> second_reader = AttachMrzSecondReader(flags->pipeline);
  bool show_progress =
      flags->progress == ProgressMode::kOn || (flags->progress == ProgressMode::kAuto && isatty(2));
  Progress progress(show_progress, static_cast<int>(flags->inputs.size()), stderr);
  ExtractRun run(std::move(*flags), std::move(*plan), **engine, progress, std::move(*schema),
                 std::move(llm_client));
  return run.Run();
}

}  // namespace smartocr::cli
