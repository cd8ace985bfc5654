#include "cli_runner.h"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

#include "fixtures.h"

namespace smartocr::testing {

namespace {
std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}
}  // namespace

std::string Shell(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

CliResult RunCli(const std::vector<std::string>& args, int timeout_s,
                 const std::string& stdin_path) {
  static const std::string dir = MakeTempDir();
  static int counter = 0;
  std::string err_path = dir + "/stderr-" + std::to_string(++counter);
  std::string cmd = "timeout -s KILL " + std::to_string(timeout_s) + " " + Quote(SMARTOCR_BIN);
  for (const std::string& a : args) cmd += " " + Quote(a);
  cmd += " 2>" + Quote(err_path) + " <" + Quote(stdin_path);
  CliResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.err = ReadFile(err_path);
  std::filesystem::remove(err_path);
  return r;
}

nlohmann::json WithoutTimings(nlohmann::json doc) {
  if (doc.is_object()) {
    doc.erase("timings_ms");
    for (auto& [key, value] : doc.items()) value = WithoutTimings(value);
  } else if (doc.is_array()) {
    for (auto& value : doc) value = WithoutTimings(value);
  }
  return doc;
}

}  // namespace smartocr::testing
