#include "cli/service_setup.h"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <utility>
#include <vector>

#include "cli/cli_log.h"
#include "cli/extract_command.h"

namespace smartocr::cli {

namespace {

// The blob store at `url`, and, with --region-blobs (or SMARTOCR_REGION_BLOBS), each
// tenant's objects in its region's store: the region read from the tenant's row.
core::Result<blobs::BlobStorePtr> OpenServiceBlobs(const ServiceFlags& flags,
                                                   const std::string& url,
                                                   store::Repository& repo) {
  auto store = blobs::OpenBlobStore(url);
  if (!store.ok()) return store.status();
  ServiceFlags with_env = flags;
  for (std::string entry = EnvValue("SMARTOCR_REGION_BLOBS"); !entry.empty();) {
    const size_t comma = entry.find(',');
    if (!entry.substr(0, comma).empty()) {
      SMARTOCR_RETURN_IF_ERROR(AddRegionBlobs(entry.substr(0, comma), &with_env));
    }
    entry = comma == std::string::npos ? "" : entry.substr(comma + 1);
  }
  if (with_env.region_blobs.empty()) return store;
  std::vector<std::pair<std::string, blobs::BlobStorePtr>> regions;
  for (const auto& [region, region_url] : with_env.region_blobs) {
    auto regional = blobs::OpenBlobStore(region_url);
    if (!regional.ok()) return regional.status().WithContext("--region-blobs " + region);
    regions.emplace_back(region, std::move(*regional));
  }
  auto region_of = [&repo](const std::string& tenant) -> core::Result<std::string> {
    auto row = repo.GetTenant(tenant);
    if (row.ok()) return row->region;
    // No such tenant (an erased one's leftovers): the default store.
    if (row.status().code() == core::StatusCode::kNotFound) return std::string();
    return row.status();
  };
  return blobs::OpenRegionalBlobStore(std::move(*store), std::move(regions), region_of);
}

// With a master key, the keyring, given to the repository for the sensitive columns;
// a database that holds tenant keys is refused without one.
core::Status SetUpEncryption(const ServiceFlags& flags, Services* s) {
  if (flags.without_keyring) return core::Status::Ok();
  auto master = keys::MasterKeyFromFlagOrEnv(flags.master_key_file);
  if (!master.ok()) return master.status();
  auto version = s->repo->SchemaVersion();
  if (!version.ok()) return version.status();
  const bool has_key_table = *version >= store::kTenantKeysSchemaVersion;
  if (!*master) {
    if (!has_key_table) return core::Status::Ok();
    auto rows = s->repo->ListTenantKeys();
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return core::Status::Ok();
    return core::InvalidArgument("master_key_required",
                                 "this database holds encrypted data: give --master-key-file "
                                 "(or SMARTOCR_MASTER_KEY_FILE)");
  }
  if (!has_key_table) {
    return core::InvalidArgument("schema_version",
                                 "encryption at rest needs schema version " +
                                     std::to_string(store::kTenantKeysSchemaVersion) +
                                     ": run `smartocr migrate` first");
  }
  s->keyring = std::make_shared<keys::Keyring>(*s->repo, std::move(**master));
  // A wrong master key stops the process here rather than at its first document.
  auto service_key = s->keyring->BlobKey("");
  if (!service_key.ok()) return service_key.status();
  s->repo->SetColumnCipher(s->keyring);
  return core::Status::Ok();
}

}  // namespace

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
  SMARTOCR_RETURN_IF_ERROR(SetUpEncryption(flags, &s));
  if (with_blobs) {
    auto blobs = OpenServiceBlobs(flags, s.blobs_url, *s.repo);
    if (!blobs.ok()) return blobs.status();
    s.blobs = std::move(*blobs);
    if (s.keyring != nullptr) {
      auto encrypted = blobs::OpenEncryptedBlobStore(
          std::move(s.blobs),
          [ring = s.keyring](const std::string& tenant) { return ring->BlobKey(tenant); });
      if (!encrypted.ok()) return encrypted.status();
      s.blobs = std::move(*encrypted);
    }
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
  p.fingerprint = "lang=" + engine.tesseract.lang + ";dpi=" + std::to_string(options.ingest.dpi) +
                  ";image_dpi=" + std::to_string(options.ingest.image_dpi);
  return p;
}

}  // namespace smartocr::cli
