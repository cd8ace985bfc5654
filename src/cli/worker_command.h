// src/cli/worker_command.h
//
// `smartocr worker` (run the queue worker until SIGTERM/SIGINT, or with --once until
// the queue is empty) and `smartocr migrate` (bring the database schema up to date),
// plus what every service command shares: where the database and the blobs live.
//
// Resolution order for each location: the flag, then the environment
// (SMARTOCR_DATABASE_URL, SMARTOCR_BLOBS_URL, SMARTOCR_DATA_DIR), then the default
// under the data directory (./smartocr-data): sqlite:///<data-dir>/smartocr.db and
// <data-dir>/blobs.
#ifndef SMARTOCR_CLI_WORKER_COMMAND_H_
#define SMARTOCR_CLI_WORKER_COMMAND_H_

#include <memory>
#include <string>
#include <vector>

#include "blobs/blobs.h"
#include "core/core.h"
#include "store/store.h"

namespace smartocr::cli {

struct ServiceFlags {
  std::string data_dir;
  std::string database;  // URL
  std::string blobs;     // URL or directory
};

// When args[*i] is --data-dir, --database or --blobs (value next or after '='),
// stores the value, moves *i past it and returns true; *error is set (and true
// returned) when the value is missing. Returns false for any other argument.
bool TakeServiceFlag(const std::vector<std::string>& args, size_t* i, ServiceFlags* flags,
                     core::Status* error);

// The help lines for the flags above.
const char* ServiceFlagsUsage();

struct Services {
  std::unique_ptr<store::Repository> repo;
  std::unique_ptr<blobs::BlobStore> blobs;  // null unless asked for
  std::string database_url;
  std::string blobs_url;
};

// Opens the repository (and the blob store when `with_blobs`), creating the data
// directory when a default under it is used, and migrates when `migrate`.
core::Result<Services> OpenServices(const ServiceFlags& flags, bool with_blobs, bool migrate);

// The CLI exit code for a failed status (usage 2, input rejected 3, else 4).
int ExitCodeFor(const core::Status& status);

// Runs `smartocr worker` with the args after the command name; returns the exit code.
int RunWorker(const std::vector<std::string>& args);
// Runs `smartocr migrate`; prints "schema version N".
int RunMigrate(const std::vector<std::string>& args);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_WORKER_COMMAND_H_
