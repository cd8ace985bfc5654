// src/cli/worker_command.h
//
// `smartocr worker` (run the queue worker until SIGTERM/SIGINT, or with --once until
// the queue is empty) and `smartocr migrate` (bring the database schema up to date).
// Where the database and the blobs live: ServiceFlags (common_flags.h).
#ifndef SMARTOCR_CLI_WORKER_COMMAND_H_
#define SMARTOCR_CLI_WORKER_COMMAND_H_

#include <string>
#include <vector>

namespace smartocr::cli {

// Runs `smartocr worker` with the args after the command name; returns the exit code.
int RunWorker(const std::vector<std::string>& args);
// Runs `smartocr migrate`; prints "schema version N".
int RunMigrate(const std::vector<std::string>& args);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_WORKER_COMMAND_H_
