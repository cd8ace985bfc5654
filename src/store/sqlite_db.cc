// src/store/sqlite_db.cc
#include "store/sqlite_db.h"

#include <sqlite3.h>

#include <string>
#include <unordered_map>
#include <utility>

namespace smartocr::store::internal {

namespace {

constexpr int kBusyTimeoutMs = 10000;
constexpr size_t kFilePoolSize = 4;

core::Status SqliteError(sqlite3* db, int rc, const std::string& what) {
  std::string message = what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return core::InvalidArgument("unique_violation", message);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return core::InvalidArgument("foreign_key_violation", message);
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return core::Unavailable("database_busy", message);
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
      return core::Unavailable("database_unreachable", message);
    default:
      return core::Internal("database_error", message);
  }
}

// "$12" -> "?12": SQLite's numbered parameters, so SQL text is shared with PostgreSQL.
std::string ToSqlitePlaceholders(const std::string& sql) {
  std::string out = sql;
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] == '$' && out[i + 1] >= '0' && out[i + 1] <= '9') out[i] = '?';
  }
  return out;
}

}  // namespace

// One sqlite3 handle and its statement cache. One thread at a time.
class SqliteConn : public SqlConn {
 public:
  static core::Result<std::unique_ptr<SqliteConn>> Open(const std::string& path) {
    sqlite3* db = nullptr;
    int rc =
        sqlite3_open_v2(path.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    auto conn = std::unique_ptr<SqliteConn>(new SqliteConn(db));
    if (rc != SQLITE_OK) {
      return core::Unavailable("database_unreachable",
                               "cannot open sqlite database " + path + ": " +
                                   (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    core::Status st = conn->ExecScript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        // Deleted rows are overwritten, not left in free pages: an erased tenant or a
        // deleted job leaves no bytes behind in the file (docs/security.md).
        " PRAGMA secure_delete=ON;");
    if (!st.ok()) {
      return core::Unavailable("database_unreachable", "sqlite setup: " + st.message());
    }
    return conn;
  }

  ~SqliteConn() override {
    for (auto& [sql, stmt] : stmts_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  core::Result<SqlRows> Query(const std::string& sql, const SqlParams& params) override {
    SqlRows rows;
    core::Status st = Run(sql, params, &rows);
    if (!st.ok()) return st;
    return rows;
  }

  core::Result<int64_t> Exec(const std::string& sql, const SqlParams& params) override {
    core::Status st = Run(sql, params, nullptr);
    if (!st.ok()) return st;
    return static_cast<int64_t>(sqlite3_changes(db_));
  }

  core::Status ExecScript(const std::string& sql) override {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    if (rc == SQLITE_OK) return core::Status();
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    return SqliteError(nullptr, rc, message);
  }

 private:
  explicit SqliteConn(sqlite3* db) : db_(db) {}

  core::Result<sqlite3_stmt*> Prepare(const std::string& sql) {
    auto it = stmts_.find(sql);
    if (it != stmts_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    std::string text = ToSqlitePlaceholders(sql);
    int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
    stmts_.emplace(sql, stmt);
    return stmt;
  }

  core::Status Bind(sqlite3_stmt* stmt, const SqlParams& params) {
    for (size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      if (const auto* v = std::get_if<int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(stmt, index, *v);
      } else if (const auto* d = std::get_if<double>(&params[i])) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else {
        const std::string& s = std::get<std::string>(params[i]);
        rc = sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "bind");
    }
    return core::Status();
  }

  static std::string Column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_NULL:
        return "";
      case SQLITE_INTEGER:
        return std::to_string(sqlite3_column_int64(stmt, i));
      case SQLITE_FLOAT:
        return DoubleToText(sqlite3_column_double(stmt, i));
      default: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
      }
    }
  }

  // Steps the statement to the end, collecting rows into `rows` when not null.
  core::Status Run(const std::string& sql, const SqlParams& params, SqlRows* rows) {
    core::Result<sqlite3_stmt*> prepared = Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    sqlite3_stmt* stmt = *prepared;
    core::Status st = Bind(stmt, params);
    while (st.ok()) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        st = SqliteError(db_, rc, "step");
        break;
      }
      if (rows == nullptr) continue;
      SqlRow row;
      int n = sqlite3_column_count(stmt);
      row.cols.reserve(static_cast<size_t>(n));
      for (int i = 0; i < n; ++i) row.cols.push_back(Column(stmt, i));
      rows->push_back(std::move(row));
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return st;
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> stmts_;
};

SqliteDb::SqliteDb(const std::string& path)
    : path_(path),
      pool_([path] { return SqliteConn::Open(path); }, path == ":memory:" ? 1 : kFilePoolSize) {}

SqliteDb::~SqliteDb() = default;

core::Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path) {
  auto db = std::unique_ptr<SqliteDb>(new SqliteDb(path));
  // Open (and keep, in the pool) the first connection now, so a bad path fails here
  // and a :memory: database lives as long as this object.
  core::Result<ConnPool<SqliteConn>::Lease> lease = db->pool_.Acquire();
  if (!lease.ok()) return lease.status();
  return db;
}

core::Status SqliteDb::InTransaction(TxMode mode, const TxBody& body) {
  if (mode == TxMode::kWrite) {
    core::MutexLock write_lock(write_mu_);
    return RunTransaction(mode, body);
  }
  return RunTransaction(mode, body);
}

core::Status SqliteDb::RunTransaction(TxMode mode, const TxBody& body) {
  core::Result<ConnPool<SqliteConn>::Lease> lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  SqliteConn& conn = **lease;
  SMARTOCR_RETURN_IF_ERROR(
      conn.ExecScript(mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"));
  core::Status st = body(conn);
  if (st.ok()) st = conn.ExecScript("COMMIT");
  if (!st.ok()) {
    // Keep the connection usable: a failed body or COMMIT leaves the transaction open.
    (void)conn.ExecScript("ROLLBACK");
  }
  return st;
}

bool SqliteDb::WaitForJobs(int64_t timeout_ms) {
  uint64_t seen = wake_.generation();
  return wake_.WaitFor(timeout_ms, seen);
}

}  // namespace smartocr::store::internal
