// src/api/http_server.h
//
// The API's HTTP/1.1 transport (Boost.Beast): connections are read asynchronously on a
// few I/O threads, so a client that sends slowly holds a socket, never a handler
// thread, and only until its deadline. A request reaches the handler threads only once
// its head has arrived (whole, within the head deadline); the handler then says how
// much body it accepts, or answers at once without reading any. Connections are capped
// in total and per client address.
//
//   HttpServer server(options, handler);
//   SMARTOCR_RETURN_IF_ERROR(server.Bind("127.0.0.1", 0));
//   server.Run();   // until Stop(); then waits for the requests in flight
#ifndef SMARTOCR_API_HTTP_SERVER_H_
#define SMARTOCR_API_HTTP_SERVER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/core.h"

namespace smartocr::api {

// What arrived: the head (method, target, headers), then the body.
struct HttpRequest {
  std::string method;                        // "GET", "POST", ...
  std::string target;                        // as sent: path and query
  std::string path;                          // percent-decoded, without the query
  std::map<std::string, std::string> query;  // decoded; the first value of a repeated name
  std::vector<std::pair<std::string, std::string>> headers;
  std::string remote_addr;
  std::string body;

  // The first header named `name` (case-insensitive); "" when absent.
  std::string Header(const std::string& name) const;
  bool HasQuery(const std::string& name) const { return query.count(name) != 0; }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  // close the connection after this response
};

// Splits a request target into its decoded path and query parameters. False when the
// target is not origin-form ("/..."), or holds a bad percent escape.
bool ParseTarget(const std::string& target, std::string* path,
                 std::map<std::string, std::string>* query);

// What a handler decides once a request's head has arrived.
struct HeadDecision {
  std::optional<HttpResponse> reply;  // answer now: the body is never read
  int64_t body_limit = 0;             // else read at most this many body bytes, then
  // run this (on a handler thread) with the whole request.
  std::function<HttpResponse(HttpRequest&)> finish;
};

// `on_head` and a decision's `finish` run on handler threads and may block; `on_head`
// sees the request without its body. `on_refused` answers what the transport refuses
// itself (a malformed request 400, a head too large 431, a body over the limit 413) on
// an I/O thread: it must not block. `request` holds what had been read by then.
struct HttpHandler {
  std::function<HeadDecision(const HttpRequest&)> on_head;
  std::function<HttpResponse(int status, const HttpRequest& request)> on_refused;
};

struct HttpServerOptions {
  int handler_threads = 32;
  int io_threads = 2;
  int head_timeout_s = 10;              // the whole head of a request, from its first byte wait
  int body_timeout_s = 120;             // the whole body, once the head was accepted
  int write_timeout_s = 10;             // the whole response
  int keep_alive_timeout_s = 5;         // between requests on one connection
  int max_connections = 1024;           // open at once; more are closed on accept
  int max_connections_per_client = 64;  // per client address
  int max_head_bytes = 16 * 1024;       // request line and headers
  int max_headers = 100;                // header fields
  // After a last response to a request whose body was not read, what the client still
  // sends is read and dropped for this long, or this many bytes, before closing.
  int linger_timeout_s = 2;
  int64_t max_linger_bytes = 64 << 20;
  // HTTPS (api/tls_context.h) with this PEM certificate chain and key; both "": HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
};

class HttpServer {
 public:
  HttpServer(const HttpServerOptions& options, HttpHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Listens on host:port (0 = any free port). kUnavailable "listen" when it cannot;
  // kInvalidArgument "tls" when the TLS files cannot be used.
  core::Status Bind(const std::string& host, int port);
  // Thread-safe: reads the TLS files again; connections accepted from now on use them,
  // open ones keep theirs. On failure (kInvalidArgument "tls") the old ones stay.
  // kInvalidArgument "tls" too when the server was not given both files.
  core::Status ReloadTls();
  int port() const;
  // Serves until Stop(), then lets the requests in flight finish and returns.
  void Run();
  // Thread-safe: stops accepting, closes idle connections; Run() returns when the
  // requests in flight are answered.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smartocr::api

#endif  // SMARTOCR_API_HTTP_SERVER_H_
