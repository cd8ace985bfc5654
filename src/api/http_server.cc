// The transport of http_server.h on Boost.Beast and Asio. Each connection is a Session
// on its own strand: heads and bodies are read asynchronously under deadlines; the
// handler's two steps (on_head, finish) run on the handler pool, and their results come
// back to the strand to be written. A Session reads plain TCP, or TLS (a handshake
// first, under the head deadline; a close_notify last) with the context current when
// the connection was accepted.
#include "api/http_server.h"

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include "api/tls_context.h"
#include "core/mutex.h"

namespace smartocr::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {

using Parser = http::request_parser<http::string_body>;

// What the transport refuses itself, from the parser's error.
int RefusalStatus(const beast::error_code& ec) {
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit) return 413;
  return 400;
}

// Whether a read ended because the peer left or a deadline passed: nothing to answer.
bool PeerGone(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == beast::error::timeout ||
         ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
         ec == asio::error::eof;
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(const HttpServerOptions& options, HttpHandler handler)
      : options_(options),
        handler_(std::move(handler)),
        ioc_(options.io_threads),
        acceptor_(ioc_),
        pool_(static_cast<size_t>(options.handler_threads)),
        work_(asio::make_work_guard(ioc_)) {}

  // What Stop() needs of a connection, whatever its stream.
  class Connection {
   public:
    virtual ~Connection() = default;
    virtual void Drain() = 0;
  };
  template <class Stream>
  class Session;

  core::Status Bind(const std::string& host, int port);
  core::Status ReloadTls() EXCLUDES(mu_);
  void Run();
  void Stop();
  int port() const { return port_; }

  const HttpServerOptions options_;
  const HttpHandler handler_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  asio::thread_pool pool_;

 private:
  void Accept();
  void OnAccept(tcp::socket socket) EXCLUDES(mu_);
  void Closed(uint64_t id, const std::string& client) EXCLUDES(mu_);
  void ReleaseIfDrained() REQUIRES(mu_);

  asio::executor_work_guard<asio::io_context::executor_type> work_;
  int port_ = 0;
  core::Mutex mu_;
  bool stopping_ GUARDED_BY(mu_) = false;
  uint64_t next_id_ GUARDED_BY(mu_) = 0;
  std::map<uint64_t, std::weak_ptr<Connection>> sessions_ GUARDED_BY(mu_);
  std::map<std::string, int> per_client_ GUARDED_BY(mu_);
  // TLS: the context new connections get (a reload replaces it; connections keep the
  // one they began with). Null: plain HTTP.
  std::shared_ptr<asio::ssl::context> tls_ GUARDED_BY(mu_);

  template <class Stream>
  friend class Session;
};

template <class Stream>
class HttpServer::Impl::Session final : public Connection,
                                        public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  // `tls`: the context of a TLS stream (kept alive with it); null for plain TCP.
  Session(Impl& server, tcp::socket socket, std::shared_ptr<asio::ssl::context> tls, uint64_t id,
          std::string client)
      : server_(server),
        tls_(std::move(tls)),
        stream_(MakeStream(std::move(socket), tls_.get())),
        id_(id),
        client_(std::move(client)) {}
  ~Session() override { server_.Closed(id_, client_); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start() {
    if constexpr (kTls) {
      tcp_layer().expires_after(std::chrono::seconds(options().head_timeout_s));
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (!ec) self->ReadHead();  // else the peer is gone
                              });
    } else {
      ReadHead();
    }
  }

  // From Stop(): a connection waiting for its next request is closed now; one with a
  // request in flight closes after its response.
  void Drain() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      self->draining_ = true;
      if (self->idle_) self->tcp_layer().socket().close();
    });
  }

 private:
  static Stream MakeStream(tcp::socket socket, asio::ssl::context* tls) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *tls);
    } else {
      return Stream(std::move(socket));
    }
  }

  const HttpServerOptions& options() const { return server_.options_; }
  // The TCP layer under the stream: deadlines and the socket.
  beast::tcp_stream& tcp_layer() { return beast::get_lowest_layer(stream_); }

  // The connection's last step after its last response: TLS says close_notify first
  // (under the write deadline); plain TCP half-closes and drains what the client still
  // sends (Linger).
  void Close() {
    if constexpr (kTls) {
      tcp_layer().expires_after(std::chrono::seconds(options().write_timeout_s));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::error_code ignored;
        self->tcp_layer().socket().close(ignored);
      });
    } else {
      beast::error_code ignored;
      tcp_layer().socket().shutdown(tcp::socket::shutdown_send, ignored);
      Linger();
    }
  }

  void ReadHead() {
    if (draining_) return;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(options().max_head_bytes));
    // No body limit while the head is read (Beast's default would refuse a large
    // Content-Length before the handler has said what it accepts); AfterHead sets it.
    // Not boost::none: Beast 1.74 compares a length with it as greater, i.e. refused.
    parser_->body_limit(std::numeric_limits<uint64_t>::max());
    request_ = HttpRequest{};
    request_.remote_addr = client_;
    idle_ = true;
    tcp_layer().expires_after(std::chrono::seconds(served_ == 0 ? options().head_timeout_s
                                                                : options().keep_alive_timeout_s));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnHead(ec); });
  }

  void OnHead(beast::error_code ec) {
    idle_ = false;
    if (ec) {
      // Bytes that are not a request are answered; a vanished peer is not, nor one past
      // its deadline (the stream closed the socket when the deadline passed).
      if (PeerGone(ec)) return;
      return Refuse(RefusalStatus(ec));
    }
    const auto& head = parser_->get();
    request_.method = std::string(head.method_string());
    request_.target = std::string(head.target());
    int fields = 0;
    for (const auto& field : head) {
      if (++fields > options().max_headers) return Refuse(431);
      request_.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    if (!ParseTarget(request_.target, &request_.path, &request_.query)) return Refuse(400);
    tcp_layer().expires_never();  // the handler's time is not the client's
    asio::post(server_.pool_, [self = this->shared_from_this()] {
      HeadDecision decision = self->server_.handler_.on_head(self->request_);
      asio::post(self->stream_.get_executor(),
                 [self, d = std::move(decision)]() mutable { self->AfterHead(std::move(d)); });
    });
  }

  void AfterHead(HeadDecision decision) {
    if (decision.reply) {
      // The body, if any, stays unread: the connection cannot carry another request.
      const bool has_body = parser_->get().has_content_length() || parser_->get().chunked();
      if (has_body) decision.reply->close = true;
      return Write(std::move(*decision.reply));
    }
    finish_ = std::move(decision.finish);
    const auto limit = static_cast<uint64_t>(std::max<int64_t>(decision.body_limit, 0));
    // Beast checks a declared length against the limit only while parsing the head, so
    // a declared length is checked here; a chunked body is cut at the limit as it comes.
    if (parser_->content_length() && *parser_->content_length() > limit) return Refuse(413);
    parser_->body_limit(limit);
    StartBodyDeadline();
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      http::async_write(stream_, *cont,
                        [self = this->shared_from_this(), cont](beast::error_code ec, size_t) {
                          if (ec) {
                            self->body_timer_.cancel();
                            return;
                          }
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
  }

  // The body must arrive within body_timeout_s. A client too slow is answered 408 (it
  // may still be reading) rather than cut off: the timer cancels the read, and OnBody
  // answers. The stream's own expiry stays a backstop for a peer that reads nothing.
  void StartBodyDeadline() {
    body_done_ = false;  // one connection carries many requests
    body_timed_out_ = false;
    const auto deadline = std::chrono::seconds(options().body_timeout_s);
    tcp_layer().expires_after(deadline + std::chrono::seconds(options().write_timeout_s));
    body_timer_.expires_after(deadline);
    body_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      // Cancelled, or the read finished while this wait was already due (both run on
      // the connection's strand, so the flag is enough).
      if (ec || self->body_done_) return;
      self->body_timed_out_ = true;
      beast::error_code ignored;
      self->tcp_layer().socket().cancel(ignored);
    });
  }

  void OnBody(beast::error_code ec) {
    body_done_ = true;
    body_timer_.cancel();
    if (body_timed_out_) return Refuse(408);
    if (ec) {
      if (ec == http::error::body_limit) return Refuse(413);
      if (PeerGone(ec)) return;
      return Refuse(400);
    }
    request_.body = parser_->release().body();
    tcp_layer().expires_never();
    asio::post(server_.pool_, [self = this->shared_from_this()] {
      HttpResponse response = self->finish_(self->request_);
      asio::post(self->stream_.get_executor(),
                 [self, r = std::move(response)]() mutable { self->Write(std::move(r)); });
    });
  }

  // After a last response, reads and drops what the client still sends (the body of a
  // request refused on its head), for a short while: closing at once would reset the
  // connection under a client still writing, which then never reads the answer.
  void Linger() {
    if (lingered_ == 0) {
      tcp_layer().expires_after(std::chrono::seconds(options().linger_timeout_s));
    }
    auto scratch = std::make_shared<std::array<char, size_t{16} * 1024>>();
    stream_.async_read_some(asio::buffer(*scratch), [self = this->shared_from_this(), scratch](
                                                        beast::error_code ec, size_t n) {
      self->lingered_ += static_cast<int64_t>(n) + 1;
      if (ec || self->lingered_ > self->options().max_linger_bytes) return;
      self->Linger();
    });
  }

  void Refuse(int status) {
    HttpResponse response = server_.handler_.on_refused(status, request_);
    response.close = true;
    Write(std::move(response));
  }

  void Write(HttpResponse r) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(r.status));
    for (auto& [name, value] : r.headers) res->insert(name, value);
    if (!r.body.empty()) res->set(http::field::content_type, r.content_type);
    res->body() = std::move(r.body);
    const bool keep =
        !r.close && !draining_ && parser_ && parser_->is_done() && parser_->get().keep_alive();
    res->keep_alive(keep);
    res->prepare_payload();
    tcp_layer().expires_after(std::chrono::seconds(options().write_timeout_s));
    http::async_write(stream_, *res,
                      [self = this->shared_from_this(), res, keep](beast::error_code ec, size_t) {
                        ++self->served_;
                        if (ec) {
                          beast::error_code ignored;
                          self->tcp_layer().socket().close(ignored);
                          return;
                        }
                        if (!keep) return self->Close();
                        self->ReadHead();
                      });
  }

  Impl& server_;
  const std::shared_ptr<asio::ssl::context> tls_;  // before stream_, which uses it
  Stream stream_;
  const uint64_t id_;
  const std::string client_;
  beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  HttpRequest request_;
  std::function<HttpResponse(HttpRequest&)> finish_;
  int served_ = 0;
  int64_t lingered_ = 0;   // bytes dropped after the last response (+1 per read)
  bool idle_ = false;      // waiting for a request's head
  bool draining_ = false;  // the server stops: no further requests
  asio::steady_timer body_timer_{stream_.get_executor()};
  bool body_timed_out_ = false;  // the body deadline passed: answer 408
  bool body_done_ = false;       // the body read has finished, one way or another
};

core::Status HttpServer::Impl::Bind(const std::string& host, int port) {
  if (!options_.tls_cert_file.empty() || !options_.tls_key_file.empty()) {
    SMARTOCR_RETURN_IF_ERROR(ReloadTls());
  }
  beast::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  tcp::endpoint endpoint;
  if (!ec) {
    endpoint = tcp::endpoint(address, static_cast<uint16_t>(port));
  } else {
    tcp::resolver resolver(ioc_);
    auto results = resolver.resolve(host, std::to_string(port), ec);
    if (!ec && !results.empty()) endpoint = *results.begin();
  }
  if (!ec) acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::Unavailable(
        "listen", "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  return core::Status::Ok();
}

core::Status HttpServer::Impl::ReloadTls() {
  if (options_.tls_cert_file.empty() || options_.tls_key_file.empty()) {
    return core::InvalidArgument("tls", "TLS needs both a certificate and a key file");
  }
  auto context = LoadTlsContext(options_.tls_cert_file, options_.tls_key_file);
  if (!context.ok()) return context.status();
  core::MutexLock lock(mu_);
  tls_ = std::move(*context);
  return core::Status::Ok();
}

void HttpServer::Impl::Accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket s) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    } else {
      OnAccept(std::move(s));
    }
    Accept();
  });
}

void HttpServer::Impl::OnAccept(tcp::socket socket) {
  beast::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) return;
  std::string client = remote.address().to_string();
  std::shared_ptr<Connection> connection;
  std::function<void()> start;
  {
    core::MutexLock lock(mu_);
    int& from_client = per_client_[client];
    if (stopping_ || static_cast<int>(sessions_.size()) >= options_.max_connections ||
        from_client >= options_.max_connections_per_client) {
      if (from_client == 0) per_client_.erase(client);
      return;  // closed when `socket` goes: a client over its share waits for its own
    }
    ++from_client;
    const uint64_t id = next_id_++;
    if (tls_ != nullptr) {
      auto session =
          std::make_shared<Session<TlsStream>>(*this, std::move(socket), tls_, id, client);
      start = [session] { session->Start(); };
      connection = std::move(session);
    } else {
      auto session = std::make_shared<Session<beast::tcp_stream>>(*this, std::move(socket), nullptr,
                                                                  id, client);
      start = [session] { session->Start(); };
      connection = std::move(session);
    }
    sessions_[id] = connection;
  }
  start();
}

void HttpServer::Impl::Closed(uint64_t id, const std::string& client) {
  core::MutexLock lock(mu_);
  sessions_.erase(id);
  if (auto it = per_client_.find(client); it != per_client_.end() && --it->second <= 0) {
    per_client_.erase(it);
  }
  ReleaseIfDrained();
}

void HttpServer::Impl::ReleaseIfDrained() {
  if (stopping_ && sessions_.empty()) work_.reset();
}

void HttpServer::Impl::Run() {
  Accept();
  std::vector<std::thread> extra;
  for (int i = 1; i < options_.io_threads; ++i) extra.emplace_back([this] { ioc_.run(); });
  ioc_.run();
  for (std::thread& t : extra) t.join();
  pool_.join();
}

void HttpServer::Impl::Stop() {
  asio::post(ioc_, [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    std::vector<std::shared_ptr<Connection>> open;
    {
      core::MutexLock lock(mu_);
      stopping_ = true;
      for (auto& [id, weak] : sessions_) {
        if (auto s = weak.lock()) open.push_back(std::move(s));
      }
      ReleaseIfDrained();
    }
    for (auto& s : open) s->Drain();
  });
}

HttpServer::HttpServer(const HttpServerOptions& options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(options, std::move(handler))) {}
HttpServer::~HttpServer() = default;
core::Status HttpServer::Bind(const std::string& host, int port) { return impl_->Bind(host, port); }
core::Status HttpServer::ReloadTls() { return impl_->ReloadTls(); }
int HttpServer::port() const { return impl_->port(); }
void HttpServer::Run() { impl_->Run(); }
void HttpServer::Stop() { impl_->Stop(); }

}  // namespace smartocr::api
