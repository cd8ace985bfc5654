// src/store/pg_db.cc
#include "store/pg_db.h"

#include <libpq-fe.h>

#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace smartocr::store::internal {

namespace {

constexpr size_t kPoolSize = 8;

// Maps the exception being handled to a Status; sets *broken for a lost connection.
core::Status MapPgException(const std::string& what, bool* broken) {
  try {
    throw;
  } catch (const pqxx::broken_connection& e) {
    *broken = true;
    return core::Unavailable("database_unreachable", what + ": " + e.what());
  } catch (const pqxx::unique_violation& e) {
    return core::InvalidArgument("unique_violation", what + ": " + e.what());
  } catch (const pqxx::foreign_key_violation& e) {
    return core::InvalidArgument("foreign_key_violation", what + ": " + e.what());
  } catch (const pqxx::transaction_rollback& e) {
    return core::Unavailable("database_busy", what + ": " + e.what());
  } catch (const pqxx::in_doubt_error& e) {
    *broken = true;
    return core::Unavailable("database_unreachable", what + ": " + e.what());
  } catch (const std::exception& e) {
    return core::Internal("database_error", what + ": " + e.what());
  }
}

std::vector<std::string> ToText(const SqlParams& params) {
  std::vector<std::string> out;
  out.reserve(params.size());
  for (const SqlValue& v : params) {
    if (const auto* i = std::get_if<int64_t>(&v)) {
      out.push_back(std::to_string(*i));
    } else if (const auto* d = std::get_if<double>(&v)) {
      out.push_back(DoubleToText(*d));
    } else {
      out.push_back(std::get<std::string>(v));
    }
  }
  return out;
}

std::unique_ptr<pqxx::connection> Connect(const std::string& url) {
  auto conn = std::make_unique<pqxx::connection>(url);
  pqxx::nontransaction setup(*conn);
  setup.exec("SET client_min_messages = warning");  // no NOTICEs on stderr
  return conn;
}

}  // namespace

// One pqxx connection plus its open transaction. One thread at a time.
class PgConn : public SqlConn {
 public:
  static core::Result<std::unique_ptr<PgConn>> Open(const std::string& url) {
    try {
      return std::unique_ptr<PgConn>(new PgConn(Connect(url)));
    } catch (const std::exception& e) {
      return core::Unavailable("database_unreachable",
                               std::string("cannot connect to postgresql: ") + e.what());
    }
  }

  bool broken() const { return broken_; }

  core::Status Begin() {
    try {
      tx_ = std::make_unique<pqxx::work>(*conn_);
      return core::Status();
    } catch (...) {
      return MapPgException("begin", &broken_);
    }
  }

  core::Status Commit() {
    try {
      tx_->commit();
      tx_.reset();
      return core::Status();
    } catch (...) {
      core::Status st = MapPgException("commit", &broken_);
      tx_.reset();
      return st;
    }
  }

  void Rollback() {
    try {
      tx_.reset();  // pqxx::work aborts an uncommitted transaction on destruction
    } catch (...) {
      broken_ = true;
    }
  }

  core::Result<SqlRows> Query(const std::string& sql, const SqlParams& params) override {
    try {
      std::vector<std::string> text = ToText(params);
      pqxx::result result = tx_->exec_params(sql, pqxx::prepare::make_dynamic_params(text));
      SqlRows rows;
      rows.reserve(result.size());
      for (const pqxx::row& r : result) {
        SqlRow row;
        row.cols.reserve(r.size());
        for (const pqxx::field& f : r) row.cols.emplace_back(f.is_null() ? "" : f.c_str());
        rows.push_back(std::move(row));
      }
      return rows;
    } catch (...) {
      return MapPgException("query", &broken_);
    }
  }

  core::Result<int64_t> Exec(const std::string& sql, const SqlParams& params) override {
    try {
      std::vector<std::string> text = ToText(params);
      pqxx::result result = tx_->exec_params(sql, pqxx::prepare::make_dynamic_params(text));
      return static_cast<int64_t>(result.affected_rows());
    } catch (...) {
      return MapPgException("exec", &broken_);
    }
  }

  core::Status ExecScript(const std::string& sql) override {
    try {
      tx_->exec(sql);
      return core::Status();
    } catch (...) {
      return MapPgException("script", &broken_);
    }
  }

 private:
  explicit PgConn(std::unique_ptr<pqxx::connection> conn) : conn_(std::move(conn)) {}

  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<pqxx::work> tx_;  // declared after conn_: destroyed first
  bool broken_ = false;
};

// A connection that LISTENs on kJobsChannel. One thread at a time.
class PgListener {
 public:
  explicit PgListener(const std::string& url)
      : conn_(Connect(url)), receiver_(*conn_, kJobsChannel) {}

  // True when a notification arrived within timeout_ms. Throws on a lost connection.
  bool Wait(int64_t timeout_ms) {
    if (conn_->get_notifs() > 0) return true;
    return conn_->await_notification(static_cast<long>(timeout_ms / 1000),
                                     static_cast<long>((timeout_ms % 1000) * 1000)) > 0;
  }

 private:
  class Receiver : public pqxx::notification_receiver {
   public:
    using pqxx::notification_receiver::notification_receiver;
    void operator()(const std::string&, int) override {}  // the count is enough
  };

  std::unique_ptr<pqxx::connection> conn_;
  Receiver receiver_;
};

PgDb::PgDb(const std::string& url)
    : url_(url), pool_([url] { return PgConn::Open(url); }, kPoolSize) {}

PgDb::~PgDb() = default;

core::Result<std::unique_ptr<PgDb>> PgDb::Open(const std::string& url) {
  // Parse first, so a malformed URL is the caller's mistake rather than an outage.
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::string message = error ? error : "cannot parse the URL";
    PQfreemem(error);
    // libpq quotes the URL, password and all: the message says "the URL" instead.
    return core::InvalidArgument("database_url", "bad postgresql URL: " + message)
        .WithPathNamed(url, "(the URL)");
  }
  PQconninfoFree(options);
  auto db = std::unique_ptr<PgDb>(new PgDb(url));
  core::Result<ConnPool<PgConn>::Lease> lease = db->pool_.Acquire();
  if (!lease.ok()) return lease.status();
  return db;
}

core::Status PgDb::InTransaction(TxMode /*mode*/, const TxBody& body) {
  core::Result<ConnPool<PgConn>::Lease> lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  PgConn& conn = **lease;
  core::Status st = conn.Begin();
  if (st.ok()) {
    st = body(conn);
    if (st.ok()) {
      st = conn.Commit();
    } else {
      conn.Rollback();
    }
  }
  if (conn.broken()) lease->Discard();
  return st;
}

bool PgDb::WaitForJobs(int64_t timeout_ms) {
  uint64_t seen = wake_.generation();
  bool other_listens = false;
  {
    core::MutexLock lock(listen_mu_);
    other_listens = listening_;
    listening_ = true;
  }
  // Another thread holds the LISTEN connection; it wakes us through wake_.
  if (other_listens) return wake_.WaitFor(timeout_ms, seen);
  bool notified = false;
  try {
    if (!listener_) listener_ = std::make_unique<PgListener>(url_);
    notified = listener_->Wait(timeout_ms);
  } catch (const std::exception&) {
    // Lost or never had the connection: behave like a timeout, reconnect next time.
    listener_.reset();
    std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
  }
  {
    core::MutexLock lock(listen_mu_);
    listening_ = false;
  }
  if (notified) wake_.Notify();
  return notified;
}

}  // namespace smartocr::store::internal
