#include "cli/cli_log.h"

#include <atomic>
#include <cstdio>

#include "telemetry/log.h"

namespace smartocr::cli {
namespace {

std::atomic<LogFormat> g_format{LogFormat::kText};

}  // namespace

std::optional<std::string> TakeLogFormatFlag(std::vector<std::string>* args) {
  constexpr std::string_view kFlag = "--log-format";
  for (size_t i = 0; i < args->size(); ++i) {
    const std::string& a = (*args)[i];
    std::string value;
    size_t taken = 1;
    if (a == kFlag) {
      if (i + 1 >= args->size()) return "--log-format needs a value: text or json";
      value = (*args)[i + 1];
      taken = 2;
    } else if (a.rfind(std::string(kFlag) + "=", 0) == 0) {
      value = a.substr(kFlag.size() + 1);
    } else {
      continue;
    }
    if (value != "text" && value != "json") {
      return "--log-format must be text or json, got '" + value + "'";
    }
    g_format = value == "json" ? LogFormat::kJson : LogFormat::kText;
    args->erase(args->begin() + static_cast<std::ptrdiff_t>(i),
                args->begin() + static_cast<std::ptrdiff_t>(i + taken));
    --i;
  }
  return std::nullopt;
}

LogFormat CurrentLogFormat() { return g_format; }

void ReportError(std::string_view command, std::string_view message) {
  if (g_format == LogFormat::kJson) {
    telemetry::LogJson("error", message, {{"command", command}});
    return;
  }
  std::fprintf(stderr, "smartocr %.*s: %.*s\n", static_cast<int>(command.size()), command.data(),
               static_cast<int>(message.size()), message.data());
}

void ReportInputWarning(std::string_view prefix, std::string_view input, std::string_view message) {
  if (g_format == LogFormat::kJson) {
    telemetry::LogJson("warn", message, {{"input", input}});
    return;
  }
  std::fprintf(stderr, "%.*ssmartocr: %.*s: %.*s\n", static_cast<int>(prefix.size()), prefix.data(),
               static_cast<int>(input.size()), input.data(), static_cast<int>(message.size()),
               message.data());
}

}  // namespace smartocr::cli
