// tests/support/http_receiver.h
//
// A tiny HTTP/1.1 server on a loopback port chosen by the kernel, for tests of code
// that sends requests (webhooks). It records every request and answers the n-th with
// the n-th scripted status (the last one repeats; 200 when the script is empty), one
// request per connection (Connection: close). Bodies must come with Content-Length.
//
//   auto receiver = HttpReceiver::Start({.statuses = {500, 500, 200}});
//   ASSERT_TRUE(receiver.ok()) << receiver.status().ToString();
//   Post((*receiver)->Url("/hook"));
//   ASSERT_TRUE((*receiver)->WaitForRequests(1, std::chrono::seconds(5)));
//   EXPECT_EQ((*receiver)->Requests()[0].Header("content-type"), "application/json");
//
// Thread safety: thread-safe; the server runs on its own thread until destruction.
#ifndef SMARTOCR_TESTS_SUPPORT_HTTP_RECEIVER_H_
#define SMARTOCR_TESTS_SUPPORT_HTTP_RECEIVER_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/status.h"

namespace smartocr::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;  // path and query as sent, e.g. "/hook?x=1"
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // The first header named `name` (give it lower-case), or "".
  std::string Header(std::string_view name) const;
};

struct HttpReceiverOptions {
  std::vector<int> statuses;           // per request, in order
  std::chrono::milliseconds delay{0};  // wait before each answer (timeout tests)
  std::string response_body = "ok";
  // Extra response headers, e.g. {"ETag", "\"abc\""} for a fake S3.
  std::vector<std::pair<std::string, std::string>> response_headers;
};

class HttpReceiver {
 public:
  // Listens on 127.0.0.1 port 0. kUnavailable "receiver_socket" when that fails.
  static core::Result<std::unique_ptr<HttpReceiver>> Start(HttpReceiverOptions options);

  ~HttpReceiver();  // stops the thread and closes the socket
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port><path>".
  std::string Url(std::string_view path = "/") const;
  // A copy of the requests received so far, in order (recorded before each answer).
  std::vector<ReceivedRequest> Requests() const;
  // Waits until at least `n` requests have arrived; false on timeout.
  bool WaitForRequests(std::size_t n, std::chrono::milliseconds timeout) const;

 private:
  HttpReceiver(int listen_fd, int port, HttpReceiverOptions options);
  void Serve();
  void HandleConnection(int fd);

  const int listen_fd_;
  const int port_;
  const HttpReceiverOptions options_;
  int stop_pipe_[2] = {-1, -1};  // written by the destructor to wake poll()
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<ReceivedRequest> requests_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace smartocr::testing

#endif  // SMARTOCR_TESTS_SUPPORT_HTTP_RECEIVER_H_
