// src/extract/mrz.cc
//
// MRZ layouts, check digits and parsing into fields (ICAO 9303 parts 4-6).
#include <string>
#include <string_view>
#include <vector>

#include "extract/extract.h"
#include "extract/extract_internal.h"
#include "extract/mrz_internal.h"

namespace smartocr::extract {

namespace internal {
namespace {

// Field positions per ICAO 9303. Spans: {line, start, length}.
// clang-format off
const MrzLayout kLayouts[] = {
    {MrzType::kTd1, 3, 30,
     /*doc_type=*/{0, 0, 2}, /*issuing=*/{0, 2, 3}, /*name=*/{2, 0, 30},
     /*number=*/{0, 5, 9}, /*number_check=*/{0, 14, 1}, /*nationality=*/{1, 15, 3},
     /*birth=*/{1, 0, 6}, /*birth_check=*/{1, 6, 1}, /*sex=*/{1, 7, 1},
     /*expiry=*/{1, 8, 6}, /*expiry_check=*/{1, 14, 1}, /*optional1=*/{0, 15, 15},
     /*optional1_check=*/{}, /*optional2=*/{1, 18, 11}, /*composite=*/{1, 29, 1},
     {{0, 5, 25}, {1, 0, 7}, {1, 8, 7}, {1, 18, 11}}},
    {MrzType::kTd2, 2, 36,
     {0, 0, 2}, {0, 2, 3}, {0, 5, 31},
     {1, 0, 9}, {1, 9, 1}, {1, 10, 3},
     {1, 13, 6}, {1, 19, 1}, {1, 20, 1},
     {1, 21, 6}, {1, 27, 1}, {1, 28, 7},
     {}, {}, {1, 35, 1},
     {{1, 0, 10}, {1, 13, 7}, {1, 21, 14}}},
    {MrzType::kMrvB, 2, 36,
     {0, 0, 2}, {0, 2, 3}, {0, 5, 31},
     {1, 0, 9}, {1, 9, 1}, {1, 10, 3},
     {1, 13, 6}, {1, 19, 1}, {1, 20, 1},
     {1, 21, 6}, {1, 27, 1}, {1, 28, 8},
     {}, {}, {},
     {}},
    {MrzType::kTd3, 2, 44,
     {0, 0, 2}, {0, 2, 3}, {0, 5, 39},
     {1, 0, 9}, {1, 9, 1}, {1, 10, 3},
     {1, 13, 6}, {1, 19, 1}, {1, 20, 1},
     {1, 21, 6}, {1, 27, 1}, {1, 28, 14},
     {1, 42, 1}, {}, {1, 43, 1},
     {{1, 0, 10}, {1, 13, 7}, {1, 21, 22}}},
    {MrzType::kMrvA, 2, 44,
     {0, 0, 2}, {0, 2, 3}, {0, 5, 39},
     {1, 0, 9}, {1, 9, 1}, {1, 10, 3},
     {1, 13, 6}, {1, 19, 1}, {1, 20, 1},
     {1, 21, 6}, {1, 27, 1}, {1, 28, 16},
     {}, {}, {},
     {}},
};
// clang-format on

int CharValue(const std::string& glyph) {
  if (glyph.size() != 1) return -1;
  char c = glyph[0];
  if (IsDigit(c)) return c - '0';
  if (IsUpper(c)) return c - 'A' + 10;
  if (c == '<') return 0;
  return -1;
}

}  // namespace

const MrzLayout* FindLayout(int line_count, int width, const std::string& first) {
  bool visa = first == "V";
  for (const MrzLayout& layout : kLayouts) {
    if (layout.line_count != line_count || layout.width != width) continue;
    bool layout_visa = layout.type == MrzType::kMrvA || layout.type == MrzType::kMrvB;
    if (layout.type == MrzType::kTd1 || layout_visa == visa) return &layout;
  }
  return nullptr;
}

std::vector<CheckDef> ChecksOf(const MrzLayout& layout, const MrzText& text) {
  std::vector<CheckDef> checks;
  CheckDef number{"document_number", {layout.number}, layout.number_check};
  if (layout.type == MrzType::kTd1 && text[0][14] == "<") {
    // Long number: continues in optional data 1 up to the first '<'; its last
    // character there is the check digit.
    int end = layout.optional1.start;
    while (end < layout.width && text[0][end] != "<") ++end;
    if (end - layout.optional1.start >= 2) {
      number.covers.push_back({0, layout.optional1.start, end - 1 - layout.optional1.start});
      number.digit = {0, end - 1, 1};
    }
  }
  checks.push_back(number);
  checks.push_back({"birth_date", {layout.birth}, layout.birth_check});
  checks.push_back({"expiry_date", {layout.expiry}, layout.expiry_check});
  if (layout.optional1_check.len > 0) {
    checks.push_back({"personal_number", {layout.optional1}, layout.optional1_check});
  }
  if (layout.composite.len > 0) {
    checks.push_back({"composite", layout.composite_covers, layout.composite});
  }
  return checks;
}

int CheckDigitOver(const MrzText& text, const std::vector<Span>& spans) {
  static constexpr int kWeights[] = {7, 3, 1};
  int sum = 0, i = 0;
  for (const Span& span : spans) {
    for (int k = span.start; k < span.start + span.len; ++k, ++i) {
      int v = CharValue(text[span.line][k]);
      if (v < 0) return -1;
      sum += v * kWeights[i % 3];
    }
  }
  return sum % 10;
}

bool CheckDigitMatches(const MrzText& text, const Span& digit, int computed) {
  if (computed < 0) return false;
  const std::string& g = text[digit.line][digit.start];
  if (g == "<") return computed == 0;
  return g.size() == 1 && IsDigit(g[0]) && g[0] - '0' == computed;
}

bool CheckPasses(const MrzText& text, const CheckDef& check) {
  return CheckDigitMatches(text, check.digit, CheckDigitOver(text, check.covers));
}

std::vector<std::vector<CharClass>> ClassesOf(const MrzLayout& layout) {
  std::vector<std::vector<CharClass>> classes(
      layout.line_count, std::vector<CharClass>(layout.width, CharClass::kAlnum));
  auto mark = [&](const Span& s, CharClass c) {
    for (int k = s.start; k < s.start + s.len; ++k) classes[s.line][k] = c;
  };
  mark(layout.doc_type, CharClass::kAlpha);
  mark(layout.issuing, CharClass::kAlpha);
  mark(layout.nationality, CharClass::kAlpha);
  mark(layout.name, CharClass::kName);
  mark(layout.birth, CharClass::kDigit);
  mark(layout.expiry, CharClass::kDigit);
  mark(layout.sex, CharClass::kSex);
  for (const Span* s : {&layout.number_check, &layout.birth_check, &layout.expiry_check,
                        &layout.optional1_check, &layout.composite}) {
    mark(*s, CharClass::kCheck);
  }
  return classes;
}

}  // namespace internal

namespace {

using internal::MrzText;
using internal::Span;

std::string SpanText(const MrzText& text, const Span& span) {
  std::string out;
  for (int k = span.start; k < span.start + span.len; ++k) out += text[span.line][k];
  return out;
}

std::string WithoutFillers(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '<') out += c;
  }
  return out;
}

// '<' -> ' ', runs collapsed, ends trimmed.
std::string FillersToSpaces(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '<') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// YYMMDD -> Date with the century chosen by `birth` rules; {} when not a valid date.
Date ExpandMrzDate(std::string_view raw, bool birth, const Date& today) {
  if (raw.size() != 6) return {};
  for (char c : raw) {
    if (!internal::IsDigit(c)) return {};
  }
  int yy = (raw[0] - '0') * 10 + (raw[1] - '0');
  Date d{(today.year / 100) * 100 + yy, (raw[2] - '0') * 10 + (raw[3] - '0'),
         (raw[4] - '0') * 10 + (raw[5] - '0')};
  if (birth) {
    // A birth date is never in the future.
    if (Date{d.year, d.month, d.day} > today) d.year -= 100;
  } else {
    // Documents are valid for at most a few decades.
    if (d.year > today.year + 30) d.year -= 100;
    if (d.year <= today.year - 70) d.year += 100;
  }
  return IsValidDate(d) ? d : Date{};
}

void FillFields(const internal::MrzLayout& layout, const MrzText& text, const Date& today,
                MrzFields& f) {
  f.document_type = WithoutFillers(SpanText(text, layout.doc_type));
  f.issuing_country = WithoutFillers(SpanText(text, layout.issuing));
  f.nationality = WithoutFillers(SpanText(text, layout.nationality));

  std::string name = SpanText(text, layout.name);
  size_t sep = name.find("<<");
  std::string surname = sep == std::string::npos ? name : name.substr(0, sep);
  f.surname = FillersToSpaces(surname);
  f.given_names = sep == std::string::npos ? "" : FillersToSpaces(name.substr(sep + 2));

  std::string optional1 = SpanText(text, layout.optional1);
  f.document_number = WithoutFillers(SpanText(text, layout.number));
  if (layout.type == MrzType::kTd1 && text[0][14] == "<") {
    size_t end = optional1.find('<');
    if (end == std::string::npos) end = optional1.size();
    if (end >= 2) {
      f.document_number += optional1.substr(0, end - 1);
      optional1 = optional1.substr(end);
    }
  }
  f.personal_number = WithoutFillers(optional1);
  if (layout.optional2.len > 0) {
    f.optional_data_2 = WithoutFillers(SpanText(text, layout.optional2));
  }

  std::string sex = SpanText(text, layout.sex);
  f.sex = (sex == "<" || sex == "X") ? "X" : sex;

  f.birth_date_raw = SpanText(text, layout.birth);
  f.expiry_date_raw = SpanText(text, layout.expiry);
  Date birth = ExpandMrzDate(f.birth_date_raw, /*birth=*/true, today);
  Date expiry = ExpandMrzDate(f.expiry_date_raw, /*birth=*/false, today);
  f.birth_date = IsValidDate(birth) ? FormatIsoDate(birth) : "";
  f.expiry_date = IsValidDate(expiry) ? FormatIsoDate(expiry) : "";
}

}  // namespace

const char* MrzTypeName(MrzType type) {
  switch (type) {
    case MrzType::kTd1:
      return "TD1";
    case MrzType::kTd2:
      return "TD2";
    case MrzType::kTd3:
      return "TD3";
    case MrzType::kMrvA:
      return "MRVA";
    case MrzType::kMrvB:
      return "MRVB";
  }
  return "TD3";
}

int MrzCheckDigit(std::string_view s) {
  MrzText text(1);
  for (char c : s) text[0].emplace_back(1, c);
  return internal::CheckDigitOver(text, {{0, 0, static_cast<int>(s.size())}});
}

core::Result<MrzFields> ParseMrz(const std::vector<std::string>& lines, const MrzOptions& options) {
  if (!IsValidDate(options.today)) {
    return core::InvalidArgument("mrz_today", "MrzOptions.today is not a valid date");
  }
  MrzText text;
  for (const std::string& line : lines) {
    std::string clean = internal::AsciiUpper(internal::Trim(internal::RemoveSpaces(line)));
    if (clean.empty()) continue;
    text.push_back(internal::SplitGlyphs(clean));
  }
  int width = text.empty() ? 0 : static_cast<int>(text[0].size());
  for (const auto& line : text) {
    if (static_cast<int>(line.size()) != width) width = -1;
  }
  const internal::MrzLayout* layout =
      width > 0 ? internal::FindLayout(static_cast<int>(text.size()), width, text[0][0]) : nullptr;
  if (layout == nullptr) {
    return core::InvalidArgument("mrz_shape",
                                 "MRZ must be 3 lines of 30, or 2 lines of 36 or 44 characters");
  }

  MrzText original = text;
  if (options.repair) {
    internal::RepairMrz(*layout, options.max_changes_per_field, options.max_changes_total, text);
  }

  MrzFields f;
  f.type = layout->type;
  auto classes = internal::ClassesOf(*layout);
  for (int l = 0; l < layout->line_count; ++l) {
    std::string joined;
    for (int k = 0; k < layout->width; ++k) {
      joined += text[l][k];
      if (text[l][k] != original[l][k]) {
        bool guided = classes[l][k] == internal::CharClass::kAlnum;
        f.repairs.push_back({l, k, original[l][k], text[l][k], guided});
      }
    }
    f.lines.push_back(joined);
  }
  FillFields(*layout, text, options.today, f);
  f.all_checks_valid = true;
  for (const internal::CheckDef& def : internal::ChecksOf(*layout, text)) {
    MrzCheck check;
    check.name = def.name;
    const std::string& g = text[def.digit.line][def.digit.start];
    check.printed = g.size() == 1 ? g[0] : '?';
    check.computed = internal::CheckDigitOver(text, def.covers);
    check.valid = internal::CheckDigitMatches(text, def.digit, check.computed);
    f.all_checks_valid = f.all_checks_valid && check.valid;
    f.checks.push_back(check);
  }
  return f;
}

}  // namespace smartocr::extract
