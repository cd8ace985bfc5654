// tests/support/postgres_harness.h
//
// A throwaway PostgreSQL server for tests: initdb into a temp dir, then the postmaster
// on a free loopback port with durability off (fsync, synchronous_commit,
// full_page_writes), its unix socket inside the temp dir. Needs the server binaries
// (Debian: postgresql-15; SMARTOCR_PG_BINDIR names the directory instead of searching
// /usr/lib/postgresql/*/bin). As root,
// the binaries run as the `postgres` system user (initdb refuses root). The first
// initdb is cached (/tmp/smartocr-pg-template-*) and later servers start from a copy.
//
// The postmaster is a direct child with PR_SET_PDEATHSIG=SIGQUIT, so it shuts down
// even if the test process crashes; the destructor stops it (SIGQUIT: immediate
// shutdown) and removes the directory.
//
// Usage, one server per test binary and one database per test:
//
//   std::string why;
//   PostgresServer* pg = SharedPostgresServer(&why);
//   if (pg == nullptr) SMARTOCR_SKIP_OR_FAIL(why);  // required.h: CI must not pass by skipping
//   std::string url = pg->CreateDatabase(&why);  // postgresql://...:port/t_<hex>
//
// Thread-safe: CreateDatabase and url may be called from any thread; Start and the
// destructor from one.
#ifndef SMARTOCR_TESTS_SUPPORT_POSTGRES_HARNESS_H_
#define SMARTOCR_TESTS_SUPPORT_POSTGRES_HARNESS_H_

#include <sys/types.h>

#include <memory>
#include <string>

namespace smartocr::testing {

class PostgresServer {
 public:
  // nullptr with *why_not set when the binaries are missing or the server fails to
  // start (the reason includes the tail of the server log).
  static std::unique_ptr<PostgresServer> Start(std::string* why_not);
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // URL of the default "postgres" database, as superuser "smartocr" (trust auth).
  std::string url() const;
  int port() const { return port_; }

  // Creates an empty database with a random name; returns its URL, or "" with
  // *why_not set.
  std::string CreateDatabase(std::string* why_not);

 private:
  PostgresServer() = default;

  std::string root_;  // temp dir: data/, sockets, log
  int port_ = 0;
  pid_t pid_ = -1;  // the postmaster
};

// The process-wide server, started on first call and stopped at exit; nullptr (with
// *why_not) when it cannot start. Call it first from the main thread: the server's
// parent-death signal follows the thread that started it.
PostgresServer* SharedPostgresServer(std::string* why_not);

}  // namespace smartocr::testing

#endif  // SMARTOCR_TESTS_SUPPORT_POSTGRES_HARNESS_H_
