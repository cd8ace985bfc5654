// src/cli/eval_command.h
//
// `smartocr eval --dataset NAME DIR`: runs the pipeline over a labelled folder and
// prints accuracy counted as ../shared/tools counts it (src/eval).
#ifndef SMARTOCR_CLI_EVAL_COMMAND_H_
#define SMARTOCR_CLI_EVAL_COMMAND_H_

#include <string>
#include <vector>

namespace smartocr::cli {

// Runs `smartocr eval` with args after the command name; returns the exit code.
int RunEval(const std::vector<std::string>& args);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_EVAL_COMMAND_H_
