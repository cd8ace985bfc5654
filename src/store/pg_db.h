// src/store/pg_db.h
//
// SqlDb over PostgreSQL (libpqxx 6): a pool of connections (a pqxx::connection is not
// thread-safe, so each is leased to one thread at a time), READ COMMITTED
// transactions, and one extra connection that LISTENs on "smartocr_jobs" for
// WaitForJobs. A connection that breaks is dropped and reopened on next use.
//
// Thread-safe.
#ifndef SMARTOCR_STORE_PG_DB_H_
#define SMARTOCR_STORE_PG_DB_H_

#include <memory>
#include <string>

#include "core/mutex.h"
#include "store/conn_pool.h"
#include "store/sql_conn.h"

namespace smartocr::store::internal {

class PgConn;
class PgListener;

// The NOTIFY channel job inserts and requeues signal.
inline constexpr char kJobsChannel[] = "smartocr_jobs";

class PgDb : public SqlDb {
 public:
  // `url` is a libpq connection URI. Connects once to check it:
  // kUnavailable "database_unreachable" otherwise.
  static core::Result<std::unique_ptr<PgDb>> Open(const std::string& url);
  ~PgDb() override;

  Backend backend() const override { return Backend::kPostgres; }
  core::Status InTransaction(TxMode mode, const TxBody& body) override;
  void JobsQueued() override { wake_.Notify(); }
  bool WaitForJobs(int64_t timeout_ms) override;

 private:
  explicit PgDb(const std::string& url);

  const std::string url_;
  ConnPool<PgConn> pool_;
  WakeSignal wake_;  // fans one listener's notifications out to every waiting thread

  core::Mutex listen_mu_;
  bool listening_ GUARDED_BY(listen_mu_) = false;  // a thread is blocked on listener_
  // Used only by the thread that set listening_, so listen_mu_ need not be held.
  std::unique_ptr<PgListener> listener_;
};

}  // namespace smartocr::store::internal

#endif  // SMARTOCR_STORE_PG_DB_H_
