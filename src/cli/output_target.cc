#include "cli/output_target.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

namespace smartocr::cli {

namespace fs = std::filesystem;

core::Result<OutputPlan> PlanOutputs(const std::vector<std::string>& inputs,
                                     const std::string& output, const std::string& ext) {
  OutputPlan plan;
  if (output.empty()) {
    plan.to_stdout = true;
    return plan;
  }
  std::error_code ec;
  bool is_dir = fs::is_directory(output, ec);
  if (inputs.size() == 1 && !is_dir) {
    plan.paths.push_back(output);
    return plan;
  }
  if (!is_dir && !fs::create_directories(output, ec)) {
    return core::IoError("output_dir", "cannot create output directory " + output + ": " +
                                           (ec ? ec.message() : "not a directory"));
  }
  std::map<std::string, int> stems;
  // "-" (standard input) is written as stdin.EXT.
  auto path_of = [](const std::string& in) { return fs::path(in == "-" ? "stdin" : in); };
  for (const std::string& in : inputs) ++stems[path_of(in).stem().string()];
  for (const std::string& in : inputs) {
    fs::path p = path_of(in);
    std::string stem = p.stem().string();
    std::string name = stems[stem] > 1 ? p.filename().string() : stem;
    if (name.empty() || name == "." || name == "..") name = "input";
    name += ".";
    name += ext;
    plan.paths.push_back((fs::path(output) / name).string());
  }
  return plan;
}

std::string TempPathFor(const std::string& path) {
  return path + ".tmp-" + std::to_string(getpid());
}

core::Status WriteFileAtomically(const std::string& path, const std::string& bytes) {
  std::string tmp = TempPathFor(path);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      return core::IoError("write_output", "cannot write " + path + ": " + std::strerror(errno));
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return core::IoError("write_output", "cannot write " + path + ": " + ec.message());
  }
  return core::Status::Ok();
}

}  // namespace smartocr::cli
