#include "jobs/job_processor.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace smartocr::jobs::internal {
namespace {

TEST(PageRecordsFromResultTest, OneRecordPerPageWithItsBlocks) {
  const std::string json = R"({
    "schema_version": "1", "input": "x", "page_count": 2,
    "pages": [
      {"number": 1, "width": 100, "height": 200, "source": "ocr", "text": "a b",
       "confidence": 0.5, "blocks": [{"type": "text", "lines": []}]},
      {"number": 2, "width": 10, "height": 20, "source": "pdf-text", "text": "",
       "confidence": 0, "blocks": []}
    ]})";
  auto pages = PageRecordsFromResult(json);
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  ASSERT_EQ(pages->size(), 2u);
  EXPECT_EQ((*pages)[0].page_number, 1);
  EXPECT_EQ((*pages)[0].width, 100);
  EXPECT_EQ((*pages)[0].height, 200);
  EXPECT_EQ((*pages)[0].source, "ocr");
  EXPECT_EQ((*pages)[0].text, "a b");
  EXPECT_DOUBLE_EQ((*pages)[0].confidence, 0.5);
  EXPECT_EQ(nlohmann::json::parse((*pages)[0].blocks_json),
            nlohmann::json::parse(R"([{"type": "text", "lines": []}])"));
  EXPECT_EQ((*pages)[1].source, "pdf-text");
  EXPECT_EQ((*pages)[1].blocks_json, "[]");
}

TEST(PageRecordsFromResultTest, MalformedJsonIsInternal) {
  for (const char* bad : {"", "{", "[]", R"({"pages": 3})", R"({"pages": [1]})"}) {
    SCOPED_TRACE(bad);
    auto pages = PageRecordsFromResult(bad);
    ASSERT_FALSE(pages.ok());
    EXPECT_EQ(pages.status().code(), core::StatusCode::kInternal);
  }
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

}  // namespace
}  // namespace smartocr::jobs::internal
