// src/cli/jobs_command.h
//
// `smartocr submit FILE...` (store each file as a blob and queue a job for it; prints
// the job ids) and `smartocr jobs get|list|cancel|requeue` (inspect and manage jobs).
// Locations come from the same flags and environment as `smartocr worker`.
#ifndef SMARTOCR_CLI_JOBS_COMMAND_H_
#define SMARTOCR_CLI_JOBS_COMMAND_H_

#include <string>
#include <vector>

namespace smartocr::cli {

// Runs `smartocr submit` with the args after the command name; returns the exit code.
int RunSubmit(const std::vector<std::string>& args);
// Runs `smartocr jobs SUBCOMMAND ...`; returns the exit code.
int RunJobs(const std::vector<std::string>& args);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_JOBS_COMMAND_H_
