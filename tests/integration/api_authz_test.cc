// Authorization: every route (as listed by /openapi.json) x every role x own / other
// tenant; revocation; tenant isolation of listings; rate limits in-process and shared
// through Redis between two servers.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "api_harness.h"
#include "fixtures.h"
#include "required.h"
#include "s3rver_harness.h"

namespace smartocr::testing {
namespace {

enum class Need { kPublic, kRead, kSubmit, kReview, kAdmin, kSystemAdmin, kSigned };

bool Allows(const std::string& role, Need need) {
  switch (need) {
    case Need::kPublic:
    case Need::kRead:
      return true;
    case Need::kSubmit:
      return role == "admin" || role == "service";
    case Need::kReview:
      return role == "admin" || role == "reviewer";
    case Need::kAdmin:
      return role == "admin";
    case Need::kSystemAdmin:
    case Need::kSigned:
      return false;  // tenant "a" is not the system tenant; no signature is sent
  }
  return false;
}

struct Case {
  std::string method;
  std::string pattern;  // as in /openapi.json
  Need need;
  bool per_resource;  // has an {id} that can belong to the other tenant
  std::string body;
};

TEST(ApiAuthz, EveryRouteRoleAndTenant) {
  JobsEnv env;
  const std::vector<std::string> roles = {"admin", "reviewer", "viewer", "service"};
  std::map<std::string, std::string> keys;
  for (const std::string& role : roles) keys[role] = CreateKey(env, "a", role);
  const std::string other_admin = CreateKey(env, "b", "admin");
  // A stand-in for the review UI's built files: the routes serve whatever is there.
  const std::string ui_dir = env.dir() + "/ui";
  std::filesystem::create_directories(ui_dir);
  WriteFile(ui_dir + "/index.html", "<!doctype html><title>review</title>");
  std::filesystem::create_directories(ui_dir + "/assets");
  WriteFile(ui_dir + "/assets/app.js", "console.log('review')");
  auto server = ApiProcess::Start(
      env, {"--workers", "0", "--rate-per-s", "0", "--tenant-rate-per-s", "0", "--ui-dir", ui_dir});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();

  auto new_job = [&](const std::string& tenant) {
    store::JobSpec spec;
    spec.source_uri = "file:///nonexistent";
    auto job = env.repo().CreateJob(tenant, spec, 1, nullptr);
    EXPECT_TRUE(job.ok());
    return job.ok() ? job->id : "";
  };
  // A throwaway key row to revoke (never one of the keys making the requests).
  auto new_key_id = [&](const std::string& tenant) {
    store::ApiKey k;
    k.id = store::NewId("key");
    k.tenant_id = tenant;
    k.prefix = k.id.substr(4, 12);
    k.key_hash = "unused";
    k.role = store::Role::kViewer;
    EXPECT_TRUE(env.repo().CreateApiKey(k).ok());
    return k.id;
  };
  const std::string json_body = R"({"source_uri":"http://127.0.0.1:1/x","role":"viewer",
      "fields":{"total":"1.00"},"id":"newtenant"})";
  const std::vector<Case> cases = {
      {"GET", "/healthz", Need::kPublic, false, ""},
      {"GET", "/readyz", Need::kPublic, false, ""},
      {"GET", "/openapi.json", Need::kPublic, false, ""},
      {"GET", "/metrics", Need::kPublic, false, ""},
      {"GET", "/auth/config", Need::kPublic, false, ""},
      {"POST", "/ocr/extract", Need::kSubmit, false, json_body},
      {"POST", "/ocr/jobs", Need::kSubmit, false, json_body},
      {"GET", "/ocr/jobs", Need::kRead, false, ""},
      {"GET", "/ocr/jobs/{id}", Need::kRead, true, ""},
      {"POST", "/ocr/jobs/{id}/rerun", Need::kReview, true, ""},
      {"DELETE", "/ocr/jobs/{id}", Need::kAdmin, true, ""},
      {"GET", "/ocr/jobs/{id}/result", Need::kRead, true, ""},
      {"GET", "/ocr/jobs/{id}/pages/{n}", Need::kRead, true, ""},
      {"PATCH", "/ocr/jobs/{id}/fields", Need::kReview, true, json_body},
      {"POST", "/ocr/uploads", Need::kSubmit, false, "{}"},
      {"PUT", "/blobs/{key}", Need::kSigned, false, "x"},
      {"POST", "/admin/keys", Need::kAdmin, false, json_body},
      {"GET", "/admin/keys", Need::kAdmin, false, ""},
      {"DELETE", "/admin/keys/{id}", Need::kAdmin, true, ""},
      {"POST", "/admin/tenants", Need::kSystemAdmin, false, json_body},
      {"DELETE", "/admin/tenants/{id}", Need::kSystemAdmin, false, ""},
      {"GET", "/admin/tenant/export", Need::kAdmin, false, ""},
      {"GET", "/admin/tenant/settings", Need::kAdmin, false, ""},
      {"PUT", "/admin/tenant/settings", Need::kAdmin, false, "{}"},
      {"POST", "/admin/tenant/webhook-secret", Need::kAdmin, false, ""},
      {"POST", "/admin/jobs/{id}/requeue", Need::kAdmin, true, ""},
      {"GET", "/admin/audit", Need::kAdmin, false, ""},
      {"GET", "/admin/audit/verify", Need::kAdmin, false, ""},
      {"GET", "/review/queue", Need::kRead, false, ""},
      {"GET", "/review/stats", Need::kRead, false, ""},
      {"GET", "/review/export", Need::kRead, false, ""},
      {"POST", "/ocr/jobs/{id}/review/claim", Need::kReview, true, ""},
      {"POST", "/ocr/jobs/{id}/review/release", Need::kReview, true, ""},
      {"POST", "/ocr/jobs/{id}/review/approve", Need::kReview, true, "{}"},
      {"POST", "/ocr/jobs/{id}/review/reject", Need::kReview, true, R"({"reason_code":"other"})"},
      {"GET", "/ocr/jobs/{id}/reviews", Need::kRead, true, ""},
      {"GET", "/ocr/jobs/{id}/fields", Need::kRead, true, ""},
      {"GET", "/review", Need::kPublic, false, ""},
      {"GET", "/review/", Need::kPublic, false, ""},
      {"GET", "/review/{path}", Need::kPublic, false, ""},
  };

  // Every route in the spec is walked (and nothing walked is missing from the spec).
  nlohmann::json spec = Body(c->Get("/openapi.json"));
  std::set<std::string> in_spec, walked;
  for (const auto& [path, item] : spec["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      in_spec.insert(std::string(method).append(" ").append(path));
    }
  }
  for (const Case& k : cases) {
    std::string m = k.method;
    std::transform(m.begin(), m.end(), m.begin(), ::tolower);
    walked.insert(m + " " + k.pattern);
  }
  EXPECT_EQ(in_spec, walked);

  for (const Case& k : cases) {
    for (const std::string& role : roles) {
      for (bool other : {false, true}) {
        if (other && !k.per_resource) continue;
        const std::string tenant = other ? "b" : "a";
        std::string path = k.pattern;
        const bool is_key = k.pattern.find("/admin/keys/") == 0;
        auto replace = [&](const std::string& from, const std::string& to) {
          if (size_t p = path.find(from); p != std::string::npos) path.replace(p, from.size(), to);
        };
        replace("{id}", is_key ? new_key_id(tenant) : new_job(tenant));
        replace("{n}", "1");
        replace("{key}", "uploads/a/x");
        replace("{path}", "assets/app.js");
        httplib::Headers h = Bearer(keys[role]);
        httplib::Result r(nullptr, httplib::Error::Unknown);
        if (k.method == "GET") {
          r = c->Get(path.c_str(), h);
        } else if (k.method == "DELETE") {
          r = c->Delete(path.c_str(), h);
        } else if (k.method == "POST") {
          r = c->Post(path.c_str(), h, k.body, "application/json");
        } else if (k.method == "PUT") {
          r = c->Put(path.c_str(), h, k.body, "application/json");
        } else {
          r = c->Patch(path.c_str(), h, k.body, "application/json");
        }
        ASSERT_TRUE(r) << k.method << " " << path;
        const std::string what = k.method + " " + k.pattern + " as " + role +
                                 (other ? " on another tenant's" : "") + ": " + r->body;
        EXPECT_FALSE(r->get_header_value("X-Request-Id").empty()) << what;
        if (!Allows(role, k.need)) {
          EXPECT_EQ(r->status, 403) << what;
        } else if (other) {
          EXPECT_EQ(r->status, 404) << what;
          EXPECT_EQ(r->body.find(tenant == "b" ? "\"tenant_id\":\"b\"" : "~"), std::string::npos);
        } else {
          EXPECT_TRUE(r->status != 401 && r->status != 403 && r->status != 404 && r->status < 500)
              << what;
        }
      }
    }
  }
  // Listings never show another tenant's jobs.
  const std::string b_job = new_job("b");
  auto r = c->Get("/ocr/jobs?limit=1000", Bearer(keys["viewer"]));
  EXPECT_EQ(r->body.find(b_job), std::string::npos);
  r = c->Get("/ocr/jobs?limit=1000", Bearer(other_admin));
  EXPECT_NE(r->body.find(b_job), std::string::npos);
}

TEST(ApiAuthz, RevocationTakesEffectOnTheNextRequest) {
  JobsEnv env;
  const std::string admin = CreateKey(env, "a", "admin");
  auto server = ApiProcess::Start(env, {"--workers", "0"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  auto r = c->Post("/admin/keys", Bearer(admin), R"({"role":"viewer"})", "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string viewer = Body(r)["key"];
  const std::string viewer_id = Body(r)["id"];
  EXPECT_EQ(c->Get("/ocr/jobs", Bearer(viewer))->status, 200);
  r = c->Get("/admin/keys", Bearer(admin));
  EXPECT_EQ(r->body.find(viewer), std::string::npos);  // listings never hold secrets
  EXPECT_EQ(c->Delete(("/admin/keys/" + viewer_id).c_str(), Bearer(admin))->status, 204);
  r = c->Get("/ocr/jobs", Bearer(viewer));
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer");
  // The database holds only the hash.
  auto keys = env.repo().ListApiKeys("a");
  ASSERT_TRUE(keys.ok());
  for (const auto& k : *keys) EXPECT_EQ(viewer.find(k.key_hash), std::string::npos);

  // Failed sign-ins with a known key's prefix are audited in its tenant: the revoked
  // key above, and the admin key with a wrong secret. Never the secret sent.
  std::string wrong = admin;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  EXPECT_EQ(c->Get("/ocr/jobs", Bearer(wrong))->status, 401);
  r = c->Get("/admin/audit", Bearer(admin));
  ASSERT_EQ(r->status, 200);
  const nlohmann::json entries = Body(r)["entries"];
  std::map<std::string, std::string> failed;  // actor -> reason
  for (const auto& e : entries) {
    if (e["action"] != "auth.failed") continue;
    failed[e["actor"].get<std::string>()] = e["reason"].get<std::string>();
    EXPECT_EQ(e["after"]["path"], "/ocr/jobs") << e.dump();
    EXPECT_EQ(e["after"]["remote_addr"], "127.0.0.1") << e.dump();
  }
  EXPECT_EQ(failed[viewer_id], "revoked key") << r->body;
  ASSERT_EQ(failed.size(), 2u) << r->body;
  for (const auto& [actor, reason] : failed) {
    if (actor != viewer_id) {
      EXPECT_EQ(reason, "wrong secret") << r->body;
    }
  }
  EXPECT_EQ(r->body.find(wrong.substr(16)), std::string::npos);  // the secret part
}

// Keys narrowed by scopes, bound to networks, or expiring; their last use is listed.
TEST(ApiAuthz, KeyScopesNetworksAndExpiry) {
  JobsEnv env;
  const std::string admin = CreateKey(env, "a", "admin");
  auto server = ApiProcess::Start(env, {"--workers", "0"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  auto make = [&](const std::string& body) {
    auto r = c->Post("/admin/keys", Bearer(admin), body, "application/json");
    EXPECT_EQ(r->status, 201) << body << " " << r->body;
    return Body(r);
  };
  const nlohmann::json read_only = make(R"({"role":"admin","scopes":["jobs:read"]})");
  EXPECT_EQ(read_only["scopes"], nlohmann::json::array({"jobs:read"}));
  EXPECT_EQ(c->Get("/ocr/jobs", Bearer(read_only["key"]))->status, 200);
  auto r =
      c->Post("/admin/keys", Bearer(read_only["key"]), R"({"role":"viewer"})", "application/json");
  EXPECT_EQ(r->status, 403) << r->body;
  EXPECT_NE(r->body.find("scopes do not include admin"), std::string::npos) << r->body;

  const nlohmann::json elsewhere = make(R"({"role":"viewer","allowed_networks":["10.0.0.0/8"]})");
  EXPECT_EQ(c->Get("/ocr/jobs", Bearer(elsewhere["key"]))->status, 401);  // from 127.0.0.1
  const nlohmann::json here = make(R"({"role":"viewer","allowed_networks":["127.0.0.0/8"]})");
  EXPECT_EQ(c->Get("/ocr/jobs", Bearer(here["key"]))->status, 200);

  const nlohmann::json brief = make(R"({"role":"viewer","expires_in_s":1})");
  EXPECT_GT(brief["expires_at"].get<int64_t>(), brief["created_at"].get<int64_t>());
  EXPECT_EQ(c->Get("/ocr/jobs", Bearer(brief["key"]))->status, 200);
  EXPECT_TRUE(
      WaitUntil([&] { return c->Get("/ocr/jobs", Bearer(brief["key"]))->status == 401; }, 5'000));

  for (const char* bad :
       {R"({"role":"viewer","scopes":["everything"]})", R"({"role":"viewer","scopes":"jobs:read"})",
        R"({"role":"viewer","allowed_networks":["intranet"]})",
        R"({"role":"viewer","expires_in_s":0})", R"({"role":"viewer","expires_in_s":"soon"})"}) {
    r = c->Post("/admin/keys", Bearer(admin), bad, "application/json");
    EXPECT_EQ(r->status, 422) << bad << " " << r->body;
  }

  r = c->Get("/admin/keys", Bearer(admin));
  ASSERT_EQ(r->status, 200);
  const nlohmann::json keys = Body(r)["keys"];
  for (const auto& k : keys) {
    if (k["id"] == read_only["id"]) {
      EXPECT_GT(k["last_used_at"].get<int64_t>(), 0) << k.dump();
    }
    if (k["id"] == elsewhere["id"]) {
      EXPECT_EQ(k["last_used_at"], 0) << k.dump();
    }
  }
  r = c->Get("/admin/audit", Bearer(admin));
  std::set<std::string> why;
  const nlohmann::json entries = Body(r)["entries"];
  for (const auto& e : entries) {
    if (e["action"] == "auth.failed") why.insert(e["reason"].get<std::string>());
  }
  EXPECT_TRUE(why.count("network not allowed")) << r->body;
  EXPECT_TRUE(why.count("expired key")) << r->body;
}

TEST(ApiAuthz, SystemAdminCreatesTenants) {
  JobsEnv env;
  const std::string root = CreateKey(env, "system", "admin");
  auto server = ApiProcess::Start(env, {"--workers", "0"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  auto r = c->Post("/admin/tenants", Bearer(root), R"({"id":"newco","name":"New Co"})",
                   "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string key = Body(r)["admin_key"]["key"];
  EXPECT_EQ(c->Get("/admin/tenant/settings", Bearer(key))->status, 200);
  r = c->Post("/admin/tenants", Bearer(root), R"({"id":"newco"})", "application/json");
  EXPECT_EQ(r->status, 409);
  r = c->Put("/admin/tenant/settings", Bearer(key), R"({"rate_per_s":-1})", "application/json");
  EXPECT_EQ(r->status, 422);
}

TEST(ApiAuthz, RateLimitPerKey) {
  JobsEnv env;
  const std::string key = CreateKey(env, "a", "viewer");
  auto server = ApiProcess::Start(env, {"--workers", "0", "--rate-per-s", "1"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  int limited = 0;
  for (int i = 0; i < 4; ++i) {
    auto r = c->Get("/ocr/jobs", Bearer(key));
    ASSERT_TRUE(r);
    if (r->status == 429) {
      ++limited;
      EXPECT_EQ(ErrorCode(r), "rate_limited");
      EXPECT_GE(std::stoi(r->get_header_value("Retry-After")), 1);
    }
  }
  EXPECT_GE(limited, 1);
  // Public routes are not limited.
  EXPECT_EQ(c->Get("/healthz")->status, 200);
}

TEST(ApiAuthz, RateLimitSharedThroughRedis) {
  if (::access("/usr/bin/redis-server", X_OK) != 0) {
    SMARTOCR_SKIP_OR_FAIL("redis-server is not installed");
  }
  const int port = FreePort();
  pid_t redis = ::fork();
  if (redis == 0) {
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    const std::string p = std::to_string(port);
    ::execl("/usr/bin/redis-server", "redis-server", "--port", p.c_str(), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--loglevel", "warning",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  JobsEnv env;
  const std::string key = CreateKey(env, "a", "viewer");
  const std::string url = "redis://127.0.0.1:" + std::to_string(port);
  struct Reaper {
    pid_t pid;
    ~Reaper() {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
  } reaper{redis};
  ASSERT_TRUE(WaitUntil([&] { return PortOpen(port); }, 10'000)) << "redis-server did not start";
  auto s1 = ApiProcess::Start(env, {"--workers", "0", "--rate-per-s", "0.2", "--redis", url});
  ASSERT_NE(s1, nullptr);
  auto s2 = ApiProcess::Start(env, {"--workers", "0", "--rate-per-s", "0.2", "--redis", url});
  ASSERT_NE(s2, nullptr);
  // Burst 1 (0.2/s): one request anywhere empties the shared bucket.
  EXPECT_EQ(s1->Client()->Get("/ocr/jobs", Bearer(key))->status, 200);
  EXPECT_EQ(s2->Client()->Get("/ocr/jobs", Bearer(key))->status, 429);

  // Redis gone: requests are let through (a rate limiter must not take the API down),
  // and the server says why in its log.
  ::kill(redis, SIGTERM);
  ::waitpid(redis, nullptr, 0);
  EXPECT_EQ(s2->Client()->Get("/ocr/jobs", Bearer(key))->status, 200);
  EXPECT_EQ(s2->Client()->Get("/ocr/jobs", Bearer(key))->status, 200);
  EXPECT_NE(s2->Log().find("redis rate limiter unreachable"), std::string::npos) << s2->Log();
}

// The tenant's bucket is shared by its keys: one key's request empties it for the
// other; another tenant has its own.
TEST(ApiAuthz, RateLimitPerTenant) {
  JobsEnv env;
  const std::string first = CreateKey(env, "a", "viewer");
  const std::string second = CreateKey(env, "a", "viewer");
  const std::string other = CreateKey(env, "b", "viewer");
  // No per-key limit; 0.2/s per tenant (burst 1).
  auto server =
      ApiProcess::Start(env, {"--workers", "0", "--rate-per-s", "0", "--tenant-rate-per-s", "0.2"});
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  EXPECT_EQ(c->Get("/ocr/jobs", Bearer(first))->status, 200);
  auto r = c->Get("/ocr/jobs", Bearer(second));
  EXPECT_EQ(r->status, 429) << r->body;
  EXPECT_EQ(ErrorCode(r), "rate_limited");
  EXPECT_EQ(c->Get("/ocr/jobs", Bearer(other))->status, 200);
}

}  // namespace
}  // namespace smartocr::testing
