// src/cli/serve_command.h
//
// `smartocr serve` (the HTTP API with in-process workers) and `smartocr admin`
// (bootstrap API keys). The server itself lives in src/api.
#ifndef SMARTOCR_CLI_SERVE_COMMAND_H_
#define SMARTOCR_CLI_SERVE_COMMAND_H_

#include <string>
#include <vector>

namespace smartocr::cli {

int RunServe(const std::vector<std::string>& args);
// `smartocr admin key create --tenant T --role R`: prints the key alone on the last line.
int RunAdmin(const std::vector<std::string>& args);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_SERVE_COMMAND_H_
