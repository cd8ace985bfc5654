#include "jobs/job_processor.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "blobs/blobs.h"
#include "extract/fields.h"
#include "jobs/hashing.h"
#include "postprocess/postprocess.h"
#include "render/render.h"

namespace smartocr::jobs::internal {
namespace {

// Stops the pipeline at the next finished page once the job was told to stop.
class StopSink final : public pipeline::PageSink {
 public:
  explicit StopSink(const std::atomic<int>& stop) : stop_(stop) {}
  core::Status OnPage(const core::PageResult&, const cv::Mat&, double) override {
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

// The JSON dumped the way RenderJson's callers expect (invalid UTF-8 replaced).
std::string Dump(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string ResultKey(const store::Job& job) {
  return "results/" + job.tenant_id + "/" + job.id + ".json";
}

std::string DocumentCacheKey(const std::string& source_sha256, const std::string& engine_version,
                             const std::string& pipeline_fingerprint,
                             const std::string& options_json) {
  const std::string options = Sha256Hex(pipeline_fingerprint + "\n" + options_json).substr(0, 16);
  return "doc/v1/" + source_sha256 + "/" + engine_version + "/" + options;
}

core::Result<std::vector<store::PageRecord>> PageRecordsFromResult(const std::string& json) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("pages") || !doc["pages"].is_array()) {
    return core::Internal("result_json", "result JSON has no pages array");
  }
  std::vector<store::PageRecord> pages;
  for (const nlohmann::json& page : doc["pages"]) {
    if (!page.is_object()) return core::Internal("result_json", "a page is not an object");
    store::PageRecord r;
    r.page_number = page.value("number", 0);
    r.width = page.value("width", 0);
    r.height = page.value("height", 0);
    r.source = page.value("source", "ocr");
    r.text = page.value("text", "");
    r.confidence = page.value("confidence", 0.0);
    r.blocks_json = page.contains("blocks") ? page["blocks"].dump() : "[]";
    pages.push_back(std::move(r));
  }
  return pages;
}

core::Result<postprocess::PostprocessOptions> JobPostprocessOptions(
    const std::string& options_json) {
  if (options_json.empty()) return postprocess::PostprocessOptions();
  nlohmann::json options = nlohmann::json::parse(options_json, nullptr, /*allow_exceptions=*/false);
  if (options.is_discarded()) return core::InvalidArgument("options", "options_json is not JSON");
  return postprocess::ParsePostprocessOptions(options);
}

std::vector<store::FieldRecord> FieldRecordsFromResult(const std::string& json) {
  std::vector<store::FieldRecord> out;
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("fields") || !doc["fields"].is_array()) return out;
  for (const nlohmann::json& f : doc["fields"]) {
    if (!f.is_object()) continue;
    store::FieldRecord r;
    r.name = f.value("name", "");
    r.value = f.value("value", "");
    r.normalized = f.value("normalized", "");
    r.bbox_json = f.contains("bbox") ? f["bbox"].dump() : "[]";
    r.page = f.value("page", 0);
    r.confidence = f.value("confidence", 0.0);
    r.validator_status = f.value("validator_status", "");
    r.source_model = f.value("source", "");
    r.version = f.value("engine_version", "");
    out.push_back(std::move(r));
  }
  return out;
}

std::string JobSchema(const store::Job& job, const postprocess::PostprocessOptions& options) {
  if (!options.schema.empty() && options.schema != "auto") return options.schema;
  return job.spec.doc_type.empty() ? "auto" : job.spec.doc_type;
}

core::Result<std::string> JobProcessor::ResultJson(const store::Job& job, const std::string& path,
                                                   const std::atomic<int>& stop,
                                                   ProcessOutcome* outcome) {
  // Fields, review flags and redaction as the job's options ask (postprocess.h).
  auto post = JobPostprocessOptions(job.spec.options_json);
  if (!post.ok()) return post.status();
  const pipeline::PipelineSet::Choice chosen = pipelines_.For(JobSchema(job, *post));
  std::string key;
  if (options_.use_cache) {
    auto sha = Sha256FileHex(path);
    if (!sha.ok()) return sha.status();
    key = DocumentCacheKey(*sha, chosen.engine_version, options_.pipeline_fingerprint,
                           job.spec.options_json);
    // A cache the store cannot read right now is a miss, not a failure.
    auto cached = repo_.GetCachedPage(key);
    if (cached.ok() && cached->has_value()) {
      nlohmann::ordered_json doc =
          nlohmann::ordered_json::parse(**cached, nullptr, /*allow_exceptions=*/false);
      if (doc.is_object()) {
        // The same bytes may have been submitted under another URI.
        doc["input"] = job.spec.source_uri;
        outcome->cache_hit = true;
        return Dump(doc);
      }
    }
  }
  StopSink sink(stop);
  auto doc = chosen.pipeline.Run(path, &sink);
  if (!doc.ok()) return doc.status();
  SMARTOCR_RETURN_IF_ERROR(postprocess::Postprocess(*doc, *post, extract::TodayUtc()));
  doc->input = job.spec.source_uri;
  std::string json = render::RenderJson(*doc);
  if (!key.empty()) (void)repo_.PutCachedPage(key, json, clock_.NowMs());  // best effort
  return json;
}

core::Status JobProcessor::Process(const store::Job& job, const std::atomic<int>& stop,
                                   ProcessOutcome* outcome) {
  std::error_code ec;
  std::filesystem::path dir = options_.temp_dir;
  if (dir.empty()) dir = std::filesystem::temp_directory_path(ec);  // $TMPDIR or /tmp
  if (ec) return core::IoError("temp_dir", "no temp directory: " + ec.message());
  TempFile source(dir / ("smartocr-job-" + job.id + "-" + RandomHex(6)));
  SMARTOCR_RETURN_IF_ERROR(FetchSource(blobs_, job.spec.source_uri, source.path())
                               .WithContext("fetching " + job.spec.source_uri));
  SMARTOCR_RETURN_IF_ERROR(StopStatus(stop));

  auto json = ResultJson(job, source.path().string(), stop, outcome);
  if (!json.ok()) return json.status();
  SMARTOCR_RETURN_IF_ERROR(StopStatus(stop));

  auto pages = PageRecordsFromResult(*json);
  if (!pages.ok()) return pages.status();
  const std::string key = ResultKey(job);
  SMARTOCR_RETURN_IF_ERROR(blobs_.Put(key, *json, "application/json"));
  SMARTOCR_RETURN_IF_ERROR(StopStatus(stop));
  return repo_.CompleteJob(job.id, options_.worker_id, *pages, FieldRecordsFromResult(*json),
                           blobs_.Uri(key), clock_.NowMs());
}

}  // namespace smartocr::jobs::internal
