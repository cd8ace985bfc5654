// The VIZ as a witness for the MRZ name line: words taken from the page, and the
// corrections they may and may not make.
#include "mrz/internal/viz.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smartocr::mrz::internal {
namespace {

core::Line LineOf(const std::vector<std::pair<std::string, double>>& words) {
  core::Line line;
  for (const auto& [text, confidence] : words) line.words.push_back({text, {}, confidence});
  return line;
}

bool IsMrzLine(const std::string& text) { return text.find("<<") != std::string::npos; }

TEST(VizWords, FoldsDiacriticsSplitsAndSkipsUnsureWordsAndTheMrz) {
  core::PageResult page;
  page.blocks.resize(1);
  page.blocks[0].lines = {
      LineOf({{"BASANAVIČIENĖ", 0.95}, {"Birutė", 0.9}}),
      LineOf({{"UNITED-KINGDOM-TWENTY-SIX", 0.93}}),
      LineOf({{"Matia", 0.6}}),  // a signature read as a word
      LineOf({{"P<LTUBASANAVICIENE<<BIRUTE<<<", 0.9}}),
      LineOf({{"Æsir", 0.95}, {"No.", 0.95}}),  // a ligature breaks the word
  };
  const std::vector<std::string> want = {"BASANAVICIENE", "BIRUTE", "UNITED", "KINGDOM", "TWENTY"};
  EXPECT_EQ(VizWords(page, IsMrzLine), want);
}

TEST(ConfirmNamesByViz, PutsRightWhatTheVizPrintsAndNothingElse) {
  struct Case {
    const char* what;
    std::string line;
    std::vector<size_t> unsure;  // positions where the readings disagreed
    std::vector<std::string> viz;
    std::string want;
  };
  const std::string kPol = "P<POLKOWALSKA<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<";
  const std::vector<Case> cases = {
      {"a filler where the VIZ prints a letter",
       "P<POLKOWALS<A<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<",
       {},
       {"KOWALSKA", "ANNA"},
       kPol},
      {"a letter the readings disagreed on",
       "P<POLKOWALSXA<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<",
       {11},
       {"KOWALSKA"},
       kPol},
      {"a letter all readings agree on stays",
       "P<POLKOWALSXA<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<",
       {},
       {"KOWALSKA"},
       "P<POLKOWALSXA<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<"},
      {"too many differences for a short name",
       "P<POLKOWALSKA<<AXXA<<<<<<<<<<<<<<<<<<<<<<<<<",
       {16, 17},
       {"ANNA"},
       "P<POLKOWALSKA<<AXXA<<<<<<<<<<<<<<<<<<<<<<<<<"},
      {"a name that matches exactly is not rewritten by a near one",
       kPol,
       {17},
       {"ANNA", "ANTA"},
       kPol},
      {"not inside a longer name (no filler before or after)", kPol, {11}, {"WALT"}, kPol},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    std::vector<bool> unsure(c.line.size(), false);
    for (size_t p : c.unsure) unsure[p] = true;
    EXPECT_EQ(ConfirmNamesByViz(c.line, 5, unsure, c.viz), c.want);
  }
}

}  // namespace
}  // namespace smartocr::mrz::internal
