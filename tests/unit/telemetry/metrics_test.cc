#include "telemetry/metrics.h"

#include <gtest/gtest.h>

#include <set>

#include "metric_value.h"

namespace smartocr::telemetry {
namespace {

bool Has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

TEST(MetricCatalogue, NamesFollowThePrometheusConventions) {
  std::set<std::string> names;
  for (const MetricInfo& m : MetricCatalogue()) {
    EXPECT_TRUE(names.insert(m.name).second) << "twice: " << m.name;
    EXPECT_TRUE(m.name.rfind("smartocr_", 0) == 0 || m.name.rfind("process_", 0) == 0) << m.name;
    EXPECT_TRUE(m.type == "counter" || m.type == "gauge" || m.type == "histogram") << m.name;
    const bool total = m.name.size() > 6 && m.name.substr(m.name.size() - 6) == "_total";
    EXPECT_EQ(total, m.type == "counter") << m.name << ": counters, and only they, end in _total";
    EXPECT_FALSE(m.help.empty()) << m.name;
    for (const char* id : {"job_id", "key", "document", "tenant"}) {
      EXPECT_EQ(m.labels.find(id), std::string::npos) << m.name << " labelled by " << id;
    }
  }
}

TEST(RenderMetrics, CountsRequestsAndHistograms) {
  const std::string before = RenderMetrics();
  ObserveHttpRequest("/ocr/jobs/{id}", "GET", 200, 0.03);
  ObserveHttpRequest("/ocr/jobs/{id}", "GET", 200, 2.0);
  ObserveHttpRequest("", "GET", 404, 0.001);  // unmatched paths share one label value
  const std::string text = RenderMetrics();
  EXPECT_EQ(
      MetricValue(
          R"(smartocr_http_requests_total{method="GET",route="/ocr/jobs/{id}",status="200"})"),
      2);
  EXPECT_EQ(
      MetricValue(R"(smartocr_http_requests_total{method="GET",route="unmatched",status="404"})"),
      1);
  EXPECT_TRUE(Has(text, "# TYPE smartocr_http_request_duration_seconds histogram"));
  EXPECT_EQ(
      MetricValue(
          R"(smartocr_http_request_duration_seconds_bucket{route="/ocr/jobs/{id}",le="0.05"})"),
      1);
  EXPECT_EQ(
      MetricValue(
          R"(smartocr_http_request_duration_seconds_bucket{route="/ocr/jobs/{id}",le="+Inf"})"),
      2);
  EXPECT_DOUBLE_EQ(
      MetricValue(R"(smartocr_http_request_duration_seconds_sum{route="/ocr/jobs/{id}"})"), 2.03);
}

TEST(RenderMetrics, InFlightGaugesFollowTheirGuards) {
  const double base = MetricValue("smartocr_http_requests_in_flight");
  {
    InFlightRequest a;
    InFlightRequest b;
    EXPECT_EQ(MetricValue("smartocr_http_requests_in_flight"), base + 2);
  }
  EXPECT_EQ(MetricValue("smartocr_http_requests_in_flight"), base);
  {
    InFlightJob job;
    EXPECT_EQ(MetricValue("smartocr_worker_jobs_in_flight"), 1);
  }
  EXPECT_EQ(MetricValue("smartocr_worker_jobs_in_flight"), 0);
}

TEST(RenderMetrics, PipelineWorkerAndDependencyFamilies) {
  ObserveStage("recognize", "tesseract", 0.4);
  CountPage("cache");
  ObserveFieldConfidence("receipt", 0.93);
  ObserveFieldConfidence("", 0.5);
  CountJobAttempt();
  CountJobOutcome("succeeded", 3.0);
  CountWebhookDelivery("retried");
  CountLlmRequest("circuit_open");
  SetCircuitState("llm", CircuitState::kOpen);
  SetGpuAvailable(false);
  SetBuildInfo("tesseract");
  EXPECT_EQ(
      MetricValue(R"(smartocr_stage_duration_seconds_count{engine="tesseract",stage="recognize"})"),
      1);
  EXPECT_EQ(MetricValue(R"(smartocr_pages_total{source="cache"})"), 1);
  EXPECT_EQ(MetricValue(R"(smartocr_field_confidence_bucket{doc_type="receipt",le="0.95"})"), 1);
  EXPECT_EQ(MetricValue(R"(smartocr_field_confidence_bucket{doc_type="receipt",le="0.9"})"), 0);
  EXPECT_EQ(MetricValue(R"(smartocr_field_confidence_count{doc_type="unknown"})"), 1);
  EXPECT_EQ(MetricValue(R"(smartocr_job_attempts_total)"), 1);
  EXPECT_EQ(MetricValue(R"(smartocr_jobs_total{outcome="succeeded"})"), 1);
  EXPECT_EQ(MetricValue(R"(smartocr_job_duration_seconds_bucket{outcome="succeeded",le="2"})"), 0);
  EXPECT_EQ(MetricValue(R"(smartocr_job_duration_seconds_bucket{outcome="succeeded",le="5"})"), 1);
  EXPECT_EQ(MetricValue(R"(smartocr_webhook_deliveries_total{outcome="retried"})"), 1);
  EXPECT_EQ(MetricValue(R"(smartocr_llm_requests_total{outcome="circuit_open"})"), 1);
  EXPECT_EQ(MetricValue(R"(smartocr_circuit_state{dependency="llm"})"), 2);
  EXPECT_TRUE(Has(RenderMetrics(), "smartocr_gpu_available 0"));
  EXPECT_TRUE(Has(RenderMetrics(), R"(engines="tesseract",version=")"));
}

TEST(RenderMetrics, QueueGaugesComeFromTheSourceAtScrapeTime) {
  SetQueueSource([] {
    QueueSnapshot s;
    s.depth_by_status = {{"queued", 7}, {"quarantined", 2}};
    s.oldest_queued_age_seconds = 42.5;
    s.review_queue_depth = 3;
    return core::Result<QueueSnapshot>(s);
  });
  EXPECT_EQ(MetricValue(R"(smartocr_queue_depth{status="queued"})"), 7);
  EXPECT_EQ(MetricValue("smartocr_queue_oldest_age_seconds"), 42.5);
  EXPECT_EQ(MetricValue("smartocr_quarantined_jobs"), 2);
  EXPECT_EQ(MetricValue("smartocr_review_queue_depth"), 3);
  // A store that cannot answer leaves the queue out; the rest still renders.
  SetQueueSource([] { return core::Result<QueueSnapshot>(core::Unavailable("db", "down")); });
  const std::string text = RenderMetrics();
  EXPECT_FALSE(Has(text, "smartocr_queue_depth"));
  EXPECT_TRUE(Has(text, "process_resident_memory_bytes"));
  SetQueueSource({});
}

TEST(RenderMetrics, ProcessFiguresAreSane) {
  EXPECT_GT(MetricValue("process_resident_memory_bytes"), 1e6);
  EXPECT_GT(MetricValue("process_open_fds"), 2);
  EXPECT_GT(MetricValue("process_max_fds"), 2);
  EXPECT_GT(MetricValue("process_start_time_seconds"), 1.6e9);
}

}  // namespace
}  // namespace smartocr::telemetry
