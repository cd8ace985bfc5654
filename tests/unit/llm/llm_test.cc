// LLM extraction: request shape, strict answer parsing, retries, timeouts, the circuit
// breaker, memoization (memory and disk), and the merge policy under the validators.
#include "llm/llm.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "fixtures.h"
#include "http_receiver.h"

namespace smartocr::llm {
namespace {

using Json = nlohmann::json;
using testing::HttpReceiver;

extract::Schema PoSchema() {
  auto s = extract::ParseSchemaText(R"({"name": "po", "fields": [
      {"name": "po_number", "labels": ["PO"], "required": true},
      {"name": "order_date", "type": "date", "labels": ["Date"]},
      {"name": "total", "type": "amount", "labels": ["Total"], "validators": {"min": 0}}]})");
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return *s;
}

core::DocumentResult Doc() {
  core::DocumentResult doc;
  core::PageResult page;
  page.number = 1;
  page.width = 1000;
  page.height = 1000;
  core::Block block;
  double y = 100;
  for (const char* text : {"Order PO-4411", "Date 2025-03-14", "Total 120.50"}) {
    core::Line line;
    std::string t = text;
    size_t sp = t.find(' ');
    line.words.push_back({t.substr(0, sp), {100, y, 200, y + 20}, 0.9});
    line.words.push_back({t.substr(sp + 1), {220, y, 400, y + 20}, 0.8});
    line.box = {100, y, 400, y + 20};
    line.confidence = 0.85;
    block.lines.push_back(line);
    y += 40;
  }
  page.blocks.push_back(block);
  doc.pages.push_back(page);
  return doc;
}

std::string Completion(const Json& content, const std::string& finish = "stop") {
  Json body = {
      {"id", "chatcmpl-1"},
      {"object", "chat.completion"},
      {"choices", Json::array({{{"index", 0},
                                {"message", {{"role", "assistant"}, {"content", content.dump()}}},
                                {"finish_reason", finish}}})}};
  return body.dump();
}

const Json kGoodAnswer = {
    {"fields", {{"po_number", "PO-4411"}, {"order_date", "2025-03-14"}, {"total", nullptr}}}};

LlmConfig ConfigFor(const HttpReceiver& server) {
  LlmConfig c;
  c.base_url = server.Url("/v1");
  c.model = "test-model";
  c.api_key = "sk-test";
  c.timeout = std::chrono::milliseconds(2000);
  c.backoff = std::chrono::milliseconds(1);
  return c;
}

TEST(LlmClient, SendsTheChatCompletionsRequestAndParsesTheAnswer) {
  auto server = HttpReceiver::Start({.statuses = {200}, .response_body = Completion(kGoodAnswer)});
  ASSERT_TRUE(server.ok());
  LlmClient client(ConfigFor(**server));
  auto answer = client.Extract(Doc(), PoSchema());
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(answer->fields.at("po_number"), "PO-4411");
  EXPECT_FALSE(answer->fields.at("total").has_value());
  EXPECT_FALSE(answer->from_cache);
  auto requests = (*server)->Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/v1/chat/completions");
  EXPECT_EQ(requests[0].Header("authorization"), "Bearer sk-test");
  Json sent = Json::parse(requests[0].body);
  EXPECT_EQ(sent["model"], "test-model");
  EXPECT_EQ(sent["response_format"]["type"], "json_schema");
  EXPECT_EQ(sent["response_format"]["json_schema"]["strict"], true);
  Json schema = sent["response_format"]["json_schema"]["schema"];
  EXPECT_EQ(schema["properties"]["fields"]["required"].size(), 3u);
  EXPECT_EQ(schema["properties"]["fields"]["additionalProperties"], false);
  std::string user = sent["messages"][1]["content"];
  EXPECT_NE(user.find("[1 100 100 400 120] Order PO-4411"), std::string::npos) << user;
  EXPECT_NE(user.find("\"po_number\""), std::string::npos);
}

TEST(LlmClient, MemoizesInMemoryAndOnDisk) {
  auto server = HttpReceiver::Start({.response_body = Completion(kGoodAnswer)});
  ASSERT_TRUE(server.ok());
  std::string dir = testing::MakeTempDir();
  LlmConfig config = ConfigFor(**server);
  config.cache_dir = dir + "/cache";
  {
    LlmClient client(config);
    ASSERT_TRUE(client.Extract(Doc(), PoSchema()).ok());
    auto again = client.Extract(Doc(), PoSchema());
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->from_cache);
    EXPECT_EQ(client.requests_sent(), 1);
  }
  // A new process (client) finds the answer on disk.
  LlmClient fresh(config);
  auto cached = fresh.Extract(Doc(), PoSchema());
  ASSERT_TRUE(cached.ok());
  EXPECT_TRUE(cached->from_cache);
  EXPECT_EQ(fresh.requests_sent(), 0);
  // Another page text is another question.
  core::DocumentResult other = Doc();
  other.pages[0].blocks[0].lines[0].words[1].text = "PO-9999";
  ASSERT_TRUE(fresh.Extract(other, PoSchema()).ok());
  EXPECT_EQ(fresh.requests_sent(), 1);
  EXPECT_EQ((*server)->Requests().size(), 2u);
  std::filesystem::remove_all(dir);
}

TEST(LlmClient, RetriesServerErrorsButNotClientErrors) {
  auto flaky =
      HttpReceiver::Start({.statuses = {503, 429, 200}, .response_body = Completion(kGoodAnswer)});
  ASSERT_TRUE(flaky.ok());
  LlmClient client(ConfigFor(**flaky));
  auto answer = client.Extract(Doc(), PoSchema());
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(client.requests_sent(), 3);

  auto unauthorized = HttpReceiver::Start({.statuses = {401}, .response_body = "bad key"});
  ASSERT_TRUE(unauthorized.ok());
  LlmClient denied(ConfigFor(**unauthorized));
  auto failed = denied.Extract(Doc(), PoSchema());
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().reason(), "llm_http");
  EXPECT_NE(failed.status().message().find("401"), std::string::npos);
  EXPECT_EQ(denied.requests_sent(), 1);
}

TEST(LlmClient, HonoursRetryAfter) {
  auto limited = HttpReceiver::Start({.statuses = {429, 200},
                                      .response_body = Completion(kGoodAnswer),
                                      .response_headers = {{"Retry-After", "1"}}});
  ASSERT_TRUE(limited.ok());
  LlmClient client(ConfigFor(**limited));
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(client.Extract(Doc(), PoSchema()).ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(950));
  EXPECT_EQ(client.requests_sent(), 2);
}

TEST(LlmClient, TimesOut) {
  auto slow = HttpReceiver::Start(
      {.delay = std::chrono::milliseconds(1500), .response_body = Completion(kGoodAnswer)});
  ASSERT_TRUE(slow.ok());
  LlmConfig config = ConfigFor(**slow);
  config.timeout = std::chrono::milliseconds(200);
  config.max_attempts = 2;
  LlmClient client(config);
  // The server would answer well after 1.5 s: a timeout reason on both attempts proves
  // the 200 ms limit cut them (no wall-clock bound, which load could break).
  auto answer = client.Extract(Doc(), PoSchema());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(answer.status().reason(), "http_timeout");
  EXPECT_EQ(client.requests_sent(), 2);
}

TEST(LlmClient, MalformedAnswersAreRejected) {
  auto server = HttpReceiver::Start({.response_body = "{\"choices\": [oops"});
  ASSERT_TRUE(server.ok());
  LlmConfig config = ConfigFor(**server);
  LlmClient client(config);
  auto answer = client.Extract(Doc(), PoSchema());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().reason(), "llm_answer");
  EXPECT_EQ(client.requests_sent(), 2);  // one more try for a malformed answer
}

TEST(LlmClient, BreakerOpensAfterFailuresInARow) {
  auto server = HttpReceiver::Start({.statuses = {500}, .response_body = "down"});
  ASSERT_TRUE(server.ok());
  LlmConfig config = ConfigFor(**server);
  config.max_attempts = 1;
  config.breaker_failures = 2;
  config.breaker_cooldown = std::chrono::milliseconds(1000);
  LlmClient client(config);
  EXPECT_EQ(client.Extract(Doc(), PoSchema()).status().reason(), "llm_http");
  EXPECT_FALSE(client.breaker_open());
  EXPECT_EQ(client.Extract(Doc(), PoSchema()).status().reason(), "llm_http");
  EXPECT_TRUE(client.breaker_open());
  auto fast = client.Extract(Doc(), PoSchema());
  EXPECT_EQ(fast.status().reason(), "llm_circuit_open");
  EXPECT_EQ(client.requests_sent(), 2);  // no request while open
  std::this_thread::sleep_for(std::chrono::milliseconds(1050));
  // Half-open: one trial goes out (and fails again, reopening at once).
  EXPECT_EQ(client.Extract(Doc(), PoSchema()).status().reason(), "llm_http");
  EXPECT_EQ(client.requests_sent(), 3);
  EXPECT_TRUE(client.breaker_open());
}

TEST(LlmParse, StrictShape) {
  extract::Schema schema = PoSchema();
  struct Case {
    std::string body;
    const char* why;
  };
  const Case kBad[] = {
      {"[]", "not a JSON object"},
      {R"({"choices": []})", "no choices"},
      {Completion(kGoodAnswer, "length"), "truncated"},
      {R"({"choices": [{"message": {"refusal": "no"}}]})", "refused"},
      {R"({"choices": [{"message": {"content": "not json"}}]})", "content is not JSON"},
      {Completion({{"fields", {{"po_number", "x"}, {"order_date", nullptr}}}}), "missing"},
      {Completion({{"fields", {{"po_number", 5}, {"order_date", nullptr}, {"total", nullptr}}}}),
       "not a string"},
      {Completion(
           {{"fields",
             {{"po_number", "x"}, {"order_date", nullptr}, {"total", nullptr}, {"extra", "y"}}}}),
       "unknown fields"},
      {Completion({{"fields", kGoodAnswer["fields"]}, {"notes", "hi"}}), "unexpected key"},
  };
  for (const Case& c : kBad) {
    auto r = ParseResponse(c.body, schema);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().reason(), "llm_answer");
    EXPECT_NE(r.status().message().find(c.why), std::string::npos)
        << c.why << " vs " << r.status().message();
  }
  EXPECT_TRUE(ParseResponse(Completion(kGoodAnswer), schema).ok());
  // Servers differ in what they put beside the answer; a null finish_reason is fine.
  Json body = Json::parse(Completion(kGoodAnswer));
  body["choices"][0]["finish_reason"] = nullptr;
  EXPECT_TRUE(ParseResponse(body.dump(), schema).ok());
}

TEST(LlmConfigEnv, ReadsAndChecks) {
  std::map<std::string, std::string> env;
  auto get = [&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  auto none = ConfigFromEnv(get);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  env["SMARTOCR_LLM_BASE_URL"] = "http://localhost:8080/v1/";
  EXPECT_EQ(ConfigFromEnv(get).status().reason(), "llm_config");  // no model
  env["SMARTOCR_LLM_MODEL"] = "m";
  env["SMARTOCR_LLM_TIMEOUT_S"] = "2.5";
  auto c = ConfigFromEnv(get);
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->base_url, "http://localhost:8080/v1");
  EXPECT_EQ((*c)->timeout, std::chrono::milliseconds(2500));
  env["SMARTOCR_LLM_BASE_URL"] = "file:///etc/passwd";
  EXPECT_EQ(ConfigFromEnv(get).status().reason(), "llm_config");
}

TEST(LlmMerge, RulesFirstLlmFillsGapsAndFixesOnlyFailingValues) {
  extract::Schema schema = PoSchema();
  core::DocumentResult doc = Doc();
  extract::ExtractOptions options;
  options.today = {2025, 6, 1};
  // Rules: a valid date, an invalid total, and the required po_number missing.
  core::Field date{"order_date", "2025-03-14", "2025-03-14", 0.8, "valid", "date ok", 1, {}};
  core::Field total{"total", "-3", "-3", 0, "invalid", "below the minimum", 1, {}};
  core::Field po{"po_number", "", "", 0, "invalid", "required", 0, {}};
  doc.fields = {po, date, total};
  LlmAnswer answer;
  answer.model = "m";
  answer.fields = {{"po_number", "PO-4411"},
                   {"order_date", "2024-01-01"},  // disagrees with a valid rule value
                   {"total", "120.50"}};
  MergeLlmFields(doc, answer, schema, options);
  std::map<std::string, core::Field> f;
  for (const core::Field& field : doc.fields) f[field.name] = field;
  EXPECT_EQ(f["po_number"].value, "PO-4411");
  EXPECT_EQ(f["po_number"].source, "llm");
  EXPECT_EQ(f["po_number"].engine_version, "llm m");
  EXPECT_EQ(f["po_number"].page, 1);
  EXPECT_NEAR(f["po_number"].confidence, 0.8, 1e-9);  // the word's recognition confidence
  EXPECT_EQ(f["order_date"].value, "2025-03-14");     // the valid rule value stands
  EXPECT_EQ(f["order_date"].source, "rules");
  EXPECT_EQ(f["total"].normalized, "120.50");  // invalid rule value replaced by a valid one
  EXPECT_EQ(f["total"].validator_status, "valid");
  EXPECT_EQ(f["total"].source, "llm");

  // An LLM value that fails its validator never replaces a rule value, and one that is
  // not in the text is capped.
  core::DocumentResult doc2 = Doc();
  doc2.fields = {total};
  LlmAnswer bad;
  bad.model = "m";
  bad.fields = {{"total", "-7.00"}, {"order_date", "2025-01-02"}, {"po_number", std::nullopt}};
  MergeLlmFields(doc2, bad, schema, options);
  std::map<std::string, core::Field> g;
  for (const core::Field& field : doc2.fields) g[field.name] = field;
  EXPECT_EQ(g["total"].value, "-3");
  EXPECT_EQ(g["total"].source, "rules");
  EXPECT_EQ(g["order_date"].source, "llm");
  EXPECT_LE(g["order_date"].confidence, 0.5);
  EXPECT_NE(g["order_date"].validator_detail.find("not found in the page text"), std::string::npos);
  EXPECT_EQ(g.count("po_number"), 0u);
}

}  // namespace
}  // namespace smartocr::llm
