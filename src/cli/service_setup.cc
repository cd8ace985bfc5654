#include "cli/service_setup.h"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <utility>

#include "cli/cli_log.h"
#include "cli/extract_command.h"

namespace smartocr::cli {

core::Result<Services> OpenServices(const ServiceFlags& flags, bool with_blobs, bool migrate) {
  // The service's files (the SQLite database and its WAL, originals, results, temp
  // files) hold tenants' documents: readable by this user only, whatever the umask.
  ::umask(077);
  Services s;
  s.data_dir = !flags.data_dir.empty() ? flags.data_dir : EnvValue("SMARTOCR_DATA_DIR");
  if (s.data_dir.empty()) s.data_dir = "smartocr-data";
  std::error_code ec;
  const std::filesystem::path data_dir = std::filesystem::absolute(s.data_dir, ec);
  s.database_url = !flags.database.empty() ? flags.database : EnvValue("SMARTOCR_DATABASE_URL");
  s.blobs_url = !flags.blobs.empty() ? flags.blobs : EnvValue("SMARTOCR_BLOBS_URL");
  const bool uses_data_dir = s.database_url.empty() || (with_blobs && s.blobs_url.empty());
  if (uses_data_dir && !std::filesystem::is_directory(data_dir)) {
    std::filesystem::create_directories(data_dir, ec);
    if (ec) {
      return core::IoError("data_dir", "cannot create " + data_dir.string() + ": " + ec.message());
    }
  }
  if (s.database_url.empty()) s.database_url = "sqlite://" + (data_dir / "smartocr.db").string();
  if (s.blobs_url.empty()) s.blobs_url = (data_dir / "blobs").string();

  auto repo = store::OpenRepository(s.database_url);
  if (!repo.ok()) return repo.status();
  s.repo = std::move(*repo);
  if (migrate) {
    auto version = s.repo->Migrate();
    if (!version.ok()) return version.status().WithContext("migrating " + s.database_url);
  }
  if (with_blobs) {
    auto blobs = blobs::OpenBlobStore(s.blobs_url);
    if (!blobs.ok()) return blobs.status();
    s.blobs = std::move(*blobs);
  }
  return s;
}

int ExitCodeFor(const core::Status& status) {
  if (status.code() == core::StatusCode::kInvalidArgument && status.reason() == "usage") {
    return kExitUsage;
  }
  if (core::IsInputRejection(status.code()) ||
      status.code() == core::StatusCode::kInvalidArgument) {
    return kExitInputRejected;
  }
  return kExitProcessingFailed;
}

int Fail(std::string_view command, const core::Status& status) {
  ReportError(command, status.ToString());
  return ExitCodeFor(status);
}

core::Result<ServicePipelines> CreateServicePipelines(const EngineFlags& engine,
                                                      const pipeline::PipelineOptions& options) {
  ServicePipelines p;
  auto set = CreatePipelineSet(engine, options);
  if (!set.ok()) return set.status();
  p.set = std::move(*set);
  p.fingerprint = "lang=" + engine.tesseract.lang + ";dpi=" + std::to_string(options.ingest.dpi);
  return p;
}

}  // namespace smartocr::cli
