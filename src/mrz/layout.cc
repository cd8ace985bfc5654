// src/mrz/layout.cc
//
// MRZ layouts (ICAO 9303 parts 4-6), the checks they define, and check digits.
#include "mrz/internal/layout.h"

#include <string>
#include <vector>

#include "core/text.h"

namespace smartocr::mrz::internal {
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

}  // namespace

int CharValue(const std::string& glyph) {
  if (glyph.size() != 1) return -1;
  char c = glyph[0];
  if (core::IsDigit(c)) return c - '0';
  if (core::IsUpper(c)) return c - 'A' + 10;
  if (c == '<') return 0;
  return -1;
}

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
  const Span& printed = layout.number_check;
  if (layout.type == MrzType::kTd1 && text[printed.line][printed.start] == "<") {
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
  return g.size() == 1 && core::IsDigit(g[0]) && g[0] - '0' == computed;
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

const MrzLayout* LayoutOf(const std::vector<std::string>& lines, MrzText& text) {
  for (const std::string& line : lines) text.push_back(core::SplitGlyphs(line));
  if (text.empty()) return nullptr;
  const int width = static_cast<int>(text[0].size());
  for (const auto& line : text) {
    if (static_cast<int>(line.size()) != width) return nullptr;
  }
  return FindLayout(static_cast<int>(text.size()), width, text[0][0]);
}

}  // namespace smartocr::mrz::internal
