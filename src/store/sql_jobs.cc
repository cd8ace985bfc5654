// src/store/sql_jobs.cc
//
// Job rows as tenants see them: create (idempotent by external_id), read, list with
// cursors, cancel, requeue, delete, counts and attempt history. Every query names the
// tenant in its WHERE clause.
#include <algorithm>
#include <string>

#include "store/ids.h"
#include "store/sql_repository.h"

namespace smartocr::store::internal {

namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 1000;

std::string Cols() { return kJobColumns; }

}  // namespace

core::Result<Job> SqlRepository::CreateJob(const std::string& tenant_id, const JobSpec& spec,
                                           int64_t now, bool* created) {
  Job job;
  bool inserted = false;
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    // ON CONFLICT DO NOTHING: a concurrent insert of the same (tenant, external_id)
    // waits for the first to commit and then inserts nothing, so exactly one wins.
    core::Result<SqlRows> rows = conn.Query(
        "INSERT INTO jobs (id, tenant_id, external_id, doc_type, source_uri, webhook_url,"
        " options_json, trace_id, max_attempts, status, run_after, created_at, updated_at,"
        " source_sha256, trace_parent)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued', $10, $10, $10, $11, $12)"
        " ON CONFLICT DO NOTHING RETURNING " +
            Cols(),
        {NewId("job"), tenant_id, spec.external_id, spec.doc_type, spec.source_uri,
         spec.webhook_url, spec.options_json, spec.trace_id, int64_t{spec.max_attempts}, now,
         spec.source_sha256, spec.trace_parent});
    if (!rows.ok()) {
      if (rows.status().reason() == "foreign_key_violation") {
        return core::NotFound("tenant", "no tenant " + tenant_id);
      }
      return rows.status();
    }
    if (!rows->empty()) {
      inserted = true;
      core::Result<Job> parsed = JobFromRow(rows->front());
      if (!parsed.ok()) return parsed.status();
      job = std::move(*parsed);
      return NotifyJobs(conn, job.id);
    }
    rows = conn.Query("SELECT " + Cols() + " FROM jobs WHERE tenant_id = $1 AND external_id = $2",
                      {tenant_id, spec.external_id});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return core::Internal("job_conflict", "job insert conflicted");
    core::Result<Job> parsed = JobFromRow(rows->front());
    if (!parsed.ok()) return parsed.status();
    job = std::move(*parsed);
    return core::Status();
  });
  if (!st.ok()) return st;
  if (inserted) JobsQueued();
  if (created != nullptr) *created = inserted;
  return job;
}

core::Result<Job> SqlRepository::GetJob(const std::string& tenant_id, const std::string& job_id) {
  Job job;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    core::Result<SqlRows> rows = conn.Query(
        "SELECT " + Cols() + " FROM jobs WHERE id = $1 AND tenant_id = $2", {job_id, tenant_id});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return core::NotFound("job", "no job " + job_id);
    core::Result<Job> parsed = JobFromRow(rows->front());
    if (!parsed.ok()) return parsed.status();
    job = std::move(*parsed);
    return core::Status();
  });
  if (!st.ok()) return st;
  return job;
}

core::Result<JobPage> SqlRepository::ListJobs(const std::string& tenant_id,
                                              const JobFilter& filter) {
  int limit = filter.limit <= 0 ? kDefaultPageSize : std::min(filter.limit, kMaxPageSize);
  // Only placeholders are appended to the SQL text; every value is bound.
  std::string sql = "SELECT " + Cols() + " FROM jobs WHERE tenant_id = $1";
  SqlParams params = {tenant_id};
  auto next = [&params](SqlValue value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  };
  if (filter.status) sql += " AND status = " + next(std::string(JobStatusName(*filter.status)));
  if (!filter.doc_type.empty()) sql += " AND doc_type = " + next(filter.doc_type);
  if (filter.created_from > 0) sql += " AND created_at >= " + next(filter.created_from);
  if (filter.created_to > 0) sql += " AND created_at < " + next(filter.created_to);
  if (!filter.cursor.empty()) {
    std::optional<CursorPos> pos = DecodeCursor(filter.cursor);
    if (!pos) return core::InvalidArgument("cursor", "malformed list cursor");
    std::string at = next(pos->created_at);
    std::string id = next(pos->id);
    sql += " AND (created_at < " + at + " OR (created_at = " + at + " AND id < " + id + "))";
  }
  sql += " ORDER BY created_at DESC, id DESC LIMIT " + next(int64_t{limit} + 1);

  JobPage page;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    core::Result<SqlRows> rows = conn.Query(sql, params);
    if (!rows.ok()) return rows.status();
    for (const SqlRow& row : *rows) {
      core::Result<Job> job = JobFromRow(row);
      if (!job.ok()) return job.status();
      page.jobs.push_back(std::move(*job));
    }
    return core::Status();
  });
  if (!st.ok()) return st;
  if (page.jobs.size() > static_cast<size_t>(limit)) {
    page.jobs.pop_back();  // the extra row only says another page exists
    page.next_cursor = EncodeCursor({page.jobs.back().created_at, page.jobs.back().id});
  }
  return page;
}

core::Result<std::string> SqlRepository::LockJobStatus(SqlConn& conn, const std::string& tenant_id,
                                                       const std::string& job_id) {
  core::Result<SqlRows> rows =
      conn.Query(std::string("SELECT status FROM jobs WHERE id = $1 AND tenant_id = $2") +
                     (postgres() ? " FOR UPDATE" : ""),
                 {job_id, tenant_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return core::NotFound("job", "no job " + job_id);
  return rows->front().Str(0);
}

core::Status SqlRepository::CancelJob(const std::string& tenant_id, const std::string& job_id,
                                      int64_t now) {
  return Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    core::Result<std::string> locked = LockJobStatus(conn, tenant_id, job_id);
    if (!locked.ok()) return locked.status();
    const std::string& status = *locked;
    if (status == "cancelled") return core::Status();
    if (status != "queued" && status != "running") {
      return core::InvalidArgument("job_finished", "job " + job_id + " is " + status);
    }
    SMARTOCR_RETURN_IF_ERROR(conn.Exec("UPDATE jobs SET status = 'cancelled', lease_owner = '',"
                                       " lease_expires_at = 0, completed_at = $1, updated_at = $1"
                                       " WHERE id = $2 AND tenant_id = $3",
                                       {now, job_id, tenant_id})
                                 .status());
    return EndAttempt(conn, job_id, "cancelled", "", now);
  });
}

core::Status SqlRepository::RequeueJob(const std::string& tenant_id, const std::string& job_id,
                                       int64_t now, const RerunChange& change) {
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    core::Result<std::string> locked = LockJobStatus(conn, tenant_id, job_id);
    if (!locked.ok()) return locked.status();
    const std::string& status = *locked;
    if (status == "queued" || status == "running") {
      return core::InvalidArgument("job_active", "job " + job_id + " is " + status);
    }
    SMARTOCR_RETURN_IF_ERROR(
        conn.Exec("UPDATE jobs SET status = 'queued', attempts = 0, error_code = '',"
                  " error_reason = '', error_message = '', result_uri = '', completed_at = 0,"
                  " lease_owner = '', lease_expires_at = 0, run_after = $1, updated_at = $1"
                  " WHERE id = $2 AND tenant_id = $3",
                  {now, job_id, tenant_id})
            .status());
    if (change.doc_type) {
      SMARTOCR_RETURN_IF_ERROR(
          conn.Exec("UPDATE jobs SET doc_type = $1 WHERE id = $2", {*change.doc_type, job_id})
              .status());
    }
    if (change.options_json) {
      SMARTOCR_RETURN_IF_ERROR(conn.Exec("UPDATE jobs SET options_json = $1 WHERE id = $2",
                                         {*change.options_json, job_id})
                                   .status());
    }
    return NotifyJobs(conn, job_id);
  });
  if (st.ok()) JobsQueued();
  return st;
}

core::Status SqlRepository::DeleteJob(const std::string& tenant_id, const std::string& job_id) {
  return Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    // Child rows (pages -> blocks, fields, attempts, reviews) go by ON DELETE CASCADE.
    core::Result<int64_t> n =
        conn.Exec("DELETE FROM jobs WHERE id = $1 AND tenant_id = $2", {job_id, tenant_id});
    if (!n.ok()) return n.status();
    if (*n == 0) return core::NotFound("job", "no job " + job_id);
    return core::Status();
  });
}

core::Result<std::vector<std::pair<JobStatus, int64_t>>> SqlRepository::CountJobs(
    const std::string& tenant_id) {
  std::vector<std::pair<JobStatus, int64_t>> counts;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    core::Result<SqlRows> rows =
        tenant_id.empty()
            ? conn.Query("SELECT status, COUNT(*) FROM jobs GROUP BY status ORDER BY status")
            : conn.Query(
                  "SELECT status, COUNT(*) FROM jobs WHERE tenant_id = $1"
                  " GROUP BY status ORDER BY status",
                  {tenant_id});
    if (!rows.ok()) return rows.status();
    for (const SqlRow& row : *rows) {
      std::optional<JobStatus> status = ParseJobStatus(row.Str(0));
      if (!status) return core::Internal("job_status", "unknown job status: " + row.Str(0));
      counts.emplace_back(*status, row.Int(1));
    }
    return core::Status();
  });
  if (!st.ok()) return st;
  return counts;
}

core::Result<int64_t> SqlRepository::OldestQueuedAt() {
  int64_t oldest = 0;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    core::Result<SqlRows> rows =
        conn.Query("SELECT COALESCE(MIN(created_at), 0) FROM jobs WHERE status = 'queued'");
    if (!rows.ok()) return rows.status();
    if (!rows->empty()) oldest = (*rows)[0].Int(0);
    return core::Status();
  });
  if (!st.ok()) return st;
  return oldest;
}

core::Result<std::vector<JobAttempt>> SqlRepository::ListJobAttempts(const std::string& tenant_id,
                                                                     const std::string& job_id) {
  std::vector<JobAttempt> attempts;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    SMARTOCR_RETURN_IF_ERROR(CheckJobOwner(conn, tenant_id, job_id));
    core::Result<SqlRows> rows = conn.Query(
        "SELECT a.id, a.job_id, a.attempt, a.worker_id, a.started_at, a.ended_at, a.outcome,"
        " a.error_code FROM job_attempts a JOIN jobs j ON j.id = a.job_id"
        " WHERE a.job_id = $1 AND j.tenant_id = $2 ORDER BY a.id",
        {job_id, tenant_id});
    if (!rows.ok()) return rows.status();
    for (const SqlRow& r : *rows) {
      attempts.push_back(JobAttempt{r.Int(0), r.Str(1), static_cast<int>(r.Int(2)), r.Str(3),
                                    r.Int(4), r.Int(5), r.Str(6), r.Str(7)});
    }
    return core::Status();
  });
  if (!st.ok()) return st;
  return attempts;
}

}  // namespace smartocr::store::internal
