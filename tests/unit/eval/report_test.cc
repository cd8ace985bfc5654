// Report on a small SROIE-format folder built here, cross-checked against the
// reference scorers in ../shared/tools when they and python3 are present.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "eval/eval.h"
#include "fixtures.h"

namespace smartocr::eval {
namespace {

namespace fs = std::filesystem;

struct Doc {
  std::string stem;
  std::vector<std::string> ref_lines;
  std::string hyp_text;
  std::string key_json;
  std::string fields_json;  // our result's "fields" array
};

const std::vector<Doc> kDocs = {
    {"000",
     {"TAN WOON YANN", "TOTAL 9.00", "25/12/2018 8:13:39 PM"},
     "TAN WOON YANN\nTOTAL 9.00 CASH\n25/12/2018",
     R"({"company": "TAN WOON YANN", "date": "25/12/2018", "address": "1 JALAN", "total": "9.00"})",
     R"([{"name":"company","value":"Tan Woon  Yann"},{"name":"date","value":"25-12-18",
         "normalized":"2018-12-25"},{"name":"total","value":"RM 9.00","normalized":"9.00"}])"},
    {"001",
     {"SYARIKAT PERNIAGAAN", "GST 0.60", "TOTAL 10.60"},
     "SYARIKAT PERNIAGAN\nTOTAL 10.60\nGST",
     R"({"company": "SYARIKAT PERNIAGAAN", "date": "01/01/2019", "address": "", "total": "10.60"})",
     R"([{"name":"company","value":"SYARIKAT PERNIAGAN"},{"name":"total","value":"10.50"},
         {"name":"address","value":"somewhere"}])"},
};

class EvalReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir();
    for (const char* sub : {"img", "box", "key", "hyp", "json"})
      fs::create_directory(dir_ + "/" + sub);
    for (const Doc& d : kDocs) {
      testing::WriteFile(dir_ + "/img/" + d.stem + ".jpg", "not used");
      std::string csv;
      for (const std::string& l : d.ref_lines) csv += "1,2,3,4,5,6,7,8," + l + "\r\n";
      testing::WriteFile(dir_ + "/box/" + d.stem + ".csv", csv);
      testing::WriteFile(dir_ + "/key/" + d.stem + ".json", d.key_json);
      testing::WriteFile(dir_ + "/hyp/" + d.stem + ".txt", d.hyp_text);
      nlohmann::json result = {{"pages", {{{"text", d.hyp_text}}}},
                               {"fields", nlohmann::json::parse(d.fields_json)}};
      testing::WriteFile(dir_ + "/json/" + d.stem + ".json", result.dump());
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  Report Build() {
    auto ds = LoadDataset("sroie", dir_);
    EXPECT_TRUE(ds.ok()) << ds.status().ToString();
    Report report("sroie", "test-engine", {{"psm", "auto"}});
    for (size_t i = 0; i < ds->samples.size(); ++i) {
      nlohmann::json result =
          nlohmann::json::parse(testing::ReadFile(dir_ + "/json/" + kDocs[i].stem + ".json"));
      report.Add(*ds, ds->samples[i], result, 0.5);
    }
    return report;
  }

  std::string dir_;
};

TEST_F(EvalReportTest, LoadsSroieFolder) {
  auto ds = LoadDataset("sroie", dir_);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  ASSERT_EQ(ds->samples.size(), 2u);
  EXPECT_EQ(ds->samples[0].stem, "000");
  EXPECT_EQ(*ds->samples[0].ref_text, "TAN WOON YANN\nTOTAL 9.00\n25/12/2018 8:13:39 PM");
  EXPECT_EQ(ds->samples[0].fields.at("date").kind, FieldKind::kDate);
  EXPECT_EQ(ds->text_metric, TextMetric::kSortedTokens);
  EXPECT_EQ(LoadDataset("nope", dir_).status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadDataset("sroie", dir_ + "/missing").status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(LoadDataset("mrz", dir_).status().code(), core::StatusCode::kNotFound);
}

// Invoice sets come as PDFs or as scans of them (multi-page TIFFs), each beside its
// label.
TEST(EvalInvoiceSets, LoadPdfsAndScans) {
  const std::string dir = testing::MakeTempDir();
  const std::string label = R"({"seller_name": "A GmbH", "invoice_number": "1",
      "issue_date": "2024-01-02", "total_amount": 1.5, "tax_amount": 0.2, "currency": "EUR"})";
  for (const char* name : {"a", "b"}) testing::WriteFile(dir + "/" + name + ".json", label);
  testing::WriteFile(dir + "/a.pdf", "not read here");
  testing::WriteFile(dir + "/b.tif", "not read here");
  testing::WriteFile(dir + "/c.tif", "no label: skipped");
  auto ds = LoadDataset("invoices2", dir);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  ASSERT_EQ(ds->samples.size(), 2u);
  EXPECT_EQ(ds->samples[0].stem, "a");
  EXPECT_EQ(ds->samples[1].stem, "b");
  EXPECT_EQ(ds->samples[1].fields.at("vendor_name").value, "A GmbH");
  fs::remove_all(dir);
}

TEST_F(EvalReportTest, PoolsCountsAcrossDocuments) {
  nlohmann::json j = Build().ToJson();
  EXPECT_EQ(j["documents"], 2);
  // Fields: company 1/2, date 1/1 (labelled twice, returned once), total 1/2,
  // address labelled once (000) and not returned there; 001's address label is empty.
  EXPECT_EQ(j["fields"]["company"]["hits"], 1);
  EXPECT_EQ(j["fields"]["date"]["hits"], 1);
  EXPECT_EQ(j["fields"]["date"]["ref"], 2);
  EXPECT_EQ(j["fields"]["date"]["hyp"], 1);
  EXPECT_EQ(j["fields"]["total"]["hits"], 1);
  EXPECT_EQ(j["fields"]["address"]["ref"], 1);
  EXPECT_EQ(j["fields"]["address"]["hyp"], 0);
  EXPECT_EQ(j["fields_micro"]["hits"], 3);
  EXPECT_EQ(j["fields_micro"]["ref"], 7);
  EXPECT_EQ(j["fields_micro"]["hyp"], 5);
  std::string text = Build().ToText(&j);
  EXPECT_NE(text.find("fields micro F1"), std::string::npos) << text;
  EXPECT_NE(text.find("baseline"), std::string::npos) << text;
}

std::string Python(const std::string& args) {
  std::string out;
  FILE* p = popen(("python3 " + args + " 2>/dev/null").c_str(), "r");
  if (!p) return out;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) out += buf;
  pclose(p);
  return out;
}

TEST_F(EvalReportTest, AgreesWithReferenceScorers) {
  std::string data = testing::SharedDataDir();
  std::string tools = data.empty() ? "" : data + "/../tools";
  if (tools.empty() || !fs::exists(tools + "/sroie_text.py") || Python("-c 'print(1)'") != "1\n") {
    GTEST_SKIP() << "../shared/tools or python3 not present";
  }
  nlohmann::json j = Build().ToJson();
  char ours[64];
  std::snprintf(ours, sizeof ours, "%.4f %.4f 2\n", j["text"]["word_f1"].get<double>(),
                j["text"]["cer"].get<double>());
  EXPECT_EQ(Python(tools + "/sroie_text.py " + dir_ + "/box " + dir_ + "/hyp"), ours);
  std::string fields = Python(tools + "/fields_score.py sroie " + dir_ + "/key " + dir_ + "/json");
  char micro[64];
  std::snprintf(micro, sizeof micro, "micro_f1=%.4f", j["fields_micro"]["f1"].get<double>());
  EXPECT_NE(fields.find(micro), std::string::npos) << fields << " vs " << micro;
}

// The MRZ counts: exact lines over all; checks passing ("valid" or
// "checks_pass_unconfirmed") over those printed valid (a specimen printed with wrong
// check digits can never pass); "valid" claims, and false ones: a "valid" MRZ whose
// lines are not the printed ones, a "valid" field whose value is not the label's.
TEST(EvalMrzReport, CountsChecksValidAndFalseValid) {
  const std::string dir = testing::MakeTempDir();
  fs::create_directory(dir + "/img");
  fs::create_directory(dir + "/expected");
  struct Case {
    const char* name;
    bool printed_valid;
    const char* ours;     // our mrz value
    const char* status;   // its validator_status
    const char* surname;  // our surname, "valid"
  };
  const Case cases[] = {
      {"a.jpg", true, "AAA\nBBB", "valid", "ERIKSSON"},                     // exact, confirmed
      {"b.jpg", true, "AAA\nBBX", "valid", "ERIKSON"},                      // false valid, twice
      {"c.jpg", true, "AAA\nBBB", "invalid", "ERIKSSON"},                   // a check fails
      {"d.png", false, "AAA\nBBB", "checks_pass_unconfirmed", "ERIKSSON"},  // not in the total
  };
  for (const Case& c : cases) {
    testing::WriteFile(dir + "/img/" + c.name, "not used");
    nlohmann::json expected = {
        {"lines", {"AAA", "BBB"}}, {"all_valid", c.printed_valid}, {"surname", "ERIKSSON"}};
    testing::WriteFile(dir + "/expected/" + c.name + ".json", expected.dump());
  }
  auto ds = LoadDataset("mrz", dir);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  ASSERT_EQ(ds->samples.size(), 4u);
  Report report("mrz", "test-engine", nlohmann::json::object());
  for (size_t i = 0; i < ds->samples.size(); ++i) {
    const Case* c = nullptr;
    for (const Case& k : cases) {
      if (ds->samples[i].stem == k.name) c = &k;
    }
    ASSERT_NE(c, nullptr);
    nlohmann::json result = {
        {"fields",
         {{{"name", "mrz"}, {"value", c->ours}, {"validator_status", c->status}},
          {{"name", "surname"}, {"value", c->surname}, {"validator_status", "valid"}}}}};
    report.Add(*ds, ds->samples[i], result, 0.5);
  }
  nlohmann::json j = report.ToJson();
  EXPECT_EQ(j["mrz_exact"]["exact"], 3);
  EXPECT_EQ(j["mrz_exact"]["total"], 4);
  EXPECT_EQ(j["mrz_checks_pass"]["pass"], 2);
  EXPECT_EQ(j["mrz_checks_pass"]["total"], 3);
  EXPECT_EQ(j["mrz_valid"]["valid"], 2);
  EXPECT_EQ(j["mrz_valid"]["false_valid"], 1);
  EXPECT_EQ(j["mrz_field_valid"]["surname"]["valid"], 4);
  EXPECT_EQ(j["mrz_field_valid"]["surname"]["false_valid"], 1);
  EXPECT_EQ(j["per_document"][1]["mrz_false_valid"], nlohmann::json({"mrz", "surname"}));
  const std::string text = report.ToText(nullptr);
  EXPECT_NE(text.find("mrz all checks pass                  2/3"), std::string::npos) << text;
  EXPECT_NE(text.find("mrz false valid                      1/2"), std::string::npos) << text;
  EXPECT_NE(text.find("surname:1"), std::string::npos) << text;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace smartocr::eval

namespace smartocr::eval {
namespace {

TEST(ReportToPrometheus, WritesEachFigureAsALabelledGauge) {
  const nlohmann::json report = {{"dataset", "sroie"},
                                 {"engine_version", "tesseract 5.3.0"},
                                 {"documents", 60},
                                 {"failed", 1},
                                 {"text", {{"word_f1", 0.851}, {"cer", 0.123}, {"wer", 0.2}}},
                                 {"fields", {{"total", {{"f1", 0.75}}}, {"date", {{"f1", 1.0}}}}},
                                 {"fields_micro", {{"f1", 0.875}}},
                                 {"mrz_exact", {{"exact", 16}, {"total", 19}}},
                                 {"mrz_valid", {{"valid", 40}, {"false_valid", 0}, {"total", 19}}}};
  const std::string text = ReportToPrometheus(report, 1'800'000'000);
  const std::string run = R"(dataset="sroie",engine="tesseract 5.3.0",smartocr_version=")";
  for (const std::string& expected : {
           std::string("# TYPE smartocr_eval_field_f1 gauge"),
           "smartocr_eval_documents{" + run,
           "smartocr_eval_word_f1{" + run,
           "smartocr_eval_cer{" + run,
           "smartocr_eval_mrz_exact{" + run,
           "smartocr_eval_mrz_false_valid{" + run,
       }) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
  EXPECT_NE(text.find(R"(field="total"} 0.75)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(field="micro"} 0.875)"), std::string::npos) << text;
  EXPECT_NE(text.find("} 1800000000"), std::string::npos) << text;
  // A report without text or MRZ figures has no such families.
  const std::string fields_only = ReportToPrometheus({{"dataset", "x"}, {"documents", 1}}, 1);
  EXPECT_EQ(fields_only.find("smartocr_eval_cer"), std::string::npos);
  EXPECT_EQ(fields_only.find("smartocr_eval_mrz"), std::string::npos);
}

}  // namespace
}  // namespace smartocr::eval
