// src/store/sqlite_db.h
//
// SqlDb over SQLite: a pool of connections to one database file in WAL mode (readers
// never block the writer), foreign keys on, a busy timeout for other processes, and
// prepared statements cached per connection. SQLite allows one writer at a time, so
// write transactions are BEGIN IMMEDIATE and serialized in-process by a mutex instead
// of spinning in SQLite's busy handler.
//
// ":memory:" databases live in a single connection (a second connection would see
// another, empty database), so the pool holds exactly one.
//
// Thread-safe.
#ifndef SMARTOCR_STORE_SQLITE_DB_H_
#define SMARTOCR_STORE_SQLITE_DB_H_

#include <memory>
#include <string>

#include "core/mutex.h"
#include "store/conn_pool.h"
#include "store/sql_conn.h"

namespace smartocr::store::internal {

class SqliteConn;

class SqliteDb : public SqlDb {
 public:
  // `path` is a file path or ":memory:". Opens one connection to check that the
  // database can be opened: kUnavailable "database_unreachable" otherwise.
  static core::Result<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb() override;

  Backend backend() const override { return Backend::kSqlite; }
  core::Status InTransaction(TxMode mode, const TxBody& body) override;
  void JobsQueued() override { wake_.Notify(); }
  bool WaitForJobs(int64_t timeout_ms) override;

 private:
  explicit SqliteDb(const std::string& path);
  // InTransaction's body, run with write_mu_ held for writes.
  core::Status RunTransaction(TxMode mode, const TxBody& body);

  const std::string path_;
  core::Mutex write_mu_;  // held for the whole of each write transaction
  ConnPool<SqliteConn> pool_;
  WakeSignal wake_;
};

}  // namespace smartocr::store::internal

#endif  // SMARTOCR_STORE_SQLITE_DB_H_
