// src/telemetry/process_metrics.h (internal)
//
// The standard process_* figures, read from /proc/self at scrape time.
#ifndef SMARTOCR_TELEMETRY_PROCESS_METRICS_H_
#define SMARTOCR_TELEMETRY_PROCESS_METRICS_H_

namespace smartocr::telemetry {

struct ProcessStats {
  bool ok = false;  // false where /proc cannot be read
  double cpu_seconds = 0;
  double resident_bytes = 0;
  double virtual_bytes = 0;
  double open_fds = 0;
  double max_fds = 0;
  double start_time_seconds = 0;
};

ProcessStats ReadProcessStats();

}  // namespace smartocr::telemetry

#endif  // SMARTOCR_TELEMETRY_PROCESS_METRICS_H_
