// tests/unit/store/migration_sql_test.cc
//
// A shipped migration must never change. Each script, as each backend runs it, is
// pinned by its length and FNV-1a hash, taken from the scripts as they first shipped
// (written out once per dialect, before the placeholders).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "store/migrations.h"

namespace smartocr::store::internal {
namespace {

uint64_t Fnv1a(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3;
  }
  return hash;
}

TEST(MigrationSql, ShippedScriptsNeverChange) {
  struct Case {
    int version;
    Backend backend;
    size_t size;
    uint64_t fnv1a;
  };
  constexpr Case kCases[] = {
      {1, Backend::kSqlite, 4107, 0xd3e8ce8c96b8f2b5},
      {1, Backend::kPostgres, 4154, 0x8aab529a543d8bd1},
      {2, Backend::kSqlite, 576, 0x61d8292fce9251b4},
      {2, Backend::kPostgres, 578, 0x71ee7adc4d0b9b9c},
  };
  ASSERT_GE(Migrations().size(), 2u);
  for (const Case& c : kCases) {
    SCOPED_TRACE("v" + std::to_string(c.version) +
                 (c.backend == Backend::kSqlite ? " sqlite" : " postgres"));
    const Migration& m = Migrations()[c.version - 1];
    ASSERT_EQ(m.version, c.version);
    const std::string sql = MigrationSql(m, c.backend);
    EXPECT_EQ(sql.size(), c.size);
    EXPECT_EQ(Fnv1a(sql), c.fnv1a);
  }
}

TEST(MigrationSql, SpellsEachPlaceholderInTheBackendsDialect) {
  const Migration& v1 = Migrations()[0];
  const std::string sqlite = MigrationSql(v1, Backend::kSqlite);
  const std::string postgres = MigrationSql(v1, Backend::kPostgres);
  for (const std::string& sql : {sqlite, postgres}) {
    EXPECT_EQ(sql.find("{{"), std::string::npos);
  }
  EXPECT_NE(sqlite.find("  id INTEGER PRIMARY KEY,\n"), std::string::npos);
  EXPECT_NE(sqlite.find("  page_id INTEGER NOT NULL"), std::string::npos);
  EXPECT_NE(sqlite.find("  confidence REAL NOT NULL"), std::string::npos);
  EXPECT_NE(postgres.find("  id BIGSERIAL PRIMARY KEY,\n"), std::string::npos);
  EXPECT_NE(postgres.find("  page_id BIGINT NOT NULL"), std::string::npos);
  EXPECT_NE(postgres.find("  confidence DOUBLE PRECISION NOT NULL"), std::string::npos);
  EXPECT_EQ(postgres.find(" REAL "), std::string::npos);
}

TEST(MigrationSql, LeavesUnknownPlaceholdersForTheDatabaseToReject) {
  const Migration m{99, "test", "a {{NOPE}} b {{DOUBLE}} c {{"};
  EXPECT_EQ(MigrationSql(m, Backend::kSqlite), "a {{NOPE}} b REAL c {{");
  EXPECT_EQ(MigrationSql(m, Backend::kPostgres), "a {{NOPE}} b DOUBLE PRECISION c {{");
}

}  // namespace
}  // namespace smartocr::store::internal
