#include "jobs/job_processor.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "blobs/blobs.h"
#include "core/sha256.h"
#include "jobs/hashing.h"
#include "jobs/original.h"
#include "jobs/repository_page_cache.h"
#include "render/line_item_cells.h"
#include "render/render.h"
#include "telemetry/tracer.h"

namespace smartocr::jobs::internal {
namespace {

// Stops the pipeline at the next finished page once the job was told to stop.
class StopSink final : public pipeline::PageSink {
 public:
  explicit StopSink(const std::atomic<int>& stop) : stop_(stop) {}
  core::Status OnPage(const core::PageResult&, const cv::Mat&) override {
    if (stop_.load() != static_cast<int>(StopReason::kNone)) {
      return core::Cancelled("job_stopped", "job stopped: lease lost, cancelled or shutdown");
    }
    return core::Status::Ok();
  }

 private:
  const std::atomic<int>& stop_;
};

core::Status StopStatus(const std::atomic<int>& stop) {
  if (stop.load() == static_cast<int>(StopReason::kNone)) return core::Status::Ok();
  return core::Cancelled("job_stopped", "job stopped: lease lost, cancelled or shutdown");
}

// Removes the temp file however Process returns.
class TempFile {
 public:
  explicit TempFile(std::filesystem::path path) : path_(std::move(path)) {}
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Copies the source object to `path`. The worker's own store serves URIs under its
// prefix; any other URI (another bucket or directory) is opened on its own.
core::Status FetchSource(blobs::BlobStore& own, const std::string& uri,
                         const std::filesystem::path& path) {
  if (auto key = blobs::KeyInStore(own, uri)) return own.GetToFile(*key, path);
  auto location = blobs::ResolveUri(uri);
  if (!location.ok()) return location.status();
  auto other = blobs::OpenBlobStore(location->store_url);
  if (!other.ok()) return other.status();
  return (*other)->GetToFile(location->key, path);
}

}  // namespace

std::string ResultKey(const store::Job& job) {
  return "results/" + job.tenant_id + "/" + job.id + ".json";
}

std::string DocumentCacheKey(const std::string& source_sha256, const std::string& engine_version,
                             const std::string& pipeline_fingerprint,
                             const std::string& options_json) {
  const std::string options =
      core::Sha256Hex(pipeline_fingerprint + "\n" + options_json).substr(0, 16);
  return "doc/v1/" + source_sha256 + "/" + engine_version + "/" + options;
}

std::vector<store::PageRecord> PageRecordsFor(const core::DocumentResult& doc) {
  std::vector<store::PageRecord> pages;
  for (const core::PageResult& page : doc.pages) {
    // The page as the result JSON has it: text and numbers cleaned the same way.
    const nlohmann::json j = render::PageToJson(page);
    store::PageRecord r;
    r.page_number = page.number;
    r.width = page.width;
    r.height = page.height;
    r.source = core::PageSourceName(page.source);
    r.text = j["text"].get<std::string>();
    r.confidence = j["confidence"].get<double>();
    r.blocks_json = j["blocks"].dump();
    pages.push_back(std::move(r));
  }
  return pages;
}

std::vector<store::FieldRecord> FieldRecordsFor(const core::DocumentResult& doc) {
  std::vector<store::FieldRecord> out;
  if (!doc.extracted) return out;
  // Line-item cells are rows too, so that reviewers edit them like fields.
  std::vector<core::Field> fields = doc.fields;
  for (core::Field& cell : render::LineItemCells(doc)) fields.push_back(std::move(cell));
  for (const core::Field& f : fields) {
    const nlohmann::json j = render::FieldToJson(doc, f);
    store::FieldRecord r;
    r.name = j["name"].get<std::string>();
    r.value = j["value"].get<std::string>();
    r.normalized = j["normalized"].get<std::string>();
    r.bbox_json = j["bbox"].dump();
    r.page = f.page;
    r.confidence = j["confidence"].get<double>();
    r.validator_status = j["validator_status"].get<std::string>();
    r.source_model = j["source"].get<std::string>();
    r.version = j["engine_version"].get<std::string>();
    out.push_back(std::move(r));
  }
  return out;
}

core::Result<document::DocumentOptions> JobDocumentOptions(const std::string& options_json) {
  if (options_json.empty()) return document::DocumentOptions();
  nlohmann::json options = nlohmann::json::parse(options_json, nullptr, /*allow_exceptions=*/false);
  if (options.is_discarded()) return core::InvalidArgument("options", "options_json is not JSON");
  return document::DocumentOptionsFromJson(options);
}

core::Result<JobProcessor::Rendered> JobProcessor::Result(const store::Job& job,
                                                          const document::DocumentOptions& options,
                                                          const std::string& path,
                                                          const std::atomic<int>& stop,
                                                          ProcessOutcome* outcome) {
  if (!options_.use_cache) return Run(job, path, options, stop, outcome);
  auto sha = Sha256FileHex(path);
  if (!sha.ok()) return sha.status();
  const std::string key = DocumentCacheKey(
      *sha, service_.PipelineFor(options, job.spec.doc_type).engine_version,
      options_.pipeline_fingerprint + service_.ResultFingerprint(), job.spec.options_json);
  // The job's own rows only (a retry, or a re-run of the same job). A cache the store
  // cannot read right now (or an entry that does not parse) is a miss, not a failure.
  const store::CacheScope scope{job.tenant_id, job.id};
  auto cached = repo_.GetCachedPage(scope, key);
  if (cached.ok() && cached->has_value()) {
    auto doc = render::ParseResultJson(**cached);
    if (doc.ok()) {
      doc->input = job.id;  // as Run names it
      outcome->cache_hit = true;
      std::string json = render::RenderJson(*doc);
      return Rendered{std::move(*doc), std::move(json)};
    }
  }
  auto out = Run(job, path, options, stop, outcome);
  // The result as the tenant gets it (after redaction): best effort.
  if (out.ok()) (void)repo_.PutCachedPage(scope, key, out->json, clock_.NowMs());
  return out;
}

core::Result<JobProcessor::Rendered> JobProcessor::Run(const store::Job& job,
                                                       const std::string& path,
                                                       const document::DocumentOptions& options,
                                                       const std::atomic<int>& stop,
                                                       ProcessOutcome* outcome) {
  // Pages are cached as read, before redaction: never for a job that redacts.
  std::optional<RepositoryPageCache> pages;
  if (options_.use_cache && options.redact.empty()) {
    pages.emplace(repo_, clock_, store::CacheScope{job.tenant_id, job.id});
  }
  StopSink sink(stop);
  auto done = service_.Process({.path = path,
                                // The job, not where its original lies.
                                .input_name = job.id,
                                .sink = &sink,
                                .type_hint = job.spec.doc_type,
                                .page_cache = pages ? &*pages : nullptr},
                               options);
  if (pages) outcome->page_cache_hits = pages->hits();
  if (!done.ok()) return done.status();
  Rendered out{std::move(done->doc), ""};
  out.json = render::RenderJson(out.doc);
  return out;
}

core::Status JobProcessor::Process(const store::Job& job, const std::atomic<int>& stop,
                                   ProcessOutcome* outcome) {
  auto options = JobDocumentOptions(job.spec.options_json);
  if (!options.ok()) return options.status();
  std::error_code ec;
  std::filesystem::path dir = options_.temp_dir;
  if (dir.empty()) dir = std::filesystem::temp_directory_path(ec);  // $TMPDIR or /tmp
  if (ec) return core::IoError("temp_dir", "no temp directory: " + ec.message());
  TempFile source(dir / ("smartocr-job-" + job.id + "-" + RandomHex(6)));
  SMARTOCR_RETURN_IF_ERROR(
      FetchSource(blobs_, job.spec.source_uri, source.path()).WithContext("fetching the original"));
  // Runs, retries and re-runs read the bytes the job was created with, or fail.
  SMARTOCR_RETURN_IF_ERROR(VerifyOriginal(job, source.path().string()));
  SMARTOCR_RETURN_IF_ERROR(StopStatus(stop));

  auto result = Result(job, *options, source.path().string(), stop, outcome);
  if (!result.ok()) return result.status();
  SMARTOCR_RETURN_IF_ERROR(StopStatus(stop));

  const std::string key = ResultKey(job);
  // The artifact's span names where it went (the job's own span is the parent).
  telemetry::Span store_span = telemetry::Span::StartChild("store_result");
  store_span.SetAttribute("smartocr.result_uri", blobs_.Uri(key));
  store_span.SetAttribute("smartocr.page_count", static_cast<int64_t>(result->doc.pages.size()));
  SMARTOCR_RETURN_IF_ERROR(blobs_.Put(key, result->json, "application/json"));
  store_span.End();
  SMARTOCR_RETURN_IF_ERROR(StopStatus(stop));
  return repo_.CompleteJob(job.id, options_.worker_id, PageRecordsFor(result->doc),
                           FieldRecordsFor(result->doc), blobs_.Uri(key), clock_.NowMs(),
                           ReviewFor(job, *options, result->doc));
}

store::ReviewOpen JobProcessor::ReviewFor(const store::Job& job,
                                          const document::DocumentOptions& options,
                                          const core::DocumentResult& doc) {
  store::ReviewOpen review;
  review.doc_type = doc.doc_type;
  review.reasons = document::ReviewReasons(doc, options, job.id);
  for (const core::Field& f : doc.fields) {
    review.min_confidence = std::min(review.min_confidence, static_cast<double>(f.confidence));
  }
  return review;
}

}  // namespace smartocr::jobs::internal
