// src/api/retention.h
//
// Per-tenant data retention: a tenant whose settings name "retention_days" has its
// finished jobs (succeeded, failed, quarantined, cancelled) created more than that many
// days ago deleted, rows and blobs, exactly as DELETE /ocr/jobs/{id} deletes them, each
// with an audit row by actor "system:retention". Queued and running jobs are never
// touched, but stage-cache rows older than the retention are deleted whatever their
// job's status (Repository::ExpireCachedPages). Uploads never submitted as a job are
// deleted, blob and row, once issued more than --upload-ttl-s ago (whatever the tenant's
// retention: nothing else would ever remove them). `smartocr serve` runs a sweep every
// --retention-sweep-s seconds.
//
//   api::RetentionSweeper sweeper(*repo, *blobs, jobs::RealClock());
//   sweeper.Start(3'600'000);  // first sweep at once, then hourly
//   ...
//   sweeper.Stop();            // prompt: wakes the thread, ends a sweep between jobs
#ifndef SMARTOCR_API_RETENTION_H_
#define SMARTOCR_API_RETENTION_H_

#include <cstdint>
#include <thread>

#include "blobs/blobs.h"
#include "core/core.h"
#include "core/mutex.h"
#include "jobs/clock.h"
#include "store/store.h"

namespace smartocr::api {

inline constexpr char kRetentionActor[] = "system:retention";

class RetentionSweeper {
 public:
  // `clock` gives the time the cutoffs are measured from (tests pass a fixed clock);
  // the wait between sweeps is real time. An upload never submitted is deleted once
  // issued more than `upload_ttl_ms` ago. References must outlive the sweeper.
  RetentionSweeper(store::Repository& repo, blobs::BlobStore& blobs, jobs::Clock& clock,
                   int64_t upload_ttl_ms);
  ~RetentionSweeper();  // Stop()
  RetentionSweeper(const RetentionSweeper&) = delete;
  RetentionSweeper& operator=(const RetentionSweeper&) = delete;

  // One pass over every tenant; the number of jobs deleted. A tenant that fails is
  // logged and skipped (the next sweep retries it); the error of listing tenants is
  // returned. Then the unsubmitted uploads (SweepUploads).
  core::Result<int> SweepOnce();
  // Deletes the uploads never submitted and issued more than upload_ttl_ms ago; how many.
  core::Result<int> SweepUploads();

  // Sweeps now and then every `interval_ms` on a thread of its own, until Stop().
  void Start(int64_t interval_ms);
  // Thread-safe and idempotent; returns once the thread has ended.
  void Stop();

 private:
  core::Result<int> SweepTenant(const store::Tenant& tenant, int64_t now);
  bool stopping() EXCLUDES(mu_);

  store::Repository& repo_;
  blobs::BlobStore& blobs_;
  jobs::Clock& clock_;
  const int64_t upload_ttl_ms_;
  core::Mutex mu_;
  core::CondVar cv_;
  bool stop_ GUARDED_BY(mu_) = false;
  core::Mutex join_mu_;  // Stop() may run on two threads at once
  std::thread thread_ GUARDED_BY(join_mu_);
};

}  // namespace smartocr::api

#endif  // SMARTOCR_API_RETENTION_H_
