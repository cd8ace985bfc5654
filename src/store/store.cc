// src/store/store.cc
//
// Enum names, OpenRepository's URL dispatch, and the Repository defaults.
#include "store/store.h"

#include <chrono>
#include <thread>

#include "store/migrations.h"
#include "store/pg_db.h"
#include "store/sql_repository.h"
#include "store/sqlite_db.h"

namespace smartocr::store {

namespace {

constexpr std::pair<JobStatus, const char*> kJobStatusNames[] = {
    {JobStatus::kQueued, "queued"},           {JobStatus::kRunning, "running"},
    {JobStatus::kSucceeded, "succeeded"},     {JobStatus::kFailed, "failed"},
    {JobStatus::kQuarantined, "quarantined"}, {JobStatus::kCancelled, "cancelled"},
};

constexpr std::pair<Role, const char*> kRoleNames[] = {
    {Role::kAdmin, "admin"},
    {Role::kReviewer, "reviewer"},
    {Role::kViewer, "viewer"},
    {Role::kService, "service"},
};

bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

const char* JobStatusName(JobStatus status) {
  for (const auto& [value, name] : kJobStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<JobStatus> ParseJobStatus(const std::string& name) {
  for (const auto& [value, n] : kJobStatusNames) {
    if (name == n) return value;
  }
  return std::nullopt;
}

const char* RoleName(Role role) {
  for (const auto& [value, name] : kRoleNames) {
    if (value == role) return name;
  }
  return "unknown";
}

std::optional<Role> ParseRole(const std::string& name) {
  for (const auto& [value, n] : kRoleNames) {
    if (name == n) return value;
  }
  return std::nullopt;
}

bool Repository::WaitForJobs(int64_t timeout_ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
  return false;
}

core::Result<std::vector<Tenant>> Repository::ListTenants() {
  return core::Internal("not_supported", "this repository cannot list tenants");
}

core::Status Repository::UpdateTenantWebhookSecret(const std::string&, const std::string&) {
  return core::Internal("not_supported", "this repository cannot rotate webhook secrets");
}

core::Status Repository::DeleteTenant(const std::string&) {
  return core::Internal("not_supported", "this repository cannot delete tenants");
}

core::Status Repository::ReplaceFields(const std::string&, const std::string&,
                                       const std::vector<FieldRecord>&, const AuditEntry&) {
  return core::Internal("not_supported", "this repository cannot replace fields");
}

core::Status Repository::TouchApiKey(const std::string&, int64_t, int64_t) {
  return core::Status::Ok();
}

core::Result<AuditChainReport> Repository::VerifyAuditChain(const std::string&,
                                                            const std::string&) {
  return core::Internal("not_supported", "this repository cannot verify the audit log");
}

// By value, as implementations keep it.
// NOLINTNEXTLINE(performance-unnecessary-value-param)
void Repository::SetColumnCipher(std::shared_ptr<ColumnCipher> /*cipher*/) {}

namespace {
core::Status NoTenantKeys() {
  return core::Internal("not_supported", "this repository does not store tenant keys");
}
}  // namespace

core::Result<std::optional<TenantKeyRecord>> Repository::GetTenantKey(const std::string&) {
  return NoTenantKeys();
}
core::Result<bool> Repository::InsertTenantKey(const TenantKeyRecord&) { return NoTenantKeys(); }
core::Result<std::vector<TenantKeyRecord>> Repository::ListTenantKeys() { return NoTenantKeys(); }
core::Result<int64_t> Repository::RewrapTenantKeys(const std::vector<TenantKeyRecord>&,
                                                   const std::string&) {
  return NoTenantKeys();
}

namespace {
core::Status NoReviews() {
  return core::Internal("not_supported", "this repository does not store reviews");
}
}  // namespace

core::Result<std::optional<ReviewRecord>> Repository::GetReview(const std::string&,
                                                                const std::string&) {
  return NoReviews();
}
core::Result<std::map<std::string, ReviewRecord>> Repository::GetReviews(
    const std::string&, const std::vector<std::string>&) {
  return NoReviews();
}
core::Result<ReviewRecord> Repository::ClaimReview(const std::string&, const std::string&,
                                                   const std::string&, int64_t, int64_t) {
  return NoReviews();
}
core::Status Repository::ReleaseReview(const std::string&, const std::string&, const std::string&) {
  return NoReviews();
}
core::Result<ReviewRecord> Repository::DecideReview(const std::string&, const std::string&, bool,
                                                    const ReviewEntry&, const std::string&,
                                                    int64_t) {
  return NoReviews();
}
core::Result<ReviewPage> Repository::ListReviews(const std::string&, const ReviewQuery&, int64_t) {
  return NoReviews();
}
core::Result<std::vector<ReviewEntry>> Repository::ListReviewEntries(const std::string&,
                                                                     const std::string&) {
  return NoReviews();
}
core::Result<int64_t> Repository::CountOpenReviews() { return NoReviews(); }
core::Result<std::vector<ReviewEntry>> Repository::ListTenantReviewEntries(const std::string&,
                                                                           int64_t) {
  return NoReviews();
}

int LatestSchemaVersion() { return internal::Migrations().back().version; }

core::Result<std::unique_ptr<Repository>> OpenRepository(const std::string& url) {
  std::unique_ptr<internal::SqlDb> db;
  if (url == "sqlite::memory:") {
    core::Result<std::unique_ptr<internal::SqliteDb>> opened = internal::SqliteDb::Open(":memory:");
    if (!opened.ok()) return opened.status();
    db = std::move(*opened);
  } else if (StartsWith(url, "sqlite://")) {
    std::string path = url.substr(std::string_view("sqlite://").size());
    if (path.size() < 2 || path[0] != '/' || path.back() == '/' ||
        path.find('?') != std::string::npos) {
      return core::InvalidArgument("database_url",
                                   "expected sqlite:///absolute/path.db, got " + url);
    }
    core::Result<std::unique_ptr<internal::SqliteDb>> opened = internal::SqliteDb::Open(path);
    if (!opened.ok()) return opened.status();
    db = std::move(*opened);
  } else if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://")) {
    core::Result<std::unique_ptr<internal::PgDb>> opened = internal::PgDb::Open(url);
    if (!opened.ok()) return opened.status();
    db = std::move(*opened);
  } else {
    // Not echoing the URL: a PostgreSQL URL may carry a password.
    return core::InvalidArgument("database_url",
                                 "database URL must start with sqlite:// or postgresql://");
  }
  return std::unique_ptr<Repository>(new internal::SqlRepository(std::move(db)));
}

}  // namespace smartocr::store
