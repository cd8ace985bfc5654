// src/mrz/find.cc
//
// Finding the MRZ block in OCR text lines. OCR of an MRZ typically inserts spaces,
// reads '<<' as '«' and fillers as 'K', and drops or adds a filler at the line end;
// we undo those and keep the lines whose shape fits an MRZ.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "mrz/internal/layout.h"
#include "mrz/internal/repair.h"
#include "mrz/mrz.h"
#include "mrz/tunables.h"

namespace smartocr::mrz {
namespace {

using core::IsDigit;
using core::IsUpper;

std::string NormalizeLine(std::string_view line) {
  std::string s = core::RemoveSpaces(line);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 2, "\xC2\xAB") == 0) {  // '«'
      out += "<<";
      ++i;
    } else if (s.compare(i, 3, "\xE2\x80\xB9") == 0) {  // '‹'
      out += '<';
      i += 2;
    } else {
      out += s[i];
    }
  }
  // MRZ lines hold letters, digits and '<' only: marks at either end are noise
  // ("&VIUSA...", "-555123...").
  size_t b = 0, e = out.size();
  auto noise = [](char c) { return std::ispunct(static_cast<unsigned char>(c)) && c != '<'; };
  while (b < e && noise(out[b])) ++b;
  while (e > b && noise(out[e - 1])) --e;
  return core::AsciiUpper(core::Trim(out.substr(b, e - b)));
}

bool IsMrzChar(char c) { return IsDigit(c) || IsUpper(c) || c == '<'; }

// The MRZ width the line fits, or 0.
int FitWidth(const std::string& line) {
  int len = static_cast<int>(core::SplitGlyphs(line).size());
  int mrz_chars = 0, fillers = 0, digits = 0;
  for (char c : line) {
    mrz_chars += IsMrzChar(c) ? 1 : 0;
    fillers += c == '<' ? 1 : 0;
    digits += IsDigit(c) ? 1 : 0;
  }
  if (len == 0 || mrz_chars < config::kFindMinMrzCharShare * len) return 0;
  // Ordinary text has neither fillers nor long digit runs.
  if (fillers == 0 && digits < config::kFindMinDigitsWithoutFillers) return 0;
  for (int w : internal::kWidths) {
    if (len >= w - config::kWidthSlack && len <= w + config::kWidthSlack) return w;
  }
  return 0;
}

// Letters that OCR makes of the '<' filler: 'K' mostly, and 'C', 'E', 'L', 'G' in
// long runs.
bool IsFillerMisread(char c) { return c == 'K' || c == 'C' || c == 'E' || c == 'L' || c == 'G'; }

// Inner runs of '<'/'K' before `end` that are mostly '<' become fillers
// (`to_fillers`).
template <typename ToFillers>
void FixInnerRuns(const std::string& line, size_t end, ToFillers to_fillers) {
  size_t i = 0;
  while (i < end) {
    if (line[i] != '<' && line[i] != 'K') {
      ++i;
      continue;
    }
    size_t j = i;
    int fillers = 0;
    while (j < end && (line[j] == '<' || line[j] == 'K')) fillers += line[j++] == '<';
    int run = static_cast<int>(j - i);
    if (run >= config::kFindInnerRunMin && fillers >= config::kFindInnerRunMinFillers &&
        2 * fillers > run) {
      to_fillers(i, j);
    }
    i = j;
  }
}

// Misread fillers: a trailing run of '<' and filler misreads at the line end with at
// least two '<' (the run may stop one digit short of the end: a check digit), or an inner run of
// four or more '<'/'K' with mostly '<'. The check digits cannot help ('K' and '<' weigh the same
// modulo 10), so on a name line the letters at the start of a run stay: they end a name (NOVAK,
// ERIK, MICHELLE); the fillers begin at the run's first '<'. In data fields a leading 'K' goes too.
std::string FixFillerKs(std::string line, bool name_line) {
  // A 'K' that ends a country code (DNK, SVK) after two letters is data.
  auto ends_code = [&](size_t k) {
    return k >= 2 && IsUpper(line[k - 2]) && IsUpper(line[k - 1]) &&
           internal::IsMrzCountryCode(std::string_view(line).substr(k - 2, 3));
  };
  auto to_fillers = [&](size_t i, size_t j) {
    // In data fields a 'K' before fillers is a misread filler far more often than data.
    size_t from = i;
    while (from < j && line[from] != '<' && (name_line || line[from] != 'K' || ends_code(from))) {
      ++from;
    }
    for (size_t k = from; k < j; ++k) line[k] = '<';
  };
  // The trailing run.
  size_t end = line.size();
  // A final check digit (or, on a name line, a digit that cannot belong there).
  if (end > 0 && IsDigit(line[end - 1])) --end;
  size_t begin = end;
  int tail_fillers = 0;
  while (begin > 0 && (line[begin - 1] == '<' || IsFillerMisread(line[begin - 1]))) {
    tail_fillers += line[--begin] == '<';
  }
  // Mostly fillers, or a long block of misreads ("<<<<CCCCCCCCE"): a name part made of
  // such letters ("BROUK<KLEE<<") is neither.
  int block = 0, longest_block = 0;
  for (size_t k = begin; k < end; ++k) {
    block = line[k] == '<' ? 0 : block + 1;
    longest_block = std::max(longest_block, block);
  }
  const bool run_like = 2 * tail_fillers > static_cast<int>(end - begin) ||
                        longest_block >= config::kFindTailMisreadBlock;
  if (tail_fillers >= config::kFindTailMinFillers && run_like &&
      (end == line.size() || tail_fillers >= config::kFindTailMinFillersBeforeDigit)) {
    to_fillers(begin, end);
    // Names hold no digits: one after the name line's fillers is a misread filler.
    if (name_line && end < line.size()) line[end] = '<';
  }
  FixInnerRuns(line, begin, to_fillers);
  return line;
}

// Pads with '<' or cuts at the end to exactly `width` characters.
std::string FitTo(const std::string& line, int width) {
  std::vector<std::string> glyphs = core::SplitGlyphs(line);
  glyphs.resize(width, "<");
  std::string out;
  for (const std::string& g : glyphs) out += g;
  return out;
}

}  // namespace

std::vector<std::string> FindMrzLines(const std::vector<std::string>& lines) {
  struct Candidate {
    std::string text;
    int width;
  };
  // Non-blank lines in order, with their fitted width (0 = not MRZ-like).
  std::vector<Candidate> rows;
  for (const std::string& raw : lines) {
    std::string line = NormalizeLine(raw);
    if (line.empty()) continue;
    rows.push_back({line, FitWidth(line)});
  }
  // The last block wins: the MRZ is printed at the bottom of the page.
  std::vector<std::string> best;
  for (size_t i = 0; i < rows.size(); ++i) {
    int w = rows[i].width;
    if (w == 0) continue;
    size_t need = internal::LineCountOf(w);
    if (i + need > rows.size()) continue;
    bool fits = true;
    for (size_t k = i; k < i + need; ++k) fits = fits && rows[k].width == w;
    if (!fits) continue;
    std::vector<std::string> block;
    for (size_t k = i; k < i + need; ++k) {
      // Names: TD1 line 3, TD2/TD3/visa line 1.
      bool name_line = k == i + internal::NameLineOf(need);
      block.push_back(FitTo(FixFillerKs(rows[k].text, name_line), w));
    }
    best = block;
    i += need - 1;
  }
  return best;
}

}  // namespace smartocr::mrz
