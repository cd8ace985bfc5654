// The synthetic MRZ generator (tests/support/mrz_specimen.h): its lines match ICAO
// 9303's worked examples character for character, random holders parse back with every
// check digit valid, and rendering and degrading give images of the expected shape.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "mrz/mrz.h"
#include "mrz_specimen.h"

namespace smartocr::testing {
namespace {

MrzHolder Eriksson(const char* code, const char* number, const char* nationality, const char* birth,
                   const char* expiry, const char* optional1) {
  MrzHolder h;
  h.document_code = code;
  h.issuing = "UTO";
  h.surname = "ERIKSSON";
  h.given_names = {"ANNA", "MARIA"};
  h.number = number;
  h.nationality = nationality;
  h.birth = birth;
  h.sex = 'F';
  h.expiry = expiry;
  h.optional1 = optional1;
  return h;
}

TEST(SpecimenGenerator, CheckDigitsOfIcaoExamples) {
  EXPECT_EQ(SpecimenCheckDigit("L898902C3"), 6);
  EXPECT_EQ(SpecimenCheckDigit("740812"), 2);
  EXPECT_EQ(SpecimenCheckDigit("120415"), 9);
  EXPECT_EQ(SpecimenCheckDigit("ZE184226B<<<<<"), 1);
  EXPECT_EQ(SpecimenCheckDigit("D23145890"), 7);
  EXPECT_EQ(SpecimenCheckDigit("L8988901C"), 4);
}

// Doc 9303 parts 4-7: the worked example of each layout.
TEST(SpecimenGenerator, ComposesIcaoWorkedExamples) {
  EXPECT_EQ(ComposeMrz(SpecimenLayout::kTd3,
                       Eriksson("P<", "L898902C3", "UTO", "740812", "120415", "ZE184226B")),
            (std::vector<std::string>{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                      "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}));
  EXPECT_EQ(
      ComposeMrz(SpecimenLayout::kTd1, Eriksson("I<", "D23145890", "UTO", "740812", "120415", "")),
      (std::vector<std::string>{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
                                "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"}));
  EXPECT_EQ(
      ComposeMrz(SpecimenLayout::kTd2, Eriksson("I<", "D23145890", "UTO", "740812", "120415", "")),
      (std::vector<std::string>{"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
                                "D231458907UTO7408122F1204159<<<<<<<6"}));
  EXPECT_EQ(ComposeMrz(SpecimenLayout::kMrvA,
                       Eriksson("V<", "L8988901C", "XXX", "400907", "961210", "6ZE184226B")),
            (std::vector<std::string>{"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                      "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"}));
  EXPECT_EQ(
      ComposeMrz(SpecimenLayout::kMrvB, Eriksson("V<", "L8988901C", "XXX", "400907", "961210", "")),
      (std::vector<std::string>{"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
                                "L8988901C4XXX4009078F9612109<<<<<<<<"}));
}

// The parser (src/mrz) and the generator compute check digits apart: every random
// holder must parse back as composed, all checks valid, nothing repaired.
TEST(SpecimenGenerator, RandomHoldersParseBackWithEveryCheckValid) {
  std::mt19937 rng(11);
  for (SpecimenLayout layout : {SpecimenLayout::kTd1, SpecimenLayout::kTd2, SpecimenLayout::kTd3,
                                SpecimenLayout::kMrvA, SpecimenLayout::kMrvB}) {
    for (int i = 0; i < 200; ++i) {
      MrzHolder h = RandomHolder(layout, rng);
      std::vector<std::string> lines = ComposeMrz(layout, h);
      auto parsed = mrz::ParseMrz(lines, {.today = {2026, 1, 1}});
      ASSERT_TRUE(parsed.ok()) << lines[0];
      SCOPED_TRACE(lines[0] + " / " + lines[1]);
      EXPECT_TRUE(parsed->all_checks_valid);
      EXPECT_TRUE(parsed->repairs.empty());
      EXPECT_EQ(parsed->lines, lines);
      EXPECT_STREQ(mrz::MrzTypeName(parsed->type), SpecimenLayoutName(layout));
      nlohmann::json label = SpecimenLabel(layout, h, "clean");
      EXPECT_EQ(parsed->surname, label["surname"].get<std::string>());
      EXPECT_EQ(parsed->given_names, label["names"].get<std::string>());
      EXPECT_EQ(parsed->birth_date_raw, h.birth);
      EXPECT_EQ(parsed->expiry_date_raw, h.expiry);
    }
  }
}

TEST(SpecimenGenerator, RendersAndDegradesEveryLayout) {
  std::mt19937 rng(5);
  for (SpecimenLayout layout : {SpecimenLayout::kTd1, SpecimenLayout::kTd3}) {
    MrzHolder h = RandomHolder(layout, rng);
    cv::Mat page = RenderSpecimen(layout, h, rng);
    ASSERT_EQ(page.type(), CV_8UC3);
    // ICAO sizes at 300 dpi: a card 85.6 mm wide, a passport page 125 mm.
    EXPECT_NEAR(page.cols, layout == SpecimenLayout::kTd1 ? 1011 : 1476, 2);
    for (const Degradation& d : SpecimenDegradations()) {
      cv::Mat shot = Degrade(page, d, rng);
      ASSERT_FALSE(shot.empty()) << d.name;
      EXPECT_EQ(shot.type(), CV_8UC3) << d.name;
      if (d.name == "clean") {
        EXPECT_EQ(cv::norm(shot, page, cv::NORM_INF), 0);
      }
      if (d.name == "lowres") {
        EXPECT_LT(shot.cols, page.cols * 0.9);
      }
      if (d.name == "perspective") {  // photographed on a surface around the page
        EXPECT_GT(shot.cols, page.cols);
      }
    }
  }
  EXPECT_EQ(DegradationByName("moderate").name, "moderate");
  EXPECT_EQ(DegradationByName("nonsense").name, "clean");
}

}  // namespace
}  // namespace smartocr::testing
