#include "telemetry/tracer.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>

#include "metric_value.h"
#include "telemetry/otlp_exporter.h"

namespace smartocr::telemetry {
namespace {

const SpanContext kParent{"4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true};

// Sets OTEL_* variables for one test and clears them after.
class OtelEnv : public ::testing::Test {
 protected:
  void Set(const char* name, const char* value) {
    setenv(name, value, 1);
    names_.push_back(name);
  }
  void TearDown() override {
    for (const char* n : names_) unsetenv(n);
    StartTracing(TracingConfig{});
  }

 private:
  std::vector<const char*> names_;
};

TEST(Span, ChildKeepsTheTraceAndNamesItsParent) {
  Span span = Span::Start("child", kParent, SpanKind::kServer);
  EXPECT_EQ(span.context().trace_id, kParent.trace_id);
  EXPECT_NE(span.context().span_id, kParent.span_id);
  EXPECT_TRUE(span.context().sampled);  // parentbased_always_on follows the parent
  Span root = Span::Start("root", SpanContext{});
  EXPECT_TRUE(root.context().valid());
  EXPECT_NE(root.context().trace_id, kParent.trace_id);
  {
    ScopedContext current(span.context());
    Span grandchild = Span::StartChild("grandchild");
    EXPECT_EQ(grandchild.context().trace_id, kParent.trace_id);
  }
  Span none;
  EXPECT_FALSE(none.context().valid());
  none.SetAttribute("a", int64_t{1});  // no-ops on an empty span
  none.End();
}

TEST_F(OtelEnv, SamplersDecideAsTheSpecSays) {
  Set("OTEL_TRACES_SAMPLER", "always_off");
  auto config = TracingConfigFromEnv("svc");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  StartTracing(*config);
  EXPECT_FALSE(Span::Start("x", kParent).context().sampled);
  EXPECT_FALSE(Span::Start("x", SpanContext{}).context().sampled);

  Set("OTEL_TRACES_SAMPLER", "parentbased_always_off");
  config = TracingConfigFromEnv("svc");
  ASSERT_TRUE(config.ok());
  StartTracing(*config);
  EXPECT_TRUE(Span::Start("x", kParent).context().sampled);  // the parent decides
  EXPECT_FALSE(Span::Start("x", SpanContext{}).context().sampled);

  Set("OTEL_TRACES_SAMPLER", "traceidratio");
  Set("OTEL_TRACES_SAMPLER_ARG", "0.25");
  config = TracingConfigFromEnv("svc");
  ASSERT_TRUE(config.ok());
  EXPECT_DOUBLE_EQ(config->ratio, 0.25);
  StartTracing(*config);
  int sampled = 0;
  for (int i = 0; i < 2000; ++i) sampled += Span::Start("x", SpanContext{}).context().sampled;
  EXPECT_GT(sampled, 350);
  EXPECT_LT(sampled, 650);
}

TEST_F(OtelEnv, EndpointsAndRefusals) {
  auto config = TracingConfigFromEnv("smartocr-api");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->endpoint, "");  // nothing asked: no export
  EXPECT_EQ(config->service_name, "smartocr-api");

  Set("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");
  Set("OTEL_SERVICE_NAME", "ocr");
  Set("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer x,tenant=a");
  config = TracingConfigFromEnv("smartocr-api");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->endpoint, "http://collector:4318/v1/traces");
  EXPECT_EQ(config->service_name, "ocr");
  EXPECT_EQ(config->headers.at("authorization"), "Bearer x");
  EXPECT_EQ(config->headers.at("tenant"), "a");

  Set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://other:9999/custom");
  config = TracingConfigFromEnv("svc");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->endpoint, "http://other:9999/custom");  // used as given

  Set("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
  config = TracingConfigFromEnv("svc");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("http/json"), std::string::npos);
  Set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json");
  EXPECT_TRUE(TracingConfigFromEnv("svc").ok());

  Set("OTEL_TRACES_SAMPLER", "sometimes");
  EXPECT_FALSE(TracingConfigFromEnv("svc").ok());
  Set("OTEL_TRACES_SAMPLER", "traceidratio");
  Set("OTEL_TRACES_SAMPLER_ARG", "1.5");
  EXPECT_FALSE(TracingConfigFromEnv("svc").ok());
  Set("OTEL_TRACES_SAMPLER_ARG", "0.5");
  Set("OTEL_BSP_MAX_QUEUE_SIZE", "-3");
  EXPECT_FALSE(TracingConfigFromEnv("svc").ok());
  Set("OTEL_BSP_MAX_QUEUE_SIZE", "10");
  Set("OTEL_SDK_DISABLED", "true");
  config = TracingConfigFromEnv("svc");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->endpoint, "");
}

TEST(OtlpJson, EncodesSpansAsTheJsonMapping) {
  SpanData s;
  s.context = {"4bf92f3577b34da6a3ce929d0e0e4736", "1111111111111111", true};
  s.parent_span_id = "00f067aa0ba902b7";
  s.name = "recognize";
  s.kind = SpanKind::kServer;
  s.start_unix_ns = 1700000000000000000;
  s.end_unix_ns = 1700000000500000000;
  s.attributes = {{"smartocr.page", int64_t{3}},
                  {"smartocr.engine", std::string("tesseract")},
                  {"ratio", 0.5},
                  {"ok", true}};
  s.error = true;
  s.status_message = "engine_failed";
  auto body = nlohmann::json::parse(internal::EncodeOtlpJson({s}, "svc"));
  const auto& rs = body["resourceSpans"][0];
  EXPECT_EQ(rs["resource"]["attributes"][0]["key"], "service.name");
  EXPECT_EQ(rs["resource"]["attributes"][0]["value"]["stringValue"], "svc");
  const auto& span = rs["scopeSpans"][0]["spans"][0];
  EXPECT_EQ(span["traceId"], s.context.trace_id);  // hex, not base64, in OTLP/JSON
  EXPECT_EQ(span["parentSpanId"], "00f067aa0ba902b7");
  EXPECT_EQ(span["kind"], 2);
  EXPECT_EQ(span["startTimeUnixNano"], "1700000000000000000");  // 64-bit as strings
  EXPECT_EQ(span["status"]["code"], 2);
  std::map<std::string, nlohmann::json> attributes;
  for (const auto& a : span["attributes"]) attributes[a["key"]] = a["value"];
  EXPECT_EQ(attributes["smartocr.page"]["intValue"], "3");
  EXPECT_EQ(attributes["smartocr.engine"]["stringValue"], "tesseract");
  EXPECT_EQ(attributes["ratio"]["doubleValue"], 0.5);
  EXPECT_EQ(attributes["ok"]["boolValue"], true);
}

TEST(OtlpExporter, DropsWhatDoesNotFitInsteadOfBlocking) {
  TracingConfig config;
  config.endpoint = "http://127.0.0.1:1/v1/traces";  // nothing listens: exports fail
  config.max_queue = 4;
  config.max_batch = 1000;  // never a full batch: the queue only fills
  config.schedule_ms = 60'000;
  config.export_timeout_ms = 200;
  const double dropped = MetricValue(R"(smartocr_trace_spans_total{outcome="dropped"})");
  const double failed = MetricValue(R"(smartocr_trace_spans_total{outcome="failed"})");
  {
    internal::OtlpExporter exporter(config);
    for (int i = 0; i < 10; ++i) exporter.Enqueue(SpanData{});
  }  // the destructor tries the 4 queued ones: the endpoint refuses
  EXPECT_EQ(MetricValue(R"(smartocr_trace_spans_total{outcome="dropped"})") - dropped, 6);
  EXPECT_EQ(MetricValue(R"(smartocr_trace_spans_total{outcome="failed"})") - failed, 4);
}

}  // namespace
}  // namespace smartocr::telemetry
