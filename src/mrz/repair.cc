// src/mrz/repair.cc
//
// OCR confusion repair for MRZ text. OCR-B glyphs that look alike (O/0, I/1, S/5, B/8,
// ...) are fixed in two ways:
//   1. by position class: a date or check digit position holds a digit, a name or
//      country position a letter, so there the reading is decided without search;
//   2. by check digits: document numbers and optional data may hold both letters and
//      digits, so the alternatives are tried (few changes first) and a variant is kept
//      only when it makes the covering check digits pass.
// A filler read as 'K' is not among the alternatives: 'K' (value 20) and '<' (0) give
// the same check digits with any weight, so only its position can tell (FindMrzLines).
#include "mrz/internal/repair.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/text.h"
#include "mrz/tunables.h"

namespace smartocr::mrz::internal {
namespace {

using core::IsDigit;
using core::IsUpper;

struct Pos {
  int line;
  int col;
};
struct Change {
  Pos pos;
  std::string glyph;
};
using Variant = std::vector<Change>;

// Applies `v` to `text`, returning what it replaced (to undo).
Variant Apply(MrzText& text, const Variant& v) {
  Variant undo;
  for (const Change& c : v) {
    undo.push_back({c.pos, text[c.pos.line][c.pos.col]});
    text[c.pos.line][c.pos.col] = c.glyph;
  }
  return undo;
}

// Variants over `positions` with at most `max_changes` changes, fewest changes first,
// for which `keep(text)` holds. The empty variant comes first when it qualifies.
std::vector<Variant> SearchVariants(MrzText& text, const std::vector<Pos>& positions,
                                    int max_changes,
                                    const std::function<bool(const MrzText&)>& keep) {
  std::vector<std::pair<Pos, std::vector<std::string>>> options;
  for (const Pos& p : positions) {
    auto alts = Alternatives(text[p.line][p.col]);
    if (!alts.empty()) options.push_back({p, alts});
  }
  std::vector<Variant> found;
  int visits = 0;
  Variant current;
  // Depth-first over choices with exactly `target` changes.
  std::function<void(size_t, int)> walk = [&](size_t from, int left) {
    if (visits >= config::kRepairMaxVisits || found.size() >= config::kRepairMaxVariantsPerField) {
      return;
    }
    if (left == 0) {
      ++visits;
      Variant undo = Apply(text, current);
      if (keep(text)) found.push_back(current);
      Apply(text, undo);
      return;
    }
    for (size_t i = from; i < options.size(); ++i) {
      for (const std::string& alt : options[i].second) {
        current.push_back({options[i].first, alt});
        walk(i + 1, left - 1);
        current.pop_back();
      }
    }
  };
  for (int target = 0; target <= max_changes; ++target) walk(0, target);
  return found;
}

// How well the changed characters fit their neighbours on the line, per change: a
// filler fits next to a filler (fillers run to the end of a field); a digit or letter
// scores the share of its letter/digit neighbours of the same kind.
enum class Kind { kOther, kDigit, kLetter, kFiller };

Kind KindOf(const std::string& g) {
  if (g == "<") return Kind::kFiller;
  if (g.size() != 1) return Kind::kOther;
  return IsDigit(g[0]) ? Kind::kDigit : Kind::kLetter;
}

double NeighbourFit(const MrzText& text, const Variant& v) {
  double fit = 0;
  for (const Change& c : v) {
    const auto& line = text[c.pos.line];
    Kind k = KindOf(c.glyph);
    int same = 0, seen = 0;
    bool filler_beside = false;
    for (int n : {c.pos.col - 1, c.pos.col + 1}) {
      if (n < 0 || n >= static_cast<int>(line.size())) continue;
      Kind nk = KindOf(line[n]);
      filler_beside = filler_beside || nk == Kind::kFiller;
      if (nk == Kind::kDigit || nk == Kind::kLetter) {
        ++seen;
        same += nk == k ? 1 : 0;
      }
    }
    if (k == Kind::kFiller) {
      fit += filler_beside ? 1 : 0;
    } else {
      fit += seen == 0 ? config::kNeighbourFitAlone : static_cast<double>(same) / seen;
    }
  }
  return fit;
}

std::vector<Pos> AlnumPositions(const std::vector<Span>& spans,
                                const std::vector<std::vector<CharClass>>& classes) {
  std::vector<Pos> out;
  for (const Span& s : spans) {
    for (int k = s.start; k < s.start + s.len; ++k) {
      if (classes[s.line][k] == CharClass::kAlnum) out.push_back({s.line, k});
    }
  }
  return out;
}

bool HasAsciiLetter(const MrzText& text, const Span& s) {
  for (int k = s.start; k < s.start + s.len; ++k) {
    const std::string& g = text[s.line][k];
    if (g.size() == 1 && IsUpper(g[0])) return true;
  }
  return false;
}

void RepairByClass(const MrzLayout& layout, MrzText& text) {
  auto classes = ClassesOf(layout);
  // Country and document codes: digits become letters only next to letters, so a
  // code printed in digits (some specimens print nationality "132") is left alone.
  std::set<std::pair<int, int>> numeric_codes;
  for (const Span* s : {&layout.doc_type, &layout.issuing, &layout.nationality}) {
    if (!HasAsciiLetter(text, *s)) {
      for (int k = s->start; k < s->start + s->len; ++k) numeric_codes.insert({s->line, k});
    }
  }
  for (int l = 0; l < layout.line_count; ++l) {
    for (int k = 0; k < layout.width; ++k) {
      std::string& g = text[l][k];
      CharClass c = classes[l][k];
      if ((c == CharClass::kDigit || c == CharClass::kCheck) && g.size() == 1 && IsUpper(g[0])) {
        std::string d = LetterToDigit(g);
        if (!d.empty()) g.assign(1, d[0]);
      } else if ((c == CharClass::kName || c == CharClass::kAlpha) && g.size() == 1 &&
                 IsDigit(g[0]) && !numeric_codes.count({l, k})) {
        std::string a = DigitToLetter(g);
        if (!a.empty()) g.assign(1, a[0]);
      } else if (c == CharClass::kSex && g == "H") {
        g.assign(1, 'M');
      }
    }
  }
  RepairDocumentCode(layout, text);
  RepairCountryCode(layout.issuing, text);
  RepairCountryCode(layout.nationality, text);
}

// 'O' and '0' look alike in OCR-B, and several of them can pass a check digit either
// way (their weights cancel). Where a field's check passes with a digit for every 'O'
// among its characters, and the composite does not get worse, the digits win: document
// numbers are mostly digits.
void PreferZeroOverO(const std::vector<CheckDef>& checks,
                     const std::vector<std::vector<CharClass>>& classes, MrzText& text) {
  auto composite = std::find_if(checks.begin(), checks.end(),
                                [](const CheckDef& c) { return c.name == "composite"; });
  for (const CheckDef& check : checks) {
    if (check.name == "composite") continue;
    Variant zeros;
    for (const Pos& p : AlnumPositions(check.covers, classes)) {
      if (text[p.line][p.col] == "O") zeros.push_back({p, "0"});
    }
    if (zeros.empty()) continue;
    bool passed = CheckPasses(text, check);
    bool composite_passed = composite != checks.end() && CheckPasses(text, *composite);
    Variant undo = Apply(text, zeros);
    bool keep = CheckPasses(text, check) && (!composite_passed || CheckPasses(text, *composite));
    if (!keep || (!passed && zeros.size() > config::kZeroOverOMaxUnbacked)) Apply(text, undo);
  }
}

void RepairByChecks(const MrzLayout& layout, int max_changes, int max_total, MrzText& text);

bool AllChecksPass(const MrzLayout& layout, const MrzText& text) {
  for (const CheckDef& check : ChecksOf(layout, text)) {
    if (!CheckPasses(text, check)) return false;
  }
  return true;
}

// A TD3 personal number is mostly blank: fillers, then its check digit ('0' or '<')
// and the composite. A long run of small fillers reads as junk ('4', '6', 'C') and,
// with a filler dropped or added, pushes the two check digits off the line's end, so
// no repair of single characters can mend it. A field that reads as mostly fillers is
// tried blank, with the line's last digit as the composite (and the field's check as
// a blank field has it); kept only when every check of the MRZ then passes, the
// composite (which covers nearly the whole line) included.
void RepairBlankPersonalNumber(const MrzLayout& layout, int max_changes, int max_total,
                               MrzText& text) {
  const Span& field = layout.optional1;
  if (layout.optional1_check.len != 1 || layout.composite.len != 1 ||
      layout.optional1_check.line != field.line || layout.composite.line != field.line) {
    return;
  }
  const std::vector<std::string>& line = text[field.line];
  int fillers = 0;
  for (int k = field.start; k < field.start + field.len; ++k) {
    fillers += line[k] == "<" || line[k] == "C" || line[k] == "K" ? 1 : 0;
  }
  if (2 * fillers < field.len) return;  // a real personal number
  // The last two characters before any trailing fillers: composite, and before it
  // the field's check.
  int end = static_cast<int>(line.size());
  while (end > field.start && line[end - 1] == "<") --end;
  if (end - field.start < 2) return;
  const std::string composite = line[end - 1];
  auto digit = [](const std::string& g) { return g.size() == 1 && IsDigit(g[0]); };
  if (!digit(composite) || !(digit(line[end - 2]) || line[end - 2] == "<")) return;
  // A blank field's check is fixed: its value is 0, printed '0' or '<'.
  const std::string check = line[end - 2] == "<" ? "<" : "0";
  MrzText blank = text;
  for (int k = field.start; k < field.start + field.len; ++k) blank[field.line][k].assign(1, '<');
  blank[field.line][layout.optional1_check.start] = check;
  blank[field.line][layout.composite.start] = composite;
  if (blank == text) return;
  RepairByChecks(layout, max_changes, max_total, blank);
  if (AllChecksPass(layout, blank)) text = std::move(blank);
}

using CompositeIt = std::vector<CheckDef>::const_iterator;

// Candidate variants per field. A field whose own check passes is left as read; a
// failing one offers every variant that makes its own check pass. Empty when nothing
// fails, or when a failing field has no such variant (it cannot be repaired).
std::vector<std::vector<Variant>> FieldVariants(const MrzLayout& layout,
                                                const std::vector<CheckDef>& checks,
                                                CompositeIt composite, int max_changes,
                                                MrzText& text) {
  auto classes = ClassesOf(layout);
  std::vector<std::vector<Variant>> field_variants;
  std::vector<bool> covered(static_cast<size_t>(layout.line_count) * layout.width, false);
  bool any_failed = false;
  for (const CheckDef& check : checks) {
    if (check.name == "composite") continue;
    std::vector<Pos> positions = AlnumPositions(check.covers, classes);
    for (const Pos& p : positions) covered[p.line * layout.width + p.col] = true;
    if (positions.empty() || CheckPasses(text, check)) continue;
    any_failed = true;
    auto passes = [&check](const MrzText& t) { return CheckPasses(t, check); };
    field_variants.push_back(SearchVariants(text, positions, max_changes, passes));
    if (field_variants.back().empty()) return {};  // this field cannot be repaired
  }
  if (composite != checks.end()) {
    if (!CheckPasses(text, *composite)) any_failed = true;
    // Data only the composite covers (TD1/TD2 optional data): few changes at most.
    std::vector<Pos> loose;
    for (const Pos& p : AlnumPositions(composite->covers, classes)) {
      if (!covered[p.line * layout.width + p.col]) loose.push_back(p);
    }
    if (!loose.empty() && any_failed) {
      field_variants.push_back(SearchVariants(text, loose, config::kRepairLooseMaxChanges,
                                              [](const MrzText&) { return true; }));
    }
  }
  if (!any_failed) return {};
  return field_variants;
}

// Combines one variant per field: every check must pass and the fewest changes win.
// Among those, a reading that fits its neighbours (a digit among digits, a letter
// among letters) wins; a remaining tie means the check digits cannot tell the
// readings apart, so the text stays as read (and reports its failing checks).
void CombineVariants(const std::vector<std::vector<Variant>>& field_variants,
                     const std::vector<CheckDef>& checks, CompositeIt composite, int max_total,
                     MrzText& text) {
  Variant best;
  size_t best_size = SIZE_MAX;
  double best_fit = -1;
  int ties = 0;
  int visits = 0;
  Variant current;
  std::function<void(size_t)> walk = [&](size_t field) {
    if (visits >= config::kRepairMaxVisits || current.size() > best_size ||
        current.size() > static_cast<size_t>(std::max(0, max_total))) {
      return;
    }
    if (field == field_variants.size()) {
      ++visits;
      Variant undo = Apply(text, current);
      bool ok = composite == checks.end() || CheckPasses(text, *composite);
      double fit = ok ? NeighbourFit(text, current) : 0;
      Apply(text, undo);
      if (!ok) return;
      if (current.size() < best_size || fit > best_fit + config::kNeighbourFitTie) {
        best = current;
        best_size = current.size();
        best_fit = fit;
        ties = 0;
      } else if (fit > best_fit - config::kNeighbourFitTie) {
        ++ties;
      }
      return;
    }
    for (const Variant& v : field_variants[field]) {
      size_t mark = current.size();
      current.insert(current.end(), v.begin(), v.end());
      walk(field + 1);
      current.resize(mark);
    }
  };
  walk(0);
  if (best_size != SIZE_MAX && ties == 0) Apply(text, best);
}

void RepairByChecks(const MrzLayout& layout, int max_changes, int max_total, MrzText& text) {
  RepairByClass(layout, text);
  std::vector<CheckDef> checks = ChecksOf(layout, text);
  CompositeIt composite = std::find_if(checks.cbegin(), checks.cend(),
                                       [](const CheckDef& c) { return c.name == "composite"; });
  std::vector<std::vector<Variant>> field_variants =
      FieldVariants(layout, checks, composite, max_changes, text);
  if (field_variants.empty()) return;
  CombineVariants(field_variants, checks, composite, max_total, text);
}

}  // namespace

void RepairMrz(const MrzLayout& layout, int max_changes, int max_total, MrzText& text) {
  RepairByChecks(layout, max_changes, max_total, text);
  if (!AllChecksPass(layout, text)) {
    RepairBlankPersonalNumber(layout, max_changes, max_total, text);
  }
  PreferZeroOverO(ChecksOf(layout, text), ClassesOf(layout), text);
}

}  // namespace smartocr::mrz::internal
