// tests/integration/cli_runner.h
//
// Runs the smartocr binary built by this tree and captures its output.
#ifndef SMARTOCR_TESTS_INTEGRATION_CLI_RUNNER_H_
#define SMARTOCR_TESTS_INTEGRATION_CLI_RUNNER_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace smartocr::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `smartocr ARGS...` (each argument shell-quoted) with a time limit, standard
// input read from `stdin_path`.
CliResult RunCli(const std::vector<std::string>& args, int timeout_s = 300,
                 const std::string& stdin_path = "/dev/null");

// Runs a shell command and returns its stdout ("" when it fails).
std::string Shell(const std::string& command);

// The JSON with every "timings_ms" object removed (they differ between runs).
nlohmann::json WithoutTimings(nlohmann::json doc);

}  // namespace smartocr::testing

#endif  // SMARTOCR_TESTS_INTEGRATION_CLI_RUNNER_H_
