// HarmonizeMrzGlyphs: positions showing the same glyph hold the same character.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mrz/internal/text.h"

namespace smartocr::mrz::internal {
namespace {

// The ICAO 9303 TD3 specimen line 2 and its name line.
const std::string kName = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
const std::string kData = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

// Glyph ids where every position holding `c` in `truth` shares one id per character
// (as the image would give them), -1 elsewhere.
std::vector<std::vector<int>> IdsOf(const std::vector<std::string>& truth) {
  std::vector<std::vector<int>> ids;
  for (const std::string& line : truth) {
    std::vector<int> row;
    for (char c : line) row.push_back(static_cast<unsigned char>(c));
    ids.push_back(row);
  }
  return ids;
}

TEST(HarmonizeMrzGlyphs, TableOfCases) {
  struct Case {
    const char* what;
    std::vector<std::string> read;   // OCR reading
    std::vector<std::string> truth;  // what the image shows (gives the glyph ids)
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"O/0 in the document number: the dates' zeros tell",
       {kName, "AAQOOOOO00POL6002084F1412314<<<<<<<<<<<<<<<4"},
       {kName, "AA00000000POL6002084F1412314<<<<<<<<<<<<<<<4"},
       {kName, "AA00000000POL6002084F1412314<<<<<<<<<<<<<<<4"}},
      {"B/8 and O/0 in the document number",
       {kName, "L89B9O2C36UTO7408122F1204159ZE184226B<<<<<10"},
       {kName, kData},
       {kName, kData}},
      {"a letter of optional data read as a digit: the names show the letter",
       {kName, "L898902C36UTO7408122F1204159Z3184226B<<<<<10"},
       {kName, kData},
       {kName, kData}},
      {"a misread filler in optional data: fillers elsewhere read '<'",
       {kName, "L898902C36UTO7408122F1204159ZE184226BK<<<<10"},
       {kName, kData},
       {kName, kData}},
      {"a digit in a name: the same glyph in other names is a letter",
       {"P<UTOERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", kData},
       {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", kData},
       {kName, kData}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(HarmonizeMrzGlyphs(c.read, IdsOf(c.truth)), c.want) << c.what;
  }
}

TEST(HarmonizeMrzGlyphs, OwnReadingIsNoEvidence) {
  // Nationality printed in digits (a specimen oddity): the glyphs appear nowhere else,
  // so nothing changes, although a name position "wants" letters.
  std::vector<std::string> lines = {"IDROUSAVA<<SUPERMAN<<<<<<<<<<<<<<<<<",
                                    "HD198025<51328505095M130509012049941"};
  std::vector<std::vector<int>> ids(2, std::vector<int>(36, -1));
  ids[1][10] = 1001;
  ids[1][11] = 1003;
  ids[1][12] = 1002;
  EXPECT_EQ(HarmonizeMrzGlyphs(lines, ids), lines);
}

TEST(HarmonizeMrzGlyphs, NeedsAClearMajority) {
  // The '0' glyph reads '0' in one date position and 'O' (as a letter) in one name
  // position: no two-thirds majority, so the document number keeps its reading.
  std::vector<std::string> lines = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                    "LO98902C36UTO7408122F1204159ZE184226B<<<<<10"};
  std::vector<std::vector<int>> ids(2, std::vector<int>(44, -1));
  ids[0][11] = 7;  // 'O' of ERIKSSON
  ids[1][1] = 7;   // the position in question
  ids[1][14] = 7;  // '4' of the birth date read as a digit
  EXPECT_EQ(HarmonizeMrzGlyphs(lines, ids), lines);
}

TEST(HarmonizeMrzGlyphs, LeavesNonMrzShapesAlone) {
  std::vector<std::string> lines = {"NOT AN MRZ", "EITHER"};
  EXPECT_EQ(HarmonizeMrzGlyphs(lines, IdsOf(lines)), lines);
  // Ids that do not match the lines.
  std::vector<std::string> mrz = {kName, kData};
  EXPECT_EQ(HarmonizeMrzGlyphs(mrz, {{1, 2, 3}}), mrz);
}

}  // namespace
}  // namespace smartocr::mrz::internal
