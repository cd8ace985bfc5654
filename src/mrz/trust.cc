// src/mrz/trust.cc
//
// What each MRZ field's value rests on (see "Trust" in mrz.h). Check digits confirm the
// number, the dates and the optional data; the ICAO code list the issuing state and
// nationality; the layout's syntax the document code and the sex; the VIZ the names.
// Anything else is only read, and a reading alone is never "valid".
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "mrz/internal/layout.h"
#include "mrz/internal/repair.h"
#include "mrz/internal/viz.h"
#include "mrz/mrz.h"
#include "mrz/tunables.h"

namespace smartocr::mrz {
namespace {

using internal::CheckDef;
using internal::MrzLayout;
using internal::MrzText;
using internal::Span;

// What confirms or refutes one field, before confidences are combined.
struct Verdict {
  MrzTrust status = MrzTrust::kChecksPassUnconfirmed;
  double evidence = 0;  // the confirmation's confidence when valid
  std::string detail;
};

Verdict Confirmed(double evidence, std::string detail) {
  return {MrzTrust::kValid, evidence, std::move(detail)};
}
Verdict Unconfirmed(std::string detail) {
  return {MrzTrust::kChecksPassUnconfirmed, 0, std::move(detail)};
}
Verdict Refuted(std::string detail) { return {MrzTrust::kInvalid, 0, std::move(detail)}; }

bool Contains(const Span& s, int line, int column) {
  return s.len > 0 && s.line == line && column >= s.start && column < s.start + s.len;
}

bool Overlaps(const Span& a, const Span& b) {
  return a.len > 0 && b.len > 0 && a.line == b.line && a.start < b.start + b.len &&
         b.start < a.start + a.len;
}

std::string TextOf(const MrzText& text, const Span& s) {
  std::string out;
  for (int k = s.start; k < s.start + s.len; ++k) out += text[s.line][k];
  return out;
}

// A name part must have this many letters for the VIZ to confirm it, and a part cut
// short at the line's end this many to match the start of a VIZ word.
constexpr size_t kMinNameLetters = 2;
constexpr size_t kMinCutNameLetters = 3;

// Digit/letter pairs ten apart in check value that OCR confuses beyond
// internal::Alternatives: 'S'/'8' and 'U'/'0' by shape, 'C'/'2' as Tesseract read a
// clean synthetic specimen ("RC20X..." as "R220X...", both checks passing).
constexpr std::string_view kCheckBlindPairs[] = {"8S", "0U", "2C"};

bool AllFillers(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '<'; });
}

// Everything one assessment needs, computed once.
class Assessor {
 public:
  Assessor(const MrzFields& fields, const MrzLayout& layout, MrzText text,
           const MrzEvidence& evidence)
      : fields_(fields), layout_(layout), text_(std::move(text)), evidence_(evidence) {
    checks_ = internal::ChecksOf(layout_, text_);
    classes_ = internal::ClassesOf(layout_);
    for (const std::string& t : evidence_.viz_text) {
      viz_lines_.push_back(internal::VizLetterRuns(t));
      viz_.insert(viz_lines_.back().begin(), viz_lines_.back().end());
    }
  }

  std::vector<MrzFieldTrust> Run() {
    std::vector<Pending> fields = Verdicts();
    DistrustShiftedLines(fields);
    std::vector<MrzFieldTrust> out;
    for (Pending& p : fields) Add(out, p.name, p.spans, std::move(p.verdict));
    out.push_back(Whole(out));
    return out;
  }

 private:
  struct Pending {
    const char* name;
    std::vector<Span> spans;
    Verdict verdict;
    bool uncovered;  // no check digit covers it
  };

  // Each field's verdict on its own evidence.
  std::vector<Pending> Verdicts() const {
    std::vector<Pending> fields;
    fields.push_back({"document_type", {layout_.doc_type}, DocumentCode(), true});
    fields.push_back({"issuing_country", {layout_.issuing}, CountryCode(layout_.issuing), true});
    // The name field is read as one: a character lost or added in it moves the
    // separator and every name after it, so one unconfirmed name unconfirms both.
    Verdict surname = Names(fields_.surname, fields_.given_names.empty());
    Verdict given = fields_.given_names.empty() ? surname : Names(fields_.given_names, true);
    if (surname.status != MrzTrust::kValid && given.status == MrzTrust::kValid) given = surname;
    if (given.status != MrzTrust::kValid && surname.status == MrzTrust::kValid) surname = given;
    fields.push_back({"surname", {layout_.name}, surname, false});
    if (!fields_.given_names.empty()) {
      fields.push_back({"given_names", {layout_.name}, given, false});
    }
    const std::vector<Span> number = {layout_.number, layout_.number_check};
    fields.push_back({"document_number", number, ByChecks(number, true), false});
    fields.push_back(
        {"nationality", {layout_.nationality}, CountryCode(layout_.nationality), true});
    const std::vector<Span> birth = {layout_.birth, layout_.birth_check};
    fields.push_back(
        {"birth_date", birth, Dated(fields_.birth_date, ByChecks(birth, true)), false});
    fields.push_back({"sex", {layout_.sex}, Sex(), true});
    const std::vector<Span> expiry = {layout_.expiry, layout_.expiry_check};
    fields.push_back(
        {"expiry_date", expiry, Dated(fields_.expiry_date, ByChecks(expiry, true)), false});
    if (layout_.optional1.len > 0) {
      const std::vector<Span> optional = {layout_.optional1, layout_.optional1_check};
      fields.push_back({"personal_number", optional, ByChecks(optional, false), false});
    }
    if (layout_.optional2.len > 0) {
      fields.push_back(
          {"optional_data_2", {layout_.optional2}, ByChecks({layout_.optional2}, false), false});
    }
    return fields;
  }

  // A lost or added character shifts a line, and its checks may still pass by chance
  // (two slips in a TD1's first line did). So:
  //  - on a line holding a refuted value, nothing is trusted;
  //  - what only syntax, the code list or a VIZ letter backs (uncovered fields) counts
  //    only in a zone that fails nothing and on a line whose number, dates or names
  //    are confirmed ("I<ESTP616..." read "I<STPP66...": STP is a code too).
  void DistrustShiftedLines(std::vector<Pending>& fields) const {
    const bool doubtful = !fields_.all_checks_valid ||
                          std::any_of(fields.begin(), fields.end(), [](const Pending& p) {
                            return p.verdict.status == MrzTrust::kInvalid;
                          });
    std::set<int> refuted_lines;
    std::map<int, bool> line_confirmed;
    for (const Pending& p : fields) {
      const std::string_view n = p.name;
      const bool witness = n == "document_number" || n == "birth_date" || n == "expiry_date" ||
                           n == "surname" || n == "given_names";
      for (const Span& s : p.spans) {
        if (s.len == 0) continue;
        if (p.verdict.status == MrzTrust::kInvalid) refuted_lines.insert(s.line);
        if (!witness) continue;
        auto [it, fresh] = line_confirmed.emplace(s.line, true);
        it->second = it->second && p.verdict.status == MrzTrust::kValid;
      }
    }
    for (Pending& p : fields) {
      if (p.verdict.status != MrzTrust::kValid) continue;
      bool confirmed_line = true, refuted_line = false;
      for (const Span& s : p.spans) {
        if (s.len == 0) continue;
        auto it = line_confirmed.find(s.line);
        confirmed_line = confirmed_line && it != line_confirmed.end() && it->second;
        refuted_line = refuted_line || refuted_lines.count(s.line) > 0;
      }
      if (refuted_line || (p.uncovered && doubtful)) {
        p.verdict = Unconfirmed(
            "the zone fails a check or holds an invalid value, so it may be misread or shifted");
      } else if (p.uncovered && !confirmed_line) {
        p.verdict = Unconfirmed(
            "nothing else on its line is confirmed, so the line may be misread or shifted");
      }
    }
  }

  // The recognition confidence of the lines `spans` lie on: their minimum.
  double Recognized(const std::vector<Span>& spans) const {
    double c = 1;
    for (const Span& s : spans) {
      if (s.len == 0) continue;
      const auto line = static_cast<size_t>(s.line);
      c = std::min(c,
                   line < evidence_.line_confidence.size() ? evidence_.line_confidence[line] : 0.0);
    }
    return std::clamp(c, 0.0, 1.0);
  }

  void Add(std::vector<MrzFieldTrust>& out, const char* name, const std::vector<Span>& spans,
           Verdict v) const {
    MrzFieldTrust t{name, v.status, 0, std::move(v.detail)};
    const double read = Recognized(spans);
    if (v.status == MrzTrust::kValid) {
      t.confidence = std::max(read, v.evidence);
    } else if (v.status == MrzTrust::kChecksPassUnconfirmed) {
      t.confidence = std::min(read, config::kMaxUnconfirmedConfidence);
    }
    if (t.status == MrzTrust::kValid && t.confidence < config::kMinValidConfidence) {
      t.status = MrzTrust::kChecksPassUnconfirmed;
      t.confidence = std::min(t.confidence, config::kMaxUnconfirmedConfidence);
    }
    out.push_back(std::move(t));
  }

  // Repairs ParseMrz made inside `spans`; `guided_only`: those a check digit chose.
  int RepairsIn(const std::vector<Span>& spans, bool guided_only) const {
    int n = 0;
    for (const MrzRepair& r : fields_.repairs) {
      if (guided_only && !r.check_guided) continue;
      n += std::any_of(spans.begin(), spans.end(),
                       [&](const Span& s) { return Contains(s, r.line, r.column); })
               ? 1
               : 0;
    }
    return n;
  }

  // A field the check digits cover (its own, the composite). `needs_check`: a field no
  // check covers cannot be confirmed unless it holds fillers only.
  Verdict ByChecks(const std::vector<Span>& spans, bool needs_check) const {
    std::vector<std::string> failed;
    int passing = 0;
    bool filler_digit = false;
    for (const CheckDef& def : checks_) {
      const bool own = std::any_of(spans.begin(), spans.end(),
                                   [&](const Span& s) { return Overlaps(s, def.digit); });
      bool covers = own || std::any_of(spans.begin(), spans.end(), [&](const Span& s) {
                      return std::any_of(def.covers.begin(), def.covers.end(),
                                         [&](const Span& c) { return Overlaps(s, c); });
                    });
      if (!covers) continue;
      // A date's or number's check digit read as '<' passes whenever the digit is 0.
      filler_digit =
          filler_digit || (own && def.name != "personal_number" && def.name != "composite" &&
                           text_[def.digit.line][def.digit.start] == "<");
      if (internal::CheckPasses(text_, def)) {
        ++passing;
      } else {
        failed.push_back(def.name);
      }
    }
    if (!failed.empty()) {
      std::string names;
      for (const std::string& f : failed) names += (names.empty() ? "" : ", ") + f;
      return Refuted("check digit failed: " + names);
    }
    if (filler_digit) return Unconfirmed("its check digit reads as a filler");
    if (passing == 0) {
      std::string value;
      for (const Span& s : spans) value += TextOf(text_, s);
      if (!needs_check && AllFillers(value)) return Confirmed(config::kSyntaxConfidence, "empty");
      return Unconfirmed("no check digit covers it");
    }
    if (int guided = RepairsIn(spans, /*guided_only=*/true); guided > 0) {
      return Unconfirmed("the check digit chose " + std::to_string(guided) +
                         " character(s), so it no longer confirms them");
    }
    // The VIZ cannot settle these: its OCR makes the same confusion (on the synthetic
    // set, a blurred 'G' read as '6' in both zones).
    if (std::string blind = CheckBlind(spans); !blind.empty()) {
      return Unconfirmed("the check digits cannot tell " + blind);
    }
    if (passing < 2) return Unconfirmed("only one check digit covers it");
    return Confirmed(config::kTwoChecksConfidence, "check digit and composite ok");
  }

  // A character of an alphanumeric field the check digits cannot tell from its OCR
  // look-alike: weights 7, 3, 1 see values ten apart as equal, so 'G'/'6', 'L'/'1' and
  // 'K'/'<' (the filler OCR most often turns into a letter and back: a 'K' before
  // fillers, a filler before the value's end) pass the same checks. Only where the look-alike would
  // fit as well: next to a character of its kind (letter or digit), or at the value's start or end,
  // where prefixes and suffixes change kind ("L898902C3"); a '6' among digits is no 'G'. Returns
  // "'G' from '6'", or "" when there is none.
  std::string CheckBlind(const std::vector<Span>& spans) const {
    auto kind = [](const std::string& x) {
      if (x.size() != 1 || x == "<") return 0;  // an edge or a filler: any kind fits
      return core::IsDigit(x[0]) ? 1 : 2;
    };
    for (const Span& s : spans) {
      const std::vector<std::string>& line = text_[s.line];
      for (int k = s.start; k < s.start + s.len; ++k) {
        if (classes_[s.line][k] != internal::CharClass::kAlnum) continue;
        const std::string& g = line[k];
        const std::string before = k > s.start ? line[k - 1] : "";
        const std::string after = k + 1 < s.start + s.len ? line[k + 1] : "";
        std::vector<std::string> alike = internal::Alternatives(g);
        for (std::string_view pair : kCheckBlindPairs) {
          if (g.size() == 1 && pair.find(g[0]) != std::string_view::npos) {
            alike.emplace_back(1, pair[0] == g[0] ? pair[1] : pair[0]);
          }
        }
        if (g == "K" && (after.empty() || after == "<")) alike.emplace_back("<");
        // Values are left-aligned: a filler before a letter or digit may be a 'K'.
        if (g == "<" && !after.empty() && after != "<") alike.emplace_back("K");
        for (const std::string& alt : alike) {
          const int a = internal::CharValue(alt), v = internal::CharValue(g);
          if (a < 0 || v < 0 || (a - v) % 10 != 0) continue;
          const bool fits = alt == "<" || kind(before) == 0 || kind(after) == 0 ||
                            kind(before) == kind(alt) || kind(after) == kind(alt);
          if (fits) {
            std::string what = "'";
            what.append(g).append("' from '").append(alt).append("'");
            return what;
          }
        }
      }
    }
    return "";
  }

  static Verdict Dated(const std::string& iso, Verdict v) {
    if (v.status != MrzTrust::kInvalid && iso.empty()) return Refuted("not a date");
    return v;
  }

  Verdict CountryCode(const Span& span) const {
    const std::string code = TextOf(text_, span);
    if (!internal::IsMrzCountryCode(code)) return Refuted("not an ICAO 9303 country code");
    if (RepairsIn({span}, /*guided_only=*/false) > 0 && viz_.count(code) == 0) {
      return Unconfirmed("a listed code only after repair; no check digit covers it");
    }
    // "GBR" and "GBP" are a look-alike letter apart: the list cannot tell them.
    if (internal::HasListedLookAlike(code) && viz_.count(code) == 0) {
      return Unconfirmed("another listed code is a look-alike letter away");
    }
    return Confirmed(config::kCodeListConfidence, "ICAO 9303 country code");
  }

  Verdict DocumentCode() const {
    const std::string code = TextOf(text_, layout_.doc_type);
    std::string_view allowed = "ACI";  // TD1, TD2: ID cards (Doc 9303 part 5)
    if (layout_.type == MrzType::kTd3) allowed = "P";
    if (layout_.type == MrzType::kMrvA || layout_.type == MrzType::kMrvB) allowed = "V";
    if (code.size() != 2 || allowed.find(code[0]) == std::string_view::npos ||
        !(core::IsUpper(code[1]) || code[1] == '<')) {
      return Refuted("not a document code of this layout");
    }
    if (RepairsIn({layout_.doc_type}, /*guided_only=*/false) > 0) {
      return Unconfirmed("a document code only after repair; no check digit covers it");
    }
    // Passports and visas mostly leave the second letter a filler, and '<' read as 'C'
    // or 'K' is a common slip on any layout: such a letter counts only when the VIZ
    // prints the code.
    const bool card = layout_.type == MrzType::kTd1 || layout_.type == MrzType::kTd2;
    const bool slip = code[1] == 'C' || code[1] == 'K';
    if (code[1] != '<' && (!card || slip) && viz_.count(code) == 0) {
      return Unconfirmed("the document code's second letter: no check digit covers it");
    }
    return Confirmed(config::kSyntaxConfidence, "document code of this layout");
  }

  Verdict Sex() const {
    const std::string sex = TextOf(text_, layout_.sex);
    if (sex != "M" && sex != "F" && sex != "X" && sex != "<") return Refuted("not M, F or X");
    // No check covers it and 'M', 'F' and '<' are all legal: the VIZ must print the
    // letter ('X' for '<'). Bilingual labels print it twice ("F/F"), which OCR reads
    // as "FIF" or "F/F".
    const char letter = sex == "<" ? 'X' : sex[0];
    const bool shown = std::any_of(viz_.begin(), viz_.end(), [&](const std::string& w) {
      return (w.size() <= 2 &&
              std::all_of(w.begin(), w.end(), [&](char c) { return c == letter; })) ||
             (w.size() == 3 && w.front() == letter && w.back() == letter &&
              (w[1] == 'I' || w[1] == 'L'));
    });
    if (shown) return Confirmed(config::kVizConfidence, "the visual zone shows it");
    return Unconfirmed("no check digit covers the sex; the visual zone does not show it");
  }

  // A name (parts separated by spaces) is confirmed when a line of the VIZ prints its
  // parts in a row and nothing of the name follows: the row ends the line, or the next
  // word is the holder's code or sex ("ANNA MARIA UTO 12 AUG 74"). So a name the MRZ
  // cut short by a lost part, or surname and given names run together (a lost
  // filler in "<<"), are not confirmed. A name that fills its field to the line's end
  // may be cut short there: `last_part` allows its last part to be the start of the
  // VIZ's word then.
  Verdict Names(const std::string& names, bool last_part) const {
    std::vector<std::string> parts;
    for (size_t i = 0; i < names.size();) {
      size_t j = names.find(' ', i);
      if (j == std::string::npos) j = names.size();
      if (j > i) parts.push_back(names.substr(i, j - i));
      i = j + 1;
    }
    if (parts.empty()) return Unconfirmed("no name");
    const std::string line = TextOf(text_, layout_.name);
    const bool cut = last_part && !line.empty() && line.back() != '<';
    // A single letter (an initial, or a filler read as a letter) proves nothing.
    const bool long_enough = std::all_of(parts.begin(), parts.end(), [](const std::string& p) {
      return p.size() >= kMinNameLetters;
    });
    if (long_enough) {
      for (const std::vector<std::string>& runs : viz_lines_) {
        for (size_t start = 0; start + parts.size() <= runs.size(); ++start) {
          if (ShowsNameAt(runs, start, parts, cut)) {
            return Confirmed(config::kVizConfidence, "the visual zone shows the name");
          }
        }
      }
    }
    return Unconfirmed("no check digit covers names; the visual zone does not show " + names);
  }

  bool ShowsNameAt(const std::vector<std::string>& runs, size_t start,
                   const std::vector<std::string>& parts, bool cut) const {
    for (size_t p = 0; p < parts.size(); ++p) {
      const std::string& run = runs[start + p];
      const bool last = p + 1 == parts.size();
      const bool prefix =
          cut && last && parts[p].size() >= kMinCutNameLetters && run.rfind(parts[p], 0) == 0;
      if (run != parts[p] && !prefix) return false;
    }
    const size_t next = start + parts.size();
    if (next == runs.size()) return true;
    const std::string& after = runs[next];
    auto code = [](const std::string& c) { return c.substr(0, c.find('<')); };
    return after == code(fields_.nationality) || after == code(fields_.issuing_country) ||
           (fields_.sex.size() == 1 && after == fields_.sex);
  }

  // A check digit read as '<' where the layout prints a digit: every check but the
  // personal number's (a filler when the number is blank) and a TD1 number's moved
  // one ('<' marks the long number there).
  bool FillerForADigit() const {
    for (const CheckDef& def : checks_) {
      if (def.name == "personal_number") continue;
      if (def.name == "document_number" && !(def.digit.line == layout_.number_check.line &&
                                             def.digit.start == layout_.number_check.start)) {
        continue;
      }
      if (text_[def.digit.line][def.digit.start] == "<") return true;
    }
    return false;
  }

  MrzFieldTrust Whole(const std::vector<MrzFieldTrust>& parts) const {
    MrzFieldTrust whole{"mrz", MrzTrust::kValid, 1, ""};
    std::string unconfirmed, invalid;
    for (const MrzFieldTrust& p : parts) {
      whole.confidence = std::min(whole.confidence, p.confidence);
      if (p.status == MrzTrust::kInvalid) invalid += (invalid.empty() ? "" : ", ") + p.name;
      if (p.status == MrzTrust::kChecksPassUnconfirmed) {
        unconfirmed += (unconfirmed.empty() ? "" : ", ") + p.name;
      }
    }
    if (!invalid.empty() || !fields_.all_checks_valid) {
      whole.status = MrzTrust::kInvalid;
      whole.confidence = 0;
      whole.detail = "invalid: " + (invalid.empty() ? std::string("a check digit") : invalid);
    } else if (!unconfirmed.empty()) {
      whole.status = MrzTrust::kChecksPassUnconfirmed;
      whole.detail = "check digits ok; unconfirmed: " + unconfirmed;
    } else if (FillerForADigit()) {
      // '<' counts as 0, so a '0' read as a filler passes: the text is not as printed.
      whole.status = MrzTrust::kChecksPassUnconfirmed;
      whole.confidence = std::min(whole.confidence, config::kMaxUnconfirmedConfidence);
      whole.detail = "check digits ok; a check digit reads as a filler";
    } else {
      whole.detail = "every field confirmed";
    }
    return whole;
  }

  const MrzFields& fields_;
  const MrzLayout& layout_;
  const MrzText text_;
  const MrzEvidence& evidence_;
  std::vector<CheckDef> checks_;
  std::vector<std::vector<internal::CharClass>> classes_;
  std::vector<std::vector<std::string>> viz_lines_;  // the VIZ's lines as letter runs
  std::set<std::string> viz_;                        // every one of those runs
};

}  // namespace

const char* MrzTrustName(MrzTrust trust) {
  switch (trust) {
    case MrzTrust::kValid:
      return "valid";
    case MrzTrust::kChecksPassUnconfirmed:
      return "checks_pass_unconfirmed";
    case MrzTrust::kInvalid:
      return "invalid";
  }
  return "invalid";
}

std::vector<MrzFieldTrust> AssessMrz(const MrzFields& fields, const MrzEvidence& evidence) {
  MrzText text;
  const MrzLayout* layout = internal::LayoutOf(fields.lines, text);
  if (layout == nullptr) return {{"mrz", MrzTrust::kInvalid, 0, "not an MRZ layout"}};
  return Assessor(fields, *layout, std::move(text), evidence).Run();
}

}  // namespace smartocr::mrz
