// tests/unit/store/encryption_test.cc
//
// Encryption at rest in the database (keys/keys.h with the Repository): with a keyring
// set, the sensitive columns hold only sealed values ("enc1:..."), read back as
// written; a value opens for its own tenant only; data keys are stored wrapped, one per
// tenant, made once, shared by every process, re-wrapped by a master key rotation
// without touching the data, and removed with their tenant. On both backends.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "keys/keys.h"
#include "repo_fixture.h"

namespace smartocr::store {
namespace {

constexpr char kSecret[] = "GARDENIA BAKERIES";

class EncryptionTest : public RepoTest {
 protected:
  // Job `job` of t1 completed with a page, a block and a field that say kSecret, a field
  // edit (review entry and audit row) and a cached page.
  void WriteEverything(const Job& job) {
    core::Result<std::optional<Job>> claimed = repo_->ClaimJob("w1", 100, 60000);
    ASSERT_TRUE(claimed.ok() && claimed->has_value());
    PageRecord page{.page_number = 1,
                    .width = 10,
                    .height = 10,
                    .source = "ocr",
                    .text = std::string(kSecret) + "\nTOTAL 9.90",
                    .confidence = 0.9,
                    .blocks_json = std::string(R"([{"type":"text","bbox":[0,0,1,1],)") +
                                   R"("confidence":0.9,"reading_order":0,"lines":[{"text":")" +
                                   kSecret + R"("}]}])"};
    FieldRecord field{.name = "company",
                      .value = kSecret,
                      .normalized = kSecret,
                      .validator_status = "unchecked"};
    SMARTOCR_ASSERT_OK(repo_->CompleteJob(job.id, "w1", {page}, {field}, "r", 200, {}));
    field.value = field.normalized = std::string(kSecret) + " SDN BHD";
    SMARTOCR_ASSERT_OK(repo_->ReplaceFields(
        "t1", job.id, {field},
        AuditEntry{.tenant_id = "t1",
                   .job_id = job.id,
                   .actor = "key_1",
                   .action = "fields.patch",
                   .before_json = std::string(R"({"company":")") + kSecret + "\"}",
                   .after_json = std::string(R"({"company":")") + kSecret + " SDN BHD\"}",
                   .created_at = 300}));
    SMARTOCR_ASSERT_OK(repo_->PutCachedPage({"t1", job.id}, "k1",
                                            std::string("{\"t\":\"") + kSecret + "\"}", 400));
  }

  // Every stored value of the sensitive columns.
  std::vector<std::string> SensitiveCells() {
    std::vector<std::string> cells;
    for (const char* query :
         {"SELECT text FROM pages", "SELECT blocks_json FROM pages", "SELECT text FROM blocks",
          "SELECT value FROM fields", "SELECT normalized FROM fields",
          "SELECT before_json FROM reviews", "SELECT after_json FROM reviews",
          "SELECT before_json FROM audit_log WHERE action = 'fields.patch'",
          "SELECT after_json FROM audit_log WHERE action = 'fields.patch'",
          "SELECT page_json FROM page_cache"}) {
      auto rows = Sql(query);
      EXPECT_FALSE(rows.empty()) << query;
      for (const auto& row : rows) cells.push_back(row.at(0));
    }
    return cells;
  }
};

TEST_P(EncryptionTest, SealsTheSensitiveColumnsAndReadsThemBack) {
  if (!repo_) return;
  auto ring = std::make_shared<keys::Keyring>(*repo_, keys::MasterKey::Generate());
  repo_->SetColumnCipher(ring);
  const Job job = AddJob(1);
  WriteEverything(job);
  for (const std::string& cell : SensitiveCells()) {
    EXPECT_EQ(cell.rfind("enc1:", 0), 0u) << cell;
    EXPECT_EQ(cell.find("GARDENIA"), std::string::npos) << cell;
  }
  // Read back as written, through every read.
  auto pages = repo_->GetPages("t1", job.id);
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  EXPECT_EQ(pages->at(0).text, std::string(kSecret) + "\nTOTAL 9.90");
  EXPECT_NE(pages->at(0).blocks_json.find(kSecret), std::string::npos);
  auto fields = repo_->GetFields("t1", job.id);
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->at(0).value, std::string(kSecret) + " SDN BHD");
  EXPECT_EQ(fields->at(0).normalized, std::string(kSecret) + " SDN BHD");
  auto audit = repo_->ListAudit("t1", job.id, 0);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->at(0).before_json, std::string(R"({"company":")") + kSecret + "\"}");
  auto entries = repo_->ListReviewEntries("t1", job.id);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->at(0).after_json, std::string(R"({"company":")") + kSecret + " SDN BHD\"}");
  EXPECT_EQ(repo_->ListTenantReviewEntries("t1", 0)->size(), 1u);
  auto cached = repo_->GetCachedPage({"t1", job.id}, "k1");
  ASSERT_TRUE(cached.ok() && cached->has_value());
  EXPECT_EQ(**cached, std::string("{\"t\":\"") + kSecret + "\"}");
  // The chain covers what is stored, so it verifies without any key.
  auto chain = repo_->VerifyAuditChain("t1", "");
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain->intact());
  EXPECT_EQ(chain->keyed, chain->rows);
  // Without the keyring the values stay sealed (and a keyed chain cannot be checked); a
  // wrong master key is named.
  std::unique_ptr<Repository> plain = OpenUrl(url_);
  EXPECT_EQ(plain->GetFields("t1", job.id)->at(0).value.rfind("enc1:", 0), 0u);
  EXPECT_EQ(plain->VerifyAuditChain("t1", "").status().reason(), "master_key_required");
  plain->SetColumnCipher(std::make_shared<keys::Keyring>(*plain, keys::MasterKey::Generate()));
  EXPECT_EQ(plain->GetFields("t1", job.id).status().reason(), "master_key_mismatch");
}

TEST_P(EncryptionTest, ValuesWrittenBeforeEncryptionStillRead) {
  if (!repo_) return;
  const Job job = AddJob(1);
  WriteEverything(job);  // no keyring yet
  repo_->SetColumnCipher(std::make_shared<keys::Keyring>(*repo_, keys::MasterKey::Generate()));
  EXPECT_EQ(repo_->GetFields("t1", job.id)->at(0).value, std::string(kSecret) + " SDN BHD");
  EXPECT_EQ(repo_->GetPages("t1", job.id)->at(0).text, std::string(kSecret) + "\nTOTAL 9.90");
}

TEST_P(EncryptionTest, DataKeysAreWrappedPerTenantAndRotateWithTheMasterKey) {
  if (!repo_) return;
  const keys::MasterKey m1 = keys::MasterKey::Generate();
  const keys::MasterKey m2 = keys::MasterKey::Generate();
  keys::Keyring ring(*repo_, m1);
  auto sealed = ring.Seal("t1", kSecret);
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(*ring.Open("t1", *sealed), kSecret);
  EXPECT_EQ(ring.Open("t2", *sealed).status().reason(), "column_decrypt");  // t2's key
  EXPECT_EQ(*ring.Open("t1", "written in the clear"), "written in the clear");
  EXPECT_EQ(ring.Open("t1", "enc1:AAAA").status().reason(), "column_decrypt");
  EXPECT_EQ(ring.BlobKey("nope").status().code(), core::StatusCode::kNotFound);
  EXPECT_FALSE(repo_->GetTenantKey("nope")->has_value());
  // One key per tenant, made once, stored wrapped; another process finds the same.
  const std::string blob_key = *ring.BlobKey("t1");
  EXPECT_EQ(blob_key.size(), keys::kKeyBytes);
  EXPECT_NE(*ring.BlobKey("t2"), blob_key);
  keys::Keyring other(*repo_, m1);
  EXPECT_EQ(*other.BlobKey("t1"), blob_key);
  EXPECT_EQ(*other.Open("t1", *sealed), kSecret);
  auto rows = repo_->ListTenantKeys();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  for (const TenantKeyRecord& row : *rows) EXPECT_EQ(row.master_key_id, m1.id());

  // Rotation re-wraps; the data keys, and so the data, stay.
  // From a key that wrapped none of them: refused, nothing changed.
  EXPECT_EQ(keys::RotateMasterKey(*repo_, keys::MasterKey::Generate(), m2).status().reason(),
            "master_key_mismatch");
  EXPECT_EQ(*keys::RotateMasterKey(*repo_, m2, m1), 0);  // already wrapped by the target
  EXPECT_EQ(*keys::RotateMasterKey(*repo_, m1, m2), 2);
  EXPECT_EQ(*keys::RotateMasterKey(*repo_, m1, m2), 0);  // repeated: nothing left to do
  keys::Keyring after(*repo_, m2);
  EXPECT_EQ(*after.Open("t1", *sealed), kSecret);
  EXPECT_EQ(*after.BlobKey("t1"), blob_key);
  EXPECT_EQ(keys::Keyring(*repo_, m1).BlobKey("t1").status().reason(), "master_key_mismatch");

  // The tenant's key goes with it: what a backup keeps of it cannot be read.
  SMARTOCR_ASSERT_OK(repo_->DeleteTenant("t2"));
  EXPECT_FALSE(repo_->GetTenantKey("t2")->has_value());
  EXPECT_TRUE(repo_->GetTenantKey("t1")->has_value());
}

// With a keyring the audit chain is keyed: a row edited and re-hashed by someone
// without the master key does not verify, and neither does an unkeyed row appended
// after keyed ones. Rows from before encryption stay covered as they were.
TEST_P(EncryptionTest, TheAuditChainIsKeyed) {
  if (!repo_) return;
  auto entry = [](int i) {
    return AuditEntry{.tenant_id = "t1",
                      .actor = "key_1",
                      .action = "key.create",
                      .after_json = "{\"n\":" + std::to_string(i) + "}",
                      .created_at = 10 + i};
  };
  SMARTOCR_ASSERT_OK(repo_->AppendAudit(entry(0)));  // before encryption: SHA-256
  repo_->SetColumnCipher(std::make_shared<keys::Keyring>(*repo_, keys::MasterKey::Generate()));
  for (int i = 1; i <= 3; ++i) SMARTOCR_ASSERT_OK(repo_->AppendAudit(entry(i)));
  auto chain = repo_->VerifyAuditChain("t1", "");
  ASSERT_TRUE(chain.ok()) << chain.status().ToString();
  EXPECT_TRUE(chain->intact()) << chain->problem;
  EXPECT_EQ(chain->rows, 4);
  EXPECT_EQ(chain->keyed, 3);
  EXPECT_EQ(chain->head.rfind("k1:", 0), 0u);

  // Someone with the database but not the key edits row 3 and recomputes its hash the
  // only way they can (SHA-256, as an unkeyed row): it is found.
  auto rows = Sql("SELECT id, prev_hash FROM audit_log WHERE tenant_id = 't1' ORDER BY id");
  ASSERT_EQ(rows.size(), 4u);
  SqlWrite("UPDATE audit_log SET row_hash = 'k1:" + std::string(64, '0') +
           "' WHERE id = " + rows[2][0]);
  chain = repo_->VerifyAuditChain("t1", "");
  ASSERT_TRUE(chain.ok());
  EXPECT_EQ(std::to_string(chain->broken_at), rows[2][0]);
  SqlWrite("UPDATE audit_log SET row_hash = '" + std::string(64, 'a') +
           "' WHERE id = " + rows[2][0]);
  chain = repo_->VerifyAuditChain("t1", "");
  ASSERT_TRUE(chain.ok());
  EXPECT_EQ(std::to_string(chain->broken_at), rows[2][0]);
  EXPECT_EQ(chain->problem, "a row without a key after keyed rows (written around the store)");
}

TEST(MasterKey, ReadsHexAndBase64AndRefusesAnythingElse) {
  const keys::MasterKey key = keys::MasterKey::Generate();
  auto hex = keys::MasterKey::Parse("  " + key.Hex() + "\n");
  ASSERT_TRUE(hex.ok());
  EXPECT_EQ(hex->id(), key.id());
  EXPECT_EQ(hex->id().size(), 16u);
  EXPECT_EQ(key.Hex().find(key.id()), std::string::npos);  // the id is not the key
  auto b64 = keys::MasterKey::Parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
  ASSERT_TRUE(b64.ok());
  EXPECT_EQ(b64->Hex(), "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  for (const char* bad : {"", "abc", "zz", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"}) {
    EXPECT_EQ(keys::MasterKey::Parse(bad).status().reason(), "master_key_file") << bad;
  }
  EXPECT_EQ(keys::MasterKey::FromFile("/nonexistent/master.key").status().reason(),
            "master_key_file");
  // From a file, or the key itself in the environment; none: no encryption.
  const std::string dir = ::testing::TempDir();
  std::ofstream(dir + "/master.key") << key.Hex() << "\n";
  EXPECT_EQ((*keys::MasterKeyFromFlagOrEnv(dir + "/master.key"))->id(), key.id());
  ::unsetenv("SMARTOCR_MASTER_KEY_FILE");
  ::unsetenv("SMARTOCR_MASTER_KEY");
  EXPECT_FALSE(keys::MasterKeyFromFlagOrEnv("")->has_value());
  ::setenv("SMARTOCR_MASTER_KEY", key.Hex().c_str(), 1);
  EXPECT_EQ((*keys::MasterKeyFromFlagOrEnv(""))->id(), key.id());
  ::setenv("SMARTOCR_MASTER_KEY", "short", 1);
  EXPECT_EQ(keys::MasterKeyFromFlagOrEnv("").status().reason(), "master_key_file");
  ::unsetenv("SMARTOCR_MASTER_KEY");
  // Wrapped for one tenant, it unwraps for that tenant and that key only.
  const std::string wrapped = key.Wrap("t1", std::string(32, 'k'));
  EXPECT_EQ(*key.Unwrap("t1", wrapped), std::string(32, 'k'));
  EXPECT_EQ(key.Unwrap("t2", wrapped).status().reason(), "key_unwrap");
  EXPECT_EQ(keys::MasterKey::Generate().Unwrap("t1", wrapped).status().reason(), "key_unwrap");
  EXPECT_EQ(key.Unwrap("t1", "not base64!").status().reason(), "key_unwrap");
}

SMARTOCR_INSTANTIATE_BACKENDS(EncryptionTest);

}  // namespace
}  // namespace smartocr::store
