// src/store/sql_conn.h
//
// The small SQL layer the repository is written against, so one implementation of the
// Repository serves both SQLite and PostgreSQL. Statements use PostgreSQL-style
// numbered placeholders ($1, $2, ...); the SQLite connection rewrites them to ?1, ?2.
// Values are always bound, never spliced into SQL text.
//
// Driver exceptions and error codes are caught here and mapped to Status:
//   kInvalidArgument "unique_violation" / "foreign_key_violation" (constraint),
//   kUnavailable "database_unreachable" (connection lost), kUnavailable "database_busy"
//   (lock wait timed out), kInternal "database_error" (anything else).
#ifndef SMARTOCR_STORE_SQL_CONN_H_
#define SMARTOCR_STORE_SQL_CONN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "core/status.h"

namespace smartocr::store::internal {

using SqlValue = std::variant<int64_t, double, std::string>;
using SqlParams = std::vector<SqlValue>;

// One result row; every column arrives as text (NULL as ""), typed on read.
struct SqlRow {
  std::vector<std::string> cols;

  const std::string& Str(size_t i) const { return cols[i]; }
  int64_t Int(size_t i) const;
  double Real(size_t i) const;
};
using SqlRows = std::vector<SqlRow>;

// Shortest text that reads back as the same double (what both drivers are given).
std::string DoubleToText(double value);

// One pooled connection, used by one thread at a time, always inside a transaction
// that SqlDb::InTransaction opened.
class SqlConn {
 public:
  virtual ~SqlConn() = default;
  // Runs a statement that returns rows (SELECT, or ... RETURNING).
  virtual core::Result<SqlRows> Query(const std::string& sql, const SqlParams& params = {}) = 0;
  // Runs a statement and returns the number of rows it changed.
  virtual core::Result<int64_t> Exec(const std::string& sql, const SqlParams& params = {}) = 0;
  // Runs a parameterless multi-statement script (migrations).
  virtual core::Status ExecScript(const std::string& sql) = 0;
};

enum class Backend { kSqlite, kPostgres };
enum class TxMode { kRead, kWrite };

// A database: a connection pool plus the backend's transaction rules.
// Thread-safe.
class SqlDb {
 public:
  using TxBody = std::function<core::Status(SqlConn&)>;

  virtual ~SqlDb() = default;
  virtual Backend backend() const = 0;
  // Runs `body` in one transaction on a pooled connection: commits when it returns OK,
  // rolls back otherwise (and returns its status). SQLite write transactions are
  // BEGIN IMMEDIATE and serialized by a process-wide lock.
  virtual core::Status InTransaction(TxMode mode, const TxBody& body) = 0;
  // Called after a commit that made a job claimable (wakes local WaitForJobs callers).
  virtual void JobsQueued() {}
  // See Repository::WaitForJobs.
  virtual bool WaitForJobs(int64_t timeout_ms) = 0;
};

}  // namespace smartocr::store::internal

#endif  // SMARTOCR_STORE_SQL_CONN_H_
