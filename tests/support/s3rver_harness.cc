// tests/support/s3rver_harness.cc
#include "s3rver_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <thread>
#include <vector>

namespace smartocr::testing {
namespace {

std::string S3rverBinary() {
  const char* env = std::getenv("SMARTOCR_S3RVER");
  if (env != nullptr && env[0] != '\0') return env;
  return "/opt/smartocr-tools/node_modules/.bin/s3rver";
}

// A port the kernel just handed out. s3rver cannot report the port it bound when
// given 0 (with --silent), so we pick one; the window for another process to take it
// is tiny on a test machine.
int FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

// True once something accepts connections and answers an HTTP request on `port`.
bool Answers(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    timeval tv{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    const std::string request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    char buf[16];
    ok = ::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size()) &&
         ::read(fd, buf, sizeof buf) > 0;
  }
  ::close(fd);
  return ok;
}

}  // namespace

std::unique_ptr<S3rver> S3rver::Start(const std::string& bucket, std::string* why_not) {
  const std::string binary = S3rverBinary();
  if (::access(binary.c_str(), X_OK) != 0) {
    *why_not =
        "s3rver not found at " + binary + " (run scripts/install-deps.sh or set SMARTOCR_S3RVER)";
    return nullptr;
  }
  std::string tmpl = (std::filesystem::temp_directory_path() / "s3rver-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    *why_not = "mkdtemp failed";
    return nullptr;
  }
  const std::string dir = tmpl;
  std::filesystem::create_directory(dir + "/data");
  const int port = FreeLoopbackPort();
  if (port <= 0) {
    *why_not = "no free loopback port";
    std::filesystem::remove_all(dir);
    return nullptr;
  }
  const std::string port_text = std::to_string(port);
  const std::string data = dir + "/data";
  const std::string log = dir + "/s3rver.log";
  std::vector<std::string> args = {
      binary,     "--directory",        data,  "--port", port_text, "--address", "127.0.0.1",
      "--silent", "--configure-bucket", bucket};

  // Everything the child needs is built before fork: after it, only async-signal-safe
  // calls are safe in a process that may have other threads.
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  // s3rver makes ListObjectsV2 continuation tokens with DES, which Node 20's OpenSSL 3
  // only has in its legacy provider: without it a listing past 1000 keys is a 500.
  std::string legacy = "NODE_OPTIONS=--openssl-legacy-provider";
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).rfind("NODE_OPTIONS=", 0) != 0) envp.push_back(*e);
  }
  envp.push_back(legacy.data());
  envp.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    *why_not = "fork failed";
    std::filesystem::remove_all(dir);
    return nullptr;
  }
  if (pid == 0) {
    // Own process group, so the destructor can stop node and anything it spawned.
    ::setpgid(0, 0);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also from the parent, so it holds whichever runs first
  std::unique_ptr<S3rver> server(new S3rver(pid, port, bucket, dir));

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      server->pid_ = -1;
      *why_not = "s3rver exited early: " + server->Log();
      return nullptr;
    }
    if (Answers(port)) return server;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  *why_not = "s3rver did not answer on port " + port_text + " within 20 s: " + server->Log();
  return nullptr;
}

S3rver::S3rver(pid_t pid, int port, std::string bucket, std::string dir)
    : pid_(pid), port_(port), bucket_(std::move(bucket)), dir_(std::move(dir)) {}

S3rver::~S3rver() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGTERM);
    bool exited = false;
    for (int i = 0; i < 50 && !exited; ++i) {
      int status = 0;
      exited = ::waitpid(pid_, &status, WNOHANG) == pid_;
      if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!exited) {
      ::kill(-pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string S3rver::endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

void S3rver::ExportCredentials() {
  setenv("AWS_ACCESS_KEY_ID", kAccessKey, 1);
  setenv("AWS_SECRET_ACCESS_KEY", kSecretKey, 1);
}

std::string S3rver::StoreUrl() const {
  return "s3://" + bucket_ + "?endpoint=" + endpoint() + "&region=" + kRegion;
}

std::string S3rver::Log() const {
  std::ifstream in(dir_ + "/s3rver.log");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace smartocr::testing
