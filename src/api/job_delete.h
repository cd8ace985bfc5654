// src/api/job_delete.h
//
// Deleting a job with everything it owns: its rows (Repository::DeleteJob: results,
// attempts and its stage-cache rows), the blobs it made or was created from (original
// or upload, result JSON, page images, when they lie under the tenant's own prefixes)
// and an audit row. Shared by
// DELETE /ocr/jobs/{id} and the retention sweeper so both forget a job the same way.
#ifndef SMARTOCR_API_JOB_DELETE_H_
#define SMARTOCR_API_JOB_DELETE_H_

#include <cstdint>
#include <string>

#include "blobs/blobs.h"
#include "core/core.h"
#include "store/store.h"

namespace smartocr::api {

enum class ActiveJob {
  kCancel,  // a queued/running job is cancelled, then deleted (the API route)
  kKeep,    // a queued/running job is left alone: kInvalidArgument "job_active"
};

// Deletes the tenant's job `job_id`; the audit row says `actor` did "job.delete" at
// `now`. kNotFound "job" as for Repository::GetJob. Blob deletions are best effort
// (a missing blob is not an error): the rows are what the API answers from.
core::Status DeleteJobAndBlobs(store::Repository& repo, blobs::BlobStore& blobs,
                               const std::string& tenant_id, const std::string& job_id,
                               const std::string& actor, int64_t now, ActiveJob active);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_JOB_DELETE_H_
