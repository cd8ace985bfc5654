// src/cli/cli_log.h
//
// How the CLI reports on stderr: text lines ("smartocr CMD: message") or, with the
// global `--log-format json`, JSON lines (telemetry/log.h) a log shipper can parse.
// Results go to stdout or --output either way.
#ifndef SMARTOCR_CLI_CLI_LOG_H_
#define SMARTOCR_CLI_CLI_LOG_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smartocr::cli {

enum class LogFormat { kText, kJson };

// Takes `--log-format text|json` (or `--log-format=...`) out of `args`, wherever it
// stands, and applies it. An unknown format: the message to print (exit 2).
std::optional<std::string> TakeLogFormatFlag(std::vector<std::string>* args);
LogFormat CurrentLogFormat();

// "smartocr COMMAND: message" as text, or {"level":"error","msg":message,"command":...}.
void ReportError(std::string_view command, std::string_view message);
// A problem with one input that does not stop the run: "smartocr: INPUT: message", or
// {"level":"warn","msg":...,"input":...}.
void ReportInputWarning(std::string_view prefix, std::string_view input, std::string_view message);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_CLI_LOG_H_
