// tests/unit/api/http_server_test.cc
//
// The transport against clients that misbehave on purpose, over real loopback sockets:
// slow heads (slowloris) hold no handler thread and are cut at their deadline, one
// address cannot take every connection, and a request refused on its head is answered
// without waiting for a body that never comes.
#include "api/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace smartocr::api {
namespace {

using Clock = std::chrono::steady_clock;

// A raw loopback TCP client.
class RawClient {
 public:
  explicit RawClient(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }
  bool Send(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  // What arrives within `timeout_ms`, until the peer closes or a whole response head
  // is there. `closed` says whether the peer closed the connection.
  std::string Read(int timeout_ms, bool* closed = nullptr) {
    std::string got;
    const auto end = Clock::now() + std::chrono::milliseconds(timeout_ms);
    if (closed != nullptr) *closed = false;
    while (Clock::now() < end) {
      pollfd p{fd_, POLLIN, 0};
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
      if (::poll(&p, 1, static_cast<int>(std::max<int64_t>(left, 1))) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        if (closed != nullptr) *closed = true;
        break;
      }
      got.append(buf, static_cast<size_t>(n));
      if (got.find("\r\n\r\n") != std::string::npos) break;
    }
    return got;
  }

 private:
  int fd_;
  bool connected_ = false;
};

// An HttpServer on a free loopback port, run on its own thread. Its handler answers
// every request with 200 "ok", except PUT, which it refuses on its head with 403.
class ServerFixture {
 public:
  explicit ServerFixture(HttpServerOptions options)
      : server_(options, HttpHandler{.on_head = &OnHead, .on_refused = &OnRefused}) {
    EXPECT_TRUE(server_.Bind("127.0.0.1", 0).ok());
    thread_ = std::thread([this] { server_.Run(); });
  }
  ~ServerFixture() {
    server_.Stop();
    thread_.join();
  }
  ServerFixture(const ServerFixture&) = delete;
  ServerFixture& operator=(const ServerFixture&) = delete;
  int port() const { return server_.port(); }

 private:
  static HeadDecision OnHead(const HttpRequest& req) {
    HeadDecision d;
    if (req.method == "PUT") {
      d.reply = HttpResponse{.status = 403, .body = "{\"code\":\"bad_signature\"}"};
      return d;
    }
    d.body_limit = 1024;
    d.finish = [](HttpRequest& full) {
      return HttpResponse{.status = 200, .content_type = "text/plain", .body = "ok:" + full.body};
    };
    return d;
  }
  static HttpResponse OnRefused(int status, const HttpRequest&) {
    return HttpResponse{.status = status};
  }

  HttpServer server_;
  std::thread thread_;
};

int StatusOf(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

TEST(HttpServer, AnswersAndKeepsTheConnectionAlive) {
  ServerFixture server(HttpServerOptions{});
  RawClient c(server.port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send("POST /x?a=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi"));
  const std::string first = c.Read(5000);
  EXPECT_EQ(StatusOf(first), 200) << first;
  std::string rest = c.Read(2000);  // the body, after the head
  ASSERT_TRUE(c.Send("GET /y HTTP/1.1\r\nHost: h\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.Read(5000)), 200);
}

// Slowloris: many connections that trickle a head byte by byte hold no handler thread
// (there is only one here), so a well-behaved request is answered at once.
TEST(HttpServer, SlowHeadsHoldNoHandlerThread) {
  ServerFixture server(HttpServerOptions{.handler_threads = 1, .head_timeout_s = 30});
  std::vector<std::unique_ptr<RawClient>> slow;
  for (int i = 0; i < 40; ++i) {
    slow.push_back(std::make_unique<RawClient>(server.port()));
    ASSERT_TRUE(slow.back()->Send("GET /slow HTTP/1.1\r\nX-"));
  }
  RawClient good(server.port());
  const auto start = Clock::now();
  ASSERT_TRUE(good.Send("GET /fast HTTP/1.1\r\nHost: h\r\n\r\n"));
  EXPECT_EQ(StatusOf(good.Read(5000)), 200);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
}

// A head that does not arrive whole within its deadline loses its connection, however
// steadily its bytes trickle in.
TEST(HttpServer, CutsAHeadAtItsDeadline) {
  ServerFixture server(HttpServerOptions{.head_timeout_s = 1});
  RawClient c(server.port());
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\n"));
  const auto start = Clock::now();
  bool closed = false;
  for (int i = 0; i < 40 && !closed; ++i) {
    c.Send("X");  // a byte every 100 ms, more often than any per-read timeout
    c.Read(100, &closed);
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
}

// One address cannot hold more than its share of connections: the next is closed.
TEST(HttpServer, CapsConnectionsPerClientAddress) {
  ServerFixture server(HttpServerOptions{.max_connections_per_client = 3});
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<RawClient>(server.port()));
    ASSERT_TRUE(held.back()->Send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
    EXPECT_EQ(StatusOf(held.back()->Read(5000)), 200);  // accepted and kept alive
  }
  RawClient extra(server.port());
  extra.Send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  bool closed = false;
  const std::string got = extra.Read(3000, &closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(StatusOf(got), 0) << got;
  held.pop_back();  // one leaves: room for another
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  RawClient again(server.port());
  again.Send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(StatusOf(again.Read(5000)), 200);
}

// Refused on its head: answered at once, whatever body it announces, and the
// connection closes (the body was never read).
TEST(HttpServer, RefusesOnTheHeadWithoutReadingTheBody) {
  ServerFixture server(HttpServerOptions{});
  RawClient c(server.port());
  const auto start = Clock::now();
  ASSERT_TRUE(c.Send("PUT /blobs/x HTTP/1.1\r\nHost: h\r\nContent-Length: 40000000\r\n\r\n"));
  bool closed = false;
  std::string got = c.Read(5000, &closed);
  EXPECT_EQ(StatusOf(got), 403) << got;
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  EXPECT_NE(got.find("Connection: close"), std::string::npos) << got;
}

// What the transport refuses itself: a body over the handler's limit (413), too many
// header fields (431), bytes that are not HTTP (400).
TEST(HttpServer, RefusesOversizedAndMalformedRequests) {
  ServerFixture server(HttpServerOptions{.max_headers = 5});
  {
    RawClient c(server.port());
    c.Send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4096\r\n\r\n" + std::string(4096, 'a'));
    EXPECT_EQ(StatusOf(c.Read(5000)), 413);
  }
  {
    RawClient c(server.port());
    std::string head = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 6; ++i) head += "X-" + std::to_string(i) + ": v\r\n";
    c.Send(head + "\r\n");
    EXPECT_EQ(StatusOf(c.Read(5000)), 431);
  }
  {
    RawClient c(server.port());
    c.Send("\x16\x03\x01 not http\r\n\r\n");
    EXPECT_EQ(StatusOf(c.Read(5000)), 400);
  }
}

}  // namespace
}  // namespace smartocr::api
