// src/cli/progress.h
//
// Progress on stderr: pages done / pages known, pages per second. Thread-safe.
#ifndef SMARTOCR_CLI_PROGRESS_H_
#define SMARTOCR_CLI_PROGRESS_H_

#include <chrono>
#include <cstdio>
#include <string>

#include "core/mutex.h"

namespace smartocr::cli {

class Progress {
 public:
  // `enabled` false makes every call a no-op. `out` must outlive this object.
  Progress(bool enabled, int files, FILE* out);

  // A page of `input` finished: `done` of `total` pages of that input.
  void OnPage(const std::string& input, int done, int total) EXCLUDES(mu_);
  // An input finished (ok or not).
  void OnFileDone() EXCLUDES(mu_);
  // Ends the progress line.
  void Finish() EXCLUDES(mu_);

 private:
  void Print(const std::string& current) REQUIRES(mu_);

  const bool enabled_;
  const int files_;
  FILE* const out_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  core::Mutex mu_;
  int pages_done_ GUARDED_BY(mu_) = 0;
  int files_done_ GUARDED_BY(mu_) = 0;
  bool printed_ GUARDED_BY(mu_) = false;
};

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_PROGRESS_H_
