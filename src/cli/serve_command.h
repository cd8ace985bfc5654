// src/cli/serve_command.h
//
// `smartocr serve`: the HTTP API with in-process workers. The server itself lives in
// src/api.
#ifndef SMARTOCR_CLI_SERVE_COMMAND_H_
#define SMARTOCR_CLI_SERVE_COMMAND_H_

#include <string>
#include <vector>

namespace smartocr::cli {

int RunServe(const std::vector<std::string>& args);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_SERVE_COMMAND_H_
