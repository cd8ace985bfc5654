// src/jobs/job_processor.h
//
// Private to the jobs module: runs one claimed job from its source blob to
// Repository::CompleteJob (fetch, stage cache, document service, result blob, rows).
#ifndef SMARTOCR_JOBS_JOB_PROCESSOR_H_
#define SMARTOCR_JOBS_JOB_PROCESSOR_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/core.h"
#include "document/document.h"
#include "jobs/clock.h"
#include "jobs/worker.h"
#include "store/store.h"

namespace smartocr::jobs::internal {

// Why a run was told to stop early (set by the heartbeat loop or at shutdown).
enum class StopReason : int { kNone = 0, kLeaseLost = 1, kShutdown = 2 };

// What a run took from the job's stage cache: for the worker's stats and logs only,
// never the result (a hit must not show in what the tenant gets back).
struct ProcessOutcome {
  bool cache_hit = false;       // the whole document
  int64_t page_cache_hits = 0;  // OCR pages, on a document miss
};

// Rows of a result: one PageRecord per page (blocks_json = the page's "blocks" array as
// the result JSON has it), one FieldRecord per field and per line-item cell
// (render/line_item_cells.h; none when extraction did not run).
std::vector<store::PageRecord> PageRecordsFor(const core::DocumentResult& doc);
std::vector<store::FieldRecord> FieldRecordsFor(const core::DocumentResult& doc);

// What the job's options_json asks done after recognition (document/document.h).
// kInvalidArgument "options" when malformed: a permanent failure of the job.
core::Result<document::DocumentOptions> JobDocumentOptions(const std::string& options_json);

// The stage-cache key of a document: "doc/v1/<source sha256>/<engine>/<options hash>".
std::string DocumentCacheKey(const std::string& source_sha256, const std::string& engine_version,
                             const std::string& pipeline_fingerprint,
                             const std::string& options_json);

// The blob key of a job's result JSON: "results/<tenant>/<job>.json".
std::string ResultKey(const store::Job& job);

// Thread-safe: Process may run for several jobs at once. References must outlive it.
class JobProcessor {
 public:
  JobProcessor(store::Repository& repo, blobs::BlobStore& blobs,
               const document::DocumentService& service, const WorkerOptions& options, Clock& clock)
      : repo_(repo), blobs_(blobs), service_(service), options_(options), clock_(clock) {}

  // Runs `job` (claimed by options.worker_id) and completes it. Returns OK once the
  // store accepted the completion; otherwise the first error: the source's or the
  // pipeline's code, kCancelled when `stop` was set, kUnavailable "lease_lost" when
  // the store refused the completion. Writes nothing to the job row on failure.
  core::Status Process(const store::Job& job, const std::atomic<int>& stop,
                       ProcessOutcome* outcome);

 private:
  // What the job's review opens with (docs/review.md), from the result and the job's
  // review settings.
  static store::ReviewOpen ReviewFor(const store::Job& job,
                                     const document::DocumentOptions& options,
                                     const core::DocumentResult& doc);
  // A job's result and its JSON, rendered once for the result blob and the stage cache.
  struct Rendered {
    core::DocumentResult doc;
    std::string json;
  };
  // The result of `path`: from the stage cache, or by running the document service.
  core::Result<Rendered> Result(const store::Job& job, const document::DocumentOptions& options,
                                const std::string& path, const std::atomic<int>& stop,
                                ProcessOutcome* outcome);
  // Runs the document service on `path`, with the job's page cache unless the job's
  // options ask for redaction or the cache is off.
  core::Result<Rendered> Run(const store::Job& job, const std::string& path,
                             const document::DocumentOptions& options, const std::atomic<int>& stop,
                             ProcessOutcome* outcome);

  store::Repository& repo_;
  blobs::BlobStore& blobs_;
  const document::DocumentService& service_;
  const WorkerOptions& options_;
  Clock& clock_;
};

}  // namespace smartocr::jobs::internal

#endif  // SMARTOCR_JOBS_JOB_PROCESSOR_H_
