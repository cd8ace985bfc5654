// tests/support/postgres_harness.cc
#include "postgres_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

namespace smartocr::testing {

namespace {

constexpr int kStartTries = 5;  // fresh port each time: another process may take ours
constexpr auto kReadyTimeout = std::chrono::seconds(30);
constexpr auto kStopTimeout = std::chrono::seconds(10);

// Who the server binaries run as: ourselves, or `postgres` when we are root.
struct Identity {
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

std::string FindBinDir() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("SMARTOCR_PG_BINDIR"); env != nullptr && *env != '\0') {
    candidates.push_back(env);  // only this one: lets a test run pretend there is none
  } else {
    for (int version = 17; version >= 12; --version) {
      candidates.push_back("/usr/lib/postgresql/" + std::to_string(version) + "/bin");
    }
  }
  for (const std::string& dir : candidates) {
    if (access((dir + "/initdb").c_str(), X_OK) == 0 &&
        access((dir + "/postgres").c_str(), X_OK) == 0) {
      return dir;
    }
  }
  return "";
}

// Forks and execs argv with stdout/stderr appended to `log`. The child switches to
// `who` and, when die_with_parent, gets SIGQUIT if this thread exits. Everything the
// child needs is prepared before fork (only async-signal-safe calls after it).
pid_t Spawn(const std::vector<std::string>& args, const Identity& who, const std::string& log,
            const std::string& cwd, bool die_with_parent) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return -1;
  if (who.switch_user && fchown(log_fd, who.uid, who.gid) != 0) {
    close(log_fd);
    return -1;
  }
  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(null_fd, 0);
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    if (who.switch_user) {
      if (setgroups(1, &who.gid) != 0 || setgid(who.gid) != 0 || setuid(who.uid) != 0) {
        _exit(126);
      }
    }
    // After setuid: a credential change clears the parent-death signal.
    if (die_with_parent) {
      prctl(PR_SET_PDEATHSIG, SIGQUIT);
      if (getppid() != parent) _exit(125);
    }
    if (chdir(cwd.c_str()) != 0) _exit(124);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(log_fd);
  if (null_fd >= 0) close(null_fd);
  return pid;
}

// A port that was free a moment ago on 127.0.0.1 (the kernel's pick for port 0).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

std::string Tail(const std::string& path, size_t max_bytes = 2000) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  return text.size() > max_bytes ? text.substr(text.size() - max_bytes) : text;
}

std::string RandomHex(size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device device;
  std::string out;
  for (size_t i = 0; i < bytes; ++i) {
    unsigned v = device() & 0xff;
    out += kHex[v >> 4];
    out += kHex[v & 0xf];
  }
  return out;
}

// Waits for `pid` to exit; returns its wait status, or -1 after `timeout`.
int WaitFor(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0) return 0;  // not our child any more
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// initdb takes 0.5-2 s; a cluster copied from a cached initdb takes ~0.1 s. The cache is
// per server version and user, owned by that user (checked before use, as /tmp is
// shared), and filled atomically by rename.
std::string TemplateDir(const std::string& bin, const Identity& who) {
  std::string version = std::filesystem::path(bin).parent_path().filename().string();
  uid_t uid = who.switch_user ? who.uid : geteuid();
  return "/tmp/smartocr-pg-template-v1-" + version + "-" + std::to_string(uid);
}

bool UsableTemplate(const std::string& dir, const Identity& who) {
  struct stat st {};
  if (lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
  uid_t uid = who.switch_user ? who.uid : geteuid();
  return st.st_uid == uid && (st.st_mode & 077) == 0 &&
         access((dir + "/PG_VERSION").c_str(), F_OK) == 0;
}

// Runs argv as `who` and waits; true on exit status 0.
bool RunToCompletion(const std::vector<std::string>& args, const Identity& who,
                     const std::string& log, const std::string& cwd) {
  pid_t pid = Spawn(args, who, log, cwd, /*die_with_parent=*/false);
  if (pid <= 0) return false;
  int status = WaitFor(pid, std::chrono::seconds(120));
  return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Makes a fresh cluster in `data`: a copy of the cached template, else initdb (and
// then caches the result for the next server).
bool MakeCluster(const std::string& bin, const Identity& who, const std::string& data,
                 const std::string& root, const std::string& log) {
  const std::string cache = TemplateDir(bin, who);
  if (UsableTemplate(cache, who) &&
      RunToCompletion({"/bin/cp", "-a", cache, data}, who, log, root)) {
    return true;
  }
  std::error_code ignored;
  std::filesystem::remove_all(data, ignored);
  if (!RunToCompletion({bin + "/initdb", "-D", data, "-N", "-A", "trust", "-U", "smartocr", "-E",
                        "UTF8", "--locale=C", "--no-instructions"},
                       who, log, root)) {
    return false;
  }
  const std::string staging = cache + ".tmp-" + std::to_string(getpid());
  if (RunToCompletion({"/bin/cp", "-a", data, staging}, who, log, root) &&
      rename(staging.c_str(), cache.c_str()) == 0) {
    return true;
  }
  std::filesystem::remove_all(staging, ignored);  // another process won the race
  return true;
}

std::string UrlFor(int port, const std::string& db) {
  return "postgresql://smartocr@127.0.0.1:" + std::to_string(port) + "/" + db;
}

}  // namespace

std::unique_ptr<PostgresServer> PostgresServer::Start(std::string* why_not) {
  const std::string bin = FindBinDir();
  if (bin.empty()) {
    *why_not =
        "PostgreSQL server binaries not found (install postgresql-15, or set "
        "SMARTOCR_PG_BINDIR to the directory holding initdb and postgres)";
    return nullptr;
  }
  Identity who;
  if (geteuid() == 0) {
    // initdb refuses to run as root; Debian's package creates this user.
    const passwd* pw = getpwnam("postgres");
    if (pw == nullptr) {
      *why_not = "running as root and there is no 'postgres' user to run PostgreSQL as";
      return nullptr;
    }
    who = Identity{true, pw->pw_uid, pw->pw_gid};
  }
  // As root, /tmp: the postgres user must be able to reach the directory.
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      (who.switch_user || tmp == nullptr || *tmp == '\0') ? std::string("/tmp") : std::string(tmp);
  pattern += "/smartocr-pg-XXXXXX";
  std::vector<char> templ(pattern.begin(), pattern.end());
  templ.push_back('\0');
  if (mkdtemp(templ.data()) == nullptr) {
    *why_not = "mkdtemp failed: " + std::string(std::strerror(errno));
    return nullptr;
  }
  auto server = std::unique_ptr<PostgresServer>(new PostgresServer());
  server->root_ = templ.data();
  if (who.switch_user && chown(server->root_.c_str(), who.uid, who.gid) != 0) {
    *why_not = "chown of the temp dir failed: " + std::string(std::strerror(errno));
    return nullptr;
  }
  const std::string data = server->root_ + "/data";
  const std::string log = server->root_ + "/server.log";

  if (!MakeCluster(bin, who, data, server->root_, log)) {
    *why_not = "initdb failed:\n" + Tail(log);
    return nullptr;
  }

  for (int attempt = 0; attempt < kStartTries; ++attempt) {
    const int port = FreePort();
    if (port == 0) continue;
    pid_t pid = Spawn({bin + "/postgres", "-D", data, "-p", std::to_string(port), "-h", "127.0.0.1",
                       "-k", server->root_, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c",
                       "full_page_writes=off", "-c", "max_connections=100"},
                      who, log, server->root_, /*die_with_parent=*/true);
    if (pid <= 0) break;
    server->pid_ = pid;
    server->port_ = port;
    const std::string conninfo = "host=127.0.0.1 port=" + std::to_string(port) +
                                 " user=smartocr dbname=postgres connect_timeout=2";
    auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (PQping(conninfo.c_str()) == PQPING_OK) return server;
      int st = 0;
      if (waitpid(pid, &st, WNOHANG) == pid) {  // exited: most likely the port was taken
        server->pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    if (server->pid_ > 0) {  // hung: give up on this one
      kill(server->pid_, SIGKILL);
      WaitFor(server->pid_, kStopTimeout);
      server->pid_ = -1;
    }
  }
  *why_not = "postgres did not start:\n" + Tail(log);
  return nullptr;
}

PostgresServer::~PostgresServer() {
  if (pid_ > 0) {
    kill(pid_, SIGQUIT);  // immediate shutdown: nothing here needs to survive
    if (WaitFor(pid_, kStopTimeout) == -1) {
      kill(pid_, SIGKILL);
      WaitFor(pid_, kStopTimeout);
    }
  }
  if (!root_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
}

std::string PostgresServer::url() const { return UrlFor(port_, "postgres"); }

std::string PostgresServer::CreateDatabase(std::string* why_not) {
  const std::string name = "t_" + RandomHex(8);
  PGconn* conn = PQconnectdb(url().c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    // The name is generated hex, so building the statement is safe.
    PGresult* result = PQexec(conn, ("CREATE DATABASE " + name).c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) error = PQerrorMessage(conn);
    PQclear(result);
  }
  PQfinish(conn);
  if (!error.empty()) {
    *why_not = "CREATE DATABASE failed: " + error;
    return "";
  }
  return UrlFor(port_, name);
}

PostgresServer* SharedPostgresServer(std::string* why_not) {
  static std::mutex mu;
  static bool tried = false;
  static std::string failure;
  static std::unique_ptr<PostgresServer> server;  // stopped by static destruction at exit
  std::lock_guard<std::mutex> lock(mu);
  if (!tried) {
    tried = true;
    server = PostgresServer::Start(&failure);
  }
  if (server == nullptr) *why_not = failure;
  return server.get();
}

}  // namespace smartocr::testing
