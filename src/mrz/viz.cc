// src/mrz/viz.cc
//
// The VIZ's names as a second witness for the MRZ name line (see internal/viz.h).
#include "mrz/internal/viz.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"
#include "mrz/tunables.h"

namespace smartocr::mrz::internal {
namespace {

// The base letter of a Latin letter with a diacritic (U+00C0..U+017F, upper and lower
// case alike), 0 for none ('_': ligatures such as Æ and Œ, signs such as ×).
char FoldLatin(char32_t c) {
  static constexpr std::string_view kLatin1 =
      "AAAAAA_CEEEEIIIIDNOOOOO_OUUUUY__"
      "AAAAAA_CEEEEIIIIDNOOOOO_OUUUUY_Y";
  static constexpr std::string_view kExtendedA =
      "AAAAAACCCCCCCCDDDDEEEEEEEEEEGGGGGGGGHHHHIIIIIIIIII__JJKK_LLLLLLL"
      "LLLNNNNNNNNNOOOOOO__RRRRRRSSSSSSSSTTTTTTUUUUUUUUUUUUWWYYYZZZZZZS";
  static_assert(kLatin1.size() == 0x40 && kExtendedA.size() == 0x80);
  char base = 0;
  if (c >= 0xC0 && c <= 0xFF) base = kLatin1[c - 0xC0];
  if (c >= 0x100 && c <= 0x17F) base = kExtendedA[c - 0x100];
  return base == '_' ? 0 : base;
}

}  // namespace

std::vector<std::string> VizLetterRuns(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (const char32_t c : core::DecodeUtf8(text)) {
    char letter = 0;
    if (c >= 'A' && c <= 'Z') letter = static_cast<char>(c);
    if (c >= 'a' && c <= 'z') letter = static_cast<char>(c - 'a' + 'A');
    if (c >= 0xC0) letter = FoldLatin(c);
    if (letter != 0) {
      word += letter;
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

std::vector<std::string> VizWords(const core::PageResult& page,
                                  bool (*skip)(const std::string& line_text)) {
  std::vector<std::string> out;
  for (const core::Block& block : page.blocks) {
    for (const core::Line& line : block.lines) {
      if (skip != nullptr && skip(line.Text())) continue;
      for (const core::Word& w : line.words) {
        // Handwriting (the signature) and smudges read as words come out unsure.
        if (w.confidence < config::kVizMinConfidence) continue;
        for (std::string& run : VizLetterRuns(w.text)) {
          if (run.size() >= config::kVizMinWord) out.push_back(std::move(run));
        }
      }
    }
  }
  return out;
}

std::string ConfirmNamesByViz(const std::string& name_line, size_t field_start,
                              const std::vector<bool>& unsure,
                              const std::vector<std::string>& viz_words) {
  if (unsure.size() != name_line.size()) return name_line;
  // What each VIZ name would write at each position; a position two names would write
  // differently is not written.
  std::map<size_t, char> writes;
  std::map<size_t, bool> contested;
  // Positions of a name the VIZ prints exactly as read: confirmed, not to be rewritten.
  std::vector<bool> pinned(name_line.size(), false);
  for (const std::string& word : viz_words) {
    const size_t n = word.size();
    const size_t allowed =
        n >= config::kVizLongWord ? config::kVizLongWordMaxDiffs : config::kVizMaxDiffs;
    for (size_t s = field_start; s + n <= name_line.size(); ++s) {
      if (s > field_start && name_line[s - 1] != '<') continue;
      if (s + n < name_line.size() && name_line[s + n] != '<') continue;
      std::vector<size_t> differs;
      bool ok = true;
      for (size_t k = 0; k < n && ok; ++k) {
        const char read = name_line[s + k];
        if (read == word[k]) continue;
        differs.push_back(s + k);
        ok = differs.size() <= allowed && (unsure[s + k] || read == '<');
      }
      // The window must hold mostly letters as read: a run of fillers is no name.
      size_t letters = 0;
      for (size_t k = 0; k < n; ++k) letters += name_line[s + k] != '<' ? 1 : 0;
      if (ok && differs.empty()) {
        for (size_t k = 0; k < n; ++k) pinned[s + k] = true;
      }
      if (!ok || differs.empty() || 2 * letters <= n) continue;
      for (size_t p : differs) {
        const char c = word[p - s];
        auto [it, fresh] = writes.emplace(p, c);
        if (!fresh && it->second != c) contested[p] = true;
      }
    }
  }
  std::string out = name_line;
  for (const auto& [p, c] : writes) {
    if (!contested.count(p) && !pinned[p]) out[p] = c;
  }
  return out;
}

}  // namespace smartocr::mrz::internal
