// The MRZ trust rule (mrz::AssessMrz): a reading with any failing check is never
// "valid", what no check covers needs another witness, and status and confidence agree.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "mrz/internal/repair.h"
#include "mrz/mrz.h"
#include "mrz/tunables.h"
#include "mrz_specimen.h"

namespace smartocr::mrz {
namespace {

const MrzOptions kOptions{.today = {2024, 6, 1}};

// ICAO 9303 part 4's worked example (TD3) and what its data page prints above the MRZ.
const std::vector<std::string> kTd3 = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                       "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};
const std::vector<std::string> kViz = {"Passport No. L898902C3",
                                       "Surname/Nom ERIKSSON",
                                       "Given names/Prénoms ANNA MARIA",
                                       "Sex/Sexe F",
                                       "Utopian",
                                       "Personal No. ZE 184226 B"};

std::map<std::string, MrzFieldTrust> Assess(const std::vector<std::string>& lines,
                                            const MrzEvidence& evidence,
                                            const MrzOptions& options = kOptions) {
  core::Result<MrzFields> f = ParseMrz(lines, options);
  EXPECT_TRUE(f.ok());
  std::map<std::string, MrzFieldTrust> out;
  if (!f.ok()) return out;
  for (MrzFieldTrust& t : AssessMrz(*f, evidence)) out[t.name] = t;
  return out;
}

// Whatever the verdict, status and confidence tell the same story.
void ExpectAgree(const std::map<std::string, MrzFieldTrust>& trust) {
  for (const auto& [name, t] : trust) {
    SCOPED_TRACE(name + ": " + t.detail);
    switch (t.status) {
      case MrzTrust::kValid:
        EXPECT_GE(t.confidence, config::kMinValidConfidence);
        break;
      case MrzTrust::kChecksPassUnconfirmed:
        EXPECT_LE(t.confidence, config::kMaxUnconfirmedConfidence);
        break;
      case MrzTrust::kInvalid:
        EXPECT_EQ(t.confidence, 0);
        break;
    }
  }
}

TEST(MrzTrust, Names) {
  EXPECT_STREQ(MrzTrustName(MrzTrust::kValid), "valid");
  EXPECT_STREQ(MrzTrustName(MrzTrust::kChecksPassUnconfirmed), "checks_pass_unconfirmed");
  EXPECT_STREQ(MrzTrustName(MrzTrust::kInvalid), "invalid");
}

// The worked example's holder (ANNA MARIA ERIKSSON of Utopia) with another document
// code and number, and no personal number.
testing::MrzHolder Eriksson(const char* code, const std::string& number) {
  testing::MrzHolder h;
  h.document_code = code;
  h.issuing = "UTO";
  h.surname = "ERIKSSON";
  h.given_names = {"ANNA", "MARIA"};
  h.number = number;
  h.nationality = "UTO";
  h.birth = "740812";
  h.sex = 'F';
  h.expiry = "120415";
  return h;
}

// A TD3 whose document number has no character the checks cannot tell from its
// look-alike.
std::vector<std::string> ConfirmableTd3() {
  return testing::ComposeMrz(testing::SpecimenLayout::kTd3, Eriksson("P<", "D43145897"));
}

TEST(MrzTrust, EveryFieldConfirmedIsValidEvenWithUnsureRecognition) {
  // Tesseract's confidence on a whitelisted MRZ read is often 0 on perfect text: what
  // confirms the characters decides, and a valid field never says 0.
  std::vector<std::string> viz = kViz;
  viz.push_back("Passport No. D43145897");
  auto t = Assess(ConfirmableTd3(), {.line_confidence = {0, 0}, .viz_text = viz});
  ExpectAgree(t);
  for (const char* name :
       {"document_type", "issuing_country", "surname", "given_names", "document_number",
        "nationality", "birth_date", "sex", "expiry_date", "personal_number", "mrz"}) {
    ASSERT_TRUE(t.count(name)) << name;
    EXPECT_EQ(t[name].status, MrzTrust::kValid) << name << ": " << t[name].detail;
    EXPECT_GE(t[name].confidence, config::kMinValidConfidence) << name;
  }
  EXPECT_DOUBLE_EQ(t["birth_date"].confidence, config::kTwoChecksConfidence);
  EXPECT_DOUBLE_EQ(t["surname"].confidence, config::kVizConfidence);
}

TEST(MrzTrust, WhatNoCheckCoversNeedsTheVisualZone) {
  auto t = Assess(kTd3, {.line_confidence = {0.97, 0.97}, .viz_text = {}});
  ExpectAgree(t);
  EXPECT_EQ(t["birth_date"].status, MrzTrust::kValid);
  EXPECT_EQ(t["expiry_date"].status, MrzTrust::kValid);
  // 'L898902C3' would pass the same checks as '1898902C3'.
  EXPECT_EQ(t["document_number"].status, MrzTrust::kChecksPassUnconfirmed);
  EXPECT_NE(t["document_number"].detail.find("'L' from '1'"), std::string::npos)
      << t["document_number"].detail;
  // The issuing state shares its line with the names, which nothing confirms: a lost
  // character there could have made another listed code of it.
  EXPECT_EQ(t["issuing_country"].status, MrzTrust::kChecksPassUnconfirmed);
  EXPECT_NE(t["issuing_country"].detail.find("its line"), std::string::npos);
  for (const char* name : {"surname", "given_names", "sex", "mrz"}) {
    EXPECT_EQ(t[name].status, MrzTrust::kChecksPassUnconfirmed) << name;
    EXPECT_LE(t[name].confidence, config::kMaxUnconfirmedConfidence) << name;
  }
  EXPECT_NE(t["surname"].detail.find("ERIKSSON"), std::string::npos) << t["surname"].detail;
}

TEST(MrzTrust, SwappedLetterInANameIsNotValid) {
  std::vector<std::string> lines = kTd3;
  lines[0][7] = 'L';  // ERIKSSON -> ERLKSSON: no check digit sees it
  auto t = Assess(lines, {.line_confidence = {1, 1}, .viz_text = kViz});
  ExpectAgree(t);
  EXPECT_EQ(t["surname"].status, MrzTrust::kChecksPassUnconfirmed);
  // The name field is read as one: a slip in it may have moved the given names too.
  EXPECT_EQ(t["given_names"].status, MrzTrust::kChecksPassUnconfirmed);
  EXPECT_EQ(t["mrz"].status, MrzTrust::kChecksPassUnconfirmed);
}

TEST(MrzTrust, AnyFailingCheckMakesTheZoneInvalid) {
  std::vector<std::string> lines = kTd3;
  lines[1][16] = '3';  // birth date 740812 -> 740832... a digit the check refutes
  MrzOptions no_repair = kOptions;
  no_repair.repair = false;
  auto t = Assess(lines, {.line_confidence = {1, 1}, .viz_text = kViz}, no_repair);
  ExpectAgree(t);
  EXPECT_EQ(t["birth_date"].status, MrzTrust::kInvalid);
  EXPECT_EQ(t["mrz"].status, MrzTrust::kInvalid);
  EXPECT_EQ(t["mrz"].confidence, 0);
  // The names are still what the VIZ prints; what only syntax or the code list backs
  // is not trusted in a zone that may be misread or shifted.
  EXPECT_EQ(t["surname"].status, MrzTrust::kValid);
  EXPECT_EQ(t["sex"].status, MrzTrust::kChecksPassUnconfirmed);
  EXPECT_EQ(t["nationality"].status, MrzTrust::kChecksPassUnconfirmed);
  EXPECT_FALSE(t["sex"].detail.empty());
}

TEST(MrzTrust, AnInvalidCodeLeavesTheZonesOtherUncoveredFieldsUnconfirmed) {
  // A filler added at the start of the line shifts the issuing state to "<UT": the
  // document code next to it cannot be trusted either.
  std::vector<std::string> lines = ConfirmableTd3();
  lines[0] = "P<<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<";
  std::vector<std::string> viz = kViz;
  viz.push_back("Passport No. D43145897");
  auto t = Assess(lines, {.line_confidence = {1, 1}, .viz_text = viz});
  ExpectAgree(t);
  EXPECT_EQ(t["issuing_country"].status, MrzTrust::kInvalid);
  EXPECT_EQ(t["document_type"].status, MrzTrust::kChecksPassUnconfirmed);
  EXPECT_EQ(t["mrz"].status, MrzTrust::kInvalid);
}

TEST(MrzTrust, FillerReadAsLetterInTheDocumentCodeNeedsTheVisualZone) {
  // No character of the number the checks cannot tell from its look-alike.
  const std::vector<std::string> td1 =
      testing::ComposeMrz(testing::SpecimenLayout::kTd1, Eriksson("I<", "D43145897"));
  auto as_read = Assess(td1, {.line_confidence = {1, 1, 1}, .viz_text = kViz});
  EXPECT_EQ(as_read["document_type"].status, MrzTrust::kValid);
  std::vector<std::string> slip = td1;
  slip[0][1] = 'K';  // "IK": a letter cards may carry, and the filler's usual misreading
  auto t = Assess(slip, {.line_confidence = {1, 1, 1}, .viz_text = kViz});
  EXPECT_EQ(t["document_type"].status, MrzTrust::kChecksPassUnconfirmed);
}

TEST(MrzTrust, SexOutsideMFXIsInvalid) {
  std::vector<std::string> lines = kTd3;
  lines[1][20] = 'N';  // 'F' misread; the composite does not cover the sex
  auto t = Assess(lines, {.line_confidence = {1, 1}, .viz_text = kViz});
  ExpectAgree(t);
  EXPECT_EQ(t["sex"].status, MrzTrust::kInvalid);
  EXPECT_EQ(t["mrz"].status, MrzTrust::kInvalid);
}

TEST(MrzTrust, CodesOutsideTheIcaoListAreInvalid) {
  std::vector<std::string> lines = kTd3;
  lines[1][10] = 'Q';  // nationality UTO -> QTO
  lines[1][11] = 'Q';  // QQO: no single look-alike repairs it
  auto t = Assess(lines, {.line_confidence = {1, 1}, .viz_text = kViz});
  ExpectAgree(t);
  EXPECT_EQ(t["nationality"].status, MrzTrust::kInvalid);
  EXPECT_EQ(t["mrz"].status, MrzTrust::kInvalid);
}

TEST(MrzTrust, ARepairedCodeIsUnconfirmed) {
  std::vector<std::string> lines = kTd3;
  lines[0][2] = '0';  // UTO -> 0TO: repaired by position class to UTO? No: 'O'.
  lines[0][2] = 'V';  // VTO: 'V' looks like 'U', the one listed code a letter away
  auto t = Assess(lines, {.line_confidence = {1, 1}, .viz_text = kViz});
  ExpectAgree(t);
  EXPECT_EQ(t["issuing_country"].status, MrzTrust::kChecksPassUnconfirmed)
      << t["issuing_country"].detail;
}

TEST(MrzTrust, ACharacterTheCheckChoseIsUnconfirmed) {
  std::vector<std::string> lines = kTd3;
  lines[1][4] = 'O';  // L8989O2C3: the check digit decides 'O' -> '0'
  auto t = Assess(lines, {.line_confidence = {1, 1}, .viz_text = kViz});
  ExpectAgree(t);
  EXPECT_EQ(t["document_number"].status, MrzTrust::kChecksPassUnconfirmed)
      << t["document_number"].detail;
  EXPECT_EQ(t["mrz"].status, MrzTrust::kChecksPassUnconfirmed);
}

TEST(MrzTrust, CheckBlindLookAlikeIsUnconfirmed) {
  // Weights 7, 3, 1 cannot tell values ten apart: '6' (6) and 'G' (16) pass the same
  // checks. A 'G' between digits of a document number may well be a '6'.
  const std::string number = "12345G789";
  std::string line2 = number + std::to_string(MrzCheckDigit(number)) + "UTO7408122F1204159";
  std::string optional = "<<<<<<<<<<<<<<";
  line2 += optional + std::to_string(MrzCheckDigit(optional));
  std::string composite = line2.substr(0, 10) + line2.substr(13, 7) + line2.substr(21, 22);
  line2 += std::to_string(MrzCheckDigit(composite));
  ASSERT_EQ(line2.size(), 44u);
  auto t = Assess({kTd3[0], line2}, {.line_confidence = {1, 1}, .viz_text = kViz});
  ExpectAgree(t);
  EXPECT_EQ(t["document_number"].status, MrzTrust::kChecksPassUnconfirmed)
      << t["document_number"].detail;
}

TEST(MrzTrust, NamesMustEndTheirRowInTheVisualZone) {
  std::vector<std::string> viz = kViz;
  viz.push_back("Passport No. D43145897");
  // A given name lost to fillers: "ANNA" alone is printed, but "MARIA" follows it.
  std::vector<std::string> lost = ConfirmableTd3();
  lost[0].replace(20, 6, "<<<<<<");
  auto t = Assess(lost, {.line_confidence = {1, 1}, .viz_text = viz});
  ASSERT_EQ(t["given_names"].status, MrzTrust::kChecksPassUnconfirmed) << t["given_names"].detail;
  // The "<<" read as one filler runs surname and given names together.
  std::vector<std::string> joined = ConfirmableTd3();
  joined[0] = "P<UTOERIKSSON<ANNA<MARIA<<<<<<<<<<<<<<<<<<<<";
  t = Assess(joined, {.line_confidence = {1, 1}, .viz_text = viz});
  EXPECT_EQ(t["surname"].status, MrzTrust::kChecksPassUnconfirmed) << t["surname"].detail;
  // The holder's code may follow the names on their VIZ line.
  t = Assess(ConfirmableTd3(), {.line_confidence = {1, 1},
                                .viz_text = {"ERIKSSON", "ANNA MARIA UTO 12 AUG 74", "F/F"}});
  EXPECT_EQ(t["given_names"].status, MrzTrust::kValid) << t["given_names"].detail;
}

TEST(MrzTrust, ACheckDigitReadAsAFillerIsNotThePrintedText) {
  // The composite '0' read as '<' (which counts as 0): every value right, the text not.
  testing::MrzHolder h = Eriksson("P<", "");
  std::vector<std::string> viz = kViz;
  for (int n = 0; n < 1000; ++n) {  // a number whose composite digit is 0
    char number[16];
    std::snprintf(number, sizeof number, "D4314%04d", n);
    h.number = number;
    std::vector<std::string> lines = testing::ComposeMrz(testing::SpecimenLayout::kTd3, h);
    if (lines[1].back() != '0') continue;
    viz.push_back(std::string("Passport No. ") + number);
    auto as_printed = Assess(lines, {.line_confidence = {1, 1}, .viz_text = viz});
    lines[1].back() = '<';
    auto t = Assess(lines, {.line_confidence = {1, 1}, .viz_text = viz});
    ExpectAgree(t);
    if (as_printed["mrz"].status != MrzTrust::kValid) continue;  // a check-blind number
    EXPECT_EQ(t["mrz"].status, MrzTrust::kChecksPassUnconfirmed) << t["mrz"].detail;
    return;
  }
  FAIL() << "no confirmable number with composite 0";
}

TEST(MrzTrust, FillerBeforeTheNumbersEndMayBeAK) {
  // 'K' (20) read as '<' (0): both checks pass, and numbers are left-aligned.
  std::vector<std::string> lines =
      testing::ComposeMrz(testing::SpecimenLayout::kTd1, Eriksson("I<", "K98924352"));
  lines[0][5] = '<';
  auto t = Assess(lines, {.line_confidence = {1, 1, 1}, .viz_text = kViz});
  ExpectAgree(t);
  EXPECT_EQ(t["document_number"].status, MrzTrust::kChecksPassUnconfirmed)
      << t["document_number"].detail;
}

TEST(MrzTrust, PassportDocumentCodeLetterNeedsTheVisualZone) {
  std::vector<std::string> lines = kTd3;
  lines[0][1] = 'C';  // '<' read as 'C': "PC"
  auto without = Assess(lines, {.line_confidence = {1, 1}, .viz_text = kViz});
  EXPECT_EQ(without["document_type"].status, MrzTrust::kChecksPassUnconfirmed);
  std::vector<std::string> viz = kViz;
  viz.push_back("Type PC");
  auto with = Assess(lines, {.line_confidence = {1, 1}, .viz_text = viz});
  EXPECT_EQ(with["document_type"].status, MrzTrust::kValid);
}

TEST(MrzTrust, VisaOptionalDataNoCheckCoversIsUnconfirmed) {
  // ICAO 9303 part 7's MRV-A example: no composite, and nothing covers optional data.
  const std::vector<std::string> visa = {"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                         "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"};
  auto t = Assess(visa, {.line_confidence = {0, 0}, .viz_text = kViz});
  ExpectAgree(t);
  // One check digit, no composite: one wrong reading in ten would pass.
  EXPECT_EQ(t["birth_date"].status, MrzTrust::kChecksPassUnconfirmed);
  EXPECT_EQ(t["birth_date"].detail, "only one check digit covers it");
  EXPECT_EQ(t["personal_number"].status, MrzTrust::kChecksPassUnconfirmed);
  EXPECT_EQ(t["mrz"].status, MrzTrust::kChecksPassUnconfirmed);
}

// What OCR-B turns `c` into: the digit/letter confusions, the letter look-alikes, and
// the filler read as a letter (or the reverse).
std::string SlipsOf(char c) {
  std::string out(internal::LookAlikes(c));
  for (const std::string& a : internal::Alternatives(std::string(1, c))) out += a;
  if (c == '<') out += "KC";
  if (c == 'K' || c == 'C') out += '<';
  return out;
}

// Every single look-alike slip of the worked example, at every position: the zone is
// never "valid" with text other than the printed one, and no field is "valid" with a
// value other than the printed one. (A slip into an unrelated character passes the
// checks as well where values are ten apart; OCR does not make those.)
TEST(MrzTrust, NoSingleLookAlikeSlipIsCalledValid) {
  core::Result<MrzFields> truth = ParseMrz(kTd3, kOptions);
  ASSERT_TRUE(truth.ok());
  std::map<std::string, std::string> printed = {{"surname", truth->surname},
                                                {"given_names", truth->given_names},
                                                {"document_number", truth->document_number},
                                                {"birth_date", truth->birth_date_raw},
                                                {"expiry_date", truth->expiry_date_raw},
                                                {"sex", truth->sex},
                                                {"nationality", truth->nationality},
                                                {"issuing_country", truth->issuing_country},
                                                {"personal_number", truth->personal_number},
                                                {"document_type", truth->document_type}};
  int tried = 0;
  for (size_t l = 0; l < kTd3.size(); ++l) {
    for (size_t k = 0; k < kTd3[l].size(); ++k) {
      for (char c : SlipsOf(kTd3[l][k])) {
        std::vector<std::string> lines = kTd3;
        lines[l][k] = c;
        core::Result<MrzFields> f = ParseMrz(lines, kOptions);
        ASSERT_TRUE(f.ok());
        ++tried;
        std::map<std::string, std::string> got = {{"surname", f->surname},
                                                  {"given_names", f->given_names},
                                                  {"document_number", f->document_number},
                                                  {"birth_date", f->birth_date_raw},
                                                  {"expiry_date", f->expiry_date_raw},
                                                  {"sex", f->sex},
                                                  {"nationality", f->nationality},
                                                  {"issuing_country", f->issuing_country},
                                                  {"personal_number", f->personal_number},
                                                  {"document_type", f->document_type}};
        for (const MrzFieldTrust& t :
             AssessMrz(*f, {.line_confidence = {1, 1}, .viz_text = kViz})) {
          if (t.status != MrzTrust::kValid) continue;
          if (t.name == "mrz") {
            EXPECT_EQ(f->lines, kTd3) << "line " << l << " col " << k << " '" << c << "'";
          } else if (printed.count(t.name)) {
            EXPECT_EQ(got[t.name], printed[t.name])
                << t.name << ", line " << l << " col " << k << " '" << c << "'";
          }
        }
      }
    }
  }
  EXPECT_GT(tried, 88);
}

}  // namespace
}  // namespace smartocr::mrz
