#include "mrz/mrz.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smartocr::mrz {
namespace {

const MrzOptions kOptions{.today = {2024, 6, 1}};

TEST(MrzCheckDigit, IcaoExamples) {
  struct Case {
    const char* text;
    int digit;
  };
  const Case cases[] = {
      {"L898902C3", 6}, {"740812", 2}, {"120415", 9},    {"ZE184226B<<<<<", 1}, {"D23145890", 7},
      {"<<<<<<<<<", 0}, {"", 0},       {"AB2134<<<", 5}, {"l898902c3", -1},     {"L89 8902", -1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(MrzCheckDigit(c.text), c.digit);
  }
}

struct ParseCase {
  const char* name;
  std::vector<std::string> lines;
  MrzType type;
  const char* document_type;
  const char* issuing_country;
  const char* surname;
  const char* given_names;
  const char* document_number;
  const char* nationality;
  const char* birth_date;
  const char* sex;
  const char* expiry_date;
  const char* personal_number;
  size_t checks;
};

TEST(ParseMrz, IcaoWorkedExamples) {
  const ParseCase cases[] = {
      {"TD3",
       {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10"},
       MrzType::kTd3,
       "P",
       "UTO",
       "ERIKSSON",
       "ANNA MARIA",
       "L898902C3",
       "UTO",
       "1974-08-12",
       "F",
       "2012-04-15",
       "ZE184226B",
       5},
      {"TD1",
       {"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"},
       MrzType::kTd1,
       "I",
       "UTO",
       "ERIKSSON",
       "ANNA MARIA",
       "D23145890",
       "UTO",
       "1974-08-12",
       "F",
       "2012-04-15",
       "",
       4},
      {"TD2",
       {"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"},
       MrzType::kTd2,
       "I",
       "UTO",
       "ERIKSSON",
       "ANNA MARIA",
       "D23145890",
       "UTO",
       "1974-08-12",
       "F",
       "2012-04-15",
       "",
       4},
      {"MRV-A",
       {"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"},
       MrzType::kMrvA,
       "V",
       "UTO",
       "ERIKSSON",
       "ANNA MARIA",
       "L8988901C",
       "XXX",
       "1940-09-07",
       "F",
       "1996-12-10",
       "6ZE184226B",
       3},
      {"MRV-B",
       {"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"},
       MrzType::kMrvB,
       "V",
       "UTO",
       "ERIKSSON",
       "ANNA MARIA",
       "L8988901C",
       "XXX",
       "1940-09-07",
       "F",
       "1996-12-10",
       "",
       3},
      {"given names missing, sex unspecified",
       {"P<UTOERIKSSON<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122<1204159<<<<<<<<<<<<<<08"},
       MrzType::kTd3,
       "P",
       "UTO",
       "ERIKSSON",
       "",
       "L898902C3",
       "UTO",
       "1974-08-12",
       "X",
       "2012-04-15",
       "",
       5},
      {"spaces and lower case are tolerated",
       {" p<utoERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36 UTO7408122F1204159ZE184226B<<<<<10 "},
       MrzType::kTd3,
       "P",
       "UTO",
       "ERIKSSON",
       "ANNA MARIA",
       "L898902C3",
       "UTO",
       "1974-08-12",
       "F",
       "2012-04-15",
       "ZE184226B",
       5},
  };
  for (const ParseCase& c : cases) {
    SCOPED_TRACE(c.name);
    core::Result<MrzFields> r = ParseMrz(c.lines, kOptions);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->type, c.type);
    EXPECT_EQ(r->document_type, c.document_type);
    EXPECT_EQ(r->issuing_country, c.issuing_country);
    EXPECT_EQ(r->surname, c.surname);
    EXPECT_EQ(r->given_names, c.given_names);
    EXPECT_EQ(r->document_number, c.document_number);
    EXPECT_EQ(r->nationality, c.nationality);
    EXPECT_EQ(r->birth_date, c.birth_date);
    EXPECT_EQ(r->sex, c.sex);
    EXPECT_EQ(r->expiry_date, c.expiry_date);
    EXPECT_EQ(r->personal_number, c.personal_number);
    EXPECT_EQ(r->checks.size(), c.checks);
    for (const MrzCheck& check : r->checks) EXPECT_TRUE(check.valid) << check.name;
    EXPECT_TRUE(r->all_checks_valid);
    EXPECT_TRUE(r->repairs.empty());
  }
}

TEST(ParseMrz, Td1LongDocumentNumberContinuesInOptionalData) {
  // ICAO 9303 part 5: a '<' in the check position says the number goes on in the
  // optional data, ending with its check digit.
  std::string number = "D23145890123";
  std::string line1 = "I<UTO" + number.substr(0, 9) + "<" + number.substr(9) +
                      std::to_string(MrzCheckDigit(number));
  line1.resize(30, '<');
  std::string line2 = "7408122F1204159UTO<<<<<<<<<<<";
  std::string composite =
      line1.substr(5) + line2.substr(0, 7) + line2.substr(8, 7) + line2.substr(18, 11);
  line2 += std::to_string(MrzCheckDigit(composite));
  core::Result<MrzFields> r = ParseMrz({line1, line2, "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"}, kOptions);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->document_number, number);
  EXPECT_EQ(r->personal_number, "");
  EXPECT_TRUE(r->all_checks_valid);
}

TEST(ParseMrz, DatesFollowTheReferenceDay) {
  struct Case {
    core::Date today;
    const char* birth;
    const char* expiry;
  };
  // Birth 740812 / expiry 120415 from the ICAO TD3 example.
  const Case cases[] = {
      {{2024, 6, 1}, "1974-08-12", "2012-04-15"},
      {{2074, 8, 12}, "2074-08-12", "2012-04-15"},  // born today is not the future
      {{2074, 8, 11}, "1974-08-12", "2012-04-15"},
      {{2090, 1, 1}, "2074-08-12", "2112-04-15"},  // 2012 is 78 years past: next century
      {{1990, 1, 1}, "1974-08-12", "2012-04-15"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(core::FormatIsoDate(c.today));
    core::Result<MrzFields> r = ParseMrz({"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                          "L898902C36UTO7408122F1204159ZE184226B<<<<<10"},
                                         {.today = c.today});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->birth_date, c.birth);
    EXPECT_EQ(r->expiry_date, c.expiry);
  }
}

TEST(ParseMrz, RejectsShapesThatAreNoMrz) {
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"},
      {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
       "L898902C36UTO7408122F1204159ZE184226B<<<<<1"},
      {"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6"},
  };
  for (const auto& lines : cases) {
    SCOPED_TRACE(lines.size());
    core::Result<MrzFields> r = ParseMrz(lines, kOptions);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), core::StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().reason(), "mrz_shape");
  }
  core::Result<MrzFields> r = ParseMrz({"x"}, MrzOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "mrz_today");
}

struct RepairCase {
  const char* name;
  std::vector<std::string> lines;
  const char* want_line2;  // the repaired line 2 (line 3 for TD1 names)
  size_t line_index;
  size_t repairs;
  bool check_guided;
};

TEST(ParseMrz, RepairsConfusionsTheCheckDigitsConfirm) {
  const char* kTd3Line1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
  const char* kTd3Line2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
  const RepairCase cases[] = {
      {"O read for 0 in the document number",
       {kTd3Line1, "L8989O2C36UTO7408122F1204159ZE184226B<<<<<10"},
       kTd3Line2,
       1,
       1,
       true},
      {"I read for 1 in the personal number",
       {kTd3Line1, "L898902C36UTO7408122F1204159ZEI84226B<<<<<10"},
       kTd3Line2,
       1,
       1,
       true},
      {"letters in the dates and check digits",
       {kTd3Line1, "L898902C3GUTO74O8I22F12O4I59ZE184226B<<<<<IO"},
       kTd3Line2,
       1,
       7,
       false},
      {"digits in the name and nationality",
       {"P<UT0ER1KSSON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<",
        "L898902C36UT07408122F1204159ZE184226B<<<<<10"},
       kTd3Line1,
       0,
       4,
       false},
      {"TD1 optional data under the composite only",
       {"I<UTOD231458907A812345<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"},
       "I<UTOD231458907AB12345<<<<<<<<",
       0,
       1,
       true},
  };
  for (const RepairCase& c : cases) {
    SCOPED_TRACE(c.name);
    core::Result<MrzFields> r = ParseMrz(c.lines, kOptions);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->all_checks_valid);
    EXPECT_EQ(r->lines[c.line_index], c.want_line2);
    ASSERT_EQ(r->repairs.size(), c.repairs);
    if (!r->repairs.empty()) {
      EXPECT_EQ(r->repairs[0].check_guided, c.check_guided);
    }
  }
}

// No check digit covers the issuing state or the nationality, so a misread letter is
// caught only by the list of codes: one look-alike letter away from exactly one code,
// it becomes that code; several codes that near, or digits, leave it as read.
TEST(ParseMrz, CountryCodesTakeTheOneCodeALookAlikeLetterGives) {
  struct Case {
    const char* name;
    const char* issuing;      // in line 1
    const char* nationality;  // in line 2
    const char* want_issuing;
    const char* want_nationality;
  };
  const Case cases[] = {
      {"E read for B", "UTO", "GER", "UTO", "GBR"},
      {"O read for C", "OAN", "UTO", "CAN", "UTO"},
      {"a valid code stays", "DEU", "ESP", "DEU", "ESP"},
      {"two codes a letter away: AFG and ARG", "APG", "UTO", "APG", "UTO"},
      {"no code a letter away", "QQQ", "UTO", "QQQ", "UTO"},
      {"Germany's one-letter code", "D<<", "D<<", "D", "D"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string line1 = std::string("P<") + c.issuing + "ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
    std::string line2 =
        std::string("L898902C36") + c.nationality + "7408122F1204159ZE184226B<<<<<10";
    core::Result<MrzFields> r = ParseMrz({line1, line2}, kOptions);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->all_checks_valid);
    EXPECT_EQ(r->issuing_country, c.want_issuing);
    EXPECT_EQ(r->nationality, c.want_nationality);
  }
}

// The document code's first letter is fixed by the layout (ID cards A, C or I;
// passports P); no check covers it, so a look-alike read there is put right.
TEST(ParseMrz, DocumentCodeTakesTheLetterItsLayoutAllows) {
  const std::vector<std::string> td1 = {"T<UTOD231458907<<<<<<<<<<<<<<<",
                                        "7408122F1204159UTO<<<<<<<<<<<6",
                                        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"};
  core::Result<MrzFields> id = ParseMrz(td1, kOptions);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->document_type, "I");
  EXPECT_EQ(id->lines[0], "I<UTOD231458907<<<<<<<<<<<<<<<");
  core::Result<MrzFields> passport = ParseMrz({"F<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                               "L898902C36UTO7408122F1204159ZE184226B<<<<<10"},
                                              kOptions);
  ASSERT_TRUE(passport.ok());
  EXPECT_EQ(passport->document_type, "P");
  // 'X' looks like no allowed letter: left as read.
  core::Result<MrzFields> unknown = ParseMrz({"X<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                              "L898902C36UTO7408122F1204159ZE184226B<<<<<10"},
                                             kOptions);
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->document_type, "X");
}

// A blank TD3 personal number read as junk, its check digits pushed one place left by
// a dropped filler: the field comes back blank, as every check then confirms.
TEST(ParseMrz, BlankPersonalNumberReadAsJunkComesBackBlank) {
  const std::string line1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
  const std::string blank = "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<08";
  core::Result<MrzFields> ok = ParseMrz({line1, blank}, kOptions);
  ASSERT_TRUE(ok.ok());
  ASSERT_TRUE(ok->all_checks_valid);

  // 'E' for an '8' in the birth date too (small print).
  core::Result<MrzFields> r =
      ParseMrz({line1, "L898902C36UTO740E122F1204159<<<<<<4<460CC08<"}, kOptions);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->all_checks_valid);
  EXPECT_EQ(r->lines[1], blank);
  EXPECT_EQ(r->personal_number, "");

  // The blank field's check misread too ('8' for '0'): it can only be '0' or '<'.
  core::Result<MrzFields> check =
      ParseMrz({line1, "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<88"}, kOptions);
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->all_checks_valid);
  EXPECT_EQ(check->lines[1], blank);

  // A personal number that is really there is not blanked to make checks pass.
  core::Result<MrzFields> real =
      ParseMrz({line1, "L898902C36UTO7408122F1204159ZE184226B<<<<<19"}, kOptions);
  ASSERT_TRUE(real.ok());
  EXPECT_FALSE(real->all_checks_valid);
  EXPECT_EQ(real->personal_number, "ZE184226B");
}

TEST(ParseMrz, RepairReportsTheChangedCharacter) {
  core::Result<MrzFields> r = ParseMrz({"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                        "L8989O2C36UTO7408122F1204159ZE184226B<<<<<10"},
                                       kOptions);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->repairs.size(), 1u);
  EXPECT_EQ(r->repairs[0].line, 1);
  EXPECT_EQ(r->repairs[0].column, 5);
  EXPECT_EQ(r->repairs[0].from, "O");
  EXPECT_EQ(r->repairs[0].to, "0");
  EXPECT_EQ(r->document_number, "L898902C3");
}

// Two confusions in the document number and two in the personal number: within the
// per-field limit each, but four check-guided changes over the MRZ are more than a
// reading that reports "valid" may rest on, unless the caller allows them.
TEST(ParseMrz, CheckGuidedRepairsStopAtTheTotalCap) {
  const std::vector<std::string> lines = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                          "L8989OZC36UTO7408122F1204159ZEI842Z6B<<<<<10"};
  ASSERT_LT(MrzOptions().max_changes_total, 4);
  core::Result<MrzFields> held = ParseMrz(lines, kOptions);
  ASSERT_TRUE(held.ok());
  EXPECT_FALSE(held->all_checks_valid);
  EXPECT_EQ(held->lines[1], lines[1]);
  EXPECT_TRUE(held->repairs.empty());

  MrzOptions options = kOptions;
  options.max_changes_total = 4;
  core::Result<MrzFields> allowed = ParseMrz(lines, options);
  ASSERT_TRUE(allowed.ok());
  EXPECT_TRUE(allowed->all_checks_valid);
  EXPECT_EQ(allowed->lines[1], "L898902C36UTO7408122F1204159ZE184226B<<<<<10");
  EXPECT_EQ(allowed->repairs.size(), 4U);
}

TEST(ParseMrz, UnrepairableLinesReportInvalidChecks) {
  struct Case {
    const char* name;
    std::vector<std::string> lines;
    std::vector<bool> valid;
  };
  const Case cases[] = {
      {"digit misread as another digit in the birth date",
       {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408132F1204159ZE184226B<<<<<10"},
       {true, false, true, true, false}},
      {"wrong expiry check digit",
       {"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204158<<<<<<<6"},
       {true, true, false, false}},
      {"repair off",
       {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L8989O2C36UTO7408122F1204159ZE184226B<<<<<10"},
       {false, true, true, true, false}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    MrzOptions options = kOptions;
    options.repair = std::string(c.name) != "repair off";
    core::Result<MrzFields> r = ParseMrz(c.lines, options);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->all_checks_valid);
    ASSERT_EQ(r->checks.size(), c.valid.size());
    for (size_t i = 0; i < c.valid.size(); ++i) EXPECT_EQ(r->checks[i].valid, c.valid[i]) << i;
    EXPECT_EQ(AssessMrz(*r, {}).back().status, MrzTrust::kInvalid);
  }
}

TEST(FindMrzLines, PicksAndCleansTheMrzBlock) {
  struct Case {
    const char* name;
    std::vector<std::string> ocr;
    std::vector<std::string> want;
  };
  const std::vector<std::string> kTd3 = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                         "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};
  const std::vector<std::string> kTd1 = {"I<UTOD231458907<<<<<<<<<<<<<<<",
                                         "7408122F1204159UTO<<<<<<<<<<<6",
                                         "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"};
  const Case cases[] = {
      {"clean lines among page text",
       {"PASSPORT", "Surname / Nom", "ERIKSSON", kTd3[0], kTd3[1]},
       kTd3},
      {"spaces, lower case and guillemets",
       {"Name: Anna", "P<UTO ERIKSSON«ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "l898902c36 uto7408122f1204159ze184226b<<<<<10"},
       kTd3},
      {"fillers read as K at the line end, one filler lost",
       {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<KK<<<<<<<<<<" /* 43 */, kTd3[1]},
       kTd3},
      {"filler read as K after data (check digits cannot see it)",
       {kTd3[0], "L898902C36UTO7408122F1204159ZE184226BK<<<<10"},
       kTd3},
      {"TD1 with blank lines between", {kTd1[0], "", kTd1[1], " ", kTd1[2]}, kTd1},
      {"no MRZ", {"Invoice 123", "Total 12.00 EUR"}, {}},
      {"a lone MRZ-like line is not a block", {kTd3[0]}, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(FindMrzLines(c.ocr), c.want);
  }
}

TEST(FindMrzLines, KeepsNameFinalK) {
  std::vector<std::string> lines = FindMrzLines({"P<UTONOVAK<<ERIK<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
                                                 "L898902C36UTO7408122F1204159ZE184226B<<<<<10"});
  ASSERT_EQ(lines.size(), 2u);
  core::Result<MrzFields> r = ParseMrz(lines, kOptions);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->surname, "NOVAK");
  EXPECT_EQ(r->given_names, "ERIK");
}

TEST(FindMrzLines, OcrNoiseIsRepairedEndToEnd) {
  std::vector<std::string> lines =
      FindMrzLines({"P < UTO ERIKSSON << ANNA < MARIA <<<<<<<<<<<<<<<<<<<",
                    "L8989O2C36UT07408I22F12O4159ZE184226B<<<<<1O"});
  ASSERT_EQ(lines.size(), 2u);
  core::Result<MrzFields> r = ParseMrz(lines, kOptions);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->all_checks_valid);
  EXPECT_EQ(r->document_number, "L898902C3");
  EXPECT_EQ(r->nationality, "UTO");
  EXPECT_EQ(r->birth_date, "1974-08-12");
}

// Moved from the extract tests with the MRZ code.
TEST(FindMrzLines, FillerMisreadsInLongRuns) {
  struct Case {
    const char* name;
    std::vector<std::string> ocr;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"fillers read as C/K/E at the end of TD1 lines",
       {"IDD<<T220001293<<<<<<CCCCCCCCE", "6408125<2010315D<<<<CCCCCCCCC4",
        "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"},
       {"IDD<<T220001293<<<<<<<<<<<<<<<", "6408125<2010315D<<<<<<<<<<<<<4",
        "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"}},
      {"name line: letters ending the name stay, the filler tail is cleaned",
       {"P<CANMARTIN<<SARAH<<<<<<KKKKKLEKLLELEELELEE7",
        "ZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08"},
       {"P<CANMARTIN<<SARAH<<<<<<<<<<<<<<<<<<<<<<<<<<",
        "ZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08"}},
      {"a name ending in E, L or C keeps it",
       {"P<FRAMICHEL<<ANNE<<<<<<<<<<<<<<<<<<<<<<<<<<<",
        "ZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08"},
       {"P<FRAMICHEL<<ANNE<<<<<<<<<<<<<<<<<<<<<<<<<<<",
        "ZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08"}},
      // A 'K' before fillers in a data field is a misread filler, except where it ends
      // an ICAO code: Denmark's and Slovakia's nationality stay.
      {"a K that ends a country code before fillers is data",
       {"IRSVK73457703<485910<<<<<<<<<<", "0409175F2412012SVK<<<<<<<<<<<3",
        "TRES<<ZYSTOUKMEM<ZOX<SEEL<<<<<"},
       {"IRSVK73457703<485910<<<<<<<<<<", "0409175F2412012SVK<<<<<<<<<<<3",
        "TRES<<ZYSTOUKMEM<ZOX<SEEL<<<<<"}},
      {"a K before fillers that ends no code is a filler",
       {"IRSVK73457703<485910K<<<<<<<<<", "0409175F2412012SVK<<<<<<<<<<<3",
        "TRES<<ZYSTOUKMEM<ZOX<SEEL<<<<<"},
       {"IRSVK73457703<485910<<<<<<<<<<", "0409175F2412012SVK<<<<<<<<<<<3",
        "TRES<<ZYSTOUKMEM<ZOX<SEEL<<<<<"}},
      // A name part made of letters OCR makes of fillers, after one '<', is no run.
      {"a name part of filler-like letters at the end stays",
       {"IRSVK73457703<485910<<<<<<<<<<", "0409175F2412012SVK<<<<<<<<<<<3",
        "STASLOUN<<KAISZUR<BROUK<KLEE<<"},
       {"IRSVK73457703<485910<<<<<<<<<<", "0409175F2412012SVK<<<<<<<<<<<3",
        "STASLOUN<<KAISZUR<BROUK<KLEE<<"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(FindMrzLines(c.ocr), c.want);
  }
}

TEST(ParseMrz, DigitsWinWhereOAndZeroBothPassTheCheck) {
  MrzOptions options;
  options.today = {2026, 1, 1};
  // Three 'O's in the document number pass its check digit as well as three zeros do;
  // the 'S' is a misread '5' that the check digits repair.
  auto mrz = ParseMrz({"P<CANMARTIN<<SARAH<<<<<<<<<<<<<<<<<<<<<<<<<<",
                       "ZEOOOSO9<9CAN8501019F2301147<<<<<<<<<<<<<<08"},
                      options);
  ASSERT_TRUE(mrz.ok());
  EXPECT_TRUE(mrz->all_checks_valid);
  EXPECT_EQ(mrz->document_number, "ZE000509");
  // A number without any 'O' is left as read.
  auto kept = ParseMrz({"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                        "L898902C36UTO7408122F1204159ZE184226B<<<<<10"},
                       options);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->document_number, "L898902C3");
}

}  // namespace
}  // namespace smartocr::mrz
