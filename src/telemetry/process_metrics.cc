#include "telemetry/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace smartocr::telemetry {
namespace {

// Seconds since the epoch at which the machine booted (/proc/stat "btime").
double BootTime() {
  std::ifstream in("/proc/stat");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime") {
      in >> value;
      return value;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

}  // namespace

ProcessStats ReadProcessStats() {
  ProcessStats s;
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return s;
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return s;
  std::istringstream fields(line.substr(close + 2));
  std::string f[24];
  for (std::string& v : f) fields >> v;
  if (!fields) return s;
  // f[0] is field 3 (state): utime 14, stime 15, starttime 22, vsize 23, rss 24.
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  s.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / ticks;
  s.start_time_seconds = BootTime() + std::stod(f[19]) / ticks;
  s.virtual_bytes = std::stod(f[20]);
  s.resident_bytes = std::stod(f[21]) * page;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    s.open_fds += 1;
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) s.max_fds = static_cast<double>(limit.rlim_cur);
  s.ok = true;
  return s;
}

}  // namespace smartocr::telemetry
