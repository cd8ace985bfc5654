// src/extract/id_patterns.cc
//
// Finders for identifiers printed with optional grouping: EU VAT ids (shape per
// country prefix) and IBANs (length per country, mod-97).
#include <string>
#include <string_view>
#include <vector>

#include "extract/extract.h"
#include "extract/extract_internal.h"

namespace smartocr::extract {
namespace {

using internal::IsAsciiAlnum;
using internal::IsDigit;
using internal::IsUpper;

// The identifier's characters with the raw end offset after each one, so a compact
// prefix maps back to the text.
struct Compact {
  std::string chars;
  std::vector<size_t> raw_end;
};

// Collects [A-Z0-9] from `begin`, allowing one separator from `seps` between
// characters, up to `max_chars`.
Compact Collect(std::string_view text, size_t begin, std::string_view seps, size_t max_chars) {
  Compact c;
  size_t i = begin;
  while (i < text.size() && c.chars.size() < max_chars) {
    char ch = text[i];
    if (IsDigit(ch) || IsUpper(ch)) {
      c.chars += ch;
      c.raw_end.push_back(++i);
    } else if (seps.find(ch) != std::string_view::npos && !c.chars.empty() && i + 1 < text.size() &&
               (IsDigit(text[i + 1]) || IsUpper(text[i + 1]))) {
      ++i;
    } else {
      break;
    }
  }
  return c;
}

bool WordStart(std::string_view text, size_t i) { return i == 0 || !IsAsciiAlnum(text[i - 1]); }
bool WordEnd(std::string_view text, size_t i) { return i >= text.size() || !IsAsciiAlnum(text[i]); }

// Shapes: 'd' a digit, 'L' a letter, 'x' a digit or letter, anything else itself.
// A shape string may list alternatives separated by '|'.
struct VatFormat {
  const char* prefix;
  const char* shapes;
};

// EU VIES formats (plus GB and XI for the UK).
constexpr VatFormat kVatFormats[] = {
    {"AT", "Udddddddd"},
    {"BE", "0ddddddddd|1ddddddddd"},
    {"BG", "ddddddddd|dddddddddd"},
    {"CY", "ddddddddL"},
    {"CZ", "dddddddd|ddddddddd|dddddddddd"},
    {"DE", "ddddddddd"},
    {"DK", "dddddddd"},
    {"EE", "ddddddddd"},
    {"EL", "ddddddddd"},
    {"ES", "xdddddddx"},
    {"FI", "dddddddd"},
    {"FR", "xxddddddddd"},
    {"HR", "ddddddddddd"},
    {"HU", "dddddddd"},
    {"IE", "dxdddddL|dxdddddLL"},
    {"IT", "ddddddddddd"},
    {"LT", "ddddddddd|dddddddddddd"},
    {"LU", "dddddddd"},
    {"LV", "ddddddddddd"},
    {"MT", "dddddddd"},
    {"NL", "dddddddddBdd"},
    {"PL", "dddddddddd"},
    {"PT", "ddddddddd"},
    {"RO", "dd|ddd|dddd|ddddd|dddddd|ddddddd|dddddddd|ddddddddd|dddddddddd"},
    {"SE", "dddddddddd01"},
    {"SI", "dddddddd"},
    {"SK", "dddddddddd"},
    {"GB", "ddddddddd|dddddddddddd|GDddd|HAddd"},
    {"XI", "ddddddddd|dddddddddddd|GDddd|HAddd"},
};

bool FitsShape(std::string_view body, std::string_view shape) {
  if (body.size() != shape.size()) return false;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i], want = shape[i];
    bool ok = want == 'd'   ? IsDigit(c)
              : want == 'L' ? IsUpper(c)
              : want == 'x' ? (IsDigit(c) || IsUpper(c))
                            : c == want;
    if (!ok) return false;
  }
  return true;
}

bool FitsVat(std::string_view body, std::string_view shapes) {
  while (!shapes.empty()) {
    size_t bar = shapes.find('|');
    if (FitsShape(body, shapes.substr(0, bar))) return true;
    shapes = bar == std::string_view::npos ? "" : shapes.substr(bar + 1);
  }
  return false;
}

}  // namespace

std::vector<PatternMatch> FindVatIds(std::string_view text) {
  std::vector<PatternMatch> out;
  for (size_t i = 0; i + 2 < text.size();) {
    size_t format = std::size(kVatFormats);
    if (WordStart(text, i)) {
      for (size_t f = 0; f < std::size(kVatFormats); ++f) {
        if (text.compare(i, 2, kVatFormats[f].prefix) == 0) format = f;
      }
    }
    if (format == std::size(kVatFormats)) {
      ++i;
      continue;
    }
    size_t body_start = i + 2;
    if (body_start < text.size() && text[body_start] == ' ') ++body_start;
    Compact c = Collect(text, body_start, " .-", 14);
    bool found = false;
    for (size_t len = c.chars.size(); len >= 2 && !found; --len) {
      if (!WordEnd(text, c.raw_end[len - 1])) continue;
      if (!FitsVat(std::string_view(c.chars).substr(0, len), kVatFormats[format].shapes)) {
        continue;
      }
      std::string normalized = std::string(kVatFormats[format].prefix) + c.chars.substr(0, len);
      out.push_back({PatternKind::kVatId, i, c.raw_end[len - 1],
                     std::string(text.substr(i, c.raw_end[len - 1] - i)), normalized, 0.8});
      i = c.raw_end[len - 1];
      found = true;
    }
    if (!found) ++i;
  }
  return out;
}

std::vector<PatternMatch> FindIbans(std::string_view text) {
  std::vector<PatternMatch> out;
  for (size_t i = 0; i + 4 <= text.size();) {
    if (!WordStart(text, i) || !IsUpper(text[i]) || !IsUpper(text[i + 1]) ||
        !IsDigit(text[i + 2]) || !IsDigit(text[i + 3])) {
      ++i;
      continue;
    }
    Compact c = Collect(text, i, " ", 34);
    // Longest first: a country's length is fixed, so only one length can validate,
    // and an invalid one is still reported (a misread digit) when its shape is right.
    size_t best = 0;
    double confidence = 0;
    for (size_t len = c.chars.size(); len >= 15; --len) {
      if (!WordEnd(text, c.raw_end[len - 1])) continue;
      Validation v = ValidateIban(c.chars.substr(0, len));
      if (v.status == Validity::kValid) {
        best = len;
        confidence = v.confidence;
        break;
      }
      if (best == 0 && v.detail == "mod-97 check failed") {
        best = len;
        confidence = 0.3;
      }
    }
    if (best == 0) {
      ++i;
      continue;
    }
    size_t end = c.raw_end[best - 1];
    out.push_back({PatternKind::kIban, i, end, std::string(text.substr(i, end - i)),
                   c.chars.substr(0, best), confidence});
    i = end;
  }
  return out;
}

}  // namespace smartocr::extract
