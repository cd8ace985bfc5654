// Unit tests of the API module's parts: routing, the OpenAPI document's coverage of
// the route table, roles, keys, token buckets, settings, errors, reviewer edits and
// reading a result document back.
#include <gtest/gtest.h>

#include <optional>
#include <set>

#include "api/api.h"
#include "api/auth.h"
#include "api/errors.h"
#include "api/page_image.h"
#include "api/review.h"
#include "blobs/blobs.h"
#include "document/document.h"
#include "extract/lexicon.h"
#include "fixtures.h"
#include "pipeline/pipeline_set.h"
#include "render/render.h"
#include "store/store.h"

namespace smartocr::api {
namespace {

TEST(Router, MatchesPatternsAndTellsMethodFromPath) {
  Router r;
  r.Add({.method = "GET", .pattern = "/ocr/jobs/{id}"});
  r.Add({.method = "GET", .pattern = "/ocr/jobs/{id}/pages/{n}"});
  r.Add({.method = "PUT", .pattern = "/blobs/{key+}"});
  std::map<std::string, std::string> p;
  bool known = false;
  const Route* route = r.Match("GET", "/ocr/jobs/job_1/pages/3", &p, &known);
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(route->pattern, "/ocr/jobs/{id}/pages/{n}");
  EXPECT_EQ(p["id"], "job_1");
  EXPECT_EQ(p["n"], "3");
  route = r.Match("PUT", "/blobs/uploads/t/x", &p, &known);
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(p["key"], "uploads/t/x");
  EXPECT_EQ(r.Match("DELETE", "/ocr/jobs/x", &p, &known), nullptr);
  EXPECT_TRUE(known);
  EXPECT_EQ(r.Match("GET", "/ocr/jobs/", &p, &known), nullptr);
  EXPECT_FALSE(known);
  EXPECT_EQ(r.Match("GET", "/ocr/jobs/a/b", &p, &known), nullptr);
  EXPECT_EQ(r.Match("PUT", "/blobs/", &p, &known), nullptr);
}

// Every registered route, with its method, is in /openapi.json, and the document is
// OpenAPI 3.1 with the error schema every error response refers to.
TEST(OpenApi, DescribesEveryRegisteredRoute) {
  // Real, empty dependencies: building the route table touches none of them.
  auto repo = store::OpenRepository("sqlite::memory:");
  ASSERT_TRUE(repo.ok()) << repo.status().ToString();
  auto blobs = blobs::OpenLocalBlobStore(smartocr::testing::MakeTempDir());
  ASSERT_TRUE(blobs.ok()) << blobs.status().ToString();
  pipeline::PipelineSet pipelines;
  document::DocumentService documents(pipelines, nullptr);
  LocalRateLimiter limiter;
  ApiServer server(ApiDeps{.repo = **repo,
                           .blobs = **blobs,
                           .pipelines = pipelines,
                           .documents = documents,
                           .limiter = limiter},
                   ServerOptions{});
  const Router& router = server.router();
  ASSERT_GT(router.routes().size(), 15u);
  nlohmann::ordered_json spec = OpenApiSpec(router);
  nlohmann::json parsed = nlohmann::json::parse(spec.dump());  // serializes and parses
  EXPECT_EQ(parsed["openapi"], "3.1.0");
  ASSERT_TRUE(parsed["components"]["schemas"].contains("Error"));
  size_t operations = 0;
  for (const Route& route : router.routes()) {
    std::string path = route.pattern;
    if (size_t plus = path.find("+}"); plus != std::string::npos) path.erase(plus, 1);
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    ASSERT_TRUE(parsed["paths"].contains(path)) << path;
    ASSERT_TRUE(parsed["paths"][path].contains(method)) << method << " " << path;
    const auto& op = parsed["paths"][path][method];
    EXPECT_FALSE(op["summary"].get<std::string>().empty()) << path;
    if (route.permission != Permission::kPublic) {
      EXPECT_TRUE(op["responses"].contains("401")) << path;
      EXPECT_TRUE(op["responses"].contains("403")) << path;
      EXPECT_TRUE(op["responses"].contains("429")) << path;
    }
    for (const auto& [status, response] : op["responses"].items()) {
      if (status[0] >= '4' || status == "default") {
        EXPECT_EQ(response["content"]["application/json"]["schema"]["$ref"],
                  "#/components/schemas/Error");
      }
    }
    // Path parameters are declared.
    for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
      const std::string name = path.substr(open + 1, path.find('}', open) - open - 1);
      bool declared = false;
      for (const auto& param : op.value("parameters", nlohmann::json::array())) {
        declared |= param["name"] == name && param["in"] == "path";
      }
      EXPECT_TRUE(declared) << name << " in " << path;
    }
    ++operations;
  }
  size_t in_spec = 0;
  for (const auto& [path, item] : parsed["paths"].items()) in_spec += item.size();
  EXPECT_EQ(in_spec, operations);  // nothing documented that is not served
}

TEST(Roles, MatchTheDocumentedMatrix) {
  using store::Role;
  EXPECT_TRUE(RoleAllows(Role::kViewer, Permission::kRead));
  EXPECT_FALSE(RoleAllows(Role::kViewer, Permission::kSubmit));
  EXPECT_FALSE(RoleAllows(Role::kViewer, Permission::kReview));
  EXPECT_TRUE(RoleAllows(Role::kService, Permission::kSubmit));
  EXPECT_FALSE(RoleAllows(Role::kService, Permission::kReview));
  EXPECT_TRUE(RoleAllows(Role::kReviewer, Permission::kReview));
  EXPECT_FALSE(RoleAllows(Role::kReviewer, Permission::kSubmit));
  EXPECT_FALSE(RoleAllows(Role::kReviewer, Permission::kAdmin));
  for (Permission p :
       {Permission::kRead, Permission::kSubmit, Permission::kReview, Permission::kAdmin}) {
    EXPECT_TRUE(RoleAllows(Role::kAdmin, p));
  }
}

TEST(Keys, AreRandomHashedAndCheckedAgainstTheStore) {
  auto repo = store::OpenRepository("sqlite::memory:");
  ASSERT_TRUE(repo.ok());
  ASSERT_TRUE((*repo)->Migrate().ok());
  ASSERT_TRUE(EnsureTenant(**repo, "t", 1).ok());
  ASSERT_TRUE(EnsureTenant(**repo, "t", 1).ok());  // idempotent
  NewKey a = GenerateKey("t", store::Role::kService, 1);
  NewKey b = GenerateKey("t", store::Role::kService, 1);
  EXPECT_NE(a.key, b.key);
  EXPECT_EQ(a.key.size(), 3 + 12 + 1 + 64u);  // sk_ + prefix + _ + 32 random bytes in hex
  EXPECT_EQ(a.row.key_hash.find(a.key.substr(16)), std::string::npos);
  ASSERT_TRUE((*repo)->CreateApiKey(a.row).ok());
  const SignInContext at{.remote_addr = "127.0.0.1", .now_ms = 1000};
  auto p = Authenticate(**repo, "Bearer " + a.key, at);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->tenant_id, "t");
  EXPECT_EQ(p->role, store::Role::kService);
  std::string wrong = a.key;
  wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
  for (const std::string& header : {"Bearer " + wrong, "Bearer " + b.key, std::string("Basic abc"),
                                    std::string("Bearer "), a.key}) {
    EXPECT_EQ(Authenticate(**repo, header, at).status().reason(), "unauthenticated") << header;
  }
  ASSERT_TRUE((*repo)->RevokeApiKey("t", a.row.id, 2).ok());
  std::optional<SignInFailure> failure;
  EXPECT_EQ(Authenticate(**repo, "Bearer " + a.key, at, &failure).status().reason(),
            "unauthenticated");
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->why, "revoked key");
  EXPECT_EQ(failure->key_id, a.row.id);
}

// Expiry, networks and scopes narrow what a key does; a sign-in records its last use.
TEST(Auth, KeysExpireKeepToTheirNetworksAndScopes) {
  auto repo = store::OpenRepository("sqlite::memory:");
  ASSERT_TRUE(repo.ok());
  ASSERT_TRUE((*repo)->Migrate().ok());
  ASSERT_TRUE(EnsureTenant(**repo, "t", 1).ok());
  NewKey k = GenerateKey("t", store::Role::kAdmin, 1);
  k.row.expires_at = 5000;
  k.row.allowed_networks = *CheckNetworks({"10.0.0.0/8", "::1"});
  k.row.scopes = *CheckScopes({"jobs:read", "review"});
  ASSERT_TRUE((*repo)->CreateApiKey(k.row).ok());
  const std::string header = "Bearer " + k.key;
  auto p = Authenticate(**repo, header, {.remote_addr = "10.1.2.3", .now_ms = 4000});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->scopes, "jobs:read review");
  EXPECT_TRUE(Authenticate(**repo, header, {.remote_addr = "::1", .now_ms = 4000}).ok());
  EXPECT_EQ((*repo)->FindApiKeyByPrefix(k.row.prefix)->last_used_at, 4000);
  std::optional<SignInFailure> failure;
  EXPECT_FALSE(
      Authenticate(**repo, header, {.remote_addr = "127.0.0.1", .now_ms = 4000}, &failure).ok());
  EXPECT_EQ(failure->why, "network not allowed");
  EXPECT_FALSE(
      Authenticate(**repo, header, {.remote_addr = "10.1.2.3", .now_ms = 5000}, &failure).ok());
  EXPECT_EQ(failure->why, "expired key");

  EXPECT_TRUE(ScopesAllow(p->scopes, Permission::kRead));
  EXPECT_TRUE(ScopesAllow(p->scopes, Permission::kReview));
  EXPECT_FALSE(ScopesAllow(p->scopes, Permission::kAdmin));
  EXPECT_FALSE(ScopesAllow(p->scopes, Permission::kSubmit));
  EXPECT_TRUE(ScopesAllow("", Permission::kAdmin));  // no scopes: the role decides
  EXPECT_FALSE(CheckScopes({"jobs:read", "everything"}).ok());
  EXPECT_FALSE(CheckNetworks({"10.0.0.0/33"}).ok());
  EXPECT_FALSE(CheckNetworks({"example.com"}).ok());
}

TEST(RateLimit, TokenBucketRefillsAtItsRate) {
  LocalRateLimiter limiter;
  const BucketSpec spec{2, 3};  // 2/s, burst 3
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Take("k", spec, 1000), 0) << i;
  const int64_t wait = limiter.Take("k", spec, 1000);
  EXPECT_EQ(wait, 500);
  EXPECT_GT(limiter.Take("k", spec, 1400), 0);
  EXPECT_EQ(limiter.Take("k", spec, 1500), 0);              // one token back after 0.5 s
  EXPECT_EQ(limiter.Take("other", spec, 1500), 0);          // buckets are per key
  EXPECT_EQ(limiter.Take("k", BucketSpec{0, 1}, 1500), 0);  // 0 = unlimited
}

TEST(Settings, OverrideDefaultsAndAreValidated) {
  TenantLimits d;
  TenantLimits l = LimitsFor(R"({"sync_timeout_ms": 2500, "rate_per_s": 7, "x": "y"})", d);
  EXPECT_EQ(l.sync_timeout_ms, 2500);
  EXPECT_EQ(l.key_rate.rate_per_s, 7);
  EXPECT_EQ(l.sync_max_bytes, d.sync_max_bytes);
  EXPECT_EQ(LimitsFor("not json", d).sync_timeout_ms, d.sync_timeout_ms);
  EXPECT_TRUE(ValidateSettings(nlohmann::json::parse(R"({"burst": 4, "feature_flags": []})")).ok());
  EXPECT_TRUE(ValidateSettings(nlohmann::json::parse(
                                   R"({"redact": ["mrz"], "review_threshold": 0.7, "schemas": {
                                       "po": {"name": "po", "fields": [{"name": "n"}]}}})"))
                  .ok());
  EXPECT_FALSE(ValidateSettings(nlohmann::json::parse(R"({"schemas": []})")).ok());
  EXPECT_FALSE(ValidateSettings(nlohmann::json::parse(R"({"redact": ["nope"]})")).ok());
  EXPECT_FALSE(ValidateSettings(nlohmann::json::parse(R"({"review_threshold": 0})")).ok());
  EXPECT_FALSE(ValidateSettings(nlohmann::json::parse(R"({"burst": "4"})")).ok());
  EXPECT_FALSE(ValidateSettings(nlohmann::json::parse(R"({"burst": 0})")).ok());
  EXPECT_FALSE(ValidateSettings(nlohmann::json::parse("[]")).ok());
}

TEST(Settings, DocumentOptionsCarryTheTenantsPolicy) {
  const std::string settings = R"({"redact": ["email"], "review_threshold": 0.8,
      "schemas": {"po": {"name": "po", "fields": [{"name": "n"}]}}})";
  auto builtin = DocumentOptionsFor(settings, "invoice");
  ASSERT_TRUE(builtin.ok());
  EXPECT_EQ(builtin->schema, "invoice");
  EXPECT_EQ(builtin->custom_schema, nullptr);
  EXPECT_EQ(builtin->redact, std::vector<std::string>{"email"});
  EXPECT_DOUBLE_EQ(builtin->review_threshold, 0.8);
  auto tenant = DocumentOptionsFor(settings, "po");
  ASSERT_TRUE(tenant.ok());
  ASSERT_NE(tenant->custom_schema, nullptr);
  EXPECT_EQ(tenant->custom_schema->name, "po");
  EXPECT_EQ(DocumentOptionsFor("{}", "")->schema, "auto");
  EXPECT_TRUE(DocumentOptionsFor("{}", "none")->schema.empty());
  auto unknown = DocumentOptionsFor(settings, "nope");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().reason(), "schema");
}

// The tenant's engine experiment: jobs drawn below its share read with its engine
// (variant b), the others with the tenant's engine (variant a); both recorded.
TEST(Settings, EngineExperimentSplitsJobsBetweenTwoEngines) {
  const std::string settings =
      R"({"engine": "tesseract", "experiment": {"engine": "hybrid", "percent": 25}})";
  auto b = DocumentOptionsFor(settings, "receipt", /*draw_percent=*/10);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->engine, "hybrid");
  EXPECT_EQ(b->variant, "b");
  auto a = DocumentOptionsFor(settings, "receipt", /*draw_percent=*/25);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->engine, "tesseract");
  EXPECT_EQ(a->variant, "a");
  // Recorded with the job: the worker reads the same choice back.
  auto back = document::DocumentOptionsFromJson(document::DocumentOptionsToJson(*b));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->engine, "hybrid");
  EXPECT_EQ(back->variant, "b");
  // No experiment: the tenant's engine, no variant; nothing set: the schema decides.
  EXPECT_EQ(DocumentOptionsFor(R"({"engine": "ppocr"})", "auto", 1)->engine, "ppocr");
  EXPECT_TRUE(DocumentOptionsFor(R"({"engine": "ppocr"})", "auto", 1)->variant.empty());
  EXPECT_TRUE(DocumentOptionsFor("{}", "auto", 1)->engine.empty());
  // An extractor experiment: the rules alone for the share, the lexicon for the rest.
  const std::string extractors =
      R"({"extractor": "rules+lexicon", "experiment": {"extractor": "rules", "percent": 50}})";
  auto rules = DocumentOptionsFor(extractors, "receipt", /*draw_percent=*/10);
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  EXPECT_EQ(rules->extractor, "rules");
  EXPECT_EQ(rules->lexicon, extract::FieldLexicon::Empty());
  EXPECT_TRUE(rules->engine.empty());  // the experiment names no engine: the schema's
  auto lexicon = DocumentOptionsFor(extractors, "receipt", /*draw_percent=*/90);
  ASSERT_TRUE(lexicon.ok());
  EXPECT_EQ(lexicon->extractor, "rules+lexicon");
  EXPECT_EQ(lexicon->lexicon, extract::FieldLexicon::BuiltIn());
  EXPECT_EQ(lexicon->variant, "a");
  // The share is about right over many draws.
  int hybrid = 0;
  for (int i = 0; i < 2000; ++i) hybrid += DocumentOptionsFor(settings, "auto")->engine == "hybrid";
  EXPECT_GT(hybrid, 400);
  EXPECT_LT(hybrid, 600);
  for (const char* bad :
       {R"({"engine": "gpt"})", R"({"experiment": {"engine": "hybrid"}})",
        R"({"experiment": {"engine": "x", "percent": 5}})",
        R"({"experiment": {"engine": "hybrid", "percent": 101}})", R"({"experiment": "hybrid"})",
        R"({"experiment": {"extractor": "llm", "percent": 5}})",
        R"({"experiment": {"percent": 5}})", R"({"extractor": "gpt"})"}) {
    EXPECT_FALSE(ValidateSettings(nlohmann::json::parse(bad)).ok()) << bad;
  }
  EXPECT_TRUE(ValidateSettings(nlohmann::json::parse(settings)).ok());
}

TEST(Errors, OneShapeAndStableMappings) {
  nlohmann::json j = nlohmann::json::parse(ErrorBody({404, "not_found", "m"}, "req_1"));
  EXPECT_EQ(j["error"]["code"], "not_found");
  EXPECT_EQ(j["error"]["request_id"], "req_1");
  EXPECT_EQ(FromStatus(core::NotFound("job", "x")).http_status, 404);
  EXPECT_EQ(FromStatus(core::UnsupportedFormat("t", "x")).http_status, 415);
  EXPECT_EQ(FromStatus(core::LimitExceeded("file_bytes", "x")).http_status, 413);
  EXPECT_EQ(FromStatus(core::DeadlineExceeded("t", "x")).http_status, 504);
  EXPECT_EQ(FromStatus(core::InvalidArgument("job_active", "x")).http_status, 409);
  EXPECT_EQ(FromStatus(core::InvalidArgument("source_uri", "x")).code, "invalid_source_uri");
  // Internal detail never reaches the client.
  EXPECT_EQ(FromStatus(core::Internal("sql", "secret table name")).message, "internal error");
}

TEST(Review, EditsAreNormalizedAndValidated) {
  std::vector<store::FieldRecord> fields(2);
  fields[0].name = "vendor";
  fields[0].value = "Acme";
  fields[1].name = "total";
  fields[1].value = "10.00";
  fields[1].normalized = "10.00";
  auto out = ApplyEdits(fields, {{"vendor", std::nullopt},
                                 {"date", "2024-02-03"},
                                 {"subtotal", "9.00"},
                                 {"tax", "1,00"},
                                 {"iban", "DE00 1234"}});
  std::map<std::string, store::FieldRecord> by_name;
  for (const auto& f : out) by_name[f.name] = f;
  EXPECT_EQ(by_name.count("vendor"), 0u);
  EXPECT_EQ(by_name["date"].normalized, "2024-02-03");
  EXPECT_EQ(by_name["date"].validator_status, "valid");
  EXPECT_EQ(by_name["date"].source_model, "review");
  EXPECT_EQ(by_name["tax"].normalized, "1.00");
  EXPECT_EQ(by_name["iban"].validator_status, "invalid");
  out = ApplyEdits(out, {{"total", "12.00"}});  // 9 + 1 != 12
  for (const auto& f : out) {
    if (f.name == "total") {
      EXPECT_EQ(f.validator_status, "invalid");
    }
  }
}

TEST(ApplyEdits, LineItemCellsAreNormalizedAndTheirRowChecked) {
  std::vector<store::FieldRecord> fields(3);
  fields[0].name = "line_items[1].quantity";
  fields[0].value = fields[0].normalized = "2";
  fields[1].name = "line_items[1].unit_price";
  fields[1].value = fields[1].normalized = "1.50";
  fields[2].name = "line_items[1].amount";
  fields[2].value = fields[2].normalized = "3.00";
  auto out = ApplyEdits(fields, {{"line_items[1].amount", "3,10"}});  // 2 x 1.50 != 3.10
  std::map<std::string, store::FieldRecord> by_name;
  for (const auto& f : out) by_name[f.name] = f;
  EXPECT_EQ(by_name["line_items[1].amount"].normalized, "3.10");
  EXPECT_EQ(by_name["line_items[1].amount"].validator_status, "invalid");
  EXPECT_EQ(by_name["line_items[1].amount"].source_model, "review");
  out = ApplyEdits(out, {{"line_items[1].unit_price", "1.55"}});  // 2 x 1.55 = 3.10
  for (const auto& f : out) by_name[f.name] = f;
  EXPECT_EQ(by_name["line_items[1].amount"].validator_status, "valid");
  out = ApplyEdits(out, {{"line_items[1].quantity", "two"}, {"line_items[2].description", "Tip"}});
  for (const auto& f : out) by_name[f.name] = f;
  EXPECT_EQ(by_name["line_items[1].quantity"].validator_status, "invalid");
  EXPECT_EQ(by_name["line_items[2].description"].validator_status, "unchecked");
  EXPECT_EQ(by_name["line_items[2].description"].value, "Tip");
  out = ApplyEdits(out, {{"line_items[1].quantity", ""}});  // a cleared cell
  for (const auto& f : out) by_name[f.name] = f;
  EXPECT_EQ(by_name["line_items[1].quantity"].validator_status, "unchecked");
}

// A page the pipeline turned (OSD, or an ID card's MRZ) has boxes on the turned page:
// its image is the original turned the same way, and the rotation survives the stored
// result.
TEST(PageImageForResult, TurnsTheOriginalAsThePageWasTurned) {
  cv::Mat original(50, 100, CV_8UC1, cv::Scalar(255));
  original(cv::Rect(0, 0, 50, 50)).setTo(0);  // left half black
  core::DocumentResult doc;
  core::PageResult page;
  page.number = 1;
  page.width = 50;
  page.height = 100;
  page.rotation = 90;
  doc.pages.push_back(page);
  auto back = render::ParseResultJson(render::ToJson(doc).dump());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->pages[0].rotation, 90);
  cv::Mat image = PageImageForResult(original, back->pages[0]);
  ASSERT_EQ(image.size(), cv::Size(50, 100));
  // Turned clockwise, the left half is the top half.
  EXPECT_EQ(cv::countNonZero(image(cv::Rect(0, 0, 50, 50))), 0);
  EXPECT_EQ(cv::countNonZero(image(cv::Rect(0, 50, 50, 50))), 50 * 50);
  // Upright and a few pixels larger (deskew's canvas): resized, not turned.
  page.rotation = 0;
  page.width = 104;
  page.height = 52;
  EXPECT_EQ(PageImageForResult(original, page).size(), cv::Size(104, 52));
}

// A kept page image is served only for the result it was drawn for: a re-run (a new
// stamp) reads it as absent, so a page turned or redacted differently is drawn again.
TEST(PageImageKeep, ServesAPageOnlyForItsOwnResult) {
  const std::string png("\x89PNG\r\n\x1a\n with\n newlines", 23);
  const std::string kept = PackPageImage("1796623438145", png);
  EXPECT_EQ(UnpackPageImage(kept, "1796623438145"), png);
  EXPECT_EQ(UnpackPageImage(kept, "1796623499999"), std::nullopt);
  EXPECT_EQ(UnpackPageImage(kept, "179662343814"), std::nullopt);  // a prefix of it
  EXPECT_EQ(UnpackPageImage("1796623438145\n", "1796623438145"), std::nullopt);
  EXPECT_EQ(UnpackPageImage("", "1"), std::nullopt);
  EXPECT_EQ(PageImageKey("acme", "job_1", 3), "pages/acme/job_1/3");
}

}  // namespace
}  // namespace smartocr::api
