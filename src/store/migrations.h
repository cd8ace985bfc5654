// src/store/migrations.h
//
// The schema, as numbered forward-only migrations. Each version has one script per
// backend, side by side; a version is applied in one transaction together with its
// schema_version row, so a database is always at exactly one version. Never edit a
// shipped migration: append a new version.
#ifndef SMARTOCR_STORE_MIGRATIONS_H_
#define SMARTOCR_STORE_MIGRATIONS_H_

#include <span>

namespace smartocr::store::internal {

struct Migration {
  int version;
  const char* description;
  const char* sqlite_sql;
  const char* postgres_sql;
};

// In version order, starting at 1 with no gaps.
std::span<const Migration> Migrations();

// Creates the schema_version table itself (both dialects accept it).
inline constexpr char kCreateSchemaVersion[] =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)";

}  // namespace smartocr::store::internal

#endif  // SMARTOCR_STORE_MIGRATIONS_H_
