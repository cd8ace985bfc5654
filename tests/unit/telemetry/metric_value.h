// tests/unit/telemetry/metric_value.h: reads one sample out of RenderMetrics().
#ifndef SMARTOCR_TESTS_UNIT_TELEMETRY_METRIC_VALUE_H_
#define SMARTOCR_TESTS_UNIT_TELEMETRY_METRIC_VALUE_H_

#include <sstream>
#include <string>

#include "telemetry/metrics.h"

namespace smartocr::telemetry {

// The value of the sample whose name-and-labels text is exactly `series`
// (e.g. `smartocr_pages_total{source="ocr"}`); 0 when absent.
inline double MetricValue(const std::string& series) {
  std::istringstream in(RenderMetrics());
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return 0;
}

}  // namespace smartocr::telemetry

#endif  // SMARTOCR_TESTS_UNIT_TELEMETRY_METRIC_VALUE_H_
