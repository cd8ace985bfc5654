// tests/integration/api_harness.h
//
// For the API integration tests: the real `smartocr serve` started on a free
// loopback port (it writes the port to a file) over a JobsEnv's stores, API keys made
// with `smartocr admin key create`, an HTTP client, and rendered test documents.
#ifndef SMARTOCR_TESTS_INTEGRATION_API_HARNESS_H_
#define SMARTOCR_TESTS_INTEGRATION_API_HARNESS_H_

#include <httplib.h>
#include <sys/types.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "jobs_harness.h"

namespace smartocr::testing {

class ApiProcess {
 public:
  // `smartocr serve --listen 127.0.0.1:0 ARGS... <env's service args>`; waits until it
  // listens. Fails the test (and returns null) when it does not within 60 s.
  static std::unique_ptr<ApiProcess> Start(JobsEnv& env, const std::vector<std::string>& args,
                                           const std::vector<std::string>& environment = {});
  ~ApiProcess();  // SIGKILL when still running
  ApiProcess(const ApiProcess&) = delete;
  ApiProcess& operator=(const ApiProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::unique_ptr<httplib::Client> Client() const;
  // SIGTERM, then waits; the exit code (128 + signal when killed; -1 on timeout).
  int Stop(int timeout_s = 30);
  std::string Log() const;

 private:
  ApiProcess() = default;
  JobsEnv* env_ = nullptr;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_;
};

// A new key from `smartocr admin key create` (creates the tenant when needed).
std::string CreateKey(JobsEnv& env, const std::string& tenant, const std::string& role);

httplib::Headers Bearer(const std::string& key);

// A small receipt rendered to PNG bytes (fast to OCR) and a born-digital PDF's bytes.
std::string ReceiptPng();
std::string InvoicePdf(const std::string& dir);

// POSTs `bytes` as multipart part "file" (plus text parts) to `path`.
httplib::Result PostFile(httplib::Client& client, const std::string& path, const std::string& key,
                         const std::string& bytes,
                         const std::vector<std::pair<std::string, std::string>>& fields = {});

nlohmann::json Body(const httplib::Result& r);
// Submits ReceiptPng() as a job of `key`'s tenant, waits until it succeeds and reads
// page 1's image (which keeps it as a blob too); the job id. Test failures otherwise.
std::string RunReceiptJob(httplib::Client& c, const std::string& key);
// Polls GET /ocr/jobs/{id} until the job is neither queued nor running (90 s at most);
// the last job object read.
nlohmann::json WaitForJob(httplib::Client& c, const std::string& key, const std::string& id);
// The value of `series` (a sample's name and labels as /metrics writes them, e.g.
// `smartocr_pages_total{source="ocr"}`) on the server's GET /metrics; -1 when absent.
double MetricSample(ApiProcess& server, const std::string& series);
// The error code of an error reply ("" when the body is not one).
std::string ErrorCode(const httplib::Result& r);

// The engine `server` (--engine auto) reads receipts with: "hybrid" when its startup
// line says so (the PP-OCR models are installed), else "tesseract". Under CI, which
// installs the models (scripts/install-deps.sh), "tesseract" is also a test failure.
std::string ReceiptEngine(ApiProcess& server);

// A socket connected to the loopback `port`, or -1 (the caller closes it).
int ConnectLoopback(int port);

// Whether something accepts TCP connections on the loopback `port`.
bool PortOpen(int port);

// A loopback TCP port that was free a moment ago.
int FreePort();

}  // namespace smartocr::testing

#endif  // SMARTOCR_TESTS_INTEGRATION_API_HARNESS_H_
