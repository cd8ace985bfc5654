#include "cli/progress.h"

#include <filesystem>

#include "cli/cli_log.h"
#include "telemetry/log.h"

namespace smartocr::cli {

Progress::Progress(bool enabled, int files, FILE* out)
    : enabled_(enabled), files_(files), out_(out) {}

void Progress::OnPage(const std::string& input, int done, int total) {
  if (!enabled_) return;
  core::MutexLock lock(mu_);
  ++pages_done_;
  if (CurrentLogFormat() == LogFormat::kJson) return;  // a JSON line per file, not per page
  Print(std::filesystem::path(input).filename().string() + " " + std::to_string(done) + "/" +
        std::to_string(total));
}

void Progress::OnFileDone() {
  if (!enabled_) return;
  core::MutexLock lock(mu_);
  ++files_done_;
  Print("");
}

void Progress::Finish() {
  if (!enabled_) return;
  core::MutexLock lock(mu_);
  if (printed_ && CurrentLogFormat() == LogFormat::kText) std::fputc('\n', out_);
  std::fflush(out_);
}

void Progress::Print(const std::string& current) {
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = s > 0 ? pages_done_ / s : 0;
  if (CurrentLogFormat() == LogFormat::kJson) {
    telemetry::LogJson("info", "progress",
                       {{"pages", pages_done_},
                        {"pages_per_s", rate},
                        {"files_done", files_done_},
                        {"files", files_}});
    printed_ = true;
    return;
  }
  std::fprintf(out_, "\r\033[Ksmartocr: %d pages, %.2f pages/s, files %d/%d%s%s", pages_done_, rate,
               files_done_, files_, current.empty() ? "" : ", ", current.c_str());
  std::fflush(out_);
  printed_ = true;
}

}  // namespace smartocr::cli
