// tests/support/s3rver_harness.h
//
// Starts npm's s3rver (a local S3 emulator; 3.7.1 does not verify SigV4 signatures) on a free
// loopback port with a scratch data directory and one bucket, for tests that need a
// real S3 endpoint. The binary is $SMARTOCR_S3RVER, else
// /opt/smartocr-tools/node_modules/.bin/s3rver (scripts/install-deps.sh installs it).
//
//   std::string why;
//   std::unique_ptr<S3rver> s3 = S3rver::Start("test-bucket", &why);
//   if (!s3) SMARTOCR_SKIP_OR_FAIL(why);  // required.h
//   OpenBlobStore(s3->StoreUrl(), ...) with S3rver::kAccessKey / kSecretKey.
//
// Thread safety: one thread per S3rver object; the server itself serves any thread.
#ifndef SMARTOCR_TESTS_SUPPORT_S3RVER_HARNESS_H_
#define SMARTOCR_TESTS_SUPPORT_S3RVER_HARNESS_H_

#include <sys/types.h>

#include <memory>
#include <string>

namespace smartocr::testing {

class S3rver {
 public:
  // s3rver's fixed account.
  static constexpr const char* kAccessKey = "S3RVER";
  static constexpr const char* kSecretKey = "S3RVER";
  static constexpr const char* kRegion = "us-east-1";

  // Starts the server and waits (up to 20 s) until it answers. Returns null and sets
  // *why_not (may not be null) when the binary is missing or the server does not come up.
  static std::unique_ptr<S3rver> Start(const std::string& bucket, std::string* why_not);

  // Stops the server (its whole process group) and removes the data directory.
  ~S3rver();
  S3rver(const S3rver&) = delete;
  S3rver& operator=(const S3rver&) = delete;

  int port() const { return port_; }
  const std::string& bucket() const { return bucket_; }
  // "http://127.0.0.1:<port>".
  std::string endpoint() const;
  // "s3://<bucket>?endpoint=http://127.0.0.1:<port>&region=us-east-1" (path style: the
  // default with an endpoint, as README tells users),
  // for blobs::OpenBlobStore.
  std::string StoreUrl() const;
  // Puts s3rver's account in this process's environment (AWS_ACCESS_KEY_ID,
  // AWS_SECRET_ACCESS_KEY), where the smartocr processes a test starts find it.
  static void ExportCredentials();
  // The server's stdout and stderr so far, for failure messages.
  std::string Log() const;

 private:
  S3rver(pid_t pid, int port, std::string bucket, std::string dir);

  pid_t pid_;
  int port_;
  std::string bucket_;
  std::string dir_;  // scratch directory: data/ and s3rver.log
};

}  // namespace smartocr::testing

#endif  // SMARTOCR_TESTS_SUPPORT_S3RVER_HARNESS_H_
