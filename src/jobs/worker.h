// src/jobs/worker.h
//
// Worker: takes jobs off the store's queue and runs them through the pipeline.
//
// `concurrency` claim loops each: claim a job (or wait poll_ms when there is none),
// fetch its source blob to a temp file, look the document up in the stage cache, run
// the pipeline on a miss, write the result JSON to the blob store
// ("results/<tenant>/<job>.json"), and complete the job with its pages in one store
// transaction. The store completes a job only for its lease holder, so a worker whose
// lease expired (it hung, or was taken for dead) cannot complete a job twice.
//
// One heartbeat loop extends the leases of all jobs in flight every heartbeat_ms. When
// a heartbeat is refused (lease lost, or the job was cancelled) the job's pipeline run
// stops at its next page and nothing is reported.
//
// Failures: a permanent input error fails the job at once; a transient one goes back
// to the queue with backoff until max_attempts, then to quarantine (retry.h). Webhook
// events for final statuses go to a WebhookDispatcher running beside the loops.
//
// Stop(): no new claims; jobs in flight get grace_ms to finish; then their leases are
// released (ReleaseJob: not counted as an attempt) and their runs stop at the next
// page; Run() returns when every loop has ended.
//
// Documents: each job goes through the document service (document/document.h): the
// pipeline its schema picks (the options' schema, else the job's doc_type), e.g.
// receipts on the hybrid engine and everything else on Tesseract, then fields, the
// optional LLM, review flags and redaction.
//
// Stage cache, scoped to the job (store::CacheScope): rows of one job serve only that
// job's retries and re-runs, never another job or tenant, and go with the job. At
// document level: key = sha256 of the source bytes + the chosen engine's version + a
// hash of the pipeline fingerprint and the job's options_json; value = the rendered
// result JSON (after redaction). A retry of a job whose OCR finished but whose
// persisting failed skips the OCR. At page level (jobs/repository_page_cache.h): the
// pages a failed or interrupted run finished, except for a job that asks for
// redaction (a page is cached as read). Hits show in WorkerStats, never in results.
#ifndef SMARTOCR_JOBS_WORKER_H_
#define SMARTOCR_JOBS_WORKER_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "core/core.h"
#include "core/mutex.h"
#include "document/document.h"
#include "jobs/clock.h"
#include "jobs/retry.h"
#include "jobs/webhooks.h"
#include "pipeline/pipeline.h"
#include "pipeline/pipeline_set.h"
#include "store/store.h"

namespace smartocr::blobs {
class BlobStore;
}  // namespace smartocr::blobs

namespace smartocr::jobs {

struct WorkerOptions {
  std::string worker_id;  // unique among live workers; "" = "<hostname>-<pid>-<random>"
  int concurrency = 1;    // claim loops (jobs in flight)
  int64_t lease_ms = 30'000;
  int64_t heartbeat_ms = 0;   // 0 = lease_ms / 3
  int64_t poll_ms = 500;      // wait between claims when the queue is empty
  int64_t grace_ms = 30'000;  // Stop(): how long jobs in flight may still finish
  // Job retries (max_attempts comes from each job's row).
  RetryPolicy retry{.base_ms = 2000, .cap_ms = 300'000};
  WebhookOptions webhooks;
  // Identifies the engine (name and version) in stage-cache keys when the Worker runs
  // one Pipeline; a PipelineSet names each of its engines itself.
  std::string engine_version;
  // Identifies the pipeline settings (dpi, language...) in stage-cache keys.
  std::string pipeline_fingerprint;
  bool use_cache = true;
  // Return from Run() once no job is queued or running anywhere (and webhooks have
  // been delivered or given up), instead of waiting for more. `smartocr worker --once`.
  bool exit_when_idle = false;
  std::string temp_dir;  // "" = std::filesystem::temp_directory_path()
};

// Counters since construction.
struct WorkerStats {
  int64_t claimed = 0;
  int64_t succeeded = 0;
  int64_t retried = 0;          // failed attempts sent back to the queue
  int64_t failed = 0;           // jobs failed for good (permanent error)
  int64_t quarantined = 0;      // transient failures past max_attempts, and poison jobs
  int64_t released = 0;         // leases given back at shutdown
  int64_t lost = 0;             // runs abandoned: lease lost or job cancelled
  int64_t cache_hits = 0;       // whole documents from the job's stage cache
  int64_t page_cache_hits = 0;  // OCR pages from the job's page cache
  int64_t heartbeats = 0;       // successful lease extensions
};

// Thread-safe: Stop() and stats() may be called from any thread while Run() blocks.
// Every reference passed in must outlive the Worker; `webhook_transport` may be null
// (no webhooks are sent).
class Worker {
 public:
  // Every job through `service` (on the pipeline its schema picks, then fields, LLM,
  // review flags and redaction as its options ask).
  Worker(store::Repository& repo, blobs::BlobStore& blobs, const document::DocumentService& service,
         WorkerOptions options, Clock& clock, WebhookTransport* webhook_transport = nullptr);
  // Every job on `pipeline`, named options.engine_version, with no LLM.
  Worker(store::Repository& repo, blobs::BlobStore& blobs, pipeline::Pipeline& pipeline,
         WorkerOptions options, Clock& clock, WebhookTransport* webhook_transport = nullptr);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Runs the claim loops, the heartbeat loop and webhook delivery; blocks until Stop()
  // (or, with exit_when_idle, until the queue is drained). Call once.
  void Run();
  // Asks Run() to finish (see the file comment). Safe to call more than once and
  // before Run().
  void Stop();

  WorkerStats stats() const EXCLUDES(mu_);
  const WorkerOptions& options() const { return options_; }

 private:
  struct InFlight;
  // `service`, else one over `own_pipelines`.
  Worker(store::Repository& repo, blobs::BlobStore& blobs,
         std::unique_ptr<pipeline::PipelineSet> own_pipelines,
         const document::DocumentService* service, WorkerOptions&& options, Clock& clock,
         WebhookTransport* webhook_transport);
  void ClaimLoop();
  void HeartbeatLoop() EXCLUDES(mu_);
  void Handle(const store::Job& job) EXCLUDES(mu_);
  // Records the failure; returns the outcome for metrics (retried, failed,
  // quarantined, lost).
  const char* ReportFailure(const store::Job& job, const core::Status& error);
  void SendWebhook(const store::Job& job);
  bool QueueDrained();
  void Count(int64_t WorkerStats::*field) EXCLUDES(mu_);

  store::Repository& repo_;
  blobs::BlobStore& blobs_;
  std::unique_ptr<pipeline::PipelineSet> own_pipelines_;    // the one-Pipeline constructor's
  std::unique_ptr<document::DocumentService> own_service_;  // the one-Pipeline constructor's
  const document::DocumentService* service_;
  WorkerOptions options_;
  Clock& clock_;
  Backoff backoff_;
  std::unique_ptr<WebhookDispatcher> webhooks_;  // null without a transport

  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> stop_requested_at_{0};
  std::atomic<int> loops_running_{0};

  mutable core::Mutex mu_;
  std::map<std::string, std::shared_ptr<InFlight>> in_flight_ GUARDED_BY(mu_);
  WorkerStats stats_ GUARDED_BY(mu_);
};

}  // namespace smartocr::jobs

#endif  // SMARTOCR_JOBS_WORKER_H_
