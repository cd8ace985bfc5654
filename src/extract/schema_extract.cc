// Tenant-schema fields by label geometry. For each label synonym found on a line, the
// value is the text right of it on the same line (up to a column gap or another
// label), or the words below it in the same column on the nearest line underneath.
// The field's type decides what part of that text is the value (a date, an amount,
// one of the enum values, a regex match); validators then grade it.
#include <algorithm>
#include <regex>

#include "extract/extract_internal.h"
#include "extract/fields_internal.h"
#include "extract/schema.h"

namespace smartocr::extract {
namespace {

using fields_internal::ApplyValidation;
using fields_internal::SpanBox;
using fields_internal::SpanConfidence;

// A span [begin, end) of a line's text holding a typed value.
struct Typed {
  size_t begin = 0;
  size_t end = 0;
  std::string normalized;
  bool weak = false;  // a guess (a bare number read as an amount)
};

// Tenant patterns run on OCR text of any length; libstdc++'s regex reports runaway
// backtracking by throwing, which here means "no match" rather than a crash.
bool TenantSearch(const std::string& text, std::smatch& m, const std::string& pattern) {
  try {
    return std::regex_search(text, m, std::regex(pattern, std::regex::ECMAScript));
  } catch (const std::regex_error&) {
    return false;
  }
}

bool TenantMatch(const std::string& text, const std::string& pattern) {
  try {
    return std::regex_match(text, std::regex(pattern, std::regex::ECMAScript));
  } catch (const std::regex_error&) {
    return false;
  }
}

bool IsAlnumByte(char c) { return internal::IsAsciiAlnum(c) || internal::IsHighByte(c); }

// Byte offset of the first whole-word, case-insensitive occurrence of `needle_lower`
// in `hay_lower` at or after `from`; npos when none.
size_t FindWord(std::string_view hay_lower, std::string_view needle_lower, size_t from = 0) {
  if (needle_lower.empty()) return std::string_view::npos;
  for (size_t pos = hay_lower.find(needle_lower, from); pos != std::string_view::npos;
       pos = hay_lower.find(needle_lower, pos + 1)) {
    size_t end = pos + needle_lower.size();
    bool left = pos == 0 || !IsAlnumByte(needle_lower.front()) || !IsAlnumByte(hay_lower[pos - 1]);
    bool right = end >= hay_lower.size() || !IsAlnumByte(needle_lower.back()) ||
                 !IsAlnumByte(hay_lower[end]);
    if (left && right) return pos;
  }
  return std::string_view::npos;
}

std::optional<Typed> TypeText(const SchemaField& field, std::string_view text,
                              const ExtractOptions& options) {
  std::string_view trimmed = internal::Trim(text);
  if (trimmed.empty()) return std::nullopt;
  size_t lead = static_cast<size_t>(trimmed.data() - text.data());
  switch (field.type) {
    case FieldType::kString:
      return Typed{lead, lead + trimmed.size(), std::string(trimmed)};
    case FieldType::kDate: {
      std::vector<PatternMatch> m = FindDates(text, {options.locale, options.today});
      if (m.empty()) return std::nullopt;
      return Typed{m[0].begin, m[0].end, m[0].normalized};
    }
    case FieldType::kAmount: {
      std::vector<PatternMatch> m = FindAmounts(text, options.locale);
      if (!m.empty()) return Typed{m[0].begin, m[0].end, m[0].normalized};
      // A bare number after its label is an amount too ("Total 42").
      static const std::regex kNumber(R"([-(]?[0-9][0-9.,' ]*[0-9]\)?|[0-9])");
      std::string s(text);
      std::smatch sm;
      if (!std::regex_search(s, sm, kNumber)) return std::nullopt;
      core::Result<NormalizedAmount> a = NormalizeAmount(sm.str(), options.locale);
      if (!a.ok()) return std::nullopt;
      size_t b = static_cast<size_t>(sm.position(0));
      return Typed{b, b + static_cast<size_t>(sm.length(0)), a->value, /*weak=*/true};
    }
    case FieldType::kInteger: {
      static const std::regex kInt(R"([-+]?[0-9]{1,3}(?:[,.' ][0-9]{3})+(?![0-9])|[-+]?[0-9]+)");
      std::string s(text);
      std::smatch sm;
      if (!std::regex_search(s, sm, kInt)) return std::nullopt;
      std::string digits;
      for (char c : sm.str()) {
        if (internal::IsDigit(c) || c == '-') digits += c;
      }
      size_t b = static_cast<size_t>(sm.position(0));
      return Typed{b, b + static_cast<size_t>(sm.length(0)), digits};
    }
    case FieldType::kEnum: {
      std::string lower = internal::LatinLower(text);
      std::optional<Typed> best;
      for (const std::string& v : field.values) {
        std::string vl = internal::LatinLower(internal::Trim(v));
        size_t pos = FindWord(lower, vl);
        if (pos == std::string::npos) continue;
        // The earliest match wins; at one position the longer value ("very high" over "high").
        if (!best || pos < best->begin || (pos == best->begin && pos + vl.size() > best->end)) {
          best = Typed{pos, pos + vl.size(), v};
        }
      }
      return best;
    }
    case FieldType::kRegex: {
      std::string s(text);
      std::smatch sm;
      if (!TenantSearch(s, sm, field.pattern)) return std::nullopt;
      // A capture group, when the pattern has one, marks the value inside its context.
      size_t g = sm.size() > 1 && sm[1].matched ? 1 : 0;
      if (sm.length(g) == 0) return std::nullopt;
      size_t b = static_cast<size_t>(sm.position(g));
      return Typed{b, b + static_cast<size_t>(sm.length(g)), sm.str(g)};
    }
  }
  return std::nullopt;
}

Validation Grade(const SchemaField& field, const std::string& value, const std::string& normalized,
                 const ExtractOptions& options) {
  std::vector<std::string> passed;
  auto fail = [](std::string detail) {
    return Validation{Validity::kInvalid, std::move(detail), 0.0};
  };
  double confidence = 1.0;
  const FieldValidators& v = field.validators;
  if (field.type == FieldType::kDate) {
    Validation d = ValidateDate(normalized, options.today, v.date_window);
    if (d.status == Validity::kInvalid) return d;
    if (d.status == Validity::kValid) passed.push_back("date");
  }
  if (field.type == FieldType::kEnum) {
    bool known = std::any_of(field.values.begin(), field.values.end(), [&](const std::string& e) {
      return internal::LatinLower(e) == internal::LatinLower(normalized);
    });
    if (!known) return fail("not one of the allowed values");
    passed.push_back("enum");
  }
  if (field.type == FieldType::kRegex) {
    std::smatch unused;
    if (!TenantSearch(value, unused, field.pattern)) {
      return fail("does not match the field's pattern");
    }
    passed.push_back("pattern");
  }
  if (v.min || v.max) {
    char* end = nullptr;
    double x = std::strtod(normalized.c_str(), &end);
    if (normalized.empty() || end != normalized.c_str() + normalized.size()) {
      return fail("not a number");
    }
    if (v.min && x < *v.min) return fail("below the minimum");
    if (v.max && x > *v.max) return fail("above the maximum");
    passed.push_back("range");
  }
  if (!v.pattern.empty()) {
    if (!TenantMatch(normalized, v.pattern)) {
      return fail("does not match validators.pattern");
    }
    passed.push_back("pattern");
  }
  if (v.min_length && static_cast<int>(normalized.size()) < *v.min_length) {
    return fail("shorter than min_length");
  }
  if (v.max_length && static_cast<int>(normalized.size()) > *v.max_length) {
    return fail("longer than max_length");
  }
  if (v.min_length || v.max_length) passed.push_back("length");
  if (v.iban) {
    Validation i = ValidateIban(normalized);
    if (i.status == Validity::kInvalid) return i;
    confidence = std::min(confidence, i.confidence);
    passed.push_back("iban");
  }
  if (passed.empty()) return {Validity::kUnchecked, "", 0};
  std::string detail;
  for (const std::string& p : passed) detail += (detail.empty() ? "" : ", ") + p;
  return {Validity::kValid, detail + " ok", confidence};
}

// A label occurrence on a line.
struct LabelHit {
  size_t line = 0;
  size_t begin = 0;  // bytes in the line's text
  size_t end = 0;
  size_t field = 0;  // index into schema.fields
};

// Every label synonym found, minus those inside a longer label's hit on the same line
// ("Date" inside "Due Date" belongs to the due date).
std::vector<LabelHit> FindLabels(const std::vector<TextLine>& lines, const Schema& schema) {
  std::vector<LabelHit> hits;
  for (size_t li = 0; li < lines.size(); ++li) {
    std::string lower = internal::LatinLower(lines[li].text);
    for (size_t fi = 0; fi < schema.fields.size(); ++fi) {
      for (const std::string& label : schema.fields[fi].labels) {
        std::string ll = internal::LatinLower(internal::Trim(label));
        while (!ll.empty() && ll.back() == ':') ll.pop_back();
        for (size_t pos = FindWord(lower, ll); pos != std::string::npos;
             pos = FindWord(lower, ll, pos + 1)) {
          hits.push_back({li, pos, pos + ll.size(), fi});
        }
      }
    }
  }
  std::vector<LabelHit> kept;
  for (const LabelHit& h : hits) {
    bool inside = std::any_of(hits.begin(), hits.end(), [&](const LabelHit& o) {
      return o.line == h.line && o.begin <= h.begin && o.end >= h.end &&
             o.end - o.begin > h.end - h.begin;
    });
    if (!inside) kept.push_back(h);
  }
  return kept;
}

// Byte offsets of each word in a line's text (words joined by single spaces).
std::vector<size_t> WordOffsets(const TextLine& line) {
  std::vector<size_t> offsets;
  size_t offset = 0;
  for (const core::Word& w : line.words) {
    offsets.push_back(offset);
    offset += w.text.size() + 1;
  }
  return offsets;
}

// A gap wider than this between words separates columns.
double ColumnGap(const TextLine& line) { return std::max(1.5 * line.box.height(), 8.0); }

// Bytes [begin, end) of `line` from word `first` through the words that follow without a
// column gap, stopping before any label hit at or after `stop`.
std::pair<size_t, size_t> PhraseFrom(const TextLine& line, size_t first, size_t stop) {
  std::vector<size_t> off = WordOffsets(line);
  size_t last = first;
  while (last + 1 < line.words.size() &&
         line.words[last + 1].box.x0 - line.words[last].box.x1 < ColumnGap(line) &&
         off[last + 1] < stop) {
    ++last;
  }
  return {off[first], off[last] + line.words[last].text.size()};
}

struct Candidate {
  core::Field field;
  int rank = 0;  // higher is better
};

}  // namespace

bool TypeAndValidate(const SchemaField& field, const ExtractOptions& options, core::Field& out) {
  std::optional<Typed> t = TypeText(field, out.value, options);
  if (!t) return false;
  // The answer is the typed part ("Total: 12.00" -> "12.00").
  out.value = out.value.substr(t->begin, t->end - t->begin);
  out.normalized = t->normalized;
  ApplyValidation(out, Grade(field, out.value, out.normalized, options));
  return true;
}

namespace {

// The best candidate per schema field, from the text right of each label hit, the line
// below it, and (regex fields without labels) anywhere.
class SchemaFieldFinder {
 public:
  SchemaFieldFinder(const std::vector<TextLine>& lines, const Schema& schema,
                    const ExtractOptions& options)
      : lines_(lines),
        schema_(schema),
        options_(options),
        hits_(FindLabels(lines, schema)),
        best_(schema.fields.size()) {}

  std::vector<core::Field> Run() {
    for (const LabelHit& h : hits_) {
      const int label_bonus = static_cast<int>(std::min<size_t>(h.end - h.begin, 40));
      RightOfLabel(h, label_bonus);
      BelowLabel(h, label_bonus);
    }
    UnlabelledRegexFields();
    return Result();
  }

 private:
  void Consider(size_t fi, const TextLine& line, size_t begin, size_t end, int rank) {
    const SchemaField& sf = schema_.fields[fi];
    std::optional<Typed> t =
        TypeText(sf, std::string_view(line.text).substr(begin, end - begin), options_);
    if (!t) return;
    core::Field f = fields_internal::FieldFromSpan(sf.name, line, begin + t->begin, begin + t->end,
                                                   t->normalized);
    Validation v = Grade(sf, f.value, f.normalized, options_);
    ApplyValidation(f, v);
    // Validity first (a failing candidate loses to any other), then geometry.
    rank += v.status == Validity::kValid ? 200 : v.status == Validity::kUnchecked ? 100 : 0;
    // "Total items: 3" loses to "Total: 12.00".
    if (t->weak) rank -= 50;
    if (!best_[fi] || rank > best_[fi]->rank) best_[fi] = Candidate{std::move(f), rank};
  }

  // Label hits starting at or after `from` on line `li`, for cutting a value short.
  size_t NextLabel(size_t li, size_t from) const {
    size_t stop = std::string::npos;
    for (const LabelHit& h : hits_) {
      if (h.line == li && h.begin >= from) stop = std::min(stop, h.begin);
    }
    return stop;
  }

  // Right of the label: skip separators, then the phrase up to a column gap.
  void RightOfLabel(const LabelHit& h, int label_bonus) {
    const TextLine& line = lines_[h.line];
    size_t vb = h.end;
    while (vb < line.text.size() &&
           std::string_view(" :#=|").find(line.text[vb]) != std::string_view::npos) {
      ++vb;
    }
    std::vector<size_t> off = WordOffsets(line);
    size_t stop = NextLabel(h.line, vb);
    if (vb >= line.text.size() || vb >= stop) return;
    // The label's last word may run into the value ("No:12345").
    size_t wi = 0;
    while (wi + 1 < off.size() && off[wi + 1] <= vb) ++wi;
    size_t label_word = wi;
    while (label_word > 0 && off[label_word] > h.end - 1) --label_word;
    // A value far right of its label ("Total ....... 12.00") still counts, below one
    // that follows it closely.
    bool near = wi == label_word ||
                line.words[wi].box.x0 - line.words[label_word].box.x1 < 4 * ColumnGap(line);
    auto [pb, pe] = PhraseFrom(line, wi, stop);
    pb = std::max(pb, vb);
    pe = std::min(pe, stop);
    if (pe > pb) Consider(h.field, line, pb, pe, (near ? 60 : 45) + label_bonus);
    // "Total for this invoice        $4.11": a typed value may sit in a later phrase of
    // the line, past a column gap (a string would take any phrase, so not those).
    if (schema_.fields[h.field].type == FieldType::kString) return;
    size_t next = wi;
    while (next < off.size() && off[next] < pe) ++next;
    while (next < off.size() && off[next] < stop) {
      auto [qb, qe] = PhraseFrom(line, next, stop);
      qe = std::min(qe, stop);
      if (qe > qb) Consider(h.field, line, qb, qe, 40 + label_bonus);
      while (next < off.size() && off[next] < qe) ++next;
    }
  }

  // Below the label: the nearest line underneath with a word in the label's column.
  void BelowLabel(const LabelHit& h, int label_bonus) {
    const TextLine& line = lines_[h.line];
    core::BBox label_box = SpanBox(line, h.begin, h.end);
    const TextLine* below = nullptr;
    size_t below_index = 0;
    size_t below_word = 0;
    for (size_t li = 0; li < lines_.size(); ++li) {
      const TextLine& l = lines_[li];
      if (l.page != line.page || l.box.y0 < label_box.y1 - 0.25 * label_box.height()) continue;
      if (l.box.y0 - label_box.y1 > 2.5 * std::max(label_box.height(), 1.0)) continue;
      for (size_t wi = 0; wi < l.words.size(); ++wi) {
        const core::BBox& wb = l.words[wi].box;
        if (wb.x1 <= label_box.x0 || wb.x0 >= label_box.x1) continue;
        if (below == nullptr || l.box.y0 < below->box.y0) {
          below = &l;
          below_index = li;
          below_word = wi;
        }
        break;
      }
    }
    if (below == nullptr) return;
    std::vector<size_t> boff = WordOffsets(*below);
    // A label below is not a value.
    bool is_label = std::any_of(hits_.begin(), hits_.end(), [&](const LabelHit& o) {
      return o.line == below_index && o.begin <= boff[below_word] && o.end > boff[below_word];
    });
    if (is_label) return;
    // Start where the phrase containing the column's word starts.
    size_t first = below_word;
    while (first > 0 &&
           below->words[first].box.x0 - below->words[first - 1].box.x1 < ColumnGap(*below) &&
           below->words[first - 1].box.x1 > label_box.x0 - 2 * label_box.height()) {
      --first;
    }
    auto [pb, pe] = PhraseFrom(*below, first, NextLabel(below_index, boff[first] + 1));
    if (pe > pb) Consider(h.field, *below, pb, pe, 40 + label_bonus);
  }

  // Regex fields without labels: the first match anywhere.
  void UnlabelledRegexFields() {
    for (size_t fi = 0; fi < schema_.fields.size(); ++fi) {
      const SchemaField& sf = schema_.fields[fi];
      if (best_[fi] || !sf.labels.empty() || sf.type != FieldType::kRegex) continue;
      for (const TextLine& l : lines_) {
        Consider(fi, l, 0, l.text.size(), 0);
        if (best_[fi]) break;
      }
    }
  }

  // The fields found, in schema order; a required field not found is there, invalid.
  std::vector<core::Field> Result() {
    std::vector<core::Field> out;
    for (size_t fi = 0; fi < schema_.fields.size(); ++fi) {
      if (best_[fi]) {
        out.push_back(std::move(best_[fi]->field));
      } else if (schema_.fields[fi].required) {
        core::Field f;
        f.name = schema_.fields[fi].name;
        f.validator_status = ValidityName(Validity::kInvalid);
        f.validator_detail = "required";
        f.confidence = 0;
        out.push_back(std::move(f));
      }
    }
    return out;
  }

  const std::vector<TextLine>& lines_;
  const Schema& schema_;
  const ExtractOptions& options_;
  const std::vector<LabelHit> hits_;
  std::vector<std::optional<Candidate>> best_;
};

}  // namespace

std::vector<core::Field> ExtractSchemaFields(const std::vector<TextLine>& lines,
                                             const Schema& schema, const ExtractOptions& options) {
  return SchemaFieldFinder(lines, schema, options).Run();
}

}  // namespace smartocr::extract
