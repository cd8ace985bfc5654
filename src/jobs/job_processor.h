// src/jobs/job_processor.h
//
// Private to the jobs module: runs one claimed job from its source blob to
// Repository::CompleteJob (fetch, stage cache, pipeline, result blob, page rows).
#ifndef SMARTOCR_JOBS_JOB_PROCESSOR_H_
#define SMARTOCR_JOBS_JOB_PROCESSOR_H_

#include <atomic>
#include <string>
#include <vector>

#include "core/core.h"
#include "jobs/clock.h"
#include "jobs/worker.h"
#include "pipeline/pipeline.h"
#include "pipeline/pipeline_set.h"
#include "postprocess/postprocess.h"
#include "store/store.h"

namespace smartocr::jobs::internal {

// Why a run was told to stop early (set by the heartbeat loop or at shutdown).
enum class StopReason : int { kNone = 0, kLeaseLost = 1, kShutdown = 2 };

struct ProcessOutcome {
  bool cache_hit = false;
};

// Pages as stored: one PageRecord per page of the result JSON (docs/output-schema.md),
// blocks_json = that page's "blocks" array. Fails with kInternal on a malformed JSON.
core::Result<std::vector<store::PageRecord>> PageRecordsFromResult(const std::string& json);

// What the job's options_json asks done after recognition (fields, review flags,
// redaction; postprocess/postprocess.h). kInvalidArgument "options" when malformed: a
// permanent failure of the job.
core::Result<postprocess::PostprocessOptions> JobPostprocessOptions(
    const std::string& options_json);

// The result JSON's "fields" array as stored rows (empty when extraction did not run).
std::vector<store::FieldRecord> FieldRecordsFromResult(const std::string& json);

// The stage-cache key of a document: "doc/v1/<source sha256>/<engine>/<options hash>".
std::string DocumentCacheKey(const std::string& source_sha256, const std::string& engine_version,
                             const std::string& pipeline_fingerprint,
                             const std::string& options_json);

// What picks a job's pipeline (PipelineSet::For): the schema its options ask for, else
// its doc_type hint (jobs submitted without a schema), else "auto".
std::string JobSchema(const store::Job& job, const postprocess::PostprocessOptions& options);

// The blob key of a job's result JSON: "results/<tenant>/<job>.json".
std::string ResultKey(const store::Job& job);

// Thread-safe: Process may run for several jobs at once. References must outlive it.
class JobProcessor {
 public:
  JobProcessor(store::Repository& repo, blobs::BlobStore& blobs,
               const pipeline::PipelineSet& pipelines, const WorkerOptions& options, Clock& clock)
      : repo_(repo), blobs_(blobs), pipelines_(pipelines), options_(options), clock_(clock) {}

  // Runs `job` (claimed by options.worker_id) and completes it. Returns OK once the
  // store accepted the completion; otherwise the first error: the source's or the
  // pipeline's code, kCancelled when `stop` was set, kUnavailable "lease_lost" when
  // the store refused the completion. Writes nothing to the job row on failure.
  core::Status Process(const store::Job& job, const std::atomic<int>& stop,
                       ProcessOutcome* outcome);

 private:
  // The result JSON of `path`: from the stage cache, or by running the pipeline.
  core::Result<std::string> ResultJson(const store::Job& job, const std::string& path,
                                       const std::atomic<int>& stop, ProcessOutcome* outcome);

  store::Repository& repo_;
  blobs::BlobStore& blobs_;
  const pipeline::PipelineSet& pipelines_;
  const WorkerOptions& options_;
  Clock& clock_;
};

}  // namespace smartocr::jobs::internal

#endif  // SMARTOCR_JOBS_JOB_PROCESSOR_H_
