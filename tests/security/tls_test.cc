// tests/security/tls_test.cc
//
// `smartocr serve --tls-cert FILE --tls-key FILE` (issue 22): HTTPS only, TLS 1.2 and
// later with forward-secret AEAD suites, the certificate read again on SIGHUP, bad
// files a clear error. A test CA and server certificates are made with the openssl
// CLI at test time; clients are cpp-httplib's (OpenSSL) and `openssl s_client`.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "api_harness.h"
#include "cli_runner.h"

namespace smartocr::testing {
namespace {

// Runs a shell command; its output (stdout and stderr) and exit status.
struct Ran {
  int status = -1;
  std::string out;
};

Ran Sh(const std::string& command) {
  static const std::string kStatus = "@exit=";
  const std::string out = Shell("(" + command + ") 2>&1; echo " + kStatus + "$?");
  Ran r;
  const size_t at = out.rfind(kStatus);
  if (at == std::string::npos) return r;
  r.status = std::atoi(out.c_str() + at + kStatus.size());
  r.out = out.substr(0, at);
  return r;
}

// A test CA under `dir`, and server certificates it signs for 127.0.0.1.
class TestPki {
 public:
  explicit TestPki(std::string dir) : dir_(std::move(dir)) {
    ok_ = Sh("cd '" + dir_ +
             "' && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
             " -keyout ca.key -out ca.pem -subj '/CN=SmartOCR test CA' -days 2")
              .status == 0;
    std::ofstream(dir_ + "/san.ext") << "subjectAltName=IP:127.0.0.1\n";
  }
  bool ok() const { return ok_; }
  std::string ca() const { return dir_ + "/ca.pem"; }

  // Writes <name>.pem and <name>.key: a certificate with serial `serial`.
  bool Issue(const std::string& name, int serial) const {
    return Sh("cd '" + dir_ + "' && openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256" +
              " -nodes -keyout " + name + ".key -out " + name + ".csr -subj /CN=127.0.0.1" +
              " && openssl x509 -req -in " + name + ".csr -CA ca.pem -CAkey ca.key -set_serial " +
              std::to_string(serial) + " -days 2 -extfile san.ext -out " + name + ".pem")
               .status == 0;
  }
  std::string cert(const std::string& name) const { return dir_ + "/" + name + ".pem"; }
  std::string key(const std::string& name) const { return dir_ + "/" + name + ".key"; }

 private:
  std::string dir_;
  bool ok_ = false;
};

// `openssl s_client` to the server with these extra flags (a TLS version, a cipher).
Ran Handshake(int port, const std::string& flags) {
  return Sh("openssl s_client -connect 127.0.0.1:" + std::to_string(port) + " " + flags +
            " </dev/null");
}

// The serial number of the certificate the server presents, as openssl prints it
// ("serial=3E9"), or "" when the handshake fails.
std::string ServedSerial(int port, const std::string& ca) {
  Ran r = Sh("openssl s_client -connect 127.0.0.1:" + std::to_string(port) + " -CAfile '" + ca +
             "' -verify_return_error </dev/null 2>/dev/null | openssl x509 -noout -serial");
  if (r.status != 0) return "";
  std::string s = r.out;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::unique_ptr<httplib::SSLClient> HttpsClient(int port, const std::string& ca) {
  auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", port);
  if (!ca.empty()) c->set_ca_cert_path(ca.c_str());
  c->enable_server_certificate_verification(true);
  c->set_connection_timeout(5, 0);
  c->set_read_timeout(30, 0);
  return c;
}

class Tls : public ::testing::Test {
 protected:
  void SetUp() override {
    pki_dir_ = env_.dir() + "/pki";
    std::filesystem::create_directories(pki_dir_);
    pki_ = std::make_unique<TestPki>(pki_dir_);
    ASSERT_TRUE(pki_->ok()) << "openssl could not make a test CA";
    ASSERT_TRUE(pki_->Issue("server", 1001));
  }

  std::unique_ptr<ApiProcess> StartTls() {
    return ApiProcess::Start(env_, {"--workers", "0", "--tls-cert", pki_->cert("server"),
                                    "--tls-key", pki_->key("server")});
  }

  JobsEnv env_;
  std::string pki_dir_;
  std::unique_ptr<TestPki> pki_;
};

TEST_F(Tls, ServesHttpsWithModernSettingsOnly) {
  const std::string key = CreateKey(env_, "acme", "viewer");
  auto server = StartTls();
  ASSERT_NE(server, nullptr);
  const int port = server->port();

  auto https = HttpsClient(port, pki_->ca());
  auto r = https->Get("/healthz");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  r = https->Get("/ocr/jobs", Bearer(key));
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200) << r->body;

  // A client that does not trust the test CA (the system's CAs only) refuses the
  // certificate; plain HTTP on the TLS port gets no HTTP answer.
  EXPECT_FALSE(HttpsClient(port, "")->Get("/healthz"));
  auto plain = server->Client();
  plain->set_read_timeout(5, 0);
  auto p = plain->Get("/healthz");
  EXPECT_TRUE(!p || p->status != 200);

  // TLS 1.2 and 1.3 connect; 1.0 and 1.1 do not, even from a client that allows them
  // (SECLEVEL=0); TLS 1.2 suites without AEAD (CBC), which OpenSSL's defaults would
  // take with this certificate, are refused.
  Ran v13 = Handshake(port, "-tls1_3");
  EXPECT_EQ(v13.status, 0) << v13.out;
  EXPECT_NE(v13.out.find("TLSv1.3"), std::string::npos) << v13.out;
  Ran v12 = Handshake(port, "-tls1_2");
  EXPECT_EQ(v12.status, 0) << v12.out;
  EXPECT_NE(v12.out.find("ECDHE"), std::string::npos) << v12.out;
  for (const char* old : {"-tls1_1", "-tls1"}) {
    Ran r_old = Handshake(port, std::string(old) + " -cipher DEFAULT@SECLEVEL=0");
    EXPECT_NE(r_old.status, 0) << old << "\n" << r_old.out;
  }
  Ran weak = Handshake(
      port, "-tls1_2 -cipher ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES128-SHA256@SECLEVEL=0");
  EXPECT_NE(weak.status, 0) << weak.out;

  // The server still answers after all that.
  r = https->Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(server->Stop(), 0);
}

TEST_F(Tls, SighupReadsTheCertificateAgain) {
  auto server = StartTls();
  ASSERT_NE(server, nullptr);
  const int port = server->port();
  EXPECT_EQ(ServedSerial(port, pki_->ca()), "serial=03E9");  // 1001

  // A renewed certificate replaces the files; SIGHUP makes new connections use it.
  ASSERT_TRUE(pki_->Issue("renewed", 1002));
  std::filesystem::copy_file(pki_->cert("renewed"), pki_->cert("server"),
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(pki_->key("renewed"), pki_->key("server"),
                             std::filesystem::copy_options::overwrite_existing);
  ASSERT_EQ(::kill(server->pid(), SIGHUP), 0);
  EXPECT_TRUE(WaitUntil([&] { return ServedSerial(port, pki_->ca()) == "serial=03EA"; }, 10'000))
      << server->Log();

  // A broken file on the next SIGHUP: the server says so and keeps the certificate it has.
  std::ofstream(pki_->cert("server"), std::ios::trunc) << "not a certificate\n";
  ASSERT_EQ(::kill(server->pid(), SIGHUP), 0);
  EXPECT_TRUE(WaitUntil(
      [&] { return server->Log().find("TLS reload failed") != std::string::npos; }, 10'000))
      << server->Log();
  EXPECT_EQ(ServedSerial(port, pki_->ca()), "serial=03EA");
  EXPECT_EQ(server->Stop(), 0);
}

TEST_F(Tls, BadTlsFlagsAreAClearErrorAtStart) {
  std::vector<std::string> service = env_.ServiceArgs();
  auto serve = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"serve", "--listen", "127.0.0.1:0", "--workers", "0"});
    args.insert(args.end(), service.begin(), service.end());
    return RunCli(args, 120);
  };
  CliResult only_cert = serve({"--tls-cert", pki_->cert("server")});
  EXPECT_EQ(only_cert.exit_code, 2) << only_cert.err;
  EXPECT_NE(only_cert.err.find("--tls-cert and --tls-key go together"), std::string::npos)
      << only_cert.err;

  CliResult missing =
      serve({"--tls-cert", pki_dir_ + "/missing.pem", "--tls-key", pki_->key("server")});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("--tls-cert " + pki_dir_ + "/missing.pem"), std::string::npos)
      << missing.err;

  // A key of another certificate.
  ASSERT_TRUE(pki_->Issue("other", 1003));
  CliResult mismatch = serve({"--tls-cert", pki_->cert("server"), "--tls-key", pki_->key("other")});
  EXPECT_NE(mismatch.exit_code, 0);
  EXPECT_NE(mismatch.err.find("does not match the certificate"), std::string::npos) << mismatch.err;
}

}  // namespace
}  // namespace smartocr::testing
