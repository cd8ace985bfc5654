// The receipt lexicon through the CLI: a lexicon file given, one that cannot be read (a
// clear message and the rules alone), and, with ../shared present, the built-in one
// against the rules alone on the validation split it was never fitted on.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_runner.h"
#include "fixtures.h"

namespace smartocr::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kLexicon = R"({"format": "smartocr-field-lexicon/1", "version": "test-2",
  "fields": {"company": {"max_distance_ratio": 0.1, "confidence": 0.8,
  "values": [{"text": "KEDAI RUNCIT MAJU JAYA SDN BHD", "count": 3}]}}})";

class CliLexiconTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    FixturePage page;
    page.width_pt = 220;
    page.height_pt = 500;
    // "MAJV" for "MAJU": a misreading the rules cannot repair, printed as a PDF's text.
    page.runs = Paragraph({"KEDAI RUNCIT MAJV JAYA SDN BHD", "NO 5, JALAN SS2/64,",
                           "47300 PETALING JAYA", "CASH RECEIPT", "TOTAL 12.00", "CASH 20.00"},
                          10, 30, 9, 16);
    pdf_ = dir_ + "/receipt.pdf";
    WritePdf(pdf_, {page});
  }
  void TearDown() override { fs::remove_all(dir_); }

  nlohmann::json Company(const CliResult& r) {
    nlohmann::json doc = nlohmann::json::parse(r.out);
    for (const auto& f : doc["fields"]) {
      if (f["name"] == "company") return f;
    }
    return {};
  }

  std::string dir_;
  std::string pdf_;
};

TEST_F(CliLexiconTest, ALexiconFileCorrectsAndSaysWhatWasRead) {
  WriteFile(dir_ + "/lexicon.json", kLexicon);
  CliResult r =
      RunCli({"extract", pdf_, "--schema", "receipt", "--lexicon", dir_ + "/lexicon.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json company = Company(r);
  EXPECT_EQ(company["value"], "KEDAI RUNCIT MAJU JAYA SDN BHD");
  EXPECT_EQ(company["corrected_from"], "KEDAI RUNCIT MAJV JAYA SDN BHD");
  EXPECT_EQ(company["confidence"], 0.8);
  std::string version = nlohmann::json::parse(r.out)["extractor_version"];
  EXPECT_EQ(version.rfind("rules + lexicon test-2 #", 0), 0u) << version;
}

TEST_F(CliLexiconTest, AnUnreadableLexiconLeavesTheRulesAlone) {
  WriteFile(dir_ + "/broken.json", "{\"format\": \"smartocr-field-lexicon/1\", \"fields\": [");
  const std::pair<std::string, std::string> cases[] = {{dir_ + "/absent.json", "lexicon_missing"},
                                                       {dir_ + "/broken.json", "lexicon_format"}};
  for (const auto& [path, reason] : cases) {
    CliResult r = RunCli({"extract", pdf_, "--schema", "receipt", "--lexicon", path});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find(reason), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("rules alone"), std::string::npos) << r.err;
    EXPECT_EQ(Company(r)["value"], "KEDAI RUNCIT MAJV JAYA SDN BHD");
    EXPECT_FALSE(Company(r).contains("corrected_from"));
    EXPECT_EQ(nlohmann::json::parse(r.out)["extractor_version"], "rules");
  }
}

TEST_F(CliLexiconTest, EvalResultsMustBeAFolder) {
  CliResult r = RunCli({"eval", "--dataset", "sroie", dir_, "--results", dir_ + "/absent"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--results"), std::string::npos) << r.err;
}

double MicroF1(const std::string& report_path) {
  nlohmann::json report = nlohmann::json::parse(ReadFile(report_path));
  return report["fields_micro"]["f1"].get<double>();
}

// The built-in lexicon was fitted on ../shared/data/sroie-train only: on the validation
// split it must do better than the rules alone (the figure README.md quotes).
TEST(CliLexiconEval, BeatsTheRulesAloneOnTheValidationSplit) {
  const std::string data = SharedDataDir();
  if (data.empty() || !fs::exists(data + "/sroie/img")) {
    GTEST_SKIP() << "../shared/data/sroie not present";
  }
  const std::string dir = MakeTempDir();
  std::vector<std::string> extract = {"extract", "--schema", "receipt",       "-f",
                                      "json",    "-o",       dir + "/results"};
  for (const auto& entry : fs::directory_iterator(data + "/sroie/img")) {
    extract.push_back(entry.path().string());
  }
  fs::create_directory(dir + "/results");
  CliResult read = RunCli(extract, 900);
  ASSERT_EQ(read.exit_code, 0) << read.err;
  for (const char* lexicon : {"built-in", "none"}) {
    std::vector<std::string> eval = {
        "eval",      "--dataset",      "sroie",  data + "/sroie",
        "--results", dir + "/results", "--json", dir + "/" + lexicon + ".json"};
    if (std::string(lexicon) == "none") {
      eval.push_back("--lexicon");
      eval.push_back("none");
    }
    CliResult r = RunCli(eval);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const double with_lexicon = MicroF1(dir + "/built-in.json");
  const double rules_alone = MicroF1(dir + "/none.json");
  EXPECT_GT(with_lexicon, rules_alone + 0.02) << with_lexicon << " vs " << rules_alone;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace smartocr::testing
