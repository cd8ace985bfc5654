// The review workflow against the real server (docs/review.md): jobs that need a
// person open a review when they succeed; claims fence other reviewers; edits and
// decisions land in the history; decisions send webhooks; the queue, stats and
// exports report them; another tenant sees none of it. And /review/ serves the UI.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "api_harness.h"
#include "cli_runner.h"
#include "fixtures.h"
#include "http_receiver.h"

namespace smartocr::testing {
namespace {

httplib::Result PostJson(httplib::Client& c, const std::string& path, const std::string& key,
                         const nlohmann::json& body) {
  return c.Post(path.c_str(), Bearer(key), body.dump(), "application/json");
}

class ApiReview : public ::testing::Test {
 protected:
  void SetUp() override {
    auto receiver = HttpReceiver::Start({});
    ASSERT_TRUE(receiver.ok()) << receiver.status().ToString();
    receiver_ = std::move(*receiver);
    admin_ = CreateKey(env_, "acme", "admin");
    reviewer_a_ = CreateKey(env_, "acme", "reviewer");
    reviewer_b_ = CreateKey(env_, "acme", "reviewer");
    viewer_ = CreateKey(env_, "acme", "viewer");
    service_ = CreateKey(env_, "acme", "service");
    other_ = CreateKey(env_, "other", "admin");
    server_ = ApiProcess::Start(
        env_, {"--workers", "1", "--rate-per-s", "0", "--tenant-rate-per-s", "0", "--webhook-allow",
               "127.0.0.1", "--ui-dir", env_.dir() + "/no-ui"});
    ASSERT_NE(server_, nullptr);
    c_ = server_->Client();
    // Every receipt field is below 0.99: each document needs a person.
    auto r = c_->Put("/admin/tenant/settings", Bearer(admin_),
                     R"({"review_threshold": 0.99, "reject_reasons": ["illegible", "duplicate"]})",
                     "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
  }

  // A receipt job with a webhook to the receiver, run to success; its id.
  std::string SucceededReceipt() {
    auto r = PostFile(*c_, "/ocr/jobs", service_, ReceiptPng(),
                      {{"doc_type", "receipt"}, {"webhook_url", receiver_->Url("/hook")}});
    EXPECT_TRUE(r && r->status == 202) << (r ? r->body : "no answer");
    if (!r || r->status != 202) return "";
    const std::string id = Body(r)["id"];
    EXPECT_EQ(WaitForJob(*c_, service_, id)["status"], "succeeded");
    return id;
  }

  // The review events the receiver got, by type.
  std::map<std::string, int> ReviewEvents() {
    std::map<std::string, int> out;
    for (const ReceivedRequest& req : receiver_->Requests()) {
      auto j = nlohmann::json::parse(req.body, nullptr, false);
      if (j.is_object() && j.value("type", "").rfind("job.review.", 0) == 0) ++out[j["type"]];
    }
    return out;
  }

  JobsEnv env_;
  std::unique_ptr<HttpReceiver> receiver_;
  std::string admin_, reviewer_a_, reviewer_b_, viewer_, service_, other_;
  std::unique_ptr<ApiProcess> server_;
  std::unique_ptr<httplib::Client> c_;
};

TEST_F(ApiReview, ClaimEditDecideAndReport) {
  const std::string first = SucceededReceipt();
  const std::string second = SucceededReceipt();
  ASSERT_FALSE(first.empty() || second.empty());

  // The job says why it needs review; the queue lists both, oldest first.
  nlohmann::json job = Body(c_->Get(("/ocr/jobs/" + first).c_str(), Bearer(viewer_)));
  ASSERT_EQ(job["review"]["status"], "to_review") << job.dump();
  ASSERT_FALSE(job["review"]["reasons"].empty());
  EXPECT_EQ(job["review"]["reasons"][0].get<std::string>().rfind("low_confidence:", 0), 0u);
  nlohmann::json queue = Body(c_->Get("/review/queue", Bearer(viewer_)));
  ASSERT_EQ(queue["items"].size(), 2u) << queue.dump();
  EXPECT_EQ(queue["items"][0]["job_id"], first);
  EXPECT_EQ(queue["counts"]["to_review"], 2);
  EXPECT_FALSE(queue["items"][0]["trace_id"].get<std::string>().empty());
  EXPECT_EQ(queue["reject_reasons"], nlohmann::json::array({"illegible", "duplicate"}));

  // A claims; B is fenced from claiming and editing; a viewer may do neither.
  const std::string base = "/ocr/jobs/" + first;
  auto r = PostJson(*c_, base + "/review/claim", reviewer_a_, nlohmann::json::object());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r)["review"]["status"], "in_review");
  r = PostJson(*c_, base + "/review/claim", reviewer_b_, nlohmann::json::object());
  EXPECT_EQ(r->status, 409);
  EXPECT_EQ(ErrorCode(r), "review_claimed");
  r = c_->Patch((base + "/fields").c_str(), Bearer(reviewer_b_), R"({"fields":{"total":"9.99"}})",
                "application/json");
  EXPECT_EQ(r->status, 409);
  EXPECT_EQ(ErrorCode(r), "review_claimed");
  EXPECT_EQ(PostJson(*c_, base + "/review/claim", viewer_, nlohmann::json::object())->status, 403);
  EXPECT_EQ(PostJson(*c_, base + "/review/approve", viewer_, nlohmann::json::object())->status,
            403);

  // A edits and approves; the history has both, the webhook says so.
  r = c_->Patch((base + "/fields").c_str(), Bearer(reviewer_a_),
                R"({"fields":{"total":"7.50","line_items[1].description":"Bagel"},)"
                R"("reason":"checked against the paper"})",
                "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  r = PostJson(*c_, base + "/review/approve", reviewer_a_, {{"comment", "ok"}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r)["review"]["status"], "approved");
  r = PostJson(*c_, base + "/review/reject", reviewer_a_, {{"reason_code", "duplicate"}});
  EXPECT_EQ(r->status, 409);
  EXPECT_EQ(ErrorCode(r), "review_decided");
  nlohmann::json now_fields = Body(c_->Get((base + "/fields").c_str(), Bearer(viewer_)));
  bool edited = false;
  for (const auto& f : now_fields["fields"])
    edited = edited || (f["name"] == "total" && f["value"] == "7.50");
  EXPECT_TRUE(edited) << now_fields.dump();
  nlohmann::json history = Body(c_->Get((base + "/reviews").c_str(), Bearer(viewer_)));
  ASSERT_EQ(history["reviews"].size(), 2u) << history.dump();
  EXPECT_EQ(history["reviews"][0]["action"], "fields.patch");
  EXPECT_EQ(history["reviews"][0]["after"]["total"]["value"], "7.50");
  EXPECT_EQ(history["reviews"][0]["reason"], "checked against the paper");
  EXPECT_EQ(history["reviews"][1]["action"], "review.approve");
  EXPECT_EQ(history["reviews"][1]["reason"], "ok");

  // B rejects the second: only with one of the tenant's reason codes.
  const std::string second_base = "/ocr/jobs/" + second;
  r = PostJson(*c_, second_base + "/review/reject", reviewer_b_, {{"reason_code", "other"}});
  EXPECT_EQ(r->status, 422) << r->body;
  EXPECT_NE(r->body.find("illegible, duplicate"), std::string::npos) << r->body;
  r = PostJson(*c_, second_base + "/review/reject", reviewer_b_,
               {{"reason_code", "illegible"}, {"comment", "smudged"}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r)["review"]["reason_code"], "illegible");
  ASSERT_TRUE(WaitUntil([&] { return ReviewEvents().size() == 2; }, 15000));
  EXPECT_EQ(ReviewEvents()["job.review.approved"], 1);
  EXPECT_EQ(ReviewEvents()["job.review.rejected"], 1);
  for (const ReceivedRequest& req : receiver_->Requests()) {
    EXPECT_FALSE(req.Header("smartocr-signature").empty());  // signed like every event
    EXPECT_EQ(req.body.find("7.50"), std::string::npos);     // decisions, never values
  }

  // Stats, exports and metrics.
  nlohmann::json stats = Body(c_->Get("/review/stats", Bearer(viewer_)));
  EXPECT_EQ(stats["queue"]["to_review"], 0) << stats.dump();
  EXPECT_EQ(stats["time_to_approve_s"]["count"], 1);
  EXPECT_EQ(stats["edits"]["by_field"]["total"], 1);
  EXPECT_EQ(stats["edits"]["by_field"]["line_items[].description"], 1);  // cells by column
  EXPECT_EQ(stats["rejections"]["illegible"], 1);
  r = c_->Get("/review/export?format=csv", Bearer(viewer_));
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type").rfind("text/csv", 0), 0u);
  EXPECT_NE(r->body.find(first + ",,receipt,approved,total,7.50,"), std::string::npos) << r->body;
  EXPECT_EQ(r->body.find(second), std::string::npos);  // rejected: not in the default export
  nlohmann::json exported = Body(c_->Get("/review/export?status=rejected", Bearer(viewer_)));
  ASSERT_EQ(exported["documents"].size(), 1u);
  EXPECT_EQ(exported["documents"][0]["job_id"], second);
  EXPECT_EQ(c_->Get("/review/export?format=xml", Bearer(viewer_))->status, 400);
  // The job list carries each job's review (read for the whole page at once).
  std::map<std::string, std::string> listed;
  const nlohmann::json jobs = Body(c_->Get("/ocr/jobs", Bearer(viewer_)));
  for (const auto& j : jobs["jobs"]) {
    listed[j["id"]] = j["review"]["status"];
  }
  EXPECT_EQ(listed[first], "approved") << jobs.dump();
  EXPECT_EQ(listed[second], "rejected");
  EXPECT_EQ(c_->Get("/review/export?format=dataset&status=all", Bearer(viewer_))->status, 400);

  // Approved documents as a labelled set: a tar that `tar` unpacks, the original and
  // its label (the reviewed values, typed by the schema), which `smartocr eval --dataset
  // reviewed` then scores.
  r = c_->Get("/review/export?format=dataset", Bearer(viewer_));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/x-tar");
  const std::string set = env_.dir() + "/reviewed";
  std::filesystem::create_directories(set);
  WriteFile(set + ".tar", r->body);
  ASSERT_EQ(std::system(("tar -xf " + set + ".tar -C " + set).c_str()), 0);
  const nlohmann::json manifest = nlohmann::json::parse(ReadFile(set + "/manifest.json"));
  EXPECT_EQ(manifest["documents"], 1) << manifest.dump();
  EXPECT_EQ(manifest["truncated"], false);
  const nlohmann::json label = nlohmann::json::parse(ReadFile(set + "/" + first + ".json"));
  EXPECT_EQ(label["format"], "smartocr-labelled-document/1");
  EXPECT_EQ(label["file"], first + ".png");
  EXPECT_EQ(label["doc_type"], "receipt");
  EXPECT_EQ(ReadFile(set + "/" + first + ".png"), ReceiptPng());
  std::map<std::string, nlohmann::json> labelled;
  for (const auto& f : label["fields"]) labelled[f["name"]] = f;
  EXPECT_EQ(labelled["total"]["value"], "7.50") << label.dump();
  EXPECT_EQ(labelled["total"]["type"], "amount");
  EXPECT_EQ(labelled["date"]["type"], "date");
  ASSERT_EQ(label["line_items"].size(), 1u) << label.dump();
  EXPECT_EQ(label["line_items"][0]["description"], "Bagel");
  const CliResult eval = RunCli({"eval", "--dataset", "reviewed", set, "--json", set + ".report"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const nlohmann::json report = nlohmann::json::parse(ReadFile(set + ".report"));
  EXPECT_EQ(report["documents"], 1) << report.dump();
  EXPECT_EQ(report["fields"]["total"]["ref"], 1) << report.dump();
  EXPECT_EQ(report["fields"]["total"]["hits"], 1) << report.dump();
  EXPECT_EQ(c_->Get("/review/queue?min_confidence=2", Bearer(viewer_))->status, 400);
  EXPECT_EQ(MetricSample(*server_, R"(smartocr_review_decisions_total{decision="approved"})"), 1);
  EXPECT_EQ(MetricSample(*server_, "smartocr_review_time_to_approve_seconds_count"), 1);
  EXPECT_EQ(MetricSample(*server_, "smartocr_review_queue_depth"), 0);

  // Another tenant sees none of it.
  EXPECT_EQ(c_->Get((base + "/reviews").c_str(), Bearer(other_))->status, 404);
  EXPECT_EQ(PostJson(*c_, second_base + "/review/claim", other_, nlohmann::json::object())->status,
            404);
  nlohmann::json other_queue = Body(c_->Get("/review/queue?status=all", Bearer(other_)));
  EXPECT_TRUE(other_queue["items"].empty()) << other_queue.dump();
  EXPECT_EQ(other_queue["counts"]["approved"], 0);
}

TEST_F(ApiReview, BadReviewSettingsAreRefused) {
  for (const char* bad : {R"({"reject_reasons": []})", R"({"reject_reasons": ["Bad Code"]})",
                          R"({"review_claim_s": 5})", R"({"review_sample_percent": 101})"}) {
    auto r = c_->Put("/admin/tenant/settings", Bearer(admin_), bad, "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << bad << ": " << r->body;
  }
}

TEST_F(ApiReview, TheUiIsServedFromItsDirectoryOnly) {
  // No UI built there: a clear error, not a crash or a listing.
  auto r = c_->Get("/review/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(ErrorCode(r), "ui_not_built");
  JobsEnv env;
  const std::string ui = env.dir() + "/ui";
  std::filesystem::create_directories(ui + "/assets");
  WriteFile(ui + "/index.html", "<!doctype html><title>SmartOCR review</title>");
  WriteFile(ui + "/assets/app-1234.js", "console.log('review')");
  WriteFile(env.dir() + "/secret.txt", "not for the web");
  auto server = ApiProcess::Start(env, {"--workers", "0", "--ui-dir", ui});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  r = c->Get("/review");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 308);
  EXPECT_EQ(r->get_header_value("Location"), "/review/");
  r = c->Get("/review/");
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("SmartOCR review"), std::string::npos);
  EXPECT_NE(r->get_header_value("Content-Security-Policy").find("default-src 'self'"),
            std::string::npos);
  r = c->Get("/review/assets/app-1234.js");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type").rfind("text/javascript", 0), 0u);
  EXPECT_NE(r->get_header_value("Cache-Control").find("immutable"), std::string::npos);
  // A view of the app (no extension) is the app; a missing asset is 404.
  EXPECT_NE(c->Get("/review/jobs/job_1")->body.find("SmartOCR review"), std::string::npos);
  EXPECT_EQ(c->Get("/review/assets/missing.js")->status, 404);
  // Nothing outside the directory, however the path is spelled.
  for (const char* path : {"/review/../secret.txt", "/review/..%2fsecret.txt",
                           "/review/assets/..%2f..%2fsecret.txt", "/review/.hidden"}) {
    r = c->Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->body.find("not for the web"), std::string::npos) << path;
    EXPECT_NE(r->status, 200) << path;
  }
}

}  // namespace
}  // namespace smartocr::testing
