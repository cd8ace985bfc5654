// src/store/migrations.h
//
// The schema, as numbered forward-only migrations. Each version has one script for both
// backends, with {{NAME}} placeholders where the dialects differ (MigrationSql fills
// them in); a version is applied in one transaction together with its
// schema_version row, so a database is always at exactly one version. Never edit a
// shipped migration: append a new version.
#ifndef SMARTOCR_STORE_MIGRATIONS_H_
#define SMARTOCR_STORE_MIGRATIONS_H_

#include <span>
#include <string>

#include "store/sql_conn.h"

namespace smartocr::store::internal {

struct Migration {
  int version;
  const char* description;
  // The script, with dialect placeholders: run MigrationSql's text, never this.
  const char* sql;
};

// In version order, starting at 1 with no gaps.
std::span<const Migration> Migrations();

// The script of `migration` as `backend` runs it: each {{NAME}} replaced by that
// dialect's word (an unknown name is left as is, so the script fails loudly).
std::string MigrationSql(const Migration& migration, Backend backend);

// Creates the schema_version table itself (both dialects accept it).
inline constexpr char kCreateSchemaVersion[] =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)";

}  // namespace smartocr::store::internal

#endif  // SMARTOCR_STORE_MIGRATIONS_H_
