// Operations signals from the real processes: a job submitted with a W3C traceparent is
// traced from the API through the worker to its last stage (OTLP/JSON to a loopback
// receiver); /metrics passes `promtool check metrics`; the worker's own listener;
// logs are JSON lines with trace ids and carry no document text, values or keys.
#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <set>
#include <sstream>

#include "api_harness.h"
#include "fixtures.h"
#include "http_receiver.h"
#include "required.h"

namespace smartocr::testing {
namespace {

constexpr char kClientTrace[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kClientSpan[] = "00f067aa0ba902b7";

struct ExportedSpan {
  std::string service;
  std::string trace_id, span_id, parent, name;
  int kind = 0;
  int64_t start_ns = 0, end_ns = 0;
  std::map<std::string, nlohmann::json> attributes;
};

std::vector<ExportedSpan> SpansFrom(const std::vector<ReceivedRequest>& requests) {
  std::vector<ExportedSpan> out;
  for (const ReceivedRequest& r : requests) {
    auto body = nlohmann::json::parse(r.body);
    for (const auto& rs : body["resourceSpans"]) {
      std::string service;
      for (const auto& a : rs["resource"]["attributes"]) {
        if (a["key"] == "service.name") service = a["value"]["stringValue"];
      }
      for (const auto& ss : rs["scopeSpans"]) {
        for (const auto& s : ss["spans"]) {
          ExportedSpan e;
          e.service = service;
          e.trace_id = s["traceId"];
          e.span_id = s["spanId"];
          e.parent = s.value("parentSpanId", "");
          e.name = s["name"];
          e.kind = s["kind"];
          e.start_ns = std::stoll(s["startTimeUnixNano"].get<std::string>());
          e.end_ns = std::stoll(s["endTimeUnixNano"].get<std::string>());
          for (const auto& a : s["attributes"]) e.attributes[a["key"]] = a["value"];
          out.push_back(std::move(e));
        }
      }
    }
  }
  return out;
}

const ExportedSpan* Find(const std::vector<ExportedSpan>& spans, const std::string& name) {
  for (const ExportedSpan& s : spans) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// `promtool check metrics` on `text`: its complaints, "" when clean.
std::string Promtool(const std::string& dir, const std::string& text) {
  const std::string path = dir + "/metrics.txt";
  WriteFile(path, text);
  const std::string out_path = dir + "/promtool.out";
  const int rc =
      std::system(("promtool check metrics < " + path + " > " + out_path + " 2>&1").c_str());
  const std::string out = ReadFile(out_path);
  return rc == 0 ? "" : "promtool failed: " + out;
}

bool HavePromtool() { return std::system("command -v promtool > /dev/null 2>&1") == 0; }

// Every line a process wrote is a JSON object (Tesseract's own warnings excepted: it
// writes them to stderr itself, and they carry no document content).
void ExpectJsonLines(const std::string& log) {
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.rfind("Estimating resolution", 0) == 0 ||
        line.rfind("Detected ", 0) == 0 || line.rfind("Warning", 0) == 0) {
      continue;
    }
    auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(j.is_object() && j.contains("ts_ms") && j.contains("level") && j.contains("msg"))
        << "not a JSON log line: " << line;
  }
}

TEST(ApiTelemetry, TraceFromTheRequestToTheLastStageWithMetricsAndCleanLogs) {
  auto receiver = HttpReceiver::Start({});
  ASSERT_TRUE(receiver.ok()) << receiver.status().ToString();
  JobsEnv env;
  const std::string key = CreateKey(env, "tel", "service");
  auto server =
      ApiProcess::Start(env, {"--workers", "1"},
                        {"OTEL_EXPORTER_OTLP_ENDPOINT=" + (*receiver)->Url(""),
                         "OTEL_EXPORTER_OTLP_PROTOCOL=http/json", "OTEL_BSP_SCHEDULE_DELAY=100",
                         "OTEL_SERVICE_NAME=smartocr-test"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  httplib::MultipartFormDataItems items = {{"file", ReceiptPng(), "doc", "image/png"},
                                           {"doc_type", "receipt", "", ""}};
  httplib::Headers headers = Bearer(key);
  headers.emplace("traceparent", std::string("00-") + kClientTrace + "-" + kClientSpan + "-01");
  auto r = c->Post("/ocr/jobs", headers, items);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  const std::string id = Body(r)["id"];
  EXPECT_EQ(Body(r)["trace_id"], kClientTrace);
  nlohmann::json job = WaitForJob(*c, key, id);
  ASSERT_EQ(job["status"], "succeeded") << job.dump();
  EXPECT_EQ(job["trace_id"], kClientTrace);

  // The spans arrive in batches: wait for the job span (ended after its stages).
  std::vector<ExportedSpan> spans;
  ASSERT_TRUE(WaitUntil(
      [&] {
        spans = SpansFrom((*receiver)->Requests());
        return Find(spans, "job") != nullptr;
      },
      30000))
      << server->Log();
  for (const ReceivedRequest& req : (*receiver)->Requests()) {
    EXPECT_EQ(req.target, "/v1/traces");
    EXPECT_EQ(req.Header("content-type"), "application/json");
  }
  std::map<std::string, const ExportedSpan*> by_id;
  for (const ExportedSpan& s : spans) {
    if (s.trace_id == kClientTrace) by_id[s.span_id] = &s;
    EXPECT_EQ(s.service, "smartocr-test");
    EXPECT_LE(s.start_ns, s.end_ns) << s.name;
  }
  const ExportedSpan* request = Find(spans, "POST /ocr/jobs");
  const ExportedSpan* job_span = Find(spans, "job");
  const ExportedSpan* page = Find(spans, "page");
  const ExportedSpan* recognize = Find(spans, "recognize");
  const ExportedSpan* extract = Find(spans, "extract");
  ASSERT_TRUE(request && job_span && page && recognize && extract) << spans.size() << " spans";
  // client -> POST /ocr/jobs (server) -> job (consumer) -> page -> recognize; extract
  // under the job. One trace, the client's.
  EXPECT_EQ(request->trace_id, kClientTrace);
  EXPECT_EQ(request->parent, kClientSpan);
  EXPECT_EQ(request->kind, 2);
  EXPECT_EQ(request->attributes.at("http.route")["stringValue"], "/ocr/jobs");
  EXPECT_EQ(request->attributes.at("http.response.status_code")["intValue"], "202");
  EXPECT_EQ(job_span->trace_id, kClientTrace);
  EXPECT_EQ(job_span->parent, request->span_id);
  EXPECT_EQ(job_span->attributes.at("smartocr.job.id")["stringValue"], id);
  EXPECT_EQ(job_span->attributes.at("smartocr.job.outcome")["stringValue"], "succeeded");
  EXPECT_EQ(page->parent, job_span->span_id);
  EXPECT_EQ(page->attributes.at("smartocr.page")["intValue"], "1");
  EXPECT_EQ(recognize->parent, page->span_id);
  EXPECT_EQ(recognize->trace_id, kClientTrace);
  EXPECT_FALSE(
      recognize->attributes.at("smartocr.engine")["stringValue"].get<std::string>().empty());
  EXPECT_EQ(extract->parent, job_span->span_id);
  const ExportedSpan* stored = Find(spans, "store_result");
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(stored->parent, job_span->span_id);
  EXPECT_NE(stored->attributes.at("smartocr.result_uri")["stringValue"].get<std::string>().find(id),
            std::string::npos);
  // Every span of the trace hangs off another one of it, or the client's.
  for (const auto& [span_id, s] : by_id) {
    EXPECT_TRUE(s->parent == kClientSpan || by_id.count(s->parent) == 1) << s->name;
  }

  // The page image is drawn on the first GET and kept: its span, under the request's,
  // names where it is kept and whether it was drawn or read back.
  for (int i = 0; i < 2; ++i) {
    auto image = c->Get("/ocr/jobs/" + id + "/pages/1", Bearer(key));
    ASSERT_TRUE(image);
    ASSERT_EQ(image->status, 200) << image->body;
  }
  std::vector<const ExportedSpan*> images;
  ASSERT_TRUE(WaitUntil(
      [&] {
        spans = SpansFrom((*receiver)->Requests());
        images.clear();
        for (const ExportedSpan& s : spans) {
          if (s.name == "page_image") images.push_back(&s);
        }
        return images.size() == 2;
      },
      30000))
      << server->Log();
  for (size_t i = 0; i < images.size(); ++i) {
    const ExportedSpan* image = images[i];
    EXPECT_EQ(image->attributes.at("smartocr.page")["intValue"], "1");
    EXPECT_NE(
        image->attributes.at("smartocr.page.image_uri")["stringValue"].get<std::string>().find(
            "pages/"),
        std::string::npos);
    EXPECT_NE(
        image->attributes.at("smartocr.page.image_uri")["stringValue"].get<std::string>().find(id),
        std::string::npos);
    const ExportedSpan* get = nullptr;
    for (const ExportedSpan& s : spans) {
      if (s.span_id == image->parent) get = &s;
    }
    ASSERT_NE(get, nullptr);
    EXPECT_EQ(get->attributes.at("http.route")["stringValue"], "/ocr/jobs/{id}/pages/{n}");
  }
  std::set<bool> kept;
  for (const ExportedSpan* image : images) {
    kept.insert(image->attributes.at("smartocr.page.image_kept")["boolValue"].get<bool>());
  }
  EXPECT_EQ(kept, (std::set<bool>{false, true}));

  // Metrics after the run, in the exposition format promtool accepts.
  auto m = c->Get("/metrics");
  ASSERT_TRUE(m);
  ASSERT_EQ(m->status, 200);
  EXPECT_EQ(m->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  const std::string metrics = m->body;
  EXPECT_EQ(MetricSample(*server, R"(smartocr_jobs_total{outcome="succeeded"})"), 1);
  EXPECT_GE(MetricSample(*server, R"(smartocr_pages_total{source="ocr"})"), 1);
  EXPECT_EQ(
      MetricSample(*server,
                   R"(smartocr_http_requests_total{method="POST",route="/ocr/jobs",status="202"})"),
      1);
  EXPECT_EQ(MetricSample(*server, R"(smartocr_queue_depth{status="succeeded"})"), 1);
  EXPECT_EQ(MetricSample(*server, R"(smartocr_queue_depth{status="queued"})"), 0);
  EXPECT_GE(MetricSample(*server, R"(smartocr_field_confidence_count{doc_type="receipt"})"), 1);
  EXPECT_NE(metrics.find("smartocr_stage_duration_seconds_bucket{engine="), std::string::npos);
  EXPECT_NE(metrics.find("smartocr_build_info{"), std::string::npos);
  EXPECT_GE(MetricSample(*server, R"(smartocr_trace_spans_total{outcome="exported"})"), 5);
  if (HavePromtool()) {
    EXPECT_EQ(Promtool(env.dir(), metrics), "");
  } else {
    SMARTOCR_SKIP_OR_FAIL("promtool is not installed (Debian package prometheus)");
  }

  // Logs: JSON lines; the request line carries the client's trace; nothing of the
  // document (its words, its field values) or the key reaches a log or a metric.
  EXPECT_EQ(server->Stop(), 0);
  const std::string log = server->Log();
  ExpectJsonLines(log);
  EXPECT_NE(log.find(std::string("\"trace_id\":\"") + kClientTrace), std::string::npos) << log;
  for (const std::string& secret :
       {std::string("CORNER"), std::string("Bagel"), std::string("Coffee"),
        std::string("12/03/2024"), std::string("2024-03-12"), key, key.substr(0, 20)}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " in the log";
    EXPECT_EQ(metrics.find(secret), std::string::npos) << secret << " in the metrics";
  }
}

TEST(ApiTelemetry, WorkerServesMetricsOnItsOwnListener) {
  JobsEnv env;
  const int port = FreePort();
  const pid_t worker =
      env.StartWorker({"--metrics-listen", "127.0.0.1:" + std::to_string(port), "--poll-ms", "50"});
  ASSERT_TRUE(WaitUntil([&] { return PortOpen(port); }, 60000)) << env.WorkerLog(worker);
  httplib::Client c("127.0.0.1", port);
  auto r = c.Get("/metrics");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("smartocr_queue_depth{status=\"queued\"} 0"), std::string::npos)
      << r->body;
  EXPECT_NE(r->body.find("smartocr_build_info{"), std::string::npos);
  if (HavePromtool()) {
    EXPECT_EQ(Promtool(env.dir(), r->body), "");
  }
  r = c.Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  r = c.Get("/ocr/jobs");  // nothing else answers there
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  kill(worker, SIGTERM);
  EXPECT_EQ(env.WaitWorker(worker), 0);
  const std::string log = env.WorkerLog(worker);
  ExpectJsonLines(log);
  EXPECT_NE(log.find("\"msg\":\"started\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"metrics_port\":" + std::to_string(port)), std::string::npos) << log;
}

TEST(ApiTelemetry, UnsupportedOtelSettingsAreAUsageError) {
  JobsEnv env;
  const pid_t worker = env.StartWorker(
      {"--once"},
      {"OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:9", "OTEL_EXPORTER_OTLP_PROTOCOL=grpc"});
  EXPECT_EQ(env.WaitWorker(worker), 2);
  EXPECT_NE(env.WorkerLog(worker).find("http/json"), std::string::npos) << env.WorkerLog(worker);
  const pid_t taken = env.StartWorker({"--once", "--metrics-listen", "nonsense"});
  EXPECT_EQ(env.WaitWorker(taken), 2);
  EXPECT_NE(env.WorkerLog(taken).find("HOST:PORT"), std::string::npos) << env.WorkerLog(taken);
}

}  // namespace
}  // namespace smartocr::testing
