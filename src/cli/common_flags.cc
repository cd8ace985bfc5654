#include "cli/common_flags.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "cli/cli_log.h"

namespace smartocr::cli {
namespace {

// Allows `entry` in `policy`; the usage error names `source` (a flag or variable).
core::Status AllowWebhookEntry(const std::string& source, const std::string& entry,
                               blobs::UrlPolicy* policy) {
  core::Status st = policy->Allow(entry);
  if (!st.ok()) return UsageError(source + ": " + st.message());
  return core::Status::Ok();
}

}  // namespace

std::string EnvValue(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

FlagSpec HelpFlag(bool* help) { return SwitchFlag("-h, --help", "this help", help); }

FlagTable EngineFlagRows(EngineFlags* engine) {
  return {
      {"--engine", "NAME",
       "recognition engine: tesseract, ppocr (PP-OCRv4 detection + recognition on ONNX "
       "Runtime), hybrid (PP-OCR line detection, Tesseract per line, PP-OCR where Tesseract "
       "is unsure) or auto (default: receipts on hybrid when the PP-OCR models are installed, "
       "everything else on tesseract)",
       [engine](const std::string& value) {
         std::string bad = CheckEngineName(value);
         if (!bad.empty()) return UsageError(bad);
         engine->engine = value;
         return core::Status::Ok();
       }},
      TextFlag("--models-dir", "DIR",
               "PP-OCR model folder (default: env SMARTOCR_MODELS_DIR, else the one "
               "scripts/install-deps.sh fills)",
               &engine->models_dir),
      {"--device", "DEV", "cpu (default) or cuda for the PP-OCR models",
       [engine](const std::string& value) {
         if (value != "cpu" && value != "cuda") {
           return UsageError("--device must be cpu or cuda, got '" + value + "'");
         }
         engine->device = value;
         return core::Status::Ok();
       }},
      NonEmptyTextFlag("-l, --lang", "LANGS",
                       "Tesseract languages, e.g. eng or deu+eng; auto: each page is read "
                       "with English, then again in its own language when its words say it "
                       "is in another installed one (default: auto)",
                       &engine->tesseract.lang, "--lang needs a language"),
  };
}

FlagSpec DpiFlag(ingest::IngestOptions* ingest) {
  return IntFlag("--dpi", "N",
                 "resolution, 72-1200: PDF pages are rasterized at it (default: 300); images "
                 "take it over their own resolution tag (default: the tag, else estimated "
                 "from the text height)",
                 72, 1200, [ingest](int64_t dpi) {
                   ingest->dpi = static_cast<int>(dpi);
                   ingest->image_dpi = static_cast<int>(dpi);
                 });
}

FlagSpec ThreadsFlag(int* threads) {
  return IntFlag("--threads", "N",
                 "page workers shared by all the documents in flight (default: number of cores)", 1,
                 256, threads);
}

FlagSpec LlmFlag(bool* llm) {
  return SwitchFlag("--llm",
                    "also ask an OpenAI-compatible LLM for the fields; rules stay first. "
                    "Configured by the environment: SMARTOCR_LLM_BASE_URL and "
                    "SMARTOCR_LLM_MODEL (required), SMARTOCR_LLM_API_KEY, "
                    "SMARTOCR_LLM_TIMEOUT_S, SMARTOCR_LLM_CACHE_DIR",
                    llm);
}

core::Result<std::unique_ptr<llm::LlmClient>> MakeLlmClient(bool wanted) {
  if (!wanted) return std::unique_ptr<llm::LlmClient>();
  auto config = llm::ConfigFromEnv([](const char* name) { return std::getenv(name); });
  if (!config.ok()) return UsageError("--llm: " + config.status().message());
  if (!config->has_value()) {
    return UsageError("--llm: set SMARTOCR_LLM_BASE_URL and SMARTOCR_LLM_MODEL");
  }
  return std::make_unique<llm::LlmClient>(std::move(**config));
}

FlagTable ServiceFlagRows(ServiceFlags* service) {
  return {
      TextFlag("--data-dir", "DIR",
               "data directory (default: ./smartocr-data; env SMARTOCR_DATA_DIR)",
               &service->data_dir),
      TextFlag("--database", "URL",
               "sqlite:///path.db or postgresql://... (default: sqlite:///<data-dir>/smartocr.db; "
               "env SMARTOCR_DATABASE_URL)",
               &service->database),
      TextFlag("--blobs", "URL",
               "directory, file:///dir or s3://bucket?endpoint=... (default: <data-dir>/blobs; "
               "env SMARTOCR_BLOBS_URL)",
               &service->blobs),
      {"--region-blobs", "REGION=URL",
       "keep the blobs of tenants in REGION in this store (repeatable; env "
       "SMARTOCR_REGION_BLOBS, comma-separated)",
       [service](const std::string& value) { return AddRegionBlobs(value, service); }},
      TextFlag("--master-key-file", "FILE",
               "encrypt documents, results and their text at rest with tenant keys wrapped by "
               "this key (env SMARTOCR_MASTER_KEY_FILE, or the key in SMARTOCR_MASTER_KEY; "
               "docs/security.md)",
               &service->master_key_file),
  };
}

core::Status AddRegionBlobs(const std::string& entry, ServiceFlags* service) {
  const size_t eq = entry.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == entry.size()) {
    return UsageError("--region-blobs needs REGION=URL, not \"" + entry + "\"");
  }
  service->region_blobs.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
  return core::Status::Ok();
}

core::Status AllowWebhooksFromEnv(WebhookFlags* webhooks) {
  for (std::string entry = EnvValue("SMARTOCR_WEBHOOK_ALLOW"); !entry.empty();) {
    size_t comma = entry.find(',');
    if (!entry.substr(0, comma).empty()) {
      SMARTOCR_RETURN_IF_ERROR(
          AllowWebhookEntry("SMARTOCR_WEBHOOK_ALLOW", entry.substr(0, comma), &webhooks->policy));
    }
    entry = comma == std::string::npos ? "" : entry.substr(comma + 1);
  }
  return core::Status::Ok();
}

void WarnLegacyWebhookSecret(const char* command, const WebhookFlags& webhooks) {
  if (webhooks.legacy_secret.empty()) return;
  ReportError(command,
              "warning: --webhook-secret / SMARTOCR_WEBHOOK_SECRET is ignored; webhooks are "
              "signed with each tenant's own secret");
}

FlagTable WebhookFlagRows(WebhookFlags* webhooks) {
  return {
      TextFlag("--webhook-secret", "S",
               "ignored: each tenant has its own webhook secret (POST "
               "/admin/tenant/webhook-secret)",
               &webhooks->legacy_secret),
      {"--webhook-allow", "X",
       "let webhooks reach this host, IP or CIDR besides public addresses (repeatable; env "
       "SMARTOCR_WEBHOOK_ALLOW, comma-separated)",
       [webhooks](const std::string& value) {
         return AllowWebhookEntry("--webhook-allow", value, &webhooks->policy);
       }},
  };
}

}  // namespace smartocr::cli
