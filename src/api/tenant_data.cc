#include "api/tenant_data.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <string_view>

#include "api/auth.h"
#include "api/job_view.h"

namespace smartocr::api {
namespace {

using Json = nlohmann::ordered_json;

// A JSON column as JSON (an object or array), or its text when it does not parse.
Json Parsed(const std::string& text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? Json(text) : j;
}

// Every job of the tenant, a page of the store's listing at a time.
core::Result<std::vector<store::Job>> AllJobs(store::Repository& repo, const std::string& tenant) {
  std::vector<store::Job> jobs;
  store::JobFilter filter;
  filter.limit = 200;
  do {
    auto page = repo.ListJobs(tenant, filter);
    if (!page.ok()) return page.status();
    for (store::Job& job : page->jobs) jobs.push_back(std::move(job));
    filter.cursor = page->next_cursor;
  } while (!filter.cursor.empty());
  return jobs;
}

// JSON Lines, appended one row at a time.
class Lines {
 public:
  void Add(const Json& row) {
    text_ += row.dump();
    text_ += '\n';
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

Json TenantJson(const store::Tenant& t, int64_t now_ms) {
  return {{"format", "smartocr-tenant-export/1"},
          {"exported_at", now_ms},
          {"id", t.id},
          {"name", t.name},
          {"region", t.region},
          {"settings", Parsed(t.settings_json)},
          {"created_at", t.created_at}};
}

Json KeyJson(const store::ApiKey& k) {
  return {{"id", k.id},
          {"prefix", k.prefix},
          {"role", store::RoleName(k.role)},
          {"scopes", k.scopes},
          {"allowed_networks", k.allowed_networks},
          {"created_at", k.created_at},
          {"expires_at", k.expires_at},
          {"revoked_at", k.revoked_at},
          {"last_used_at", k.last_used_at}};
}

Json PageJson(const std::string& job_id, const store::PageRecord& p) {
  return {{"job_id", job_id},           {"page", p.page_number},
          {"width", p.width},           {"height", p.height},
          {"source", p.source},         {"text", p.text},
          {"confidence", p.confidence}, {"blocks", Parsed(p.blocks_json)}};
}

Json FieldJson(const std::string& job_id, const store::FieldRecord& f) {
  return {{"job_id", job_id},
          {"name", f.name},
          {"value", f.value},
          {"normalized", f.normalized},
          {"bbox", Parsed(f.bbox_json)},
          {"page", f.page},
          {"confidence", f.confidence},
          {"validator_status", f.validator_status},
          {"source_model", f.source_model},
          {"version", f.version}};
}

Json ChangeJson(const std::string& job_id, int64_t id, const std::string& actor,
                const std::string& action, const std::string& before, const std::string& after,
                const std::string& reason, int64_t created_at) {
  return {{"id", id},         {"job_id", job_id},         {"actor", actor},
          {"action", action}, {"before", Parsed(before)}, {"after", Parsed(after)},
          {"reason", reason}, {"created_at", created_at}};
}

Json DeliveryJson(const store::WebhookDelivery& d) {
  return {{"id", d.id},       {"job_id", d.job_id},        {"event", d.event},
          {"url", d.url},     {"attempt", d.attempt},      {"http_status", d.http_status},
          {"error", d.error}, {"created_at", d.created_at}};
}

// Adds one member, refusing to grow past `max_bytes` (0 = unbounded).
class Writer {
 public:
  Writer(TarArchive& archive, int64_t max_bytes, int64_t mtime_s)
      : archive_(archive), max_bytes_(max_bytes), mtime_s_(mtime_s) {}

  core::Status Add(std::string_view name, std::string_view bytes) {
    if (max_bytes_ > 0 && static_cast<int64_t>(archive_.size() + bytes.size()) > max_bytes_) {
      return core::LimitExceeded("export_too_large",
                                 "the export is over " + std::to_string(max_bytes_) +
                                     " bytes; use `smartocr admin tenant export`");
    }
    return archive_.Add(name, bytes, mtime_s_);
  }

 private:
  TarArchive& archive_;
  const int64_t max_bytes_;
  const int64_t mtime_s_;
};

// pages.jsonl, fields.jsonl, reviews.jsonl and webhook_deliveries.jsonl over all jobs.
core::Status AddJobRows(store::Repository& repo, const std::string& tenant,
                        const std::vector<store::Job>& jobs, Writer& out) {
  Lines job_lines, pages, fields, reviews, deliveries;
  for (const store::Job& job : jobs) {
    job_lines.Add(JobView(job, store::Role::kAdmin));
    auto page_rows = repo.GetPages(tenant, job.id);
    if (!page_rows.ok()) return page_rows.status();
    for (const store::PageRecord& p : *page_rows) pages.Add(PageJson(job.id, p));
    auto field_rows = repo.GetFields(tenant, job.id);
    if (!field_rows.ok()) return field_rows.status();
    for (const store::FieldRecord& f : *field_rows) fields.Add(FieldJson(job.id, f));
    auto review_rows = repo.ListReviewEntries(tenant, job.id);
    if (!review_rows.ok()) return review_rows.status();
    for (const store::ReviewEntry& r : *review_rows) {
      reviews.Add(ChangeJson(job.id, r.id, r.actor, r.action, r.before_json, r.after_json, r.reason,
                             r.created_at));
    }
    auto sent = repo.ListWebhookDeliveries(tenant, job.id);
    if (!sent.ok()) return sent.status();
    for (const store::WebhookDelivery& d : *sent) deliveries.Add(DeliveryJson(d));
  }
  SMARTOCR_RETURN_IF_ERROR(out.Add("jobs.jsonl", job_lines.text()));
  SMARTOCR_RETURN_IF_ERROR(out.Add("pages.jsonl", pages.text()));
  SMARTOCR_RETURN_IF_ERROR(out.Add("fields.jsonl", fields.text()));
  SMARTOCR_RETURN_IF_ERROR(out.Add("reviews.jsonl", reviews.text()));
  return out.Add("webhook_deliveries.jsonl", deliveries.text());
}

}  // namespace

std::vector<std::string> TenantBlobPrefixes(const std::string& tenant_id) {
  std::vector<std::string> prefixes;
  for (std::string_view area : blobs::kTenantAreas) {
    prefixes.push_back(std::string(area) + "/" + tenant_id + "/");
  }
  return prefixes;
}

core::Status ExportTenant(store::Repository& repo, blobs::BlobStore& blobs,
                          const std::string& tenant_id, int64_t now_ms, int64_t max_bytes,
                          TarArchive& archive) {
  auto tenant = repo.GetTenant(tenant_id);
  if (!tenant.ok()) return tenant.status();
  Writer out(archive, max_bytes, now_ms / 1000);
  SMARTOCR_RETURN_IF_ERROR(out.Add("tenant.json", TenantJson(*tenant, now_ms).dump(2) + "\n"));
  auto keys = repo.ListApiKeys(tenant_id);
  if (!keys.ok()) return keys.status();
  Lines key_lines;
  for (const store::ApiKey& k : *keys) key_lines.Add(KeyJson(k));
  SMARTOCR_RETURN_IF_ERROR(out.Add("api_keys.jsonl", key_lines.text()));
  auto jobs = AllJobs(repo, tenant_id);
  if (!jobs.ok()) return jobs.status();
  SMARTOCR_RETURN_IF_ERROR(AddJobRows(repo, tenant_id, *jobs, out));
  // The whole log, oldest first as it was written.
  auto audit = repo.ListAudit(tenant_id, "", std::numeric_limits<int>::max());
  if (!audit.ok()) return audit.status();
  Lines audit_lines;
  for (auto it = audit->rbegin(); it != audit->rend(); ++it) {
    audit_lines.Add(ChangeJson(it->job_id, it->id, it->actor, it->action, it->before_json,
                               it->after_json, it->reason, it->created_at));
  }
  SMARTOCR_RETURN_IF_ERROR(out.Add("audit.jsonl", audit_lines.text()));
  for (const std::string& prefix : TenantBlobPrefixes(tenant_id)) {
    auto listed = blobs.List(prefix);
    if (!listed.ok()) return listed.status();
    for (const std::string& key : *listed) {
      auto bytes = blobs.Get(key);
      // Deleted since it was listed (a job deleted meanwhile): not part of the tenant now.
      if (!bytes.ok() && bytes.status().code() == core::StatusCode::kNotFound) continue;
      if (!bytes.ok()) return bytes.status();
      SMARTOCR_RETURN_IF_ERROR(out.Add("blobs/" + key, *bytes));
    }
  }
  return core::Status::Ok();
}

core::Result<ErasureReport> EraseTenant(store::Repository& repo, blobs::BlobStore& blobs,
                                        const std::string& tenant_id, const std::string& actor,
                                        int64_t now_ms) {
  if (tenant_id == kSystemTenant) {
    return core::InvalidArgument("tenant", "the system tenant cannot be erased");
  }
  ErasureReport report;
  const bool exists = repo.GetTenant(tenant_id).ok();
  if (exists) {
    // Stop what is queued or running, so no worker writes a result after the erasure.
    auto jobs = AllJobs(repo, tenant_id);
    if (!jobs.ok()) return jobs.status();
    report.jobs = static_cast<int64_t>(jobs->size());
    for (const store::Job& job : *jobs) {
      if (job.status == store::JobStatus::kQueued || job.status == store::JobStatus::kRunning) {
        (void)repo.CancelJob(tenant_id, job.id, now_ms);
      }
    }
  }
  // Blobs first: rows are how a second run would find a tenant, so they go last.
  for (const std::string& prefix : TenantBlobPrefixes(tenant_id)) {
    auto listed = blobs.List(prefix);
    if (!listed.ok()) return listed.status();
    for (const std::string& key : *listed) {
      SMARTOCR_RETURN_IF_ERROR(blobs.Delete(key));
      ++report.blobs;
    }
  }
  if (!exists && report.blobs == 0) return core::NotFound("tenant", "no tenant " + tenant_id);
  if (exists) SMARTOCR_RETURN_IF_ERROR(repo.DeleteTenant(tenant_id));
  SMARTOCR_RETURN_IF_ERROR(EnsureTenant(repo, kSystemTenant, now_ms));
  store::AuditEntry audit;
  audit.tenant_id = kSystemTenant;
  audit.actor = actor;
  audit.action = "tenant.erase";
  audit.after_json =
      Json{{"tenant_id", tenant_id}, {"jobs", report.jobs}, {"blobs", report.blobs}}.dump();
  audit.created_at = now_ms;
  SMARTOCR_RETURN_IF_ERROR(repo.AppendAudit(audit));
  return report;
}

}  // namespace smartocr::api
