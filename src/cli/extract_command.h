// src/cli/extract_command.h
//
// `smartocr extract`: runs the pipeline over the inputs and writes the outputs.
#ifndef SMARTOCR_CLI_EXTRACT_COMMAND_H_
#define SMARTOCR_CLI_EXTRACT_COMMAND_H_

#include <string>
#include <vector>

namespace smartocr::cli {

// Exit codes of the CLI (documented in --help and README.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInputRejected = 3;
inline constexpr int kExitProcessingFailed = 4;

// Runs `smartocr extract` with args after the command name; returns the exit code.
int RunExtract(const std::vector<std::string>& args);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_EXTRACT_COMMAND_H_
