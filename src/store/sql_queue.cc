// src/store/sql_queue.cc
//
// The work queue (SYSTEM calls, not tenant-scoped): claims under a lease, heartbeats,
// and the guarded end states. Every write after a claim is guarded by
// `lease_owner = worker AND status = 'running'` inside its transaction, so a worker
// that lost its lease (expired and re-claimed, cancelled, deleted) changes nothing:
// that is what makes completion exactly-once.
#include <string>

#include "store/blocks.h"
#include "store/sql_repository.h"

namespace smartocr::store::internal {

namespace {

// A queued job whose backoff has passed, or a running job whose worker stopped
// heartbeating. $2 is now.
constexpr char kClaimable[] =
    "((status = 'queued' AND run_after <= $2)"
    " OR (status = 'running' AND lease_expires_at <= $2))";

core::Status LeaseLost(const std::string& job_id) {
  return core::Unavailable("lease_lost", "job " + job_id + " is no longer leased to this worker");
}

}  // namespace

core::Result<std::optional<Job>> SqlRepository::ClaimJob(const std::string& worker_id, int64_t now,
                                                         int64_t lease_ms) {
  // PostgreSQL: SKIP LOCKED lets concurrent claimers pass over each other's rows
  // instead of queueing on them. SQLite: the write transaction is BEGIN IMMEDIATE, so
  // claims are serialized; the repeated kClaimable guard documents (and checks) that
  // the row is still claimable when updated.
  const std::string sql = std::string(
                              "UPDATE jobs SET status = 'running', lease_owner = $1,"
                              " lease_expires_at = $3, attempts = attempts + 1, updated_at = $2"
                              " WHERE id = (SELECT id FROM jobs WHERE ") +
                          kClaimable + " ORDER BY created_at, id LIMIT 1" +
                          (postgres() ? " FOR UPDATE SKIP LOCKED" : "") + ") AND " + kClaimable +
                          " RETURNING " + kJobColumns;
  std::optional<Job> claimed;
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    core::Result<SqlRows> rows = conn.Query(sql, {worker_id, now, now + lease_ms});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return core::Status();
    if (rows->size() != 1) return core::Internal("claim", "claim updated several jobs");
    core::Result<Job> job = JobFromRow(rows->front());
    if (!job.ok()) return job.status();
    // A previous holder's attempt still open means its lease expired.
    SMARTOCR_RETURN_IF_ERROR(EndAttempt(conn, job->id, "lease_lost", "", now));
    SMARTOCR_RETURN_IF_ERROR(
        conn.Exec("INSERT INTO job_attempts (job_id, attempt, worker_id, started_at)"
                  " VALUES ($1, $2, $3, $4)",
                  {job->id, int64_t{job->attempts}, worker_id, now})
            .status());
    claimed = std::move(*job);
    return core::Status();
  });
  if (!st.ok()) return st;
  return claimed;
}

core::Status SqlRepository::Heartbeat(const std::string& job_id, const std::string& worker_id,
                                      int64_t now, int64_t lease_ms) {
  return Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    core::Result<int64_t> n = conn.Exec(
        "UPDATE jobs SET lease_expires_at = $1, updated_at = $2"
        " WHERE id = $3 AND lease_owner = $4 AND status = 'running'",
        {now + lease_ms, now, job_id, worker_id});
    if (!n.ok()) return n.status();
    return *n == 1 ? core::Status() : LeaseLost(job_id);
  });
}

core::Status SqlRepository::CompleteJob(const std::string& job_id, const std::string& worker_id,
                                        const std::vector<PageRecord>& pages,
                                        const std::vector<FieldRecord>& fields,
                                        const std::string& result_uri, int64_t now,
                                        const ReviewOpen& review) {
  // Parse before the transaction: bad input must not hold the write lock.
  std::vector<std::vector<BlockRow>> blocks;
  blocks.reserve(pages.size());
  for (const PageRecord& page : pages) {
    core::Result<std::vector<BlockRow>> parsed = ParseBlocks(page.blocks_json);
    if (!parsed.ok()) {
      return parsed.status().WithContext("page " + std::to_string(page.page_number));
    }
    blocks.push_back(std::move(*parsed));
  }
  // Sealed before the transaction too: the cipher may read or create the tenant's key.
  std::vector<PageRecord> stored_pages = pages;
  std::vector<FieldRecord> stored_fields = fields;
  if (cipher_ != nullptr) {
    core::Result<std::string> tenant = TenantOfJob(job_id);
    if (!tenant.ok()) {
      return tenant.status().code() == core::StatusCode::kNotFound ? LeaseLost(job_id)
                                                                   : tenant.status();
    }
    SMARTOCR_RETURN_IF_ERROR(SealPages(*tenant, &stored_pages));
    SMARTOCR_RETURN_IF_ERROR(SealFields(*tenant, &stored_fields));
    for (std::vector<BlockRow>& page_blocks : blocks) {
      for (BlockRow& b : page_blocks) SMARTOCR_RETURN_IF_ERROR(SealValue(*tenant, &b.text));
    }
  }
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    // The guarded update first: it also locks the job row until commit.
    core::Result<int64_t> n = conn.Exec(
        "UPDATE jobs SET status = 'succeeded', page_count = $1, result_uri = $2,"
        " completed_at = $3, updated_at = $3, lease_owner = '', lease_expires_at = 0,"
        " error_code = '', error_reason = '', error_message = ''"
        " WHERE id = $4 AND lease_owner = $5 AND status = 'running'",
        {static_cast<int64_t>(pages.size()), result_uri, now, job_id, worker_id});
    if (!n.ok()) return n.status();
    if (*n != 1) return LeaseLost(job_id);
    // Replace whatever an earlier completion (before a requeue) stored.
    SMARTOCR_RETURN_IF_ERROR(
        conn.Exec("DELETE FROM blocks WHERE page_id IN (SELECT id FROM pages WHERE job_id = $1)",
                  {job_id})
            .status());
    SMARTOCR_RETURN_IF_ERROR(conn.Exec("DELETE FROM pages WHERE job_id = $1", {job_id}).status());
    for (size_t p = 0; p < stored_pages.size(); ++p) {
      const PageRecord& page = stored_pages[p];
      core::Result<SqlRows> ids = conn.Query(
          "INSERT INTO pages (job_id, page_number, width, height, source, artifact_uri, text,"
          " confidence, blocks_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
          {job_id, int64_t{page.page_number}, int64_t{page.width}, int64_t{page.height},
           page.source, page.artifact_uri, page.text, page.confidence, page.blocks_json});
      if (!ids.ok()) return ids.status();
      const int64_t page_id = ids->front().Int(0);
      for (const BlockRow& b : blocks[p]) {
        SMARTOCR_RETURN_IF_ERROR(
            conn.Exec(
                    "INSERT INTO blocks (page_id, reading_order, type, bbox, text, confidence)"
                    " VALUES ($1, $2, $3, $4, $5, $6)",
                    {page_id, int64_t{b.reading_order}, b.type, b.bbox_json, b.text, b.confidence})
                .status());
      }
    }
    SMARTOCR_RETURN_IF_ERROR(ReplaceFieldRows(conn, job_id, stored_fields));
    // With the fields: a job that needs a person is never seen succeeded without it.
    SMARTOCR_RETURN_IF_ERROR(ReplaceReviewRow(conn, job_id, review, now));
    return EndAttempt(conn, job_id, "succeeded", "", now);
  });
  if (!st.ok() && st.reason() == "unique_violation") {
    return core::InvalidArgument("page_number", "two pages share a page_number");
  }
  return st;
}

core::Status SqlRepository::FailJob(const std::string& job_id, const std::string& worker_id,
                                    const core::Status& error, int64_t retry_at,
                                    JobStatus final_status, int64_t now) {
  const bool retry = retry_at > 0;
  if (!retry && final_status != JobStatus::kFailed && final_status != JobStatus::kQuarantined) {
    return core::InvalidArgument("final_status", "a final status must be failed or quarantined");
  }
  const std::string code(core::StatusCodeName(error.code()));
  const std::string outcome = retry ? "retry" : JobStatusName(final_status);
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    core::Result<int64_t> n =
        retry ? conn.Exec(
                    "UPDATE jobs SET status = 'queued', run_after = $1,"
                    " lease_owner = '', lease_expires_at = 0, error_code = $2,"
                    " error_reason = $3, error_message = $4, updated_at = $5"
                    " WHERE id = $6 AND lease_owner = $7 AND status = 'running'",
                    {retry_at, code, error.reason(), error.message(), now, job_id, worker_id})
              : conn.Exec(
                    "UPDATE jobs SET status = $1, completed_at = $2,"
                    " lease_owner = '', lease_expires_at = 0, error_code = $3,"
                    " error_reason = $4, error_message = $5, updated_at = $2"
                    " WHERE id = $6 AND lease_owner = $7 AND status = 'running'",
                    {std::string(JobStatusName(final_status)), now, code, error.reason(),
                     error.message(), job_id, worker_id});
    if (!n.ok()) return n.status();
    if (*n != 1) return LeaseLost(job_id);
    SMARTOCR_RETURN_IF_ERROR(EndAttempt(conn, job_id, outcome, code, now));
    return retry ? NotifyJobs(conn, job_id) : core::Status();
  });
  if (st.ok() && retry) JobsQueued();
  return st;
}

core::Status SqlRepository::ReleaseJob(const std::string& job_id, const std::string& worker_id,
                                       int64_t now) {
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    core::Result<int64_t> n = conn.Exec(
        "UPDATE jobs SET status = 'queued', lease_owner = '', lease_expires_at = 0,"
        " attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,"
        " run_after = $1, updated_at = $1"
        " WHERE id = $2 AND lease_owner = $3 AND status = 'running'",
        {now, job_id, worker_id});
    if (!n.ok()) return n.status();
    if (*n != 1) return LeaseLost(job_id);
    SMARTOCR_RETURN_IF_ERROR(EndAttempt(conn, job_id, "released", "", now));
    return NotifyJobs(conn, job_id);
  });
  if (st.ok()) JobsQueued();
  return st;
}

}  // namespace smartocr::store::internal
