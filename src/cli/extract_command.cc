#include "cli/extract_command.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>

#include "cli/document_drivers.h"
#include "cli/extract_flags.h"
#include "cli/output_target.h"
#include "cli/progress.h"
#include "extract/fields.h"
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
  ExtractRun(ExtractFlags flags, OutputPlan plan, recognize::Engine& engine, Progress& progress)
      : flags_(std::move(flags)),
        plan_(std::move(plan)),
        pipeline_(engine, flags_.pipeline),
        progress_(progress) {
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

  core::Status Process(size_t index, const std::string& input) {
    if (flags_.format == OutputFormat::kPdf) return ProcessPdf(index, input);
    auto doc = pipeline_.Run(input, nullptr);
    if (!doc.ok()) return doc.status();
    if (!flags_.schema.empty()) {
      extract::ExtractOptions options;
      options.schema = flags_.schema;
      options.locale = flags_.locale;
      options.today = extract::TodayUtc();
      SMARTOCR_RETURN_IF_ERROR(extract::ExtractFields(*doc, options));
    }
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
    PdfSink sink(**writer);
    auto doc = pipeline_.Run(input, &sink);
    core::Status st = doc.ok() ? (*writer)->Finish() : doc.status();
    std::error_code ec;
    if (st.ok()) {
      std::filesystem::rename(tmp, path, ec);
      if (ec) st = core::IoError("write_output", "cannot write " + path + ": " + ec.message());
    }
    if (!st.ok()) std::filesystem::remove(tmp, ec);
    return st;
  }

  const ExtractFlags flags_;
  const OutputPlan plan_;
  pipeline::Pipeline pipeline_;
  Progress& progress_;
  OrderedStdout stdout_;
  std::mutex stderr_mu_;
  std::atomic<int> exit_code_{kExitOk};
};

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
  bool show_progress =
      flags->progress == ProgressMode::kOn || (flags->progress == ProgressMode::kAuto && isatty(2));
  Progress progress(show_progress, static_cast<int>(flags->inputs.size()), stderr);
  ExtractRun run(std::move(*flags), std::move(*plan), **engine, progress);
  return run.Run();
}

}  // namespace smartocr::cli
