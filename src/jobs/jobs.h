// src/jobs/jobs.h
//
// Public header of the jobs module: the queue worker that runs stored jobs through
// the pipeline (Worker), its retry policy (Backoff, DecideOnFailure), time (Clock),
// webhook delivery (WebhookDispatcher) and the JSON view of a job row.
//
//   jobs::Worker worker(*repo, *blobs, pipeline, options, jobs::RealClock(), &transport);
//   std::thread t([&] { worker.Run(); });
//   ...
//   worker.Stop();  // e.g. on SIGTERM
//   t.join();
#ifndef SMARTOCR_JOBS_JOBS_H_
#define SMARTOCR_JOBS_JOBS_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "jobs/clock.h"
#include "jobs/retry.h"
#include "jobs/webhooks.h"
#include "jobs/worker.h"
#include "store/store.h"

namespace smartocr::blobs {
class UrlPolicy;
}  // namespace smartocr::blobs

namespace smartocr::jobs {

// A job row as JSON (for `smartocr jobs get` and the API): id, tenant_id, external_id,
// doc_type, status, page_count, attempts, max_attempts, error_code, error_reason,
// error_message,
// source_uri, result_uri, webhook_url, trace_id, options (parsed options_json),
// created_at, updated_at, completed_at (ms since the epoch; 0 = not yet).
nlohmann::ordered_json JobToJson(const store::Job& job);

// The production webhook transport: blobs::UrlPolicy decides which URLs may be
// posted to, blobs::SignWebhook signs with each event's tenant secret, blobs::PostJson
// sends.
std::unique_ptr<WebhookTransport> MakeBlobsWebhookTransport(const blobs::UrlPolicy& policy);

}  // namespace smartocr::jobs

#endif  // SMARTOCR_JOBS_JOBS_H_
