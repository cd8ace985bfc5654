// src/api/tenant_data.h
//
// Everything a tenant has with us, exported as one tar archive, or erased: what
// `smartocr admin tenant export|erase` and the admin routes do (docs/security.md,
// "Tenant export and erasure").
//
// The archive holds tenant.json (the tenant, its settings, no secrets), api_keys.jsonl
// (no hashes), jobs.jsonl, pages.jsonl, fields.jsonl, reviews.jsonl, audit.jsonl,
// webhook_deliveries.jsonl, and blobs/<key> for every object under the tenant's blob
// prefixes (originals, uploads, results, page images).
//
// Thread safety: functions are thread-safe over thread-safe stores.
#ifndef SMARTOCR_API_TENANT_DATA_H_
#define SMARTOCR_API_TENANT_DATA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "api/tar_archive.h"
#include "blobs/blobs.h"
#include "core/core.h"
#include "store/store.h"

namespace smartocr::api {

// The blob prefixes that hold a tenant's objects ("originals/<tenant>/", ...).
std::vector<std::string> TenantBlobPrefixes(const std::string& tenant_id);

// Appends the tenant's archive members to `archive` (then Finish it). kNotFound
// "tenant"; kLimitExceeded "export_too_large" once the archive passes `max_bytes`
// (0 = no limit); the store's and blob store's errors.
core::Status ExportTenant(store::Repository& repo, blobs::BlobStore& blobs,
                          const std::string& tenant_id, int64_t now_ms, int64_t max_bytes,
                          TarArchive& archive);

struct ErasureReport {
  int64_t jobs = 0;
  int64_t blobs = 0;  // objects deleted
};

// Deletes the tenant: every object under its blob prefixes, then its rows
// (Repository::DeleteTenant: keys, jobs and results, reviews, audit log, deliveries,
// uploads, cache rows). The erasure itself is an audit row "tenant.erase" in the
// "system" tenant's log (created when missing), by `actor`, with the counts. Jobs
// still queued or running are cancelled first. kNotFound "tenant"; kInvalidArgument
// "tenant" for "system" itself; a blob that cannot be deleted stops the erasure
// before any row goes (run it again).
core::Result<ErasureReport> EraseTenant(store::Repository& repo, blobs::BlobStore& blobs,
                                        const std::string& tenant_id, const std::string& actor,
                                        int64_t now_ms);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_TENANT_DATA_H_
