// One path from a document to a result: `smartocr extract`, POST /ocr/extract and an
// async job (POST /ocr/jobs, run by serve's worker) go through the same document
// service, so the same document with the same options gives the same result JSON and
// CSV. What legitimately differs is masked: the "input" (a path, "upload", the source
// URI) and the stage timings.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "api_harness.h"
#include "cli_runner.h"
#include "fixtures.h"
#include "http_receiver.h"
#include "jobs_harness.h"

namespace smartocr::testing {
namespace {

// The result JSON as text, with the input name and timings taken out.
std::string Comparable(const std::string& json_text) {
  nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return "not a result: " + json_text;
  doc = WithoutTimings(doc);
  doc.erase("input");
  return doc.dump(2);
}

// The CSV with the first column (the input name) blanked on every row but the header.
std::string ComparableCsv(const std::string& csv) {
  std::string out;
  size_t start = 0;
  bool header = true;
  while (start < csv.size()) {
    size_t end = csv.find("\r\n", start);
    if (end == std::string::npos) end = csv.size();
    std::string row = csv.substr(start, end - start);
    // Inputs here hold no comma or quote, so the first cell ends at the first comma.
    if (!header) row = row.substr(std::min(row.find(','), row.size()));
    out += row + "\n";
    header = false;
    start = end + 2;
  }
  return out;
}

struct Results {
  std::string json;
  std::string csv;
};

class OnePath : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = CreateKey(env_, "acme", "admin");
    receipt_ = env_.dir() + "/receipt.png";
    std::ofstream(receipt_, std::ios::binary) << ReceiptPng();
  }

  Results FromCli(const std::string& path, const std::vector<std::string>& extra) {
    Results out;
    for (const char* format : {"json", "csv"}) {
      std::vector<std::string> args = {"extract", path, "--format", format};
      args.insert(args.end(), extra.begin(), extra.end());
      CliResult r = RunCli(args);
      EXPECT_EQ(r.exit_code, 0) << r.err;
      (std::string(format) == "json" ? out.json : out.csv) = r.out;
    }
    return out;
  }

  std::string FromSyncApi(ApiProcess& server, const std::string& schema) {
    auto c = server.Client();
    auto r = PostFile(*c, "/ocr/extract", key_, ReceiptPng(), {{"schema", schema}});
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no reply") << server.Log();
    return r ? r->body : "";
  }

  Results FromJob(ApiProcess& server, const std::string& bytes, const std::string& doc_type) {
    auto c = server.Client();
    auto r = PostFile(*c, "/ocr/jobs", key_, bytes, {{"doc_type", doc_type}});
    EXPECT_TRUE(r && r->status == 202) << (r ? r->body : "no reply");
    const std::string id = Body(r).value("id", "");
    EXPECT_EQ(WaitForJob(*c, key_, id).value("status", ""), "succeeded") << server.Log();
    Results out;
    out.json = c->Get(("/ocr/jobs/" + id + "/result").c_str(), Bearer(key_))->body;
    out.csv = c->Get(("/ocr/jobs/" + id + "/result?format=csv").c_str(), Bearer(key_))->body;
    return out;
  }

  JobsEnv env_;
  std::string key_;
  std::string receipt_;
};

TEST_F(OnePath, CliSyncApiAndJobGiveTheSameResult) {
  const Results cli = FromCli(receipt_, {"--schema", "receipt"});
  auto server =
      ApiProcess::Start(env_, {"--workers", "1", "--rate-per-s", "0", "--tenant-rate-per-s", "0"});
  ASSERT_NE(server, nullptr);
  const std::string sync = FromSyncApi(*server, "receipt");
  const Results job = FromJob(*server, ReceiptPng(), "receipt");

  // The receipt's fields were read, so the comparison is not over empty results.
  ASSERT_NE(cli.csv.find(",field,total,7.50,7.50,"), std::string::npos) << cli.csv;
  EXPECT_EQ(Comparable(sync), Comparable(cli.json));
  EXPECT_EQ(Comparable(job.json), Comparable(cli.json));
  EXPECT_EQ(ComparableCsv(job.csv), ComparableCsv(cli.csv));
  // Past the masked input, the bytes are the same: one renderer wrote all three.
  EXPECT_EQ(nlohmann::json::parse(sync).value("input", ""), "upload");
}

// A tenant schema whose "supplier" no rule finds (its label is not printed): only the
// LLM fills it.
constexpr char kPoSchema[] = R"({"name": "po", "fields": [
    {"name": "invoice_number", "labels": ["INVOICE"]},
    {"name": "supplier", "labels": ["Supplier"]}]})";

std::string FakeLlmAnswer() {
  const nlohmann::json content = {
      {"fields", {{"invoice_number", "2024-0042"}, {"supplier", "Acme Supplies Ltd"}}}};
  const nlohmann::json body = {{"choices",
                                {{{"message", {{"role", "assistant"}, {"content", content.dump()}}},
                                  {"finish_reason", "stop"}}}}};
  return body.dump();
}

// With an LLM (a loopback fake speaking chat completions), `smartocr serve --llm` fills
// a tenant schema's field through POST /ocr/jobs, as `smartocr extract --llm` does.
TEST_F(OnePath, TheLlmFillsFieldsInJobsAsInTheCli) {
  auto llm = HttpReceiver::Start({.response_body = FakeLlmAnswer()});
  ASSERT_TRUE(llm.ok()) << llm.status().ToString();
  const std::string base_url = (*llm)->Url("/v1");
  const std::string pdf = env_.dir() + "/invoice.pdf";
  std::ofstream(pdf, std::ios::binary) << InvoicePdf(env_.dir());
  std::ofstream(env_.dir() + "/po.json") << kPoSchema;

  ::setenv("SMARTOCR_LLM_BASE_URL", base_url.c_str(), 1);
  ::setenv("SMARTOCR_LLM_MODEL", "fake", 1);
  const Results cli = FromCli(pdf, {"--llm", "--schema-file", env_.dir() + "/po.json"});
  auto server = ApiProcess::Start(
      env_, {"--workers", "1", "--llm", "--rate-per-s", "0", "--tenant-rate-per-s", "0"});
  ::unsetenv("SMARTOCR_LLM_BASE_URL");
  ::unsetenv("SMARTOCR_LLM_MODEL");
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  const std::string settings = std::string(R"({"schemas": {"po": )") + kPoSchema + "}}";
  auto r = c->Put("/admin/tenant/settings", Bearer(key_), settings, "application/json");
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "no reply");
  const Results job = FromJob(*server, ReadFile(pdf), "po");

  nlohmann::json result = nlohmann::json::parse(job.json, nullptr, false);
  ASSERT_TRUE(result.is_object()) << job.json;
  std::map<std::string, nlohmann::json> fields;
  for (const auto& f : result["fields"]) fields[f["name"]] = f;
  ASSERT_EQ(fields.count("supplier"), 1u) << job.json;
  EXPECT_EQ(fields["supplier"]["value"], "Acme Supplies Ltd");
  EXPECT_EQ(fields["supplier"]["source"], "llm");
  EXPECT_EQ(fields["supplier"]["engine_version"], "llm fake");
  EXPECT_EQ(Comparable(job.json), Comparable(cli.json));
  EXPECT_EQ(ComparableCsv(job.csv), ComparableCsv(cli.csv));
  // The CLI asked once per format; the job once (answers are memoized per process).
  EXPECT_GE((*llm)->Requests().size(), 2u);
}

}  // namespace
}  // namespace smartocr::testing
