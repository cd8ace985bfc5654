// tests/security/encryption_test.cc
//
// Encryption at rest (issue 22), end to end against the real server over SQLite and
// local blobs: after a receipt is read and a field edited, no word of its text, no
// field value and no run of the original's bytes is found in any byte of the database
// files or the blob store, while the API (and the tenant's export) serves all of it;
// the master key rotates without touching the data; a wrong or missing master key stops
// a command with a clear error instead of reading half the data. On S3, uploads pass
// through the server (no presigned URL) and every object is ciphertext.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cctype>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "api_harness.h"
#include "blobs/blobs.h"
#include "cli_runner.h"
#include "fixtures.h"
#include "required.h"
#include "s3rver_harness.h"

namespace smartocr::testing {
namespace {

namespace fs = std::filesystem;

// Sets an environment variable for the processes this test starts; restores it after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_.empty()) {
      ::unsetenv(name_);
    } else {
      ::setenv(name_, old_.c_str(), 1);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::string old_;
};

// The words (5+ letters or digits) of every "text" and "value" string in `json`.
void CollectWords(const nlohmann::json& json, std::set<std::string>* words) {
  if (json.is_object()) {
    for (const auto& [name, value] : json.items()) {
      if (value.is_string() && (name == "text" || name == "value")) {
        std::string word;
        for (char c : value.get<std::string>() + " ") {
          if (std::isalnum(static_cast<unsigned char>(c))) {
            word += c;
            continue;
          }
          if (word.size() >= 5) words->insert(word);
          word.clear();
        }
      } else {
        CollectWords(value, words);
      }
    }
  } else if (json.is_array()) {
    for (const auto& item : json) CollectWords(item, words);
  }
}

// The server, with rate limits out of the way of a test's quick requests.
std::unique_ptr<ApiProcess> StartServer(JobsEnv& env) {
  return ApiProcess::Start(env, {"--rate-per-s", "1000", "--tenant-rate-per-s", "1000"});
}

// Every file of the database and the blob store, with its bytes.
std::vector<std::pair<std::string, std::string>> StoredFiles(JobsEnv& env) {
  std::vector<std::pair<std::string, std::string>> files;
  const std::string db = env.database_url().substr(std::string("sqlite://").size());
  for (const std::string& file : {db, db + "-wal", db + "-shm"}) {
    if (fs::exists(file)) files.emplace_back(file, ReadFile(file));
  }
  for (const auto& entry : fs::recursive_directory_iterator(env.dir() + "/blobs")) {
    if (entry.is_regular_file()) {
      files.emplace_back(entry.path().string(), ReadFile(entry.path().string()));
    }
  }
  return files;
}

TEST(EncryptionAtRest, NothingOfTheDocumentIsStoredInTheClear) {
  JobsEnv env;
  const std::string k1 = env.dir() + "/master1.key";
  const std::string k2 = env.dir() + "/master2.key";
  CliResult made = env.Cli({"admin", "keys", "new-master", "--out", k1});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(fs::status(k1).permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);
  const std::string first_key = ReadFile(k1);
  EXPECT_EQ(env.Cli({"admin", "keys", "new-master", "--out", k1}).exit_code, 4);
  EXPECT_EQ(ReadFile(k1), first_key);  // an existing key is never replaced
  ASSERT_EQ(env.Cli({"admin", "keys", "new-master", "--out", k2}).exit_code, 0);

  ScopedEnv master("SMARTOCR_MASTER_KEY_FILE", k1);
  const std::string acme = CreateKey(env, "acme", "admin");
  auto server = StartServer(env);
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  const std::string job = RunReceiptJob(*c, acme);
  const std::string base = "/ocr/jobs/" + job;
  auto result = c->Get((base + "/result").c_str(), Bearer(acme));
  ASSERT_EQ(result->status, 200) << result->body;
  // A reviewer's value goes to the fields, the review history and the audit log.
  auto patched = c->Patch((base + "/fields").c_str(), Bearer(acme),
                          R"({"fields":{"company":"ZEBRAFINCH TRADING"},"reason":"typo"})",
                          "application/json");
  ASSERT_EQ(patched->status, 200) << patched->body;
  const std::string fields = c->Get((base + "/fields").c_str(), Bearer(acme))->body;
  EXPECT_NE(fields.find("ZEBRAFINCH TRADING"), std::string::npos);
  // The tenant's export is theirs to read: in the clear (an uncompressed tar).
  auto exported = c->Get("/admin/tenant/export", Bearer(acme));
  ASSERT_EQ(exported->status, 200) << exported->body;
  EXPECT_NE(exported->body.find("ZEBRAFINCH TRADING"), std::string::npos);
  EXPECT_NE(exported->body.find(ReceiptPng()), std::string::npos);
  ASSERT_EQ(server->Stop(), 0);

  std::set<std::string> words = {"ZEBRAFINCH"};
  CollectWords(Body(result), &words);
  CollectWords(nlohmann::json::parse(fields), &words);
  ASSERT_GE(words.size(), 5u) << "too little text read to test with";
  const std::string png = ReceiptPng();
  const std::string png_run = png.substr(png.size() / 2, 32);
  int blobs = 0;
  for (const auto& [path, bytes] : StoredFiles(env)) {
    for (const std::string& word : words) {
      EXPECT_EQ(bytes.find(word), std::string::npos)
          << "\"" << word << "\" in the clear in " << path;
    }
    EXPECT_EQ(bytes.find(png_run), std::string::npos) << path;
    if (path.find("/blobs/") != std::string::npos) {
      ++blobs;
      EXPECT_EQ(bytes.rfind("SOCRENC1", 0), 0u) << path;
    }
  }
  EXPECT_GE(blobs, 3);  // the original, the result, the page image

  // Rotation re-wraps the keys; the data reads with the new key, not the old one.
  CliResult rotated = env.Cli({"admin", "keys", "rotate-master", "--new-master-key-file", k2});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_NE(rotated.out.find("re-wrapped"), std::string::npos) << rotated.out;
  CliResult stale = env.Cli({"admin", "audit", "verify", "--tenant", "acme"});
  EXPECT_EQ(stale.exit_code, 4);
  EXPECT_NE(stale.err.find("master_key_mismatch"), std::string::npos) << stale.err;
  {
    ScopedEnv none("SMARTOCR_MASTER_KEY_FILE", "");
    CliResult keyless = env.Cli({"admin", "audit", "verify", "--tenant", "acme"});
    EXPECT_NE(keyless.exit_code, 0);
    EXPECT_NE(keyless.err.find("master_key_required"), std::string::npos) << keyless.err;
  }
  ScopedEnv rotated_key("SMARTOCR_MASTER_KEY_FILE", k2);
  CliResult verified = env.Cli({"admin", "audit", "verify", "--tenant", "acme"});
  EXPECT_EQ(verified.exit_code, 0) << verified.err << verified.out;
  server = StartServer(env);
  ASSERT_NE(server, nullptr);
  c = server->Client();
  EXPECT_EQ(c->Get((base + "/fields").c_str(), Bearer(acme))->body, fields);
  auto again = c->Get((base + "/result").c_str(), Bearer(acme));
  ASSERT_EQ(again->status, 200);
  EXPECT_EQ(again->body, result->body);
  EXPECT_EQ(c->Get((base + "/pages/1").c_str(), Bearer(acme))->status, 200);
  ASSERT_EQ(server->Stop(), 0);
}

// On S3 (a real s3rver, asked for server-side encryption too), an upload URL is the
// server's own, not presigned: the bytes must pass through the server to be encrypted.
// Every object in the bucket is ciphertext; the job reads as usual.
TEST(EncryptionAtRest, OnS3UploadsPassThroughTheServerAndObjectsAreCiphertext) {
  std::string why;
  std::unique_ptr<S3rver> s3 = S3rver::Start("smartocr-encrypted", &why);
  if (!s3) SMARTOCR_SKIP_OR_FAIL(why);
  S3rver::ExportCredentials();
  JobsEnv env;
  env.set_blobs_url(s3->StoreUrl() + "&sse=AES256");
  const std::string k1 = env.dir() + "/master.key";
  ASSERT_EQ(env.Cli({"admin", "keys", "new-master", "--out", k1}).exit_code, 0);
  ScopedEnv master("SMARTOCR_MASTER_KEY_FILE", k1);
  const std::string acme = CreateKey(env, "acme", "admin");
  auto server = StartServer(env);
  ASSERT_NE(server, nullptr);
  auto c = server->Client();
  // No content_length needed: the server, not S3, takes the bytes.
  auto r = c->Post("/ocr/uploads", Bearer(acme), "{}", "application/json");
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string url = Body(r)["upload_url"];
  EXPECT_EQ(url.rfind(server->base_url() + "/blobs/uploads/acme/", 0), 0u) << url;
  auto put = c->Put(url.substr(server->base_url().size()).c_str(), ReceiptPng(), "image/png");
  ASSERT_EQ(put->status, 200) << put->body;
  r = c->Post("/ocr/jobs", Bearer(acme),
              nlohmann::json{{"source_uri", Body(r)["source_uri"]}}.dump(), "application/json");
  ASSERT_EQ(r->status, 202) << r->body;
  const std::string job = Body(r)["id"];
  EXPECT_EQ(WaitForJob(*c, acme, job)["status"], "succeeded");
  auto result = c->Get(("/ocr/jobs/" + job + "/result").c_str(), Bearer(acme));
  ASSERT_EQ(result->status, 200);
  std::set<std::string> words;
  CollectWords(Body(result), &words);
  ASSERT_GE(words.size(), 3u);
  ASSERT_EQ(server->Stop(), 0);

  const blobs::Credentials creds{S3rver::kAccessKey, S3rver::kSecretKey, ""};
  auto bucket = blobs::OpenBlobStore(s3->StoreUrl(), &creds);
  ASSERT_TRUE(bucket.ok()) << bucket.status().ToString();
  int objects = 0;
  for (const char* area : {"uploads/acme/", "originals/acme/", "results/acme/", "pages/acme/"}) {
    auto keys = (*bucket)->List(area);
    ASSERT_TRUE(keys.ok()) << keys.status().ToString();
    for (const std::string& key : *keys) {
      ++objects;
      const std::string bytes = *(*bucket)->Get(key);
      EXPECT_EQ(bytes.rfind("SOCRENC1", 0), 0u) << key;
      for (const std::string& word : words) EXPECT_EQ(bytes.find(word), std::string::npos) << key;
    }
  }
  EXPECT_GE(objects, 2);  // the upload, the result (and what else the job kept)
}

}  // namespace
}  // namespace smartocr::testing
