// Parses every labelled MRZ specimen in shared/data/mrz (skipped when absent) and
// compares with the hand-transcribed labels, check digit validity included.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fixtures.h"
#include "mrz/mrz.h"

namespace smartocr::mrz {
namespace {

std::string NoFillers(std::string s) {
  std::erase(s, '<');
  return s;
}

std::vector<std::filesystem::path> LabelFiles() {
  std::vector<std::filesystem::path> files;
  std::string root = testing::SharedDataDir();
  if (root.empty()) return files;
  std::filesystem::path dir = std::filesystem::path(root) / "mrz" / "expected";
  if (!std::filesystem::is_directory(dir)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(MrzSpecimens, ParsedFieldsMatchLabels) {
  std::vector<std::filesystem::path> files = LabelFiles();
  if (files.empty()) GTEST_SKIP() << "shared/data/mrz not present";
  int all_valid = 0, labelled_valid = 0;
  for (const auto& path : files) {
    SCOPED_TRACE(path.filename().string());
    nlohmann::json label = nlohmann::json::parse(std::ifstream(path));
    std::vector<std::string> lines = label["lines"].get<std::vector<std::string>>();
    // As printed: no repair, so the check digit verdicts are the document's own.
    core::Result<MrzFields> r = ParseMrz(lines, {.today = {2024, 6, 1}, .repair = false});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(MrzTypeName(r->type), label["mrz_type"].get<std::string>());
    EXPECT_EQ(r->lines, lines);
    EXPECT_EQ(r->document_type, NoFillers(label["type"]));
    EXPECT_EQ(r->issuing_country, NoFillers(label["country"]));
    EXPECT_EQ(r->surname, label["surname"].get<std::string>());
    EXPECT_EQ(r->given_names, label["names"].get<std::string>());
    EXPECT_EQ(r->document_number, NoFillers(label["number"]));
    EXPECT_EQ(r->nationality, NoFillers(label["nationality"]));
    EXPECT_EQ(r->birth_date_raw, label["date_of_birth"].get<std::string>());
    EXPECT_EQ(r->expiry_date_raw, label["expiration_date"].get<std::string>());
    std::string sex = label["sex"];
    EXPECT_EQ(r->sex, sex == "<" ? "X" : sex);
    for (const char* key : {"personal_number", "optional", "optional1"}) {
      if (label.contains(key)) {
        EXPECT_EQ(r->personal_number, NoFillers(label[key])) << key;
      }
    }
    if (label.contains("optional2")) {
      EXPECT_EQ(r->optional_data_2, NoFillers(label["optional2"]));
    }
    std::vector<bool> want = label["check_digits_valid"].get<std::vector<bool>>();
    std::vector<bool> got;
    for (const MrzCheck& c : r->checks) got.push_back(c.valid);
    EXPECT_EQ(got, want);
    EXPECT_EQ(r->all_checks_valid, label["all_valid"].get<bool>());
    all_valid += r->all_checks_valid ? 1 : 0;
    labelled_valid += label["all_valid"].get<bool>() ? 1 : 0;

    // With repair on, a valid document must come back untouched.
    core::Result<MrzFields> repaired = ParseMrz(lines, {.today = {2024, 6, 1}});
    ASSERT_TRUE(repaired.ok());
    if (label["all_valid"].get<bool>()) {
      EXPECT_TRUE(repaired->repairs.empty());
      EXPECT_EQ(repaired->lines, lines);
      // Exact lines whose checks pass: where a composite backs each date's own check,
      // the dates are valid; a document number too unless a character the checks
      // cannot tell from its look-alike stands in it.
      const bool visa = r->type == MrzType::kMrvA || r->type == MrzType::kMrvB;
      const std::vector<MrzFieldTrust> trust = AssessMrz(*repaired, {});
      // A value the code list refutes (ROU's nationality "132") leaves its line
      // unconfirmed.
      const bool refuted = std::any_of(trust.begin(), trust.end() - 1, [](const MrzFieldTrust& t) {
        return t.status == MrzTrust::kInvalid;
      });
      for (const MrzFieldTrust& t : trust) {
        if (refuted) break;
        if (t.name == "birth_date" || t.name == "expiry_date") {
          EXPECT_EQ(t.status, visa ? MrzTrust::kChecksPassUnconfirmed : MrzTrust::kValid)
              << t.name << ": " << t.detail;
        }
        if (t.name == "document_number" && t.status != MrzTrust::kValid) {
          EXPECT_TRUE(visa || t.detail.find("cannot tell") != std::string::npos) << t.detail;
        }
      }
    }
  }
  EXPECT_EQ(all_valid, labelled_valid);
  std::printf("MRZ specimens: %d of %zu parse with all check digits valid (labels: %d)\n",
              all_valid, files.size(), labelled_valid);
}

TEST(MrzSpecimens, FoundInNoisyOcrText) {
  std::vector<std::filesystem::path> files = LabelFiles();
  if (files.empty()) GTEST_SKIP() << "shared/data/mrz not present";
  for (const auto& path : files) {
    SCOPED_TRACE(path.filename().string());
    nlohmann::json label = nlohmann::json::parse(std::ifstream(path));
    if (!label["all_valid"].get<bool>()) continue;
    std::vector<std::string> lines = label["lines"].get<std::vector<std::string>>();
    // What OCR typically does: spaces inside, text above, '<<' as '«'.
    std::vector<std::string> ocr = {"SPECIMEN", "Signature"};
    for (std::string line : lines) {
      line.insert(5, " ");
      if (size_t p = line.find("<<"); p != std::string::npos) line.replace(p, 2, "\xC2\xAB");
      ocr.push_back(line);
    }
    EXPECT_EQ(FindMrzLines(ocr), lines);
  }
}

}  // namespace
}  // namespace smartocr::mrz
