#include "jobs/job_processor.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fake_repository.h"
#include "jobs/repository_page_cache.h"

namespace smartocr::jobs::internal {
namespace {

// Rows come from the document, with text and numbers as the result JSON has them.
TEST(RecordsForTest, OneRowPerPageAndField) {
  core::DocumentResult doc;
  core::PageResult p1;
  p1.number = 1;
  p1.width = 100;
  p1.height = 200;
  p1.text = "a b";
  p1.confidence = 0.123456;
  core::Block block;
  core::Line line;
  line.words.push_back({"a", {10, 20, 30, 40}, 0.5});
  block.lines.push_back(line);
  p1.blocks.push_back(block);
  core::PageResult p2;
  p2.number = 2;
  p2.width = 10;
  p2.height = 20;
  p2.source = core::PageSource::kPdfText;
  doc.pages = {p1, p2};
  auto pages = PageRecordsFor(doc);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].page_number, 1);
  EXPECT_EQ(pages[0].width, 100);
  EXPECT_EQ(pages[0].height, 200);
  EXPECT_EQ(pages[0].source, "ocr");
  EXPECT_EQ(pages[0].text, "a b");
  EXPECT_DOUBLE_EQ(pages[0].confidence, 0.1235);  // rounded as in the result JSON
  const nlohmann::json blocks = nlohmann::json::parse(pages[0].blocks_json);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0]["lines"][0]["words"][0]["bbox"], nlohmann::json::array({0.1, 0.1, 0.3, 0.2}));
  EXPECT_EQ(pages[1].source, "pdf-text");
  EXPECT_EQ(pages[1].blocks_json, "[]");

  // No fields unless extraction ran.
  core::Field total;
  total.name = "total";
  total.value = "7.50";
  total.normalized = "7.50";
  total.confidence = 0.987654;
  total.validator_status = "valid";
  total.page = 1;
  total.bbox = {10, 20, 30, 40};
  total.engine_version = "tesseract 5";
  doc.fields = {total};
  EXPECT_TRUE(FieldRecordsFor(doc).empty());
  doc.extracted = true;
  auto fields = FieldRecordsFor(doc);
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].name, "total");
  EXPECT_EQ(fields[0].normalized, "7.50");
  EXPECT_DOUBLE_EQ(fields[0].confidence, 0.9877);
  EXPECT_EQ(fields[0].page, 1);
  EXPECT_EQ(nlohmann::json::parse(fields[0].bbox_json),
            nlohmann::json::array({0.1, 0.1, 0.3, 0.2}));
  EXPECT_EQ(fields[0].source_model, "rules");
  EXPECT_EQ(fields[0].version, "tesseract 5");

  // Line items follow as one row per cell, on their row's page and box.
  doc.line_items.push_back({"Bagel", "2", "2.00", "4.00", 1, {10, 20, 30, 40}});
  fields = FieldRecordsFor(doc);
  ASSERT_EQ(fields.size(), 5u);
  EXPECT_EQ(fields[1].name, "line_items[1].description");
  EXPECT_EQ(fields[4].name, "line_items[1].amount");
  EXPECT_EQ(fields[4].value, "4.00");
  EXPECT_EQ(fields[4].page, 1);
  EXPECT_EQ(nlohmann::json::parse(fields[4].bbox_json),
            nlohmann::json::array({0.1, 0.1, 0.3, 0.2}));
}

TEST(DocumentCacheKeyTest, ChangesWithEveryPart) {
  const std::string base = DocumentCacheKey("abc", "tesseract 5", "dpi=300", "{}");
  EXPECT_EQ(base.rfind("doc/v1/abc/tesseract 5/", 0), 0u);
  EXPECT_EQ(base, DocumentCacheKey("abc", "tesseract 5", "dpi=300", "{}"));
  EXPECT_NE(base, DocumentCacheKey("abd", "tesseract 5", "dpi=300", "{}"));
  EXPECT_NE(base, DocumentCacheKey("abc", "tesseract 6", "dpi=300", "{}"));
  EXPECT_NE(base, DocumentCacheKey("abc", "tesseract 5", "dpi=200", "{}"));
  EXPECT_NE(base, DocumentCacheKey("abc", "tesseract 5", "dpi=300", R"({"pages":"1"})"));
}

TEST(ResultKeyTest, PerTenantAndJob) {
  store::Job job;
  job.id = "j1";
  job.tenant_id = "acme";
  EXPECT_EQ(ResultKey(job), "results/acme/j1.json");
}

// A job's page cache reads and writes that job's rows only, and counts its lookups.
TEST(RepositoryPageCacheTest, ReadsAndWritesOnlyItsJobsRows) {
  testing::FakeRepository repo;
  FakeClock clock;
  const std::string a = repo.CreateJob("t1", {}, 1, nullptr)->id;
  const std::string b = repo.CreateJob("t1", {}, 1, nullptr)->id;
  RepositoryPageCache first(repo, clock, {"t1", a});
  RepositoryPageCache second(repo, clock, {"t1", b});
  RepositoryPageCache intruder(repo, clock, {"t2", a});  // names a job of t1
  EXPECT_FALSE(first.Get("page/v1/k").has_value());
  first.Put("page/v1/k", "read by a");
  EXPECT_EQ(first.Get("page/v1/k"), "read by a");
  EXPECT_FALSE(second.Get("page/v1/k").has_value());
  EXPECT_FALSE(intruder.Get("page/v1/k").has_value());
  intruder.Put("page/v1/k", "planted");  // refused by the store, best effort
  EXPECT_EQ(first.Get("page/v1/k"), "read by a");
  EXPECT_EQ(repo.cache_entries(), 1);
  EXPECT_EQ(first.hits(), 2);
  EXPECT_EQ(first.misses(), 1);
  EXPECT_EQ(second.hits(), 0);
  EXPECT_EQ(intruder.hits(), 0);
}

}  // namespace
}  // namespace smartocr::jobs::internal
