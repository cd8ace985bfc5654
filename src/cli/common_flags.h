// src/cli/common_flags.h
//
// The flag rows several subcommands share, each defined once so that every command
// spells, checks and documents it the same way (flag_table.h): --help, the engine
// settings (--engine, --models-dir, --device, --lang), --dpi, --threads, --llm, the
// service locations (--data-dir, --database, --blobs) and the webhook settings.
// Also what --llm turns into: the LLM client, configured from the environment.
#ifndef SMARTOCR_CLI_COMMON_FLAGS_H_
#define SMARTOCR_CLI_COMMON_FLAGS_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "blobs/webhook.h"
#include "cli/engine_factory.h"
#include "cli/flag_table.h"
#include "core/core.h"
#include "ingest/ingest.h"
#include "llm/llm.h"

namespace smartocr::cli {

// The environment variable's value; "" when unset.
std::string EnvValue(const char* name);

// -h, --help.
FlagSpec HelpFlag(bool* help);

// --engine (auto, tesseract, ppocr, hybrid), --models-dir, --device (cpu, cuda) and
// -l/--lang (Tesseract languages or auto, not empty) into `engine`.
FlagTable EngineFlagRows(EngineFlags* engine);

// --dpi N, 72 to 1200: the rasterization resolution of PDF pages, and the resolution of
// images over their own tag (IngestOptions::image_dpi).
FlagSpec DpiFlag(ingest::IngestOptions* ingest);

// --threads N: page workers of a service process, 1 to 256.
FlagSpec ThreadsFlag(int* threads);

// --llm: also ask the LLM that SMARTOCR_LLM_* configures (see MakeLlmClient).
FlagSpec LlmFlag(bool* llm);

// The client --llm asks for, configured from the environment (llm::ConfigFromEnv);
// null when `wanted` is false. Fails with a UsageError "--llm: ..." saying what to
// set when SMARTOCR_LLM_BASE_URL / SMARTOCR_LLM_MODEL are missing or a setting is bad.
core::Result<std::unique_ptr<llm::LlmClient>> MakeLlmClient(bool wanted);

// Where a service command's database and blobs live. Resolution order for each: the
// flag, then the environment (SMARTOCR_DATA_DIR, SMARTOCR_DATABASE_URL,
// SMARTOCR_BLOBS_URL), then the default under the data directory (./smartocr-data):
// sqlite:///<data-dir>/smartocr.db and <data-dir>/blobs (see OpenServices).
struct ServiceFlags {
  std::string data_dir;
  std::string database;  // URL
  std::string blobs;     // URL or directory
  // --region-blobs REGION=URL: the blob store of tenants whose region is REGION.
  std::vector<std::pair<std::string, std::string>> region_blobs;
  // --master-key-file FILE (env SMARTOCR_MASTER_KEY_FILE): encrypt at rest under it.
  std::string master_key_file;
  // Not a flag: `admin keys` and `migrate` open the database without the keyring (the
  // first re-wraps the keys itself, whichever master key wrapped them; the second
  // changes only the schema).
  bool without_keyring = false;
};

// --data-dir, --database, --blobs, --region-blobs and --master-key-file into `service`.
FlagTable ServiceFlagRows(ServiceFlags* service);

// One "REGION=URL" into service->region_blobs; a UsageError when malformed.
core::Status AddRegionBlobs(const std::string& entry, ServiceFlags* service);

// The receivers webhooks may reach besides public addresses.
struct WebhookFlags {
  // The old shared signing key (--webhook-secret, SMARTOCR_WEBHOOK_SECRET): ignored,
  // each tenant signs with its own now; kept so that old command lines still start.
  std::string legacy_secret = EnvValue("SMARTOCR_WEBHOOK_SECRET");
  blobs::UrlPolicy policy;  // --webhook-allow entries, then AllowWebhooksFromEnv's
};

// Says on stderr, for `command`, that a legacy shared secret given is ignored.
void WarnLegacyWebhookSecret(const char* command, const WebhookFlags& webhooks);

// Adds the entries of SMARTOCR_WEBHOOK_ALLOW (comma-separated) to `webhooks`' policy.
// A UsageError for a bad entry.
core::Status AllowWebhooksFromEnv(WebhookFlags* webhooks);

// --webhook-allow (repeatable; a UsageError for a bad entry) and the ignored
// --webhook-secret.
FlagTable WebhookFlagRows(WebhookFlags* webhooks);

}  // namespace smartocr::cli

#endif  // SMARTOCR_CLI_COMMON_FLAGS_H_
