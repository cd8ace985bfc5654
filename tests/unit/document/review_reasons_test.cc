// Which documents need a person (docs/review.md): the queue's rules.
#include <gtest/gtest.h>

#include <string>

#include "document/document.h"

namespace smartocr::document {
namespace {

core::Field F(std::string name, std::string value, double confidence,
              std::string validator = "unchecked", std::string detail = "") {
  core::Field f;
  f.name = std::move(name);
  f.value = std::move(value);
  f.confidence = confidence;
  f.validator_status = std::move(validator);
  f.validator_detail = std::move(detail);
  return f;
}

TEST(ReviewReasons, EachFieldGivesItsStrongestReason) {
  core::DocumentResult doc;
  doc.fields = {F("total", "", 0, "invalid", "required"), F("date", "31/02/2024", 0.99, "invalid"),
                F("id", "L898902C3", 0.99, "checks_pass_unconfirmed"), F("company", "ACME", 0.5),
                F("address", "1 Road", 0.95)};
  DocumentOptions options;
  options.review_threshold = 0.9;
  EXPECT_EQ(ReviewReasons(doc, options, "job_1"),
            (std::vector<std::string>{"missing_required:total", "validator_failed:date",
                                      "validator_failed:id", "low_confidence:company"}));
  // No threshold: confidence alone sends nothing to review; validators still do.
  options.review_threshold = 0;
  EXPECT_EQ(ReviewReasons(doc, options, "job_1").size(), 3u);
}

TEST(ReviewReasons, AnEInvoiceThePageContradictsIsItsOwnReason) {
  core::DocumentResult doc;
  doc.fields = {F("total", "119.00", 0, "invalid", "the page shows 191.00"),
                F("invoice_number", "R-1", 1, "valid", "the page shows the same")};
  EXPECT_EQ(ReviewReasons(doc, {}, "job_1"), std::vector<std::string>{"einvoice_mismatch:total"});
}

TEST(ReviewReasons, NothingToCheckMeansNoReviewUnlessSampled) {
  core::DocumentResult doc;
  doc.fields = {F("total", "9.00", 0.97, "valid")};
  DocumentOptions options;
  options.review_threshold = 0.9;
  EXPECT_TRUE(ReviewReasons(doc, options, "job_1").empty());
  options.review_sample_percent = 100;
  EXPECT_EQ(ReviewReasons(doc, options, "job_1"), std::vector<std::string>{"sampled"});
  // A share: about that many of many jobs, and the same job always the same way.
  options.review_sample_percent = 10;
  int sampled = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::string id = "job_" + std::to_string(i);
    const bool in = !ReviewReasons(doc, options, id).empty();
    EXPECT_EQ(in, !ReviewReasons(doc, options, id).empty());
    sampled += in;
  }
  EXPECT_GT(sampled, 300);
  EXPECT_LT(sampled, 500);
  // A document that needs review anyway is not counted as sampled.
  doc.fields.push_back(F("date", "", 0.2));
  options.review_sample_percent = 100;
  EXPECT_EQ(ReviewReasons(doc, options, "job_1"), std::vector<std::string>{"low_confidence:date"});
}

TEST(ReviewReasons, SamplePercentRoundTripsInTheJobOptions) {
  auto options = DocumentOptionsFromJson({{"review_sample_percent", 12.5}});
  ASSERT_TRUE(options.ok());
  EXPECT_DOUBLE_EQ(options->review_sample_percent, 12.5);
  EXPECT_DOUBLE_EQ(DocumentOptionsToJson(*options)["review_sample_percent"].get<double>(), 12.5);
  EXPECT_FALSE(DocumentOptionsFromJson({{"review_sample_percent", 101}}).ok());
  EXPECT_FALSE(DocumentOptionsFromJson({{"review_sample_percent", "5"}}).ok());
}

}  // namespace
}  // namespace smartocr::document
