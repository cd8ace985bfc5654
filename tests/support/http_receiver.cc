// tests/support/http_receiver.cc
#include "http_receiver.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>

namespace smartocr::testing {
namespace {

constexpr std::size_t kMaxRequestBytes = 16 << 20;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

// Parses the head of a request; returns false when it is not HTTP/1.x.
bool ParseHead(std::string_view head, ReceivedRequest* out, std::size_t* content_length) {
  const std::size_t line_end = head.find("\r\n");
  const std::string_view line = head.substr(0, line_end);
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return false;
  out->method = std::string(line.substr(0, sp1));
  out->target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  *content_length = 0;
  std::size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    std::size_t end = head.find("\r\n", pos);
    if (end == std::string_view::npos) end = head.size();
    const std::string_view header = head.substr(pos, end - pos);
    pos = end + 2;
    const std::size_t colon = header.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name = Lower(Trim(header.substr(0, colon)));
    std::string value(Trim(header.substr(colon + 1)));
    if (name == "content-length") *content_length = std::strtoull(value.c_str(), nullptr, 10);
    out->headers.emplace_back(std::move(name), std::move(value));
  }
  return true;
}

}  // namespace

std::string ReceivedRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "";
}

core::Result<std::unique_ptr<HttpReceiver>> HttpReceiver::Start(HttpReceiverOptions options) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return core::Unavailable("receiver_socket", "socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return core::Unavailable("receiver_socket", "cannot listen on 127.0.0.1");
  }
  std::unique_ptr<HttpReceiver> receiver(
      new HttpReceiver(fd, ntohs(addr.sin_port), std::move(options)));
  if (::pipe2(receiver->stop_pipe_, O_CLOEXEC) != 0) {
    return core::Unavailable("receiver_socket", "pipe() failed");
  }
  receiver->thread_ = std::thread([r = receiver.get()] { r->Serve(); });
  return receiver;
}

HttpReceiver::HttpReceiver(int listen_fd, int port, HttpReceiverOptions options)
    : listen_fd_(listen_fd), port_(port), options_(std::move(options)) {}

HttpReceiver::~HttpReceiver() {
  if (thread_.joinable()) {
    const char byte = 'x';
    (void)!::write(stop_pipe_[1], &byte, 1);
    thread_.join();
  }
  for (int fd : stop_pipe_) {
    if (fd >= 0) ::close(fd);
  }
  ::close(listen_fd_);
}

std::string HttpReceiver::Url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

std::vector<ReceivedRequest> HttpReceiver::Requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

bool HttpReceiver::WaitForRequests(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
}

void HttpReceiver::Serve() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    HandleConnection(fd);
    ::close(fd);
  }
}

void HttpReceiver::HandleConnection(int fd) {
  timeval tv{5, 0};  // a stuck client must not hang the test forever
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string data;
  char buf[64 << 10];
  std::size_t head_end = std::string::npos;
  ReceivedRequest request;
  std::size_t content_length = 0;
  while (data.size() < kMaxRequestBytes) {
    if (head_end == std::string::npos) {
      head_end = data.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        if (!ParseHead(std::string_view(data).substr(0, head_end), &request, &content_length)) {
          return;
        }
      }
    }
    if (head_end != std::string::npos && data.size() >= head_end + 4 + content_length) break;
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return;  // closed or timed out before a whole request
    data.append(buf, static_cast<std::size_t>(n));
  }
  if (head_end == std::string::npos) return;
  request.body = data.substr(head_end + 4, content_length);

  // Recorded before answering: a client that got its answer must find its request.
  int status = 200;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const std::size_t index = requests_.size();
    if (!options_.statuses.empty()) {
      status = options_.statuses[std::min(index, options_.statuses.size() - 1)];
    }
    requests_.push_back(std::move(request));
  }
  cv_.notify_all();
  if (options_.delay.count() > 0) std::this_thread::sleep_for(options_.delay);
  std::string response = "HTTP/1.1 " + std::to_string(status) + " " + ReasonPhrase(status) +
                         "\r\nContent-Type: text/plain\r\nContent-Length: " +
                         std::to_string(options_.response_body.size()) + "\r\n";
  for (const auto& [name, value] : options_.response_headers) {
    response += name + ": " + value + "\r\n";
  }
  response += "Connection: close\r\n\r\n" + options_.response_body;
  std::string_view rest = response;
  while (!rest.empty()) {
    const ssize_t n = ::send(fd, rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n <= 0) break;
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace smartocr::testing
