// Review state per job (docs/review.md) on both backends: opened with the completion,
// claims that fence other reviewers until they expire, decisions with their history,
// the queue's filters, counts and pages.
#include <gtest/gtest.h>

#include "repo_fixture.h"

namespace smartocr::store {
namespace {

using core::StatusCode;

class ReviewsTest : public RepoTest {
 protected:
  // A job of `tenant` completed at `now`, needing review when `reasons` is not empty.
  Job Completed(int64_t now, std::vector<std::string> reasons, const std::string& tenant = "t1",
                double min_confidence = 0.5, const std::string& doc_type = "receipt") {
    Job job = AddJob(now, tenant);
    auto claimed = repo_->ClaimJob("w", now, 100'000);
    EXPECT_TRUE(claimed.ok() && claimed->has_value());
    const ReviewOpen review{
        .reasons = std::move(reasons), .min_confidence = min_confidence, .doc_type = doc_type};
    EXPECT_TRUE(repo_
                    ->CompleteJob(job.id, "w", {}, {FieldRecord{.name = "total", .value = "1"}},
                                  "blob://r", now, review)
                    .ok());
    return job;
  }
  static ReviewEntry Entry(const std::string& actor, const std::string& action, int64_t at) {
    return ReviewEntry{.actor = actor, .action = action, .reason = "checked", .created_at = at};
  }
};

TEST_P(ReviewsTest, OpenedWithTheCompletionOnlyWhenNeeded) {
  Job quiet = Completed(10, {});
  Job flagged = Completed(20, {"low_confidence:total", "sampled"});
  EXPECT_FALSE(repo_->GetReview("t1", quiet.id)->has_value());
  auto review = repo_->GetReview("t1", flagged.id);
  ASSERT_TRUE(review.ok() && review->has_value()) << review.status().ToString();
  EXPECT_EQ((*review)->status, "to_review");
  EXPECT_EQ((*review)->reasons, (std::vector<std::string>{"low_confidence:total", "sampled"}));
  EXPECT_EQ((*review)->completed_at, 20);
  EXPECT_EQ((*review)->doc_type, "receipt");
  EXPECT_DOUBLE_EQ((*review)->min_confidence, 0.5);
  EXPECT_EQ(repo_->GetReview("t2", flagged.id).status().code(), StatusCode::kNotFound);
}

TEST_P(ReviewsTest, ManyJobsReviewsInOneLookup) {
  Job quiet = Completed(10, {});
  Job flagged = Completed(20, {"low_confidence:total"});
  Job other = Completed(30, {"sampled"}, "t2");
  auto reviews = repo_->GetReviews("t1", {quiet.id, flagged.id, other.id, "job_missing"});
  ASSERT_TRUE(reviews.ok()) << reviews.status().ToString();
  ASSERT_EQ(reviews->size(), 1u);  // the quiet job needs none; t2's is not t1's
  EXPECT_EQ(reviews->at(flagged.id).status, "to_review");
  EXPECT_TRUE(repo_->GetReviews("t1", {})->empty());
  EXPECT_EQ(repo_->GetReviews("t2", {other.id})->size(), 1u);
  EXPECT_EQ(repo_->GetReviews("t1", std::vector<std::string>(1001, quiet.id)).status().reason(),
            "too_many_ids");
}

TEST_P(ReviewsTest, ClaimsFenceOtherReviewersUntilTheyExpire) {
  Job job = Completed(10, {"low_confidence:total"});
  auto a = repo_->ClaimReview("t1", job.id, "key_a", 100, 1000);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->StatusAt(100), "in_review");
  EXPECT_EQ(repo_->ClaimReview("t1", job.id, "key_b", 500, 1000).status().reason(),
            "review_claimed");
  // The holder renews; another key decides nothing while the claim holds.
  EXPECT_EQ(repo_->ClaimReview("t1", job.id, "key_a", 900, 1000)->claim_expires_at, 1900);
  EXPECT_EQ(
      repo_->DecideReview("t1", job.id, true, Entry("key_b", "review.approve", 1000), "", 1000)
          .status()
          .reason(),
      "review_claimed");
  // Releasing someone else's claim does nothing; past its expiry anyone may claim.
  SMARTOCR_ASSERT_OK(repo_->ReleaseReview("t1", job.id, "key_b"));
  EXPECT_EQ((*repo_->GetReview("t1", job.id))->claimed_by, "key_a");
  auto b = repo_->ClaimReview("t1", job.id, "key_b", 2000, 1000);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->claimed_by, "key_b");
  SMARTOCR_ASSERT_OK(repo_->ReleaseReview("t1", job.id, "key_b"));
  EXPECT_EQ((*repo_->GetReview("t1", job.id))->StatusAt(2001), "to_review");
  EXPECT_EQ(repo_->ClaimReview("t2", job.id, "key_a", 100, 1000).status().code(),
            StatusCode::kNotFound);
  Job quiet = Completed(20, {});
  EXPECT_EQ(repo_->ClaimReview("t1", quiet.id, "key_a", 100, 1000).status().reason(),
            "review_not_open");
}

TEST_P(ReviewsTest, DecisionsAreFinalAndKeptInTheHistory) {
  Job job = Completed(10, {"validator_failed:date"});
  ASSERT_TRUE(repo_->ClaimReview("t1", job.id, "key_a", 100, 1000).ok());
  auto approved =
      repo_->DecideReview("t1", job.id, true, Entry("key_a", "review.approve", 200), "", 200);
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->status, "approved");
  EXPECT_EQ(approved->decided_by, "key_a");
  EXPECT_EQ(approved->claimed_by, "");  // the decision ends the claim
  EXPECT_EQ(repo_
                ->DecideReview("t1", job.id, false, Entry("key_a", "review.reject", 300),
                               "illegible", 300)
                .status()
                .reason(),
            "review_decided");
  EXPECT_EQ(repo_->ClaimReview("t1", job.id, "key_a", 300, 1000).status().reason(),
            "review_decided");
  // A field edit goes to the history in the same transaction as the fields.
  SMARTOCR_ASSERT_OK(repo_->ReplaceFields("t1", job.id,
                                          {FieldRecord{.name = "total", .value = "2"}},
                                          AuditEntry{.tenant_id = "t1",
                                                     .job_id = job.id,
                                                     .actor = "key_a",
                                                     .action = "fields.patch",
                                                     .before_json = R"({"total":"1"})",
                                                     .after_json = R"({"total":"2"})",
                                                     .created_at = 400}));
  auto history = repo_->ListReviewEntries("t1", job.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].action, "review.approve");
  EXPECT_EQ((*history)[1].action, "fields.patch");
  EXPECT_EQ((*history)[1].after_json, R"({"total":"2"})");
  EXPECT_EQ(repo_->ListTenantReviewEntries("t1", 300)->size(), 1u);
  EXPECT_EQ(repo_->ListReviewEntries("t2", job.id).status().code(), StatusCode::kNotFound);
}

TEST_P(ReviewsTest, QueueFiltersCountsAndPages) {
  Job a = Completed(10, {"low_confidence:total"}, "t1", 0.2);
  Job b = Completed(20, {"sampled"}, "t1", 0.9, "invoice");
  Job c = Completed(30, {"low_confidence:date"}, "t1", 0.6);
  Completed(40, {"sampled"}, "t2");  // another tenant's: never counted here
  ASSERT_TRUE(repo_->ClaimReview("t1", c.id, "key_a", 100, 1000).ok());
  ASSERT_TRUE(
      repo_->DecideReview("t1", b.id, false, Entry("key_a", "review.reject", 100), "other", 100)
          .ok());
  auto page = repo_->ListReviews("t1", {}, 500);
  ASSERT_TRUE(page.ok()) << page.status().ToString();

  ASSERT_EQ(page->items.size(), 2u);  // open ones: to_review and in_review
  EXPECT_EQ(page->items[0].job_id, a.id);
  EXPECT_EQ(page->items[1].job_id, c.id);
  EXPECT_EQ(page->counts["to_review"], 1);
  EXPECT_EQ(page->counts["in_review"], 1);
  EXPECT_EQ(page->counts["rejected"], 1);
  EXPECT_EQ(page->counts["approved"], 0);
  EXPECT_EQ(*repo_->CountOpenReviews(), 3);  // both tenants' open ones
  EXPECT_EQ(repo_->ListReviews("t1", {.statuses = {"in_review"}}, 500)->items.size(), 1u);
  // The claim expired: back in to_review.
  EXPECT_EQ(repo_->ListReviews("t1", {.statuses = {"to_review"}}, 5000)->items.size(), 2u);
  EXPECT_EQ(repo_->ListReviews("t1", {.statuses = {"rejected"}, .doc_type = "invoice"}, 500)
                ->items.size(),
            1u);
  EXPECT_EQ(repo_->ListReviews("t1", {.max_confidence = 0.5}, 500)->items.size(), 1u);
  EXPECT_EQ(repo_->ListReviews("t1", {.min_confidence = 0.5}, 500)->items.size(), 1u);
  EXPECT_EQ(repo_->ListReviews("t1", {.older_than = 25}, 500)->items.size(), 1u);
  // Pages of one, oldest first, with a cursor.
  auto first = repo_->ListReviews("t1", {.limit = 1}, 500);
  ASSERT_EQ(first->items.size(), 1u);
  ASSERT_FALSE(first->next_cursor.empty());
  auto second = repo_->ListReviews("t1", {.limit = 1, .cursor = first->next_cursor}, 500);
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].job_id, c.id);
  EXPECT_TRUE(second->next_cursor.empty());
  EXPECT_FALSE(repo_->ListReviews("t1", {.cursor = "garbage"}, 500).ok());
}

TEST_P(ReviewsTest, ARerunReplacesTheReview) {
  Job job = Completed(10, {"low_confidence:total"});
  ASSERT_TRUE(
      repo_->DecideReview("t1", job.id, true, Entry("key_a", "review.approve", 20), "", 20).ok());
  SMARTOCR_ASSERT_OK(repo_->RequeueJob("t1", job.id, 30, {}));
  ASSERT_TRUE(repo_->ClaimJob("w", 40, 1000)->has_value());
  SMARTOCR_ASSERT_OK(
      repo_->CompleteJob(job.id, "w", {}, {}, "blob://r2", 50, ReviewOpen{.reasons = {"sampled"}}));
  auto review = repo_->GetReview("t1", job.id);
  ASSERT_TRUE(review.ok() && review->has_value());
  EXPECT_EQ((*review)->status, "to_review");
  EXPECT_EQ((*review)->completed_at, 50);
  SMARTOCR_ASSERT_OK(repo_->RequeueJob("t1", job.id, 60, {}));
  ASSERT_TRUE(repo_->ClaimJob("w", 70, 1000)->has_value());
  SMARTOCR_ASSERT_OK(repo_->CompleteJob(job.id, "w", {}, {}, "blob://r3", 80, {}));
  EXPECT_FALSE(repo_->GetReview("t1", job.id)->has_value());
}

SMARTOCR_INSTANTIATE_BACKENDS(ReviewsTest);

}  // namespace
}  // namespace smartocr::store
