// src/extract/mrz_glyphs.cc
//
// Glyph consensus for MRZ text: an alphanumeric position's ambiguous reading (O or 0?)
// is decided by what the same glyph reads as where only one kind of character fits.
#include <map>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "extract/extract_internal.h"
#include "extract/mrz_internal.h"

namespace smartocr::extract {

std::vector<std::string> HarmonizeMrzGlyphs(const std::vector<std::string>& lines,
                                            const std::vector<std::vector<int>>& glyph_ids) {
  using internal::CharClass;
  internal::MrzText text;
  for (const std::string& line : lines) text.push_back(internal::SplitGlyphs(line));
  if (text.empty() || glyph_ids.size() != text.size()) return lines;
  const int width = static_cast<int>(text[0].size());
  for (size_t l = 0; l < text.size(); ++l) {
    if (static_cast<int>(text[l].size()) != width ||
        static_cast<int>(glyph_ids[l].size()) != width) {
      return lines;
    }
  }
  const internal::MrzLayout* layout =
      internal::FindLayout(static_cast<int>(text.size()), width, text[0][0]);
  if (layout == nullptr) return lines;
  auto classes = internal::ClassesOf(*layout);

  // Votes per glyph id: the character each class-fixed position says it is.
  std::map<int, std::map<std::string, int>> votes;
  for (size_t l = 0; l < text.size(); ++l) {
    for (int k = 0; k < width; ++k) {
      int id = glyph_ids[l][k];
      const std::string& g = text[l][k];
      if (id < 0) continue;
      bool digit = g.size() == 1 && internal::IsDigit(g[0]);
      bool upper = g.size() == 1 && internal::IsUpper(g[0]);
      // Alphanumeric positions are the ones in question; they do not vote.
      CharClass cls = classes[l][k];
      if (cls == CharClass::kAlnum) continue;
      std::string said;
      if (g == "<") {
        said = g;  // a filler (or an unread position) in any class
      } else if (cls == CharClass::kDigit || cls == CharClass::kCheck) {
        said = digit ? g : internal::LetterToDigit(g);
      } else if (cls == CharClass::kName || cls == CharClass::kAlpha) {
        said = upper ? g : internal::DigitToLetter(g);
      }
      if (!said.empty()) ++votes[id][said];
    }
  }
  std::map<int, std::string> glyph_char;
  for (const auto& [id, counts] : votes) {
    int total = 0, top = 0;
    std::string best;
    for (const auto& [c, n] : counts) {
      total += n;
      if (n > top) {
        top = n;
        best = c;
      }
    }
    if (3 * top >= 2 * total) glyph_char[id] = best;
  }
  std::vector<std::string> out;
  for (size_t l = 0; l < text.size(); ++l) {
    std::string line;
    for (int k = 0; k < width; ++k) {
      auto it = glyph_char.find(glyph_ids[l][k]);
      bool take = it != glyph_char.end() && classes[l][k] == CharClass::kAlnum;
      line += take ? it->second : text[l][k];
    }
    out.push_back(line);
  }
  return out;
}

}  // namespace smartocr::extract
