#include "api/retention.h"

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "api/access_log.h"
#include "api/job_delete.h"
#include "api/settings.h"
#include "api/source.h"

namespace smartocr::api {
namespace {

constexpr double kMsPerDay = 86'400'000.0;
constexpr int kUploadSweepBatch = 200;
constexpr store::JobStatus kFinished[] = {store::JobStatus::kSucceeded, store::JobStatus::kFailed,
                                          store::JobStatus::kQuarantined,
                                          store::JobStatus::kCancelled};

}  // namespace

RetentionSweeper::RetentionSweeper(store::Repository& repo, blobs::BlobStore& blobs,
                                   jobs::Clock& clock, int64_t upload_ttl_ms)
    : repo_(repo), blobs_(blobs), clock_(clock), upload_ttl_ms_(upload_ttl_ms) {}

RetentionSweeper::~RetentionSweeper() { Stop(); }

bool RetentionSweeper::stopping() {
  core::MutexLock lock(mu_);
  return stop_;
}

core::Result<int> RetentionSweeper::SweepOnce() {
  auto tenants = repo_.ListTenants();
  if (!tenants.ok()) return tenants.status();
  const int64_t now = clock_.NowMs();
  int deleted = 0;
  for (const store::Tenant& tenant : *tenants) {
    if (stopping()) break;
    auto n = SweepTenant(tenant, now);
    if (!n.ok()) {
      LogEvent("error", "retention: tenant " + tenant.id + ": " + n.status().ToString());
      continue;
    }
    if (*n > 0) {
      LogEvent("info", "retention: deleted " + std::to_string(*n) + " jobs of tenant " + tenant.id);
    }
    deleted += *n;
  }
  auto uploads = SweepUploads();
  if (!uploads.ok()) {
    LogEvent("error", "retention: uploads: " + uploads.status().ToString());
  } else if (*uploads > 0) {
    LogEvent("info", "retention: deleted " + std::to_string(*uploads) + " unsubmitted uploads");
  }
  return deleted;
}

core::Result<int> RetentionSweeper::SweepUploads() {
  const int64_t cutoff = clock_.NowMs() - upload_ttl_ms_;
  int deleted = 0;
  for (;;) {
    auto stale = repo_.ListUnsubmittedUploads(cutoff, kUploadSweepBatch);
    if (!stale.ok()) return stale.status();
    for (const store::UploadRecord& upload : *stale) {
      if (stopping()) return deleted;
      // The row first, and only while still unsubmitted: a job created from the upload
      // meanwhile keeps it. When the blob cannot be deleted, the row comes back, so
      // the next sweep tries again.
      auto claimed =
          repo_.DeleteUpload(upload.tenant_id, upload.id, store::UploadRows::kOnlyUnsubmitted);
      if (!claimed.ok()) return claimed.status();
      if (!*claimed) continue;
      core::Status st = blobs_.Delete(UploadKey(upload.tenant_id, upload.id));
      if (!st.ok()) {
        (void)repo_.RecordUpload(upload);
        return st;
      }
      ++deleted;
    }
    if (static_cast<int>(stale->size()) < kUploadSweepBatch) return deleted;
  }
}

core::Result<int> RetentionSweeper::SweepTenant(const store::Tenant& tenant, int64_t now) {
  const double days = RetentionDays(tenant.settings_json);
  if (days <= 0) return 0;
  const int64_t cutoff = now - static_cast<int64_t>(std::llround(days * kMsPerDay));
  if (cutoff <= 0) return 0;  // created_to 0 would mean "unbounded"
  // Stage-cache rows of jobs still kept (queued, running, or re-run) expire on their own.
  auto expired = repo_.ExpireCachedPages(tenant.id, cutoff);
  if (!expired.ok()) return expired.status();
  if (*expired > 0) {
    LogEvent("info", "retention: expired " + std::to_string(*expired) +
                         " stage-cache rows of tenant " + tenant.id);
  }
  int deleted = 0;
  for (store::JobStatus status : kFinished) {
    store::JobFilter filter;
    filter.status = status;
    filter.created_to = cutoff;
    filter.limit = 200;
    // Keyset pages (created_at, id): deleting what was listed does not shift the next page.
    do {
      auto page = repo_.ListJobs(tenant.id, filter);
      if (!page.ok()) return page.status();
      for (const store::Job& job : page->jobs) {
        if (stopping()) return deleted;
        core::Status st = DeleteJobAndBlobs(repo_, blobs_, tenant.id, job.id, kRetentionActor,
                                            clock_.NowMs(), ActiveJob::kKeep);
        // Re-run or deleted since it was listed: not ours to delete any more.
        if (st.code() == core::StatusCode::kNotFound || st.reason() == "job_active") continue;
        if (!st.ok()) return st;
        ++deleted;
      }
      filter.cursor = page->next_cursor;
    } while (!filter.cursor.empty());
  }
  return deleted;
}

void RetentionSweeper::Start(int64_t interval_ms) {
  core::MutexLock join_lock(join_mu_);
  thread_ = std::thread([this, interval_ms] {
    while (!stopping()) {
      auto n = SweepOnce();
      if (!n.ok()) LogEvent("error", "retention: " + n.status().ToString());
      core::MutexLock lock(mu_);
      const auto deadline =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(interval_ms);
      while (!stop_) {
        if (!cv_.WaitUntil(mu_, deadline)) break;  // interval over
      }
    }
  });
}

void RetentionSweeper::Stop() {
  {
    core::MutexLock lock(mu_);
    stop_ = true;
  }
  cv_.NotifyAll();
  // The signal thread and the main thread may both stop it.
  core::MutexLock lock(join_mu_);
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

}  // namespace smartocr::api
