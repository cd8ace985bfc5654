// src/cli/stdin_input.h
//
// `smartocr extract -`: one document read from standard input, as the tesseract CLI
// reads one. The decoders need a file (a PDF is read by seeking), so the bytes are
// spooled to a private temporary folder, removed when the spool is destroyed.
#ifndef SMARTOCR_CLI_STDIN_INPUT_H_
#define SMARTOCR_CLI_STDIN_INPUT_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "core/core.h"

namespace smartocr::cli {

// The input name that means standard input.
inline constexpr const char* kStdinInput = "-";

class StdinSpool {
 public:
  // Reads `in` to its end into a new file (folder mode 0700). Fails with
  // kLimitExceeded ("file_bytes") past `max_bytes` (nothing is kept),
  // kInvalidArgument ("stdin_empty") for no bytes, kIoError when the spool cannot be
  // written.
  static core::Result<std::unique_ptr<StdinSpool>> Read(std::FILE* in, uint64_t max_bytes);
  ~StdinSpool();
  StdinSpool(const StdinSpool&) = delete;
  StdinSpool& operator=(const StdinSpool&) = delete;

  const std::string& path() const { return path_; }

 private:
  StdinSpool(std::string dir, std::string path) : dir_(std::move(dir)), path_(std::move(path)) {}
  std::string dir_;
  std::string path_;
};

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_STDIN_INPUT_H_
