// src/cli/progress.h
//
// Progress on stderr: pages done / pages known, pages per second. Thread-safe.
#ifndef SMARTOCR_CLI_PROGRESS_H_
#define SMARTOCR_CLI_PROGRESS_H_

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

namespace smartocr::cli {

class Progress {
 public:
  // `enabled` false makes every call a no-op. `out` must outlive this object.
  Progress(bool enabled, int files, FILE* out);

  // A page of `input` finished: `done` of `total` pages of that input.
  void OnPage(const std::string& input, int done, int total);
  // An input finished (ok or not).
  void OnFileDone();
  // Ends the progress line.
  void Finish();

 private:
  void Print(const std::string& current);  // requires mu_ held

  const bool enabled_;
  const int files_;
  FILE* const out_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::mutex mu_;
  int pages_done_ = 0;    // guarded by mu_
  int files_done_ = 0;    // guarded by mu_
  bool printed_ = false;  // guarded by mu_
};

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_PROGRESS_H_
