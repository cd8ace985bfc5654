#include "telemetry/otlp_exporter.h"

#include <curl/curl.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/version.h"
#include "telemetry/metrics.h"

namespace smartocr::telemetry::internal {
namespace {

using nlohmann::json;

json AttributeJson(const std::string& key, const AttributeValue& value) {
  json v;
  if (const auto* s = std::get_if<std::string>(&value)) {
    v["stringValue"] = *s;
  } else if (const auto* i = std::get_if<int64_t>(&value)) {
    v["intValue"] = std::to_string(*i);  // int64 is a string in OTLP/JSON
  } else if (const auto* d = std::get_if<double>(&value)) {
    v["doubleValue"] = *d;
  } else {
    v["boolValue"] = std::get<bool>(value);
  }
  return {{"key", key}, {"value", v}};
}

json SpanJson(const SpanData& s) {
  json j = {{"traceId", s.context.trace_id},
            {"spanId", s.context.span_id},
            {"name", s.name},
            {"kind", static_cast<int>(s.kind)},
            {"startTimeUnixNano", std::to_string(s.start_unix_ns)},
            {"endTimeUnixNano", std::to_string(s.end_unix_ns)}};
  if (!s.parent_span_id.empty()) j["parentSpanId"] = s.parent_span_id;
  json attributes = json::array();
  for (const auto& [key, value] : s.attributes) attributes.push_back(AttributeJson(key, value));
  j["attributes"] = std::move(attributes);
  if (!s.links.empty()) {
    json links = json::array();
    for (const SpanContext& l : s.links) {
      links.push_back({{"traceId", l.trace_id}, {"spanId", l.span_id}});
    }
    j["links"] = std::move(links);
  }
  // STATUS_CODE_ERROR = 2; unset (0) otherwise.
  if (s.error) j["status"] = {{"code", 2}, {"message", s.status_message}};
  return j;
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

}  // namespace

std::string EncodeOtlpJson(const std::vector<SpanData>& spans, const std::string& service_name) {
  json list = json::array();
  for (const SpanData& s : spans) list.push_back(SpanJson(s));
  json resource = {
      {"attributes", json::array({AttributeJson("service.name", service_name),
                                  AttributeJson("service.version", std::string(core::kVersion))})}};
  json body = {
      {"resourceSpans",
       json::array({{{"resource", resource},
                     {"scopeSpans",
                      json::array({{{"scope", {{"name", "smartocr"}, {"version", core::kVersion}}},
                                    {"spans", list}}})}}})}};
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

OtlpExporter::OtlpExporter(TracingConfig config) : config_(std::move(config)) {
  thread_ = std::thread([this] { Loop(); });
}

OtlpExporter::~OtlpExporter() {
  {
    core::MutexLock lock(mu_);
    stopping_ = true;
  }
  wake_.NotifyAll();
  thread_.join();
}

void OtlpExporter::Enqueue(SpanData span) {
  bool full_batch = false;
  {
    core::MutexLock lock(mu_);
    if (queue_.size() >= config_.max_queue) {
      CountSpans("dropped", 1);
      return;
    }
    queue_.push_back(std::move(span));
    full_batch = queue_.size() >= config_.max_batch;
  }
  if (full_batch) wake_.NotifyAll();
}

void OtlpExporter::Loop() {
  while (true) {
    std::vector<SpanData> batch;
    bool last = false;
    {
      core::MutexLock lock(mu_);
      const auto deadline =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.schedule_ms);
      while (!stopping_ && queue_.size() < config_.max_batch && wake_.WaitUntil(mu_, deadline)) {
      }
      while (!queue_.empty() && batch.size() < config_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      last = stopping_ && queue_.empty();
    }
    if (!batch.empty()) Export(batch);
    if (last) return;
  }
}

void OtlpExporter::Export(const std::vector<SpanData>& batch) {
  const std::string body = EncodeOtlpJson(batch, config_.service_name);
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    CountSpans("failed", static_cast<int64_t>(batch.size()));
    return;
  }
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  for (const auto& [name, value] : config_.headers) {
    std::string line = name;
    line += ": ";
    line += value;
    headers = curl_slist_append(headers, line.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, config_.endpoint.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.export_timeout_ms));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  const bool ok = rc == CURLE_OK && status >= 200 && status < 300;
  CountSpans(ok ? "exported" : "failed", static_cast<int64_t>(batch.size()));
}

}  // namespace smartocr::telemetry::internal
