#include "api_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <thread>

#include "fixtures.h"
#include "required.h"

namespace smartocr::testing {

std::unique_ptr<ApiProcess> ApiProcess::Start(JobsEnv& env, const std::vector<std::string>& args,
                                              const std::vector<std::string>& environment) {
  static int counter = 0;
  const std::string tag = std::to_string(::getpid()) + "-" + std::to_string(counter++);
  const std::string port_file = env.dir() + "/port-" + tag;
  std::unique_ptr<ApiProcess> p(new ApiProcess());
  p->env_ = &env;
  p->log_ = env.dir() + "/serve-" + tag + ".log";
  std::vector<std::string> argv = {SMARTOCR_BIN,  "serve",   "--listen",  "127.0.0.1:0",
                                   "--port-file", port_file, "--poll-ms", "50"};
  argv.insert(argv.end(), args.begin(), args.end());
  for (const std::string& a : env.ServiceArgs()) argv.push_back(a);
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(p->log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 2);
      ::dup2(fd, 1);
    }
    for (const std::string& e : environment) ::putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> cargv;
    for (std::string& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
  }
  p->pid_ = pid;
  const bool up = WaitUntil(
      [&] {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
          p->pid_ = -1;
          return true;
        }
        return std::filesystem::exists(port_file);
      },
      60'000);
  if (!up || p->pid_ < 0) {
    ADD_FAILURE() << "smartocr serve did not start:\n" << p->Log();
    return nullptr;
  }
  p->port_ = std::stoi(ReadFile(port_file));
  return p;
}

ApiProcess::~ApiProcess() {
  if (pid_ > 0 && ::kill(pid_, SIGKILL) == 0) ::waitpid(pid_, nullptr, 0);
}

std::unique_ptr<httplib::Client> ApiProcess::Client() const {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
  c->set_read_timeout(60, 0);
  c->set_connection_timeout(5, 0);
  return c;
}

int ApiProcess::Stop(int timeout_s) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  const bool done =
      WaitUntil([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, timeout_s * 1000);
  if (!done) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return -1;
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string ApiProcess::Log() const { return ReadFile(log_); }

std::string CreateKey(JobsEnv& env, const std::string& tenant, const std::string& role) {
  CliResult r = env.Cli({"admin", "key", "create", "--tenant", tenant, "--role", role});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
}

httplib::Headers Bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

double MetricSample(ApiProcess& server, const std::string& series) {
  auto r = server.Client()->Get("/metrics");
  if (!r || r->status != 200) return -1;
  std::istringstream lines(r->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

std::string ReceiptPng() {
  FixturePage page;
  page.width_pt = 300;
  page.height_pt = 260;
  page.runs =
      Paragraph({"CORNER CAFE", "Date 12/03/2024", "Coffee 3.50", "Bagel 4.00", "TOTAL 7.50"}, 24,
                40, 14, 22);
  cv::Mat image = RenderPage(page, 200);
  std::vector<unsigned char> png;
  cv::imencode(".png", image, png);
  return std::string(png.begin(), png.end());
}

std::string InvoicePdf(const std::string& dir) {
  FixturePage page;
  page.runs = Paragraph({"INVOICE 2024-0042", "Acme Supplies Ltd", "Total due 128.40 EUR"}, 72, 72);
  const std::string path = dir + "/invoice.pdf";
  WritePdf(path, {page});
  return ReadFile(path);
}

httplib::Result PostFile(httplib::Client& client, const std::string& path, const std::string& key,
                         const std::string& bytes,
                         const std::vector<std::pair<std::string, std::string>>& fields) {
  httplib::MultipartFormDataItems items = {{"file", bytes, "doc", "application/octet-stream"}};
  for (const auto& [name, value] : fields) items.push_back({name, value, "", ""});
  return client.Post(path.c_str(), Bearer(key), items);
}

nlohmann::json Body(const httplib::Result& r) {
  if (!r) return nlohmann::json();
  return nlohmann::json::parse(r->body, nullptr, /*allow_exceptions=*/false);
}

nlohmann::json WaitForJob(httplib::Client& c, const std::string& key, const std::string& id) {
  nlohmann::json job;
  WaitUntil(
      [&] {
        auto r = c.Get(("/ocr/jobs/" + id).c_str(), Bearer(key));
        if (r && r->status == 429) return false;  // polled too fast for the key's limit
        job = Body(r);
        const std::string status = job.value("status", "");
        return status != "queued" && status != "running";
      },
      90'000);
  return job;
}

std::string ErrorCode(const httplib::Result& r) {
  nlohmann::json j = Body(r);
  if (!j.is_object() || !j.contains("error")) return "";
  return j["error"].value("code", "");
}

int ConnectLoopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool PortOpen(int port) {
  const int fd = ConnectLoopback(port);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string ReceiptEngine(ApiProcess& server) {
  WaitUntil([&] { return server.Log().find("listening on") != std::string::npos; }, 5000);
  const std::string log = server.Log();
  if (log.find("hybrid (receipt)") != std::string::npos) return "hybrid";
  if (DependenciesRequired()) {
    ADD_FAILURE() << "required dependency: no hybrid engine for receipts (PP-OCR models "
                     "missing?): "
                  << log;
  }
  return "tesseract";
}

std::string RunReceiptJob(httplib::Client& c, const std::string& key) {
  auto r = PostFile(c, "/ocr/jobs", key, ReceiptPng());
  EXPECT_EQ(r->status, 202) << r->body;
  const std::string id = Body(r).value("id", "");
  EXPECT_EQ(WaitForJob(c, key, id)["status"], "succeeded");
  EXPECT_EQ(c.Get(("/ocr/jobs/" + id + "/pages/1").c_str(), Bearer(key))->status, 200);
  return id;
}

}  // namespace smartocr::testing
