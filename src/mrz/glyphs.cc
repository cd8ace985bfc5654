// src/mrz/glyphs.cc
//
// Glyph consensus for MRZ text: an alphanumeric position's ambiguous reading (O or 0?)
// is decided by what the same glyph reads as where only one kind of character fits.
#include <map>
#include <string>
#include <vector>

#include "core/text.h"
#include "mrz/internal/layout.h"
#include "mrz/internal/repair.h"
#include "mrz/internal/text.h"
#include "mrz/tunables.h"

namespace smartocr::mrz::internal {
namespace {

bool IsDigitGlyph(const std::string& g) { return g.size() == 1 && core::IsDigit(g[0]); }
bool IsLetterGlyph(const std::string& g) { return g.size() == 1 && core::IsUpper(g[0]); }

// Whether a position of class `cls` reading `seen` takes its glyph's consensus `said`:
// alphanumeric positions always; others only to mend a reading their class forbids
// (a digit in a name, a letter in a date), when the consensus fits the class.
bool Takes(CharClass cls, const std::string& seen, const std::string& said) {
  switch (cls) {
    case CharClass::kAlnum:
      return true;
    case CharClass::kName:
    case CharClass::kAlpha:
      return IsDigitGlyph(seen) && (IsLetterGlyph(said) || said == "<");
    case CharClass::kDigit:
    case CharClass::kCheck:
      return IsLetterGlyph(seen) && (IsDigitGlyph(said) || said == "<");
    default:
      return false;
  }
}

}  // namespace

std::vector<std::string> HarmonizeMrzGlyphs(const std::vector<std::string>& lines,
                                            const std::vector<std::vector<int>>& glyph_ids) {
  MrzText text;
  const MrzLayout* layout = LayoutOf(lines, text);
  if (layout == nullptr || glyph_ids.size() != text.size()) return lines;
  const int width = layout->width;
  for (const std::vector<int>& ids : glyph_ids) {
    if (static_cast<int>(ids.size()) != width) return lines;
  }
  auto classes = ClassesOf(*layout);

  // What a class-fixed position says its glyph is ("" for alphanumeric positions,
  // which are the ones in question).
  auto said = [&](size_t l, int k) -> std::string {
    const std::string& g = text[l][k];
    CharClass cls = classes[l][k];
    if (cls == CharClass::kAlnum) return "";
    if (g == "<") return g;  // a filler (or an unread position) in any class
    if (cls == CharClass::kDigit || cls == CharClass::kCheck) {
      return IsDigitGlyph(g) ? g : LetterToDigit(g);
    }
    if (cls == CharClass::kName || cls == CharClass::kAlpha) {
      return IsLetterGlyph(g) ? g : DigitToLetter(g);
    }
    return "";
  };
  std::map<int, std::map<std::string, int>> votes;
  for (size_t l = 0; l < text.size(); ++l) {
    for (int k = 0; k < width; ++k) {
      std::string s = said(l, k);
      if (glyph_ids[l][k] >= 0 && !s.empty()) ++votes[glyph_ids[l][k]][s];
    }
  }
  // The consensus of the other positions showing the glyph ("" when none): a
  // position's own reading is no evidence for itself.
  auto consensus = [&](size_t l, int k) -> std::string {
    auto it = votes.find(glyph_ids[l][k]);
    if (it == votes.end()) return "";
    std::map<std::string, int> counts = it->second;
    std::string own = said(l, k);
    if (!own.empty()) --counts[own];
    int total = 0, top = 0;
    bool letters = false, digits = false;
    std::string best;
    for (const auto& [c, n] : counts) {
      if (n <= 0) continue;
      // A glyph is a letter or a digit: evidence of both means two characters were
      // taken for one glyph (O and 0 can look alike), so the group says nothing.
      letters = letters || IsLetterGlyph(c);
      digits = digits || IsDigitGlyph(c);
      if (letters && digits) return "";
      total += n;
      if (n > top) {
        top = n;
        best = c;
      }
    }
    // A clear majority: at least kGlyphMajorityNum / kGlyphMajorityDen of the votes.
    return total > 0 && config::kGlyphMajorityDen * top >= config::kGlyphMajorityNum * total ? best
                                                                                             : "";
  };
  std::vector<std::string> out;
  for (size_t l = 0; l < text.size(); ++l) {
    std::string line;
    for (int k = 0; k < width; ++k) {
      std::string c = glyph_ids[l][k] >= 0 ? consensus(l, k) : "";
      line += !c.empty() && Takes(classes[l][k], text[l][k], c) ? c : text[l][k];
    }
    out.push_back(line);
  }
  return out;
}

double MrzClassConformity(const std::vector<std::string>& lines) {
  MrzText text;
  const MrzLayout* layout = LayoutOf(lines, text);
  if (layout == nullptr) return 0;
  const int width = layout->width;
  auto classes = ClassesOf(*layout);
  int fits = 0, total = 0;
  for (size_t l = 0; l < text.size(); ++l) {
    for (int k = 0; k < width; ++k) {
      const std::string& g = text[l][k];
      const bool filler = g == "<";
      const bool digit = IsDigitGlyph(g);
      const bool letter = IsLetterGlyph(g);
      bool fit = false;
      switch (classes[l][k]) {
        case CharClass::kAlnum:
          fit = filler || digit || letter;
          break;
        case CharClass::kAlpha:
        case CharClass::kName:
          fit = filler || letter;
          break;
        case CharClass::kDigit:  // a date: fillers only where a part is unknown, rarely
          fit = digit;
          break;
        case CharClass::kCheck:
          fit = filler || digit;
          break;
        case CharClass::kSex:
          fit = g == "M" || g == "F" || g == "X" || filler;
          break;
      }
      fits += fit ? 1 : 0;
      ++total;
    }
  }
  return total > 0 ? static_cast<double>(fits) / total : 0;
}

}  // namespace smartocr::mrz::internal
