// Review state per job (job_reviews) and the review history (reviews): docs/review.md.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "store/sql_repository.h"

namespace smartocr::store::internal {
namespace {

constexpr char kReviewColumns[] =
    "job_id, tenant_id, status, reasons_json, min_confidence, doc_type, completed_at,"
    " claimed_by, claim_expires_at, decided_by, decided_at, reason_code, comment";

// Most job ids GetReviews binds in one query (a job list's largest page).
constexpr size_t kMaxReviewBatch = 1000;

constexpr char kEntryColumns[] =
    "r.id, r.actor, r.action, r.before_json, r.after_json, r.reason, r.created_at";

ReviewRecord ReviewFromRow(const SqlRow& row) {
  ReviewRecord r;
  r.job_id = row.Str(0);
  r.tenant_id = row.Str(1);
  r.status = row.Str(2);
  nlohmann::json reasons = nlohmann::json::parse(row.Str(3), nullptr, /*allow_exceptions=*/false);
  if (reasons.is_array()) {
    for (const auto& reason : reasons) {
      if (reason.is_string()) r.reasons.push_back(reason.get<std::string>());
    }
  }
  r.min_confidence = row.Real(4);
  r.doc_type = row.Str(5);
  r.completed_at = row.Int(6);
  r.claimed_by = row.Str(7);
  r.claim_expires_at = row.Int(8);
  r.decided_by = row.Str(9);
  r.decided_at = row.Int(10);
  r.reason_code = row.Str(11);
  r.comment = row.Str(12);
  return r;
}

ReviewEntry EntryFromRow(const SqlRow& row) {
  return ReviewEntry{.id = row.Int(0),
                     .actor = row.Str(1),
                     .action = row.Str(2),
                     .before_json = row.Str(3),
                     .after_json = row.Str(4),
                     .reason = row.Str(5),
                     .created_at = row.Int(6)};
}

// Whether `actor` may change the review now: it is open and no one else's claim holds.
core::Status CheckOpenFor(const ReviewRecord& r, const std::string& actor, int64_t now) {
  if (r.status != "to_review") {
    return core::InvalidArgument("review_decided", "the review of " + r.job_id + " is " + r.status);
  }
  if (!r.claimed_by.empty() && r.claimed_by != actor && r.claim_expires_at > now) {
    return core::InvalidArgument("review_claimed", "another reviewer holds " + r.job_id);
  }
  return core::Status();
}

// The where-clause for one queue status (numbers the `now` parameter as $`now_param`).
std::string StatusClause(const std::string& status, const std::string& now_param) {
  if (status == "to_review") {
    return "(status = 'to_review' AND claim_expires_at <= " + now_param + ")";
  }
  if (status == "in_review") {
    return "(status = 'to_review' AND claim_expires_at > " + now_param + ")";
  }
  return "status = '" + std::string(status == "approved" ? "approved" : "rejected") + "'";
}

}  // namespace

core::Status ReplaceReviewRow(SqlConn& conn, const std::string& job_id, const ReviewOpen& review,
                              int64_t now) {
  SMARTOCR_RETURN_IF_ERROR(
      conn.Exec("DELETE FROM job_reviews WHERE job_id = $1", {job_id}).status());
  if (review.reasons.empty()) return core::Status();
  return conn
      .Exec(
          "INSERT INTO job_reviews (job_id, tenant_id, status, reasons_json, min_confidence,"
          " doc_type, completed_at) SELECT id, tenant_id, 'to_review', $2, $3, $4, $5"
          " FROM jobs WHERE id = $1",
          {job_id, nlohmann::json(review.reasons).dump(), review.min_confidence, review.doc_type,
           now})
      .status();
}

core::Status InsertReviewEntry(SqlConn& conn, const std::string& job_id, const ReviewEntry& entry) {
  return conn
      .Exec(
          "INSERT INTO reviews (job_id, actor, action, before_json, after_json, reason,"
          " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {job_id, entry.actor, entry.action, entry.before_json, entry.after_json, entry.reason,
           entry.created_at})
      .status();
}

namespace {

// Inside a transaction: the tenant's job's review row (locked on PostgreSQL), nullopt
// when the job needs none; kNotFound "job" for another tenant's job.
core::Result<std::optional<ReviewRecord>> LockReview(SqlConn& conn, bool postgres,
                                                     const std::string& tenant_id,
                                                     const std::string& job_id) {
  SMARTOCR_RETURN_IF_ERROR(CheckJobOwner(conn, tenant_id, job_id));
  core::Result<SqlRows> rows =
      conn.Query(std::string("SELECT ") + kReviewColumns +
                     " FROM job_reviews WHERE job_id = $1 AND tenant_id = $2" +
                     (postgres ? " FOR UPDATE" : ""),
                 {job_id, tenant_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<ReviewRecord>();
  return std::optional<ReviewRecord>(ReviewFromRow(rows->front()));
}

// Inside a write transaction: the review `actor` may change now (locked), or
// "review_not_open" (none), "review_decided", "review_claimed" (another's claim).
core::Result<ReviewRecord> LockOpenReview(SqlConn& conn, bool postgres,
                                          const std::string& tenant_id, const std::string& job_id,
                                          const std::string& actor, int64_t now) {
  auto r = LockReview(conn, postgres, tenant_id, job_id);
  if (!r.ok()) return r.status();
  if (!r->has_value()) {
    return core::InvalidArgument("review_not_open", "job " + job_id + " needs no review");
  }
  SMARTOCR_RETURN_IF_ERROR(CheckOpenFor(**r, actor, now));
  return std::move(**r);
}

}  // namespace

core::Result<std::optional<ReviewRecord>> SqlRepository::GetReview(const std::string& tenant_id,
                                                                   const std::string& job_id) {
  std::optional<ReviewRecord> out;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    auto r = LockReview(conn, /*postgres=*/false, tenant_id, job_id);
    if (!r.ok()) return r.status();
    out = std::move(*r);
    return core::Status();
  });
  if (!st.ok()) return st;
  return out;
}

core::Result<std::map<std::string, ReviewRecord>> SqlRepository::GetReviews(
    const std::string& tenant_id, const std::vector<std::string>& job_ids) {
  if (job_ids.size() > kMaxReviewBatch) {
    return core::InvalidArgument("too_many_ids", "at most 1000 job ids per lookup");
  }
  std::map<std::string, ReviewRecord> out;
  if (job_ids.empty()) return out;
  std::string sql = std::string("SELECT ") + kReviewColumns +
                    " FROM job_reviews WHERE tenant_id = $1 AND job_id IN (";
  SqlParams params = {tenant_id};
  for (size_t i = 0; i < job_ids.size(); ++i) {
    sql += (i == 0 ? "$" : ", $") + std::to_string(i + 2);
    params.emplace_back(job_ids[i]);
  }
  sql += ")";
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    core::Result<SqlRows> rows = conn.Query(sql, params);
    if (!rows.ok()) return rows.status();
    for (const SqlRow& row : *rows) {
      ReviewRecord r = ReviewFromRow(row);
      out.emplace(r.job_id, std::move(r));
    }
    return core::Status();
  });
  if (!st.ok()) return st;
  return out;
}

core::Result<ReviewRecord> SqlRepository::ClaimReview(const std::string& tenant_id,
                                                      const std::string& job_id,
                                                      const std::string& actor, int64_t now,
                                                      int64_t claim_ms) {
  ReviewRecord out;
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    auto r = LockOpenReview(conn, postgres(), tenant_id, job_id, actor, now);
    if (!r.ok()) return r.status();
    out = std::move(*r);
    out.claimed_by = actor;
    out.claim_expires_at = now + claim_ms;
    return conn
        .Exec("UPDATE job_reviews SET claimed_by = $1, claim_expires_at = $2 WHERE job_id = $3",
              {actor, out.claim_expires_at, job_id})
        .status();
  });
  if (!st.ok()) return st;
  return out;
}

core::Status SqlRepository::ReleaseReview(const std::string& tenant_id, const std::string& job_id,
                                          const std::string& actor) {
  return Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    SMARTOCR_RETURN_IF_ERROR(CheckJobOwner(conn, tenant_id, job_id));
    return conn
        .Exec(
            "UPDATE job_reviews SET claimed_by = '', claim_expires_at = 0"
            " WHERE job_id = $1 AND tenant_id = $2 AND claimed_by = $3",
            {job_id, tenant_id, actor})
        .status();
  });
}

core::Result<ReviewRecord> SqlRepository::DecideReview(const std::string& tenant_id,
                                                       const std::string& job_id, bool approve,
                                                       const ReviewEntry& decision,
                                                       const std::string& reason_code,
                                                       int64_t now) {
  ReviewEntry entry = decision;
  SMARTOCR_RETURN_IF_ERROR(SealChange(tenant_id, &entry.before_json, &entry.after_json));
  ReviewRecord out;
  core::Status st = Tx(TxMode::kWrite, [&](SqlConn& conn) -> core::Status {
    auto r = LockOpenReview(conn, postgres(), tenant_id, job_id, entry.actor, now);
    if (!r.ok()) return r.status();
    out = std::move(*r);
    out.status = approve ? "approved" : "rejected";
    out.claimed_by.clear();
    out.claim_expires_at = 0;
    out.decided_by = entry.actor;
    out.decided_at = now;
    out.reason_code = reason_code;
    out.comment = entry.reason;
    SMARTOCR_RETURN_IF_ERROR(
        conn.Exec("UPDATE job_reviews SET status = $1, claimed_by = '', claim_expires_at = 0,"
                  " decided_by = $2, decided_at = $3, reason_code = $4, comment = $5"
                  " WHERE job_id = $6",
                  {out.status, out.decided_by, now, reason_code, out.comment, job_id})
            .status());
    return InsertReviewEntry(conn, job_id, entry);
  });
  if (!st.ok()) return st;
  return out;
}

core::Result<ReviewPage> SqlRepository::ListReviews(const std::string& tenant_id,
                                                    const ReviewQuery& query, int64_t now) {
  ReviewPage page;
  SqlParams params = {tenant_id};
  std::string where = "tenant_id = $1";
  auto bind = [&params](SqlValue v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  // Bound only when a clause uses it: PostgreSQL cannot type a parameter no clause names.
  std::string now_param;
  std::vector<std::string> statuses = query.statuses;
  if (statuses.empty()) statuses = {"to_review", "in_review"};
  std::string any;
  for (const std::string& s : statuses) {
    if (now_param.empty() && (s == "to_review" || s == "in_review")) now_param = bind(now);
    any += (any.empty() ? "" : " OR ") + StatusClause(s, now_param);
  }
  where += " AND (" + any + ")";
  if (!query.doc_type.empty()) where += " AND doc_type = " + bind(query.doc_type);
  if (query.min_confidence >= 0) where += " AND min_confidence >= " + bind(query.min_confidence);
  if (query.max_confidence >= 0) where += " AND min_confidence <= " + bind(query.max_confidence);
  if (query.older_than > 0) where += " AND completed_at < " + bind(query.older_than);
  if (!query.cursor.empty()) {
    // "<completed_at>:<job_id>" of the last item of the previous page.
    const size_t colon = query.cursor.find(':');
    if (colon == std::string::npos) {
      return core::InvalidArgument("cursor", "the cursor is not one this API gave");
    }
    const int64_t at = std::strtoll(query.cursor.substr(0, colon).c_str(), nullptr, 10);
    const std::string at_param = bind(at);
    const std::string id_param = bind(query.cursor.substr(colon + 1));
    where += " AND (completed_at > " + at_param + " OR (completed_at = " + at_param +
             " AND job_id > " + id_param + "))";
  }
  const int limit = std::clamp(query.limit, 1, 200);
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    core::Result<SqlRows> rows =
        conn.Query(std::string("SELECT ") + kReviewColumns + " FROM job_reviews WHERE " + where +
                       " ORDER BY completed_at, job_id LIMIT " + std::to_string(limit + 1),
                   params);
    if (!rows.ok()) return rows.status();
    for (const SqlRow& row : *rows) page.items.push_back(ReviewFromRow(row));
    core::Result<SqlRows> counts = conn.Query(
        "SELECT status, CASE WHEN claim_expires_at > $2 THEN 1 ELSE 0 END, COUNT(*)"
        " FROM job_reviews WHERE tenant_id = $1 GROUP BY 1, 2",
        {tenant_id, now});
    if (!counts.ok()) return counts.status();
    for (const std::string s : {"to_review", "in_review", "approved", "rejected"}) {
      page.counts[s] = 0;
    }
    for (const SqlRow& row : *counts) {
      const bool claimed = row.Int(1) == 1 && row.Str(0) == "to_review";
      page.counts[claimed ? "in_review" : row.Str(0)] += row.Int(2);
    }
    return core::Status();
  });
  if (!st.ok()) return st;
  if (page.items.size() > static_cast<size_t>(limit)) {
    page.items.resize(static_cast<size_t>(limit));
    const ReviewRecord& last = page.items.back();
    page.next_cursor = std::to_string(last.completed_at) + ":" + last.job_id;
  }
  return page;
}

core::Result<std::vector<ReviewEntry>> SqlRepository::ListReviewEntries(
    const std::string& tenant_id, const std::string& job_id) {
  std::vector<ReviewEntry> out;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    SMARTOCR_RETURN_IF_ERROR(CheckJobOwner(conn, tenant_id, job_id));
    core::Result<SqlRows> rows = conn.Query(std::string("SELECT ") + kEntryColumns +
                                                " FROM reviews r WHERE r.job_id = $1 ORDER BY r.id",
                                            {job_id});
    if (!rows.ok()) return rows.status();
    for (const SqlRow& row : *rows) out.push_back(EntryFromRow(row));
    return core::Status();
  });
  if (!st.ok()) return st;
  for (ReviewEntry& e : out) {
    SMARTOCR_RETURN_IF_ERROR(OpenChange(tenant_id, &e.before_json, &e.after_json));
  }
  return out;
}

core::Result<int64_t> SqlRepository::CountOpenReviews() {
  int64_t n = 0;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    core::Result<SqlRows> rows =
        conn.Query("SELECT COUNT(*) FROM job_reviews WHERE status = 'to_review'");
    if (!rows.ok()) return rows.status();
    if (!rows->empty()) n = rows->front().Int(0);
    return core::Status();
  });
  if (!st.ok()) return st;
  return n;
}

core::Result<std::vector<ReviewEntry>> SqlRepository::ListTenantReviewEntries(
    const std::string& tenant_id, int64_t since) {
  std::vector<ReviewEntry> out;
  core::Status st = Tx(TxMode::kRead, [&](SqlConn& conn) -> core::Status {
    core::Result<SqlRows> rows =
        conn.Query(std::string("SELECT ") + kEntryColumns +
                       " FROM reviews r JOIN jobs j ON j.id = r.job_id"
                       " WHERE j.tenant_id = $1 AND r.created_at >= $2 ORDER BY r.id",
                   {tenant_id, since});
    if (!rows.ok()) return rows.status();
    for (const SqlRow& row : *rows) out.push_back(EntryFromRow(row));
    return core::Status();
  });
  if (!st.ok()) return st;
  for (ReviewEntry& e : out) {
    SMARTOCR_RETURN_IF_ERROR(OpenChange(tenant_id, &e.before_json, &e.after_json));
  }
  return out;
}

}  // namespace smartocr::store::internal
