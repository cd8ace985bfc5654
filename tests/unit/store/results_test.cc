// tests/unit/store/results_test.cc
//
// Audit log, webhook deliveries, the page cache, and the pure helpers (block rows,
// cursors).
#include <gtest/gtest.h>

#include "repo_fixture.h"
#include "store/blocks.h"
#include "store/ids.h"

namespace smartocr::store {
namespace {

class ResultsTest : public RepoTest {};

TEST_P(ResultsTest, AuditIsAppendOnlyPerTenantNewestFirst) {
  Job job = AddJob(1);
  for (int i = 0; i < 3; ++i) {
    SMARTOCR_ASSERT_OK(repo_->AppendAudit(AuditEntry{.tenant_id = "t1",
                                                     .job_id = job.id,
                                                     .actor = "key_1",
                                                     .action = "fields.patch",
                                                     .before_json = R"({"total":"1"})",
                                                     .after_json = R"({"total":"2"})",
                                                     .reason = "typo " + std::to_string(i),
                                                     .created_at = 100 + i}));
  }
  SMARTOCR_ASSERT_OK(repo_->AppendAudit(
      AuditEntry{.tenant_id = "t1", .actor = "admin", .action = "key.create", .created_at = 200}));
  SMARTOCR_ASSERT_OK(repo_->AppendAudit(
      AuditEntry{.tenant_id = "t2", .actor = "admin", .action = "key.create", .created_at = 300}));
  EXPECT_EQ(repo_->AppendAudit(AuditEntry{.tenant_id = "nope", .actor = "a", .action = "b"}).code(),
            core::StatusCode::kNotFound);

  core::Result<std::vector<AuditEntry>> for_job = repo_->ListAudit("t1", job.id, 0);
  ASSERT_TRUE(for_job.ok()) << for_job.status().ToString();
  ASSERT_EQ(for_job->size(), 3u);
  EXPECT_EQ((*for_job)[0].reason, "typo 2");
  EXPECT_EQ((*for_job)[0].before_json, R"({"total":"1"})");
  EXPECT_EQ((*for_job)[0].after_json, R"({"total":"2"})");
  EXPECT_EQ((*for_job)[0].created_at, 102);
  EXPECT_GT((*for_job)[0].id, (*for_job)[1].id);
  EXPECT_EQ(repo_->ListAudit("t1", "", 0)->size(), 4u);
  EXPECT_EQ(repo_->ListAudit("t1", "", 2)->size(), 2u);
  EXPECT_EQ(repo_->ListAudit("t1", "", 0)->front().action, "key.create");
  EXPECT_EQ(repo_->ListAudit("t2", "", 0)->size(), 1u);
  EXPECT_TRUE(repo_->ListAudit("t2", job.id, 0)->empty());
}

// The audit log is a hash chain per tenant: rows appended (by AppendAudit and with field
// edits) verify; an edited row, a deleted row and a row written around the store are
// each found, at the right row.
TEST_P(ResultsTest, AuditChainFindsEditedDeletedAndForgedRows) {
  Job job = AddJob(1);
  for (int i = 0; i < 4; ++i) {
    SMARTOCR_ASSERT_OK(
        repo_->AppendAudit(AuditEntry{.tenant_id = "t1",
                                      .job_id = i % 2 ? job.id : "",
                                      .actor = "key_1",
                                      .action = "job.result.read",
                                      .after_json = R"({"n":)" + std::to_string(i) + "}",
                                      .created_at = 100 + i}));
  }
  SMARTOCR_ASSERT_OK(repo_->ReplaceFields(
      "t1", job.id, {},
      AuditEntry{.actor = "key_1", .action = "fields.patch", .reason = "r", .created_at = 200}));
  SMARTOCR_ASSERT_OK(repo_->AppendAudit(
      AuditEntry{.tenant_id = "t2", .actor = "admin", .action = "key.create", .created_at = 300}));
  auto report = repo_->VerifyAuditChain("t1");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->intact()) << report->problem;
  EXPECT_EQ(report->rows, 5);
  EXPECT_EQ(report->unchained, 0);
  EXPECT_EQ(report->head.size(), 64u);
  EXPECT_EQ(repo_->VerifyAuditChain("t2")->rows, 1);  // one chain per tenant
  EXPECT_EQ(repo_->VerifyAuditChain("nobody")->rows, 0);
  const std::vector<std::vector<std::string>> ids =
      Sql("SELECT id FROM audit_log WHERE tenant_id = 't1' ORDER BY id");
  ASSERT_EQ(ids.size(), 5u);

  // An edit in place: the edited row fails.
  SqlWrite("UPDATE audit_log SET after_json = '{\"n\":9}' WHERE id = " + ids[1][0]);
  report = repo_->VerifyAuditChain("t1");
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->intact());
  EXPECT_EQ(std::to_string(report->broken_at), ids[1][0]);
  EXPECT_NE(report->problem.find("edited"), std::string::npos) << report->problem;
  EXPECT_EQ(report->rows, 1);

  // A deletion (the edited row gone): the row after it no longer links.
  SqlWrite("DELETE FROM audit_log WHERE id = " + ids[1][0]);
  report = repo_->VerifyAuditChain("t1");
  EXPECT_EQ(std::to_string(report->broken_at), ids[2][0]);
  EXPECT_NE(report->problem.find("deleted"), std::string::npos) << report->problem;

  // A row inserted around the store after the chain began is no part of it.
  SqlWrite("DELETE FROM audit_log WHERE tenant_id = 't1'");
  SMARTOCR_ASSERT_OK(repo_->AppendAudit(
      AuditEntry{.tenant_id = "t1", .actor = "a", .action = "b", .created_at = 1}));
  SqlWrite(
      "INSERT INTO audit_log (tenant_id, job_id, actor, action, created_at)"
      " VALUES ('t1', '', 'x', 'forged', 2)");
  report = repo_->VerifyAuditChain("t1");
  EXPECT_FALSE(report->intact());
  EXPECT_NE(report->problem.find("without a hash"), std::string::npos) << report->problem;
}

// Rows from before the chain (schema v9) are counted apart, and the chain starts after.
TEST_P(ResultsTest, AuditRowsFromBeforeTheChainAreNotCovered) {
  SqlWrite(
      "INSERT INTO audit_log (tenant_id, job_id, actor, action, created_at)"
      " VALUES ('t1', '', 'old', 'key.create', 1)");
  SMARTOCR_ASSERT_OK(repo_->AppendAudit(
      AuditEntry{.tenant_id = "t1", .actor = "a", .action = "b", .created_at = 2}));
  auto report = repo_->VerifyAuditChain("t1");
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact()) << report->problem;
  EXPECT_EQ(report->unchained, 1);
  EXPECT_EQ(report->rows, 1);
}

// Reviewer edits: the fields are replaced and the audit row written together, and only
// within the job's tenant.
TEST_P(ResultsTest, ReplaceFieldsWritesFieldsAndAuditTogether) {
  Job job = AddJob(1);
  FieldRecord total{.name = "total", .value = "12.50", .normalized = "12.50"};
  FieldRecord date{.name = "date", .value = "3/4/24", .normalized = "2024-03-04"};
  AuditEntry audit{.actor = "key_1", .action = "fields.patch", .reason = "r", .created_at = 5};
  SMARTOCR_ASSERT_OK(repo_->ReplaceFields("t1", job.id, {total, date}, audit));
  auto fields = repo_->GetFields("t1", job.id);
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  ASSERT_EQ(fields->size(), 2u);
  EXPECT_EQ((*fields)[1].normalized, "2024-03-04");
  SMARTOCR_ASSERT_OK(repo_->ReplaceFields("t1", job.id, {date}, audit));
  EXPECT_EQ(repo_->GetFields("t1", job.id)->size(), 1u);
  auto entries = repo_->ListAudit("t1", job.id, 0);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ(entries->front().actor, "key_1");
  EXPECT_EQ(repo_->ReplaceFields("t2", job.id, {}, audit).code(), core::StatusCode::kNotFound);
  EXPECT_EQ(repo_->GetFields("t1", job.id)->size(), 1u);
  EXPECT_TRUE(repo_->ListAudit("t2", "", 0)->empty());
}

TEST_P(ResultsTest, WebhookDeliveriesListInOrderPerTenant) {
  Job job = AddJob(1);
  SMARTOCR_ASSERT_OK(repo_->RecordWebhookDelivery(
      WebhookDelivery{0, "t1", job.id, "job.succeeded", "https://h", 1, 0, "connect timeout", 10}));
  SMARTOCR_ASSERT_OK(repo_->RecordWebhookDelivery(
      WebhookDelivery{0, "t1", job.id, "job.succeeded", "https://h", 2, 200, "", 20}));
  core::Result<std::vector<WebhookDelivery>> list = repo_->ListWebhookDeliveries("t1", job.id);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].attempt, 1);
  EXPECT_EQ((*list)[0].error, "connect timeout");
  EXPECT_EQ((*list)[1].http_status, 200);
  EXPECT_EQ((*list)[1].created_at, 20);
  EXPECT_TRUE(repo_->ListWebhookDeliveries("t2", job.id)->empty());
}

TEST_P(ResultsTest, PageCacheGetsAndOverwrites) {
  const CacheScope scope{"t1", AddJob(1).id};
  core::Result<std::optional<std::string>> miss = repo_->GetCachedPage(scope, "sha:abc|v1|o1");
  ASSERT_TRUE(miss.ok()) << miss.status().ToString();
  EXPECT_FALSE(miss->has_value());
  SMARTOCR_ASSERT_OK(repo_->PutCachedPage(scope, "sha:abc|v1|o1", R"({"text":"a"})", 10));
  EXPECT_EQ(repo_->GetCachedPage(scope, "sha:abc|v1|o1")->value(), R"({"text":"a"})");
  SMARTOCR_ASSERT_OK(repo_->PutCachedPage(scope, "sha:abc|v1|o1", R"({"text":"b"})", 20));
  EXPECT_EQ(repo_->GetCachedPage(scope, "sha:abc|v1|o1")->value(), R"({"text":"b"})");
  EXPECT_EQ(Sql("SELECT created_at FROM page_cache"),
            (std::vector<std::vector<std::string>>{{"20"}}));
}

// A row is seen only by its own job: not by the tenant's other jobs, and never by
// another tenant, even one that names the job or has the same page.
TEST_P(ResultsTest, PageCacheIsScopedToOneJobOfOneTenant) {
  const std::string a = AddJob(1).id;
  const std::string b = AddJob(2).id;
  const std::string c = AddJob(3, "t2").id;
  SMARTOCR_ASSERT_OK(repo_->PutCachedPage({"t1", a}, "page/v1/k", "A", 10));
  EXPECT_EQ(repo_->GetCachedPage({"t1", a}, "page/v1/k")->value(), "A");
  EXPECT_FALSE(repo_->GetCachedPage({"t1", b}, "page/v1/k")->has_value());
  EXPECT_FALSE(repo_->GetCachedPage({"t2", a}, "page/v1/k")->has_value());
  EXPECT_FALSE(repo_->GetCachedPage({"t2", c}, "page/v1/k")->has_value());

  // Writing under another tenant's job, or a job that does not exist, writes nothing.
  core::Status st = repo_->PutCachedPage({"t2", a}, "page/v1/k", "stolen", 11);
  EXPECT_EQ(st.code(), core::StatusCode::kNotFound) << st.ToString();
  EXPECT_EQ(st.reason(), "job");
  EXPECT_EQ(repo_->PutCachedPage({"t1", "job_nope"}, "page/v1/k", "x", 11).code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(repo_->GetCachedPage({"t1", a}, "page/v1/k")->value(), "A");

  // The same key for another tenant's job is a row of its own.
  SMARTOCR_ASSERT_OK(repo_->PutCachedPage({"t2", c}, "page/v1/k", "C", 12));
  EXPECT_EQ(repo_->GetCachedPage({"t2", c}, "page/v1/k")->value(), "C");
  EXPECT_EQ(repo_->GetCachedPage({"t1", a}, "page/v1/k")->value(), "A");
  EXPECT_EQ(Sql("SELECT tenant_id, job_id, page_json FROM page_cache ORDER BY created_at"),
            (std::vector<std::vector<std::string>>{{"t1", a, "A"}, {"t2", c, "C"}}));
}

// DELETE and retention: a job's rows go with it (and a late write for it fails), and
// the tenant's rows older than a cutoff expire, whatever their job.
TEST_P(ResultsTest, PageCacheRowsGoWithTheirJobAndExpireByAge) {
  const std::string a = AddJob(1).id;
  const std::string b = AddJob(2).id;
  const std::string c = AddJob(3, "t2").id;
  SMARTOCR_ASSERT_OK(repo_->PutCachedPage({"t1", a}, "k1", "a1", 10));
  SMARTOCR_ASSERT_OK(repo_->PutCachedPage({"t1", a}, "k2", "a2", 30));
  SMARTOCR_ASSERT_OK(repo_->PutCachedPage({"t1", b}, "k1", "b1", 10));
  SMARTOCR_ASSERT_OK(repo_->PutCachedPage({"t1", b}, "k2", "b2", 30));
  SMARTOCR_ASSERT_OK(repo_->PutCachedPage({"t2", c}, "k1", "c1", 10));

  SMARTOCR_ASSERT_OK(repo_->DeleteJob("t1", a));
  EXPECT_FALSE(repo_->GetCachedPage({"t1", a}, "k2")->has_value());
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM page_cache WHERE job_id = '" + a + "'"),
            (std::vector<std::vector<std::string>>{{"0"}}));
  EXPECT_EQ(repo_->PutCachedPage({"t1", a}, "k3", "late", 40).code(), core::StatusCode::kNotFound);

  core::Result<int64_t> expired = repo_->ExpireCachedPages("t1", 20);
  ASSERT_TRUE(expired.ok()) << expired.status().ToString();
  EXPECT_EQ(*expired, 1);
  EXPECT_FALSE(repo_->GetCachedPage({"t1", b}, "k1")->has_value());
  EXPECT_EQ(repo_->GetCachedPage({"t1", b}, "k2")->value(), "b2");
  EXPECT_EQ(repo_->GetCachedPage({"t2", c}, "k1")->value(), "c1");  // another tenant's
  EXPECT_EQ(*repo_->ExpireCachedPages("t2", 10), 0);                // strictly before
  EXPECT_EQ(*repo_->ExpireCachedPages("t2", 11), 1);
  EXPECT_EQ(Sql("SELECT job_id FROM page_cache"), (std::vector<std::vector<std::string>>{{b}}));
}

TEST_P(ResultsTest, ValuesAreBoundNotSpliced) {
  // Quotes and SQL in values are data.
  const std::string nasty = "x'); DROP TABLE jobs; --";
  core::Result<Job> job =
      repo_->CreateJob("t1", JobSpec{.external_id = nasty, .doc_type = nasty}, 1, nullptr);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(repo_->GetJob("t1", job->id)->spec.external_id, nasty);
  EXPECT_EQ(repo_->ListJobs("t1", {.doc_type = nasty})->jobs.size(), 1u);
}

SMARTOCR_INSTANTIATE_BACKENDS(ResultsTest);

TEST(ParseBlocksTest, ReadsRenderedBlocks) {
  core::Result<std::vector<internal::BlockRow>> rows = internal::ParseBlocks(
      R"([{"type":"table","bbox":[0,0.5,1,1],"confidence":0.5,"reading_order":3,"lines":[]},)"
      R"({"text":"direct"}])");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].type, "table");
  EXPECT_EQ((*rows)[0].reading_order, 3);
  EXPECT_EQ((*rows)[0].bbox_json, "[0,0.5,1,1]");
  EXPECT_DOUBLE_EQ((*rows)[0].confidence, 0.5);
  EXPECT_EQ((*rows)[1].text, "direct");
  EXPECT_EQ((*rows)[1].reading_order, 1);  // defaults to its index
  for (const char* bad : {"", "{}", "[1]", "[{]"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(internal::ParseBlocks(bad).status().reason(), "blocks_json");
  }
}

TEST(CursorTest, RoundTripsAndRejectsGarbage) {
  std::string cursor = internal::EncodeCursor({1700000000123, "job_ab:cd"});
  std::optional<internal::CursorPos> pos = internal::DecodeCursor(cursor);
  ASSERT_TRUE(pos.has_value());
  EXPECT_EQ(pos->created_at, 1700000000123);
  EXPECT_EQ(pos->id, "job_ab:cd");
  for (const char* bad : {"", "abc", "zz", "3132", "3a6a6f62"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(internal::DecodeCursor(bad).has_value());
  }
}

}  // namespace
}  // namespace smartocr::store
