// src/jobs/original.h
//
// A job's original is immutable once the job references it. The SHA-256 of its bytes
// is recorded in the job row when the job is created (store::JobSpec::source_sha256),
// and every later read of it (the worker's runs, retries and re-runs; the API's page
// images and PDFs) checks the bytes it fetched against that record. So a result, its
// redaction boxes and the images drawn from the original always describe the same
// bytes, whatever happens to the blob underneath (an upload URL used again, an S3
// presigned PUT repeated, a write straight to the store).
//
// Thread-safe.
#ifndef SMARTOCR_JOBS_ORIGINAL_H_
#define SMARTOCR_JOBS_ORIGINAL_H_

#include <string>

#include "core/core.h"
#include "store/store.h"

namespace smartocr::jobs {

// Lower-case hex SHA-256 of the file at `path`, read in chunks. kIoError "read_source".
core::Result<std::string> OriginalSha256(const std::string& path);

// OK when the file at `path` holds the bytes `job` recorded, or when the job recorded
// none (a row from before schema v3). kCorruptInput "original_changed" when they
// differ: a permanent failure, never retried, and never a page drawn from the new
// bytes. kIoError "read_source" when the file cannot be read.
core::Status VerifyOriginal(const store::Job& job, const std::string& path);

}  // namespace smartocr::jobs

#endif  // SMARTOCR_JOBS_ORIGINAL_H_
