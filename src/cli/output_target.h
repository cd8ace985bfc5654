// src/cli/output_target.h
//
// Where each input's output goes: stdout, one named file, or <dir>/<stem>.<ext>.
#ifndef SMARTOCR_CLI_OUTPUT_TARGET_H_
#define SMARTOCR_CLI_OUTPUT_TARGET_H_

#include <string>
#include <vector>

#include "core/core.h"

namespace smartocr::cli {

struct OutputPlan {
  bool to_stdout = false;
  std::vector<std::string> paths;  // one per input when !to_stdout
};

// Plans output paths. `output` empty: stdout. One input and `output` not an existing
// directory: that file. Otherwise `output` is a directory (created if missing) that
// receives <input stem>.<ext>; inputs sharing a stem keep their full name
// (<name>.<ext>) so no output overwrites another.
// Fails with kIoError when the directory cannot be created.
core::Result<OutputPlan> PlanOutputs(const std::vector<std::string>& inputs,
                                     const std::string& output, const std::string& ext);

// Writes `bytes` to `path` atomically (temp file + rename). Fails with kIoError.
core::Status WriteFileAtomically(const std::string& path, const std::string& bytes);

// A temp path beside `path` for writing before the final rename.
std::string TempPathFor(const std::string& path);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_OUTPUT_TARGET_H_
