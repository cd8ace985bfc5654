// The async API against the real server: submit (multipart and uploads), webhook,
// results in every format, page images, review edits with audit, re-run, delete,
// idempotency and pagination. Also run once against PostgreSQL + s3rver.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "api_harness.h"
#include "blobs/blobs.h"
#include "fixtures.h"
#include "http_receiver.h"
#include "postgres_harness.h"
#include "required.h"
#include "s3rver_harness.h"

namespace smartocr::testing {
namespace {

// Upload through POST /ocr/uploads: the signed URL (local) or presigned S3 URL.
std::string Upload(httplib::Client& c, const std::string& key, const std::string& bytes) {
  // The size and type are signed into an S3 URL: the PUT below sends the same.
  const nlohmann::json ask = {{"content_length", bytes.size()},
                              {"content_type", "application/octet-stream"}};
  auto r = c.Post("/ocr/uploads", Bearer(key), ask.dump(), "application/json");
  EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no answer");
  nlohmann::json u = Body(r);
  const std::string url = u.value("upload_url", "");
  const size_t scheme_end = url.find("://") + 3;
  const size_t path_start = url.find('/', scheme_end);
  httplib::Client target(url.substr(0, path_start));
  auto put = target.Put(url.substr(path_start).c_str(), bytes, "application/octet-stream");
  EXPECT_TRUE(put && put->status == 200) << (put ? put->body : "no answer") << " " << url;
  return u.value("source_uri", "");
}

// The core flow, on whatever stores `env` uses.
void CoreFlow(JobsEnv& env, ApiProcess& server, const std::string& key, HttpReceiver* hooks) {
  auto c = server.Client();
  std::vector<std::pair<std::string, std::string>> fields = {{"external_id", "receipt-1"},
                                                             {"doc_type", "receipt"}};
  if (hooks != nullptr) fields.emplace_back("webhook_url", hooks->Url("/hook"));
  auto r = PostFile(*c, "/ocr/jobs", key, ReceiptPng(), fields);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  const std::string id = Body(r)["id"];
  // Idempotent: the same external_id answers the same job (200, not a new one).
  r = PostFile(*c, "/ocr/jobs", key, ReceiptPng(), fields);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Body(r)["id"], id);

  nlohmann::json job = WaitForJob(*c, key, id);
  ASSERT_EQ(job["status"], "succeeded") << job.dump() << server.Log();
  EXPECT_EQ(job["page_count"], 1);
  EXPECT_TRUE(job.contains("confidence"));
  if (hooks != nullptr) {
    ASSERT_TRUE(hooks->WaitForRequests(1, std::chrono::seconds(20)));
    EXPECT_NE(hooks->Requests()[0].body.find(id), std::string::npos);
  }

  r = c->Get(("/ocr/jobs/" + id + "/result").c_str(), Bearer(key));
  ASSERT_EQ(r->status, 200);
  EXPECT_GT(WordRecall("CORNER CAFE TOTAL", Body(r)["pages"][0]["text"]), 0.6) << r->body;
  // doc_type receipt: read by the engine the server runs receipts on.
  EXPECT_EQ(Body(r)["engine"]["name"], ReceiptEngine(server)) << r->body;
  r = c->Get(("/ocr/jobs/" + id + "/result?format=text").c_str(), Bearer(key));
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("CAFE"), std::string::npos) << r->body;
  r = c->Get(("/ocr/jobs/" + id + "/result?format=hocr").c_str(), Bearer(key));
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("ocrx_word"), std::string::npos);
  r = c->Get(("/ocr/jobs/" + id + "/result?format=pdf").c_str(), Bearer(key));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body.rfind("%PDF", 0), 0u);
  r = c->Get(("/ocr/jobs/" + id + "/result?format=xml").c_str(), Bearer(key));
  EXPECT_EQ(r->status, 400);
  r = c->Get(("/ocr/jobs/" + id + "/pages/1").c_str(), Bearer(key));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body.substr(1, 3), "PNG");
  auto annotated = c->Get(("/ocr/jobs/" + id + "/pages/1?annotated=true").c_str(), Bearer(key));
  ASSERT_EQ(annotated->status, 200);
  EXPECT_NE(annotated->body, r->body);
  r = c->Get(("/ocr/jobs/" + id + "/pages/1?format=pdf").c_str(), Bearer(key));
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->body.rfind("%PDF", 0), 0u);
  r = c->Get(("/ocr/jobs/" + id + "/pages/2").c_str(), Bearer(key));
  EXPECT_EQ(r->status, 404);

  // Upload first, then submit the returned source_uri.
  const std::string source_uri = Upload(*c, key, InvoicePdf(env.dir()));
  r = c->Post("/ocr/jobs", Bearer(key), nlohmann::json{{"source_uri", source_uri}}.dump(),
              "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 202) << r->body;
  r = c->Post("/ocr/extract", Bearer(key), nlohmann::json{{"source_uri", source_uri}}.dump(),
              "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
}

// The audit entries but reads of content (job.*.read, review.export): the actions.
nlohmann::json Actions(const nlohmann::json& entries) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : entries) {
    const std::string action = e["action"].get<std::string>();
    if (!action.ends_with(".read") && action != "review.export") out.push_back(e);
  }
  return out;
}

TEST(ApiAsync, JobsWebhooksResultsAndUploads) {
  JobsEnv env;
  const std::string key = CreateKey(env, "acme", "admin");
  auto hooks = HttpReceiver::Start({});
  ASSERT_TRUE(hooks.ok()) << hooks.status().ToString();
  auto server = ApiProcess::Start(env, {"--workers", "1", "--webhook-allow", "127.0.0.1"});
  ASSERT_NE(server, nullptr);
  CoreFlow(env, *server, key, hooks->get());
  // An upload URL with a tampered signature or another key is refused.
  auto c = server->Client();
  auto r = c->Post("/ocr/uploads", Bearer(key), "", "application/json");
  ASSERT_EQ(r->status, 201);
  std::string url = Body(r)["upload_url"];
  url.back() = url.back() == '0' ? '1' : '0';
  auto put = c->Put(url.substr(url.find("/blobs/")).c_str(), ReceiptPng(), "image/png");
  EXPECT_EQ(put->status, 403);
  EXPECT_EQ(ErrorCode(put), "bad_signature");
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

// A signed upload URL past its expiry is refused by the server that signed it.
TEST(ApiAsync, ExpiredUploadUrlIsRefused) {
  JobsEnv env;
  const std::string key = CreateKey(env, "acme", "admin");
  const std::string secret = "test-signing-secret-0123456789";
  auto server = ApiProcess::Start(env, {"--workers", "0", "--signing-secret", secret});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  auto r = c->Post("/ocr/uploads", Bearer(key), "{}", "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string url = Body(r)["upload_url"];
  const std::string path = url.substr(url.find("/blobs/"), url.find('?') - url.find("/blobs/"));
  const auto past =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) -
      std::chrono::seconds(5);
  auto query = blobs::SignUrl(secret, "PUT", path, past);
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  auto put = c->Put((path + "?" + *query).c_str(), ReceiptPng(), "image/png");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 403) << put->body;
  EXPECT_EQ(ErrorCode(put), "url_expired");
  // The same path signed with a live expiry is accepted: only the expiry differed.
  auto live = blobs::SignUrl(secret, "PUT", path, past + std::chrono::seconds(600));
  put = c->Put((path + "?" + *live).c_str(), ReceiptPng(), "image/png");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

// The tenant's redaction reaches async jobs: the stored result, and the page images
// and PDFs rendered later from the original.
TEST(ApiAsync, TenantRedactionReachesJobResultsAndImages) {
  JobsEnv env;
  const std::string key = CreateKey(env, "acme", "admin");
  auto server = ApiProcess::Start(env, {"--workers", "1"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  auto r =
      c->Put("/admin/tenant/settings", Bearer(key), R"({"redact": ["email"]})", "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  FixturePage page;
  page.width_pt = 420;
  page.height_pt = 160;
  page.runs = Paragraph({"Order confirmation", "Contact jane.doe@example.com"}, 24, 40, 14, 26);
  std::vector<unsigned char> png;
  cv::imencode(".png", RenderPage(page, 200), png);
  r = PostFile(*c, "/ocr/jobs", key, std::string(png.begin(), png.end()));
  ASSERT_EQ(r->status, 202) << r->body;
  const std::string id = Body(r)["id"];
  nlohmann::json job = WaitForJob(*c, key, id);
  ASSERT_EQ(job["status"], "succeeded") << job.dump() << server->Log();

  r = c->Get(("/ocr/jobs/" + id + "/result").c_str(), Bearer(key));
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->body.find("jane.doe"), std::string::npos) << r->body;
  nlohmann::json result = Body(r);
  ASSERT_GE(result["redaction"]["boxes"].size(), 1u) << r->body;
  const nlohmann::json box = result["redaction"]["boxes"][0]["bbox"];
  r = c->Get(("/ocr/jobs/" + id + "/result?format=pdf").c_str(), Bearer(key));
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->body.find("jane.doe"), std::string::npos);

  r = c->Get(("/ocr/jobs/" + id + "/pages/1").c_str(), Bearer(key));
  ASSERT_EQ(r->status, 200);
  cv::Mat image = cv::imdecode(std::vector<unsigned char>(r->body.begin(), r->body.end()),
                               cv::IMREAD_GRAYSCALE);
  ASSERT_FALSE(image.empty());
  // The middle of the redacted box is black; the page around it is not.
  const int cx = static_cast<int>((box[0].get<double>() + box[2].get<double>()) / 2 * image.cols);
  const int cy = static_cast<int>((box[1].get<double>() + box[3].get<double>()) / 2 * image.rows);
  EXPECT_EQ(image.at<uint8_t>(cy, cx), 0);
  EXPECT_EQ(image.at<uint8_t>(2, 2), 255);
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

TEST(ApiAsync, ReviewRerunDeleteAndAudit) {
  JobsEnv env;
  const std::string admin = CreateKey(env, "acme", "admin");
  const std::string reviewer = CreateKey(env, "acme", "reviewer");
  // Many requests from two keys (waits poll): not a test of the rate limits.
  auto server = ApiProcess::Start(env, {"--workers", "1", "--rate-per-s", "1000"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  auto r = PostFile(*c, "/ocr/jobs", admin, ReceiptPng(), {{"doc_type", "receipt"}});
  ASSERT_EQ(r->status, 202) << r->body;
  const std::string id = Body(r)["id"];
  ASSERT_EQ(WaitForJob(*c, admin, id)["status"], "succeeded");
  // The worker extracted fields (receipt rules) and stored them.
  r = c->Get(("/ocr/jobs/" + id + "/result?format=csv").c_str(), Bearer(reviewer));
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find(",field,total,7.50,7.50,"), std::string::npos)
      << r->body << Body(c->Get(("/ocr/jobs/" + id + "/result").c_str(), Bearer(reviewer))).dump();
  EXPECT_TRUE(
      Body(c->Get(("/ocr/jobs/" + id + "/result").c_str(), Bearer(reviewer))).contains("fields"));

  r = c->Patch(("/ocr/jobs/" + id + "/fields").c_str(), Bearer(reviewer),
               R"({"fields":{"total":"7.50","date":"2024-03-12","vendor":"Corner Cafe"},
                   "reason":"checked against the paper copy"})",
               "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  nlohmann::json fields = Body(r)["fields"];
  bool saw_date = false;
  for (const auto& f : fields) {
    if (f["name"] == "date") {
      saw_date = true;
      EXPECT_EQ(f["normalized"], "2024-03-12");
      EXPECT_EQ(f["validator_status"], "valid");
    }
  }
  EXPECT_TRUE(saw_date) << fields.dump();
  r = c->Patch(("/ocr/jobs/" + id + "/fields").c_str(), Bearer(reviewer),
               R"({"fields":{"date":"not a date"}})", "application/json");
  ASSERT_EQ(r->status, 200);
  r = c->Get(("/ocr/jobs/" + id + "/result?format=csv").c_str(), Bearer(reviewer));
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find(",field,date,not a date,not a date,1.0000,invalid,1,"), std::string::npos)
      << r->body;
  r = c->Patch(("/ocr/jobs/" + id + "/fields").c_str(), Bearer(reviewer), R"({"fields":[]})",
               "application/json");
  EXPECT_EQ(r->status, 422);

  r = c->Get(("/admin/audit?job_id=" + id).c_str(), Bearer(admin));
  ASSERT_EQ(r->status, 200);
  // Reads of the content are audited too: who read the CSV result, and how.
  bool csv_read = false;
  const nlohmann::json all_entries = Body(r)["entries"];
  for (const auto& e : all_entries) {
    csv_read |= e["action"] == "job.result.read" && e["after"]["query"]["format"] == "csv" &&
                e["actor"].get<std::string>().rfind("key_", 0) == 0;
  }
  EXPECT_TRUE(csv_read) << r->body;
  nlohmann::json entries = Actions(all_entries);
  ASSERT_EQ(entries.size(), 2u) << r->body;
  EXPECT_EQ(entries[1]["action"], "fields.patch");
  EXPECT_EQ(entries[1]["reason"], "checked against the paper copy");
  EXPECT_TRUE(entries[1]["before"].contains("date"));
  EXPECT_EQ(entries[1]["after"]["date"]["value"], "2024-03-12");
  EXPECT_TRUE(entries[1]["actor"].get<std::string>().rfind("key_", 0) == 0);
  // Field values never reach the process log.
  EXPECT_EQ(server->Log().find("Corner Cafe"), std::string::npos);

  // Line-item cells are edited like fields: a row added, checked (2 x 2.00 = 4.00),
  // shown in the reviewed CSV; a row of cleared cells is no item; a bad cell name is 422.
  r = c->Patch(("/ocr/jobs/" + id + "/fields").c_str(), Bearer(reviewer),
               R"({"fields":{"line_items[1].description":"Bagel","line_items[1].quantity":"2",)"
               R"("line_items[1].unit_price":"2.00","line_items[1].amount":"4,00"}})",
               "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  bool saw_amount = false;
  const nlohmann::json patched = Body(r);
  for (const auto& f : patched["fields"]) {
    if (f["name"] != "line_items[1].amount") continue;
    saw_amount = true;
    EXPECT_EQ(f["normalized"], "4.00");
    EXPECT_EQ(f["validator_status"], "valid");
  }
  EXPECT_TRUE(saw_amount) << r->body;
  r = c->Get(("/ocr/jobs/" + id + "/result?format=csv").c_str(), Bearer(reviewer));
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find(",line_item,,,,,,0,Bagel,2,2.00,\"4,00\"\r\n"), std::string::npos)
      << r->body;
  for (const char* bad : {R"({"fields":{"line_items[0].amount":"1"}})",
                          R"({"fields":{"line_items[1].price":"1"}})"}) {
    r = c->Patch(("/ocr/jobs/" + id + "/fields").c_str(), Bearer(reviewer), bad,
                 "application/json");
    EXPECT_EQ(r->status, 422) << bad << " " << r->body;
  }
  r = c->Patch(("/ocr/jobs/" + id + "/fields").c_str(), Bearer(reviewer),
               R"({"fields":{"line_items[1].description":null,"line_items[1].quantity":null,)"
               R"("line_items[1].unit_price":null,"line_items[1].amount":null}})",
               "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  r = c->Get(("/ocr/jobs/" + id + "/result?format=csv").c_str(), Bearer(reviewer));
  EXPECT_EQ(r->body.find(",line_item,"), std::string::npos) << r->body;

  r = c->Post(("/ocr/jobs/" + id + "/rerun").c_str(), Bearer(reviewer), "", "application/json");
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(WaitForJob(*c, admin, id)["status"], "succeeded");
  // A re-run with another schema and engine: the result says both; the audit records
  // what changed. Bad values and unknown members are refused before anything is queued.
  for (const char* bad : {R"({"engine":"nope"})", R"({"extractor":"magic"})", R"({"pages":[1]})",
                          R"({"engine":7})", R"({"doc_type":["a"]})",
                          R"({"pages":[2],"engine":"hybrid"})", R"({"pages":[],"engine":"hybrid"})",
                          R"({"pages":["1"],"engine":"hybrid"})", R"({"page":[1]})"}) {
    r = c->Post(("/ocr/jobs/" + id + "/rerun").c_str(), Bearer(reviewer), bad, "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << bad << " " << r->body;
    EXPECT_TRUE(Body(r)["error"]["code"].is_string()) << r->body;
  }
  EXPECT_EQ(Body(c->Get(("/ocr/jobs/" + id).c_str(), Bearer(admin)))["status"], "succeeded");
  r = c->Post(("/ocr/jobs/" + id + "/rerun").c_str(), Bearer(reviewer),
              R"({"doc_type":"invoice","engine":"tesseract"})", "application/json");
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(WaitForJob(*c, admin, id)["status"], "succeeded");
  r = c->Get(("/ocr/jobs/" + id + "/result").c_str(), Bearer(reviewer));
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(Body(r)["doc_type"], "invoice") << r->body;
  EXPECT_EQ(Body(r)["engine"]["name"], "tesseract") << r->body;
  r = c->Get(("/admin/audit?job_id=" + id).c_str(), Bearer(admin));
  ASSERT_EQ(r->status, 200);
  const nlohmann::json last = Actions(Body(r)["entries"]).front();  // newest first
  EXPECT_EQ(last["action"], "job.rerun") << r->body;
  EXPECT_EQ(last["before"]["doc_type"], "receipt") << r->body;
  EXPECT_EQ(last["after"]["engine"], "tesseract") << r->body;
  // One page again with another engine: the document keeps its engine, the result says
  // which engine read the page (or that it is not loaded here), the audit row the page.
  r = c->Post(("/ocr/jobs/" + id + "/rerun").c_str(), Bearer(reviewer),
              R"({"pages":[1],"engine":"hybrid"})", "application/json");
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(WaitForJob(*c, admin, id)["status"], "succeeded");
  r = c->Get(("/ocr/jobs/" + id + "/result").c_str(), Bearer(reviewer));
  ASSERT_EQ(r->status, 200);
  const nlohmann::json rerun_result = Body(r);
  EXPECT_EQ(rerun_result["engine"]["name"], "tesseract") << r->body;
  EXPECT_EQ(rerun_result["doc_type"], "invoice") << r->body;
  bool page_warning = false;
  for (const auto& w : rerun_result["warnings"]) {
    const std::string text = w.is_string() ? w.get<std::string>() : w.dump();
    page_warning |= text.find("page 1 read with") != std::string::npos;
  }
  EXPECT_TRUE(page_warning) << rerun_result["warnings"].dump();
  r = c->Get(("/admin/audit?job_id=" + id).c_str(), Bearer(admin));
  ASSERT_EQ(r->status, 200);
  const nlohmann::json page_audit = Actions(Body(r)["entries"]).front();
  EXPECT_EQ(page_audit["after"]["pages"], nlohmann::json::array({1})) << r->body;
  r = c->Delete(("/ocr/jobs/" + id).c_str(), Bearer(admin));
  EXPECT_EQ(r->status, 204);
  r = c->Get(("/ocr/jobs/" + id).c_str(), Bearer(admin));
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(server->Stop(), 0);
}

TEST(ApiAsync, PaginationAndFilters) {
  JobsEnv env;
  const std::string key = CreateKey(env, "acme", "service");
  auto server = ApiProcess::Start(env, {"--workers", "0"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  const std::string png = ReceiptPng();
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto r =
        PostFile(*c, "/ocr/jobs", key, png, {{"doc_type", i % 2 == 0 ? "receipt" : "invoice"}});
    ASSERT_EQ(r->status, 202);
    ids.insert(Body(r)["id"].get<std::string>());
  }
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto r = c->Get(("/ocr/jobs?limit=2&cursor=" + cursor).c_str(), Bearer(key));
    ASSERT_EQ(r->status, 200) << r->body;
    nlohmann::json page = Body(r);
    EXPECT_LE(page["jobs"].size(), 2u);
    for (const auto& j : page["jobs"]) EXPECT_TRUE(seen.insert(j["id"]).second);
    cursor = page["next_cursor"];
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen, ids);
  EXPECT_EQ(pages, 3);
  auto r = c->Get("/ocr/jobs?doc_type=invoice", Bearer(key));
  EXPECT_EQ(Body(r)["jobs"].size(), 2u);
  r = c->Get("/ocr/jobs?status=queued&limit=1000", Bearer(key));
  EXPECT_EQ(Body(r)["jobs"].size(), 5u);
  r = c->Get("/ocr/jobs?created_to=1", Bearer(key));
  EXPECT_EQ(Body(r)["jobs"].size(), 0u);
  r = c->Get("/ocr/jobs?status=bogus", Bearer(key));
  EXPECT_EQ(r->status, 400);
  r = c->Get("/ocr/jobs?cursor=garbage", Bearer(key));
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(ErrorCode(r), "invalid_cursor");
}

// Retention: once a tenant sets retention_days, the sweeper (every second here) deletes
// its finished jobs older than that, rows and original, with an audit row; queued jobs
// and other tenants' jobs stay. 0.00001 days (0.864 s) keeps the test short.
TEST(ApiAsync, RetentionSweeperDeletesOldFinishedJobs) {
  JobsEnv env;
  const std::string admin = CreateKey(env, "acme", "admin");
  const std::string other = CreateKey(env, "other", "admin");
  auto server = ApiProcess::Start(env, {"--workers", "0", "--retention-sweep-s", "1"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  std::vector<std::string> ids;
  for (const std::string* key : {&admin, &admin, &other}) {
    auto r = PostFile(*c, "/ocr/jobs", *key, ReceiptPng());
    ASSERT_EQ(r->status, 202) << r->body;
    ids.push_back(Body(r)["id"]);
  }
  const std::string finished = ids[0], queued = ids[1], others = ids[2];
  ASSERT_TRUE(env.repo().CancelJob("acme", finished, 1).ok());
  ASSERT_TRUE(env.repo().CancelJob("other", others, 1).ok());
  const std::string original = env.Job("acme", finished).spec.source_uri;
  ASSERT_EQ(original.rfind("file://", 0), 0u) << original;
  ASSERT_TRUE(std::filesystem::exists(original.substr(7)));

  auto r = c->Put("/admin/tenant/settings", Bearer(admin), R"({"retention_days":0})",
                  "application/json");
  EXPECT_EQ(r->status, 422);
  EXPECT_NE(r->body.find("retention_days"), std::string::npos) << r->body;
  r = c->Put("/admin/tenant/settings", Bearer(admin), R"({"retention_days":0.00001})",
             "application/json");
  ASSERT_EQ(r->status, 200) << r->body;

  // The row goes first and the blobs and the audit row after it: wait for the last.
  const std::string audit_path = "/admin/audit?job_id=" + finished;
  EXPECT_TRUE(WaitUntil(
      [&] { return !Actions(Body(c->Get(audit_path.c_str(), Bearer(admin)))["entries"]).empty(); },
      5'000))
      << server->Log();
  EXPECT_EQ(c->Get(("/ocr/jobs/" + finished).c_str(), Bearer(admin))->status, 404);
  EXPECT_FALSE(std::filesystem::exists(original.substr(7)));
  r = c->Get(("/ocr/jobs/" + queued).c_str(), Bearer(admin));
  EXPECT_EQ(Body(r)["status"], "queued");
  r = c->Get(("/ocr/jobs/" + others).c_str(), Bearer(other));
  EXPECT_EQ(Body(r)["status"], "cancelled");
  r = c->Get(audit_path.c_str(), Bearer(admin));
  nlohmann::json entries = Actions(Body(r)["entries"]);
  ASSERT_EQ(entries.size(), 1u) << r->body;
  EXPECT_EQ(entries[0]["action"], "job.delete");
  EXPECT_EQ(entries[0]["actor"], "system:retention");
  EXPECT_EQ(server->Stop(), 0);
}

// The same flow with PostgreSQL rows and S3 (s3rver) blobs.
TEST(ApiAsync, CoreFlowOnPostgresAndS3) {
  std::string why;
  const std::string db = PostgresDatabase(&why);
  if (db.empty()) SMARTOCR_SKIP_OR_FAIL(why);
  auto s3 = S3rver::Start("smartocr", &why);
  if (!s3) SMARTOCR_SKIP_OR_FAIL(why);
  S3rver::ExportCredentials();
  JobsEnv env(db);
  env.set_blobs_url(s3->StoreUrl());
  const std::string key = CreateKey(env, "acme", "admin");
  auto server = ApiProcess::Start(env, {"--workers", "1"});
  ASSERT_NE(server, nullptr);
  CoreFlow(env, *server, key, nullptr);
  auto c = server->Client();
  auto r = c->Get("/readyz");
  EXPECT_EQ(r->status, 200) << r->body;
  // S3 takes the bytes itself: the presigned URL is for one size (and type), signed,
  // so the store refuses another. (s3rver does not check signatures: a real S3 does.)
  r = c->Post("/ocr/uploads", Bearer(key), "{}", "application/json");
  EXPECT_EQ(r->status, 422) << r->body;
  EXPECT_EQ(ErrorCode(r), "content_length_required");
  r = c->Post("/ocr/uploads", Bearer(key), R"({"content_length": 99999999999})",
              "application/json");
  EXPECT_EQ(r->status, 413) << r->body;
  r = c->Post("/ocr/uploads", Bearer(key),
              R"({"content_length": 1234, "content_type": "application/pdf"})", "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  const nlohmann::json upload = Body(r);
  EXPECT_NE(upload.value("upload_url", "")
                .find("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost"),
            std::string::npos)
      << upload.dump();
  EXPECT_EQ(upload["headers"].value("Content-Length", ""), "1234") << upload.dump();
  EXPECT_EQ(upload["headers"].value("Content-Type", ""), "application/pdf") << upload.dump();
  EXPECT_EQ(upload.value("max_bytes", 0), 1234) << upload.dump();
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

// /readyz answers 503 when the database or the blob store is down, and says which;
// the process keeps answering /healthz. The servers are this test's own, stopped here.
TEST(ApiAsync, ReadinessSaysWhichDependencyIsDown) {
  std::string why;
  std::unique_ptr<PostgresServer> pg = PostgresServer::Start(&why);
  if (!pg) SMARTOCR_SKIP_OR_FAIL(why);
  const std::string db = pg->CreateDatabase(&why);
  ASSERT_FALSE(db.empty()) << why;
  auto s3 = S3rver::Start("smartocr", &why);
  if (!s3) SMARTOCR_SKIP_OR_FAIL(why);
  S3rver::ExportCredentials();
  JobsEnv env(db);
  env.set_blobs_url(s3->StoreUrl());  // path style by default with an endpoint
  const std::string key = CreateKey(env, "acme", "admin");
  auto server = ApiProcess::Start(env, {"--workers", "0"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  auto r = c->Get("/readyz");
  EXPECT_EQ(r->status, 200) << r->body;

  s3.reset();  // the blob store goes away
  r = c->Get("/readyz");
  EXPECT_EQ(r->status, 503) << r->body;
  EXPECT_EQ(ErrorCode(r), "unavailable");
  EXPECT_EQ(Body(r)["error"].value("message", ""), "blob store unreachable") << r->body;
  // A job's submission needs the store: the 503 says which dependency, the operator's
  // log line for that request says why.
  r = PostFile(*c, "/ocr/jobs", key, ReceiptPng());
  EXPECT_EQ(r->status, 503) << r->body;
  EXPECT_EQ(Body(r)["error"].value("message", ""), "the blob store is unavailable; retry later")
      << r->body;
  const std::string request_id = Body(r)["error"].value("request_id", "");
  bool logged = false;
  std::istringstream log(server->Log());
  for (std::string line; std::getline(log, line);) {
    if (line.find(request_id) == std::string::npos) continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    logged = logged || (j.is_object() && j.contains("error_cause"));
  }
  EXPECT_TRUE(logged) << server->Log();

  pg.reset();  // and the database
  r = c->Get("/readyz");
  EXPECT_EQ(r->status, 503) << r->body;
  EXPECT_EQ(Body(r)["error"].value("message", ""), "database and blob store unreachable")
      << r->body;
  EXPECT_EQ(c->Get("/healthz")->status, 200);
  EXPECT_NE(server->Log().find("readyz: database:"), std::string::npos) << server->Log();
  EXPECT_NE(server->Log().find("readyz: blob store:"), std::string::npos) << server->Log();
  EXPECT_EQ(server->Stop(), 0) << server->Log();
}

}  // namespace
}  // namespace smartocr::testing
