// An eval report (Report::ToJson) in the Prometheus text format, for a node exporter's
// textfile collector or a push gateway: accuracy tracked beside the service's metrics.
#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include "core/version.h"
#include "eval/eval.h"

namespace smartocr::eval {
namespace {

using Labels = std::vector<prometheus::ClientMetric::Label>;

prometheus::MetricFamily Gauge(const std::string& name, const std::string& help) {
  return {name, help, prometheus::MetricType::Gauge, {}};
}

void Add(prometheus::MetricFamily& family, Labels labels, double value) {
  prometheus::ClientMetric m;
  m.label = std::move(labels);
  m.gauge.value = value;
  family.metric.push_back(std::move(m));
}

double Number(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : 0.0;
}

}  // namespace

std::string ReportToPrometheus(const nlohmann::json& report, int64_t unix_seconds) {
  // Which run: the dataset, the engine (name and version) and SmartOCR's version, which
  // is the extractor's.
  const Labels run = {{"dataset", report.value("dataset", "")},
                      {"engine", report.value("engine_version", "")},
                      {"smartocr_version", core::kVersion}};
  auto with = [&run](const std::string& name, const std::string& value) {
    Labels l = run;
    l.push_back({name, value});
    return l;
  };
  std::vector<prometheus::MetricFamily> out;
  // One family with one sample labelled by the run.
  auto single = [&out, &run](const char* name, const char* help, double value) {
    prometheus::MetricFamily family = Gauge(name, help);
    Add(family, run, value);
    out.push_back(std::move(family));
  };
  single("smartocr_eval_documents", "Documents in the evaluated set.", Number(report, "documents"));
  single("smartocr_eval_failed_documents", "Documents that gave no result.",
         Number(report, "failed"));
  if (report.contains("text")) {
    const nlohmann::json& t = report["text"];
    single("smartocr_eval_word_f1", "Word F1 of the text against the labels.",
           Number(t, "word_f1"));
    single("smartocr_eval_cer", "Character error rate of the text.", Number(t, "cer"));
    single("smartocr_eval_wer", "Word error rate of the text.", Number(t, "wer"));
  }
  if (report.contains("fields")) {
    auto field_f1 = Gauge("smartocr_eval_field_f1", "Field F1 per field (field=\"micro\": all).");
    for (const auto& [name, f] : report["fields"].items()) {
      Add(field_f1, with("field", name), Number(f, "f1"));
    }
    if (report.contains("fields_micro")) {
      Add(field_f1, with("field", "micro"), Number(report["fields_micro"], "f1"));
    }
    out.push_back(std::move(field_f1));
  }
  if (report.contains("mrz_exact")) {
    single("smartocr_eval_mrz_exact", "MRZ read exactly, by documents.",
           Number(report["mrz_exact"], "exact"));
    single("smartocr_eval_mrz_false_valid", "MRZ fields called valid that are wrong.",
           Number(report["mrz_valid"], "false_valid"));
  }
  single("smartocr_eval_last_run_timestamp_seconds", "When this evaluation ran.",
         static_cast<double>(unix_seconds));
  return prometheus::TextSerializer().Serialize(out);
}

}  // namespace smartocr::eval
