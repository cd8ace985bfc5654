// smartocr: the command-line entry point. Parses the command name and hands off.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <opencv2/core/version.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/admin_command.h"
#include "cli/cli_log.h"
#include "cli/eval_command.h"
#include "cli/extract_command.h"
#include "cli/jobs_command.h"
#include "cli/serve_command.h"
#include "cli/telemetry_setup.h"
#include "cli/worker_command.h"
#include "core/core.h"
#include "ingest/ingest.h"
#include "recognize/recognize.h"

namespace {

const char kUsage[] = R"(Usage: smartocr COMMAND [options]

Commands:
  extract FILE...   read documents into text with positions (see extract --help)
  eval --dataset NAME DIR
                    accuracy on a labelled folder (see eval --help)
  submit FILE...    queue documents as OCR jobs; prints the job ids
  jobs COMMAND      get, list, attempts, cancel or requeue jobs
  worker            process queued jobs until SIGTERM (or --once: until none are left)
  migrate           bring the database schema up to date
  serve             the HTTP API with in-process workers (see serve --help)
  admin key create  create an API key (and its tenant); prints the key
  metrics           list the Prometheus metrics serve and worker export

Options:
  --log-format text|json
                    how messages on stderr are written (default: text; json: one
                    object per line with time, level, message; any command)
  --version         print SmartOCR's version and its engines' versions
  -h, --help        this help
)";

void PrintVersion() {
  using namespace smartocr;  // NOLINT(google-build-using-namespace): local, short names
  std::printf("smartocr %s\n", core::kVersion);
  std::printf("tesseract %s\n", recognize::TesseractVersion().c_str());
  std::printf("leptonica %s\n", recognize::LeptonicaVersion().c_str());
  std::printf("poppler %s\n", ingest::PopplerVersion().c_str());
  std::printf("opencv %s\n", CV_VERSION);
}

// libgomp reads OMP_THREAD_LIMIT once, before main. Tesseract's OpenMP threads on top
// of our page workers oversubscribe the cores (measured ~5x slower under load), so
// when the variable is unset we set it and start again.
void EnsureSingleThreadedOpenMp(char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT") != nullptr) return;
  setenv("OMP_THREAD_LIMIT", "1", 1);
  execv("/proc/self/exe", argv);
  // If re-exec fails we still run, only slower.
}

}  // namespace

int main(int argc, char** argv) {
  EnsureSingleThreadedOpenMp(argv);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (std::optional<std::string> bad = smartocr::cli::TakeLogFormatFlag(&args)) {
    std::fprintf(stderr, "smartocr: %s\n", bad->c_str());
    return smartocr::cli::kExitUsage;
  }
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return smartocr::cli::kExitUsage;
  }
  const std::string& command = args[0];
  if (command == "--version" || command == "version") {
    PrintVersion();
    return smartocr::cli::kExitOk;
  }
  if (command == "-h" || command == "--help" || command == "help") {
    std::fputs(kUsage, stdout);
    return smartocr::cli::kExitOk;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "extract") return smartocr::cli::RunExtract(rest);
  if (command == "eval") return smartocr::cli::RunEval(rest);
  if (command == "submit") return smartocr::cli::RunSubmit(rest);
  if (command == "jobs") return smartocr::cli::RunJobs(rest);
  if (command == "worker") return smartocr::cli::RunWorker(rest);
  if (command == "migrate") return smartocr::cli::RunMigrate(rest);
  if (command == "serve") return smartocr::cli::RunServe(rest);
  if (command == "admin") return smartocr::cli::RunAdmin(rest);
  if (command == "metrics") return smartocr::cli::RunMetrics(rest);
  std::fprintf(stderr, "smartocr: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return smartocr::cli::kExitUsage;
}
