// The image side of the MRZ pass: finding the zone's rows without OCR, telling filler
// positions from letters, grouping identical glyphs, and fitting OCR text to positions.
#include "mrz/internal/band.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "fixtures.h"

namespace smartocr::mrz::internal {
namespace {

using smartocr::testing::FixturePage;
using smartocr::testing::Paragraph;
using smartocr::testing::RenderPage;

// ICAO 9303 specimens: TD3 (passport) and TD1 (ID card).
const std::vector<std::string> kTd3 = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                       "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};
const std::vector<std::string> kTd1 = {"I<UTOD231458907<<<<<<<<<<<<<<<",
                                       "7408122F1204159UTO<<<<<<<<<<<6",
                                       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"};

// An ID page: some text above, the MRZ in a monospace font at the bottom.
cv::Mat MrzPage(const std::vector<std::string>& mrz, double dpi, double rotate_deg = 0) {
  FixturePage page;
  page.width_pt = 360;
  page.height_pt = 250;
  page.rotate_deg = rotate_deg;
  page.runs = Paragraph({"PASSPORT  UTOPIA", "Surname: ERIKSSON", "Given names: ANNA MARIA"}, 20,
                        40, 10, 16);
  for (size_t i = 0; i < mrz.size(); ++i) {
    smartocr::testing::TextRun run;
    run.text = mrz[i];
    run.x_pt = 14;
    run.y_pt = 190 + 16 * static_cast<double>(i);
    run.size_pt = mrz[i].size() == 30 ? 12 : 9.5;
    run.mono = true;
    page.runs.push_back(run);
  }
  return RenderPage(page, dpi);
}

TEST(FindMrzRows, FindsTheZoneWithoutOcr) {
  for (const auto* mrz : {&kTd3, &kTd1}) {
    // 500 dpi: a page large enough to be searched at a lower resolution.
    for (double dpi : {100.0, 200.0, 500.0}) {
      cv::Mat page = MrzPage(*mrz, dpi);
      std::vector<MrzRow> rows = FindMrzRows(page);
      ASSERT_EQ(rows.size(), mrz->size()) << dpi << " dpi";
      EXPECT_EQ(ZoneWidth(rows), static_cast<int>((*mrz)[0].size()));
      for (size_t i = 1; i < rows.size(); ++i) EXPECT_GT(rows[i].box.y, rows[i - 1].box.y);
      // The rows are the bottom of the page, not the text above.
      EXPECT_GT(rows[0].box.y, page.rows / 2);
    }
  }
}

// The cells a dropped character is read again from: one per position, a pitch apart,
// each over its own glyph (the TD1 composite check digit, last after a run of fillers,
// included).
TEST(CellCentreXs, PlacesEveryPositionOnItsGlyph) {
  for (double dpi : {100.0, 200.0}) {
    std::vector<MrzRow> rows = FindMrzRows(MrzPage(kTd1, dpi));
    ASSERT_EQ(rows.size(), 3U) << dpi << " dpi";
    const MrzRow& row = rows[1];
    std::vector<double> xs = CellCentreXs(row, 30);
    ASSERT_EQ(xs.size(), 30U);
    for (size_t i = 1; i < xs.size(); ++i) {
      EXPECT_NEAR(xs[i] - xs[i - 1], row.pitch, 0.3 * row.pitch) << i;
    }
    // The last glyph of the row is the composite check digit.
    const cv::Rect& last = row.glyphs.back();
    EXPECT_GE(xs.back(), last.x);
    EXPECT_LE(xs.back(), last.x + last.width);
    EXPECT_NEAR(xs.front(), row.glyphs.front().x + row.glyphs.front().width / 2.0, 0.3 * row.pitch);
  }
  EXPECT_TRUE(CellCentreXs(MrzRow(), 30).empty());
}

TEST(FindMrzRows, IgnoresPagesWithoutAZone) {
  FixturePage page;
  page.runs = Paragraph({"KEDAI BUKU MAJU SDN BHD", "NO 12, JALAN MAWAR 3, TAMAN MELATI",
                         "TOTAL 12.50", "CASH 20.00"},
                        72, 90);
  EXPECT_TRUE(FindMrzRows(RenderPage(page, 150)).empty());
  // One even row of monospace text is no zone either.
  smartocr::testing::TextRun run;
  run.text = "0123456789012345678901234567890123456789";
  run.x_pt = 20;
  run.y_pt = 300;
  run.mono = true;
  page.runs.push_back(run);
  EXPECT_TRUE(FindMrzRows(RenderPage(page, 150)).empty());
  EXPECT_TRUE(FindMrzRows(cv::Mat()).empty());
}

TEST(AnalyzeCells, TellsFillersFromLettersAndGroupsGlyphs) {
  for (const auto* mrz : {&kTd3, &kTd1}) {
    cv::Mat page = MrzPage(*mrz, 150);
    std::vector<MrzRow> rows = FindMrzRows(page);
    ASSERT_EQ(rows.size(), mrz->size());
    int width = ZoneWidth(rows);
    ZoneCells cells = AnalyzeCells(page, rows, width);
    ASSERT_EQ(cells.kinds.size(), mrz->size());
    ASSERT_EQ(cells.glyph_ids.size(), mrz->size());
    int wrong = 0, unknown = 0;
    std::map<int, std::string> glyph_chars;  // id -> the characters it was given to
    for (size_t l = 0; l < mrz->size(); ++l) {
      ASSERT_EQ(cells.kinds[l].size(), static_cast<size_t>(width));
      for (int k = 0; k < width; ++k) {
        bool filler = (*mrz)[l][k] == '<';
        Cell kind = cells.kinds[l][k];
        unknown += kind == Cell::kUnknown ? 1 : 0;
        wrong += (kind == Cell::kFiller && !filler) || (kind == Cell::kGlyph && filler) ? 1 : 0;
        int id = cells.glyph_ids[l][k];
        if (id >= 0 && glyph_chars[id].find((*mrz)[l][k]) == std::string::npos) {
          glyph_chars[id] += (*mrz)[l][k];
        }
      }
    }
    EXPECT_EQ(wrong, 0);
    EXPECT_LE(unknown, width / 4);
    // Groups are pure (one character each), and some glyphs do repeat.
    size_t repeated = 0;
    for (const auto& [id, chars] : glyph_chars) EXPECT_EQ(chars.size(), 1u) << chars;
    for (size_t l = 0; l < mrz->size(); ++l) {
      for (int k = 0; k < width; ++k) repeated += cells.glyph_ids[l][k] >= 0 ? 1 : 0;
    }
    EXPECT_GT(repeated, glyph_chars.size());
  }
}

// Cells from a pattern: '<' filler, '#' letter or digit, '?' unknown.
std::vector<Cell> CellsOf(const std::string& pattern) {
  std::vector<Cell> out;
  for (char c : pattern) {
    out.push_back(c == '<' ? Cell::kFiller : c == '#' ? Cell::kGlyph : Cell::kUnknown);
  }
  return out;
}

TEST(FitToCells, UndoesInsertionsDeletionsAndMisreadFillers) {
  auto cells = CellsOf;
  struct Case {
    const char* what;
    std::string text, pattern, want;
  };
  const std::vector<Case> cases = {
      {"exact", "ANNA<MARIA<<<", "####<#####<<<", "ANNA<MARIA<<<"},
      {"filler read as K", "ANNAKMARIA<<<", "####<#####<<<", "ANNA<MARIA<<<"},
      {"fillers dropped at the end", "ANNA<MARIA", "####<#####<<<", "ANNA<MARIA<<<"},
      {"a filler inserted", "ANNA<<MARIA<<<", "####<#####<<<", "ANNA<MARIA<<<"},
      {"fillers run into letters", "SARAHKKEL<<", "#####<<<<<<", "SARAH<<<<<<"},
      {"name-final K stays where the image shows a letter", "NOVAK<<ANNA<", "#####<<####<",
       "NOVAK<<ANNA<"},
      {"unknown positions take the reading", "AB<CD", "?????", "AB<CD"},
      {"an unread letter position becomes '<'", "ANNA", "#####", "ANNA<"},
  };
  for (const Case& c : cases) EXPECT_EQ(FitToCells(c.text, cells(c.pattern)), c.want) << c.what;
}

// A passport's name line (98_pass-nld) read with its first filler as 'A' and two
// fillers as 'S': a letter at a filler position costs more than shifting every letter
// one position right, so the plain fit shifts them. The positions showing identical
// glyphs (the two N's, L's, I's, E's) say it must not.
TEST(FitToCells, GlyphIdsUndoAShiftOfTheLetters) {
  const std::string read = "PANLDMEULENDIJK<SLOESSALBERTINE<SSSSS<KK<SK";
  const std::vector<Cell> cells = CellsOf("#<?##?###??#?#?<<#?#?<?###????#<<<<<<<<<<<<<");
  std::vector<int> ids = {0,  -1, 1,  2,  3,  4,  5,  6,  7,  8,  1,  9,  10, 11, 12,
                          -1, -1, 7,  13, 14, 15, -1, 16, 17, 18, 19, 20, 21, 10, 22,
                          8,  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
  const std::string truth = "P<NLDMEULENDIJK<<LOES<ALBERTINE<<<<<<<<<<<<<";
  ASSERT_EQ(cells.size(), truth.size());
  ASSERT_EQ(ids.size(), truth.size());
  EXPECT_NE(FitToCells(read, cells), truth);  // the shifted fit
  EXPECT_EQ(FitToCells(read, cells, ids), truth);
  EXPECT_EQ(GlyphConflicts(truth, ids), 0);
  EXPECT_GT(GlyphConflicts(FitToCells(read, cells), ids), 2);
}

TEST(GlyphConflicts, CountsPositionsThatDisagreeWithTheirGlyphsMajority) {
  EXPECT_EQ(GlyphConflicts("ABAB", {0, 1, 0, 1}), 0);
  EXPECT_EQ(GlyphConflicts("ABAC", {0, 1, 0, 1}), 1);
  EXPECT_EQ(GlyphConflicts("AAAB", {0, 0, 0, 0}), 1);
  EXPECT_EQ(GlyphConflicts("ABCD", {-1, -1, -1, -1}), 0);  // no glyph of their own
  EXPECT_EQ(GlyphConflicts("ABC", {0, 0}), 0);             // sizes differ
}

}  // namespace
}  // namespace smartocr::mrz::internal
