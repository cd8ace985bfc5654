// src/cli/service_setup.h
//
// What the service commands (serve, worker, submit, jobs, migrate, admin) share once
// their flags are read: opening the database and the blob store, the pipelines that
// serve and worker run documents on, and how a failure is reported and exits.
#ifndef SMARTOCR_CLI_SERVICE_SETUP_H_
#define SMARTOCR_CLI_SERVICE_SETUP_H_

#include <memory>
#include <string>
#include <string_view>

#include "blobs/blobs.h"
#include "cli/common_flags.h"
#include "cli/engine_factory.h"
#include "core/core.h"
#include "keys/keys.h"
#include "pipeline/pipeline.h"
#include "pipeline/pipeline_set.h"
#include "store/store.h"

namespace smartocr::cli {

struct Services {
  std::unique_ptr<store::Repository> repo;
  std::unique_ptr<blobs::BlobStore> blobs;  // null unless asked for
  // With a master key: the tenants' data keys, already given to `repo` and `blobs`.
  std::shared_ptr<keys::Keyring> keyring;
  std::string database_url;
  std::string blobs_url;
  std::string data_dir;  // as resolved (flag, env, default), not made absolute
};

// Opens the repository (and the blob store when `with_blobs`), as ServiceFlags
// resolves them, creating the data directory when a default under it is used, and
// migrates when `migrate`. With a master key (ServiceFlags::master_key_file or
// SMARTOCR_MASTER_KEY_FILE) the sensitive columns and every blob are encrypted; without
// one, a database that holds tenant keys is refused (kInvalidArgument
// "master_key_required") rather than read half-encrypted. Fails with kIoError
// "data_dir", the keys' errors or the store's.
core::Result<Services> OpenServices(const ServiceFlags& flags, bool with_blobs, bool migrate);

// The CLI exit code for a failed status (usage 2, input rejected 3, else 4).
int ExitCodeFor(const core::Status& status);

// Prints "smartocr <command>: <status>" on stderr; returns ExitCodeFor(status).
int Fail(std::string_view command, const core::Status& status);

// What serve and worker read documents with: the pipelines of their engines (built
// once per process, sharing one pool of page workers). The stage cache is not here:
// the worker gives each job run a cache of its own (jobs/repository_page_cache.h).
struct ServicePipelines {
  std::unique_ptr<pipeline::PipelineSet> set;
  // "lang=eng;dpi=300": the settings that stage-cache keys must tell apart.
  std::string fingerprint;
};

// The pipelines for `engine` with `options` (threads, dpi). CreatePipelineSet's errors.
core::Result<ServicePipelines> CreateServicePipelines(const EngineFlags& engine,
                                                      const pipeline::PipelineOptions& options);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_SERVICE_SETUP_H_
