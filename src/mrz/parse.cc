// src/mrz/parse.cc
//
// Parsing MRZ lines into fields (ICAO 9303 parts 4-6): shape, repair, check digits,
// and the two-digit years expanded against the caller's reference day.
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "mrz/internal/layout.h"
#include "mrz/internal/repair.h"
#include "mrz/internal/text.h"
#include "mrz/mrz.h"
#include "mrz/tunables.h"

namespace smartocr::mrz {
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
core::Date ExpandMrzDate(std::string_view raw, bool birth, const core::Date& today) {
  if (raw.size() != 6) return {};
  for (char c : raw) {
    if (!core::IsDigit(c)) return {};
  }
  int yy = (raw[0] - '0') * 10 + (raw[1] - '0');
  core::Date d{(today.year / 100) * 100 + yy, (raw[2] - '0') * 10 + (raw[3] - '0'),
               (raw[4] - '0') * 10 + (raw[5] - '0')};
  if (birth) {
    // A birth date is never in the future.
    if (core::Date{d.year, d.month, d.day} > today) d.year -= 100;
  } else {
    // Documents are valid for at most a few decades.
    if (d.year > today.year + config::kExpiryMaxYearsAhead) d.year -= 100;
    if (d.year <= today.year - config::kExpiryMaxYearsPast) d.year += 100;
  }
  return core::IsValidDate(d) ? d : core::Date{};
}

// Every field but the expanded dates.
void FillFields(const internal::MrzLayout& layout, const MrzText& text, MrzFields& f) {
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
  const Span& printed = layout.number_check;
  if (layout.type == MrzType::kTd1 && text[printed.line][printed.start] == "<") {
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
}

// The lines as glyphs (spaces removed, upper-cased, blank lines skipped) and their
// layout; null when they fit none.
const internal::MrzLayout* NormalizedLayout(const std::vector<std::string>& lines, MrzText& text) {
  for (const std::string& line : lines) {
    std::string clean = core::AsciiUpper(core::Trim(core::RemoveSpaces(line)));
    if (clean.empty()) continue;
    text.push_back(core::SplitGlyphs(clean));
  }
  int width = text.empty() ? 0 : static_cast<int>(text[0].size());
  for (const auto& line : text) {
    if (static_cast<int>(line.size()) != width) width = -1;
  }
  return width > 0 ? internal::FindLayout(static_cast<int>(text.size()), width, text[0][0])
                   : nullptr;
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

core::Result<MrzFields> internal::ParseMrzUndated(const std::vector<std::string>& lines,
                                                  const MrzOptions& options) {
  MrzText text;
  const MrzLayout* layout = NormalizedLayout(lines, text);
  if (layout == nullptr) {
    return core::InvalidArgument("mrz_shape",
                                 "MRZ must be 3 lines of 30, or 2 lines of 36 or 44 characters");
  }

  MrzText original = text;
  if (options.repair) {
    RepairMrz(*layout, options.max_changes_per_field, options.max_changes_total, text);
  }

  MrzFields f;
  f.type = layout->type;
  auto classes = ClassesOf(*layout);
  for (int l = 0; l < layout->line_count; ++l) {
    std::string joined;
    for (int k = 0; k < layout->width; ++k) {
      joined += text[l][k];
      if (text[l][k] != original[l][k]) {
        bool guided = classes[l][k] == CharClass::kAlnum;
        f.repairs.push_back({l, k, original[l][k], text[l][k], guided});
      }
    }
    f.lines.push_back(joined);
  }
  FillFields(*layout, text, f);
  f.all_checks_valid = true;
  for (const CheckDef& def : ChecksOf(*layout, text)) {
    MrzCheck check;
    check.name = def.name;
    const std::string& g = text[def.digit.line][def.digit.start];
    check.printed = g.size() == 1 ? g[0] : '?';
    check.computed = CheckDigitOver(text, def.covers);
    check.valid = CheckDigitMatches(text, def.digit, check.computed);
    f.all_checks_valid = f.all_checks_valid && check.valid;
    f.checks.push_back(check);
  }
  return f;
}

core::Result<MrzFields> ParseMrz(const std::vector<std::string>& lines, const MrzOptions& options) {
  if (!core::IsValidDate(options.today)) {
    return core::InvalidArgument("mrz_today", "MrzOptions.today is not a valid date");
  }
  core::Result<MrzFields> f = internal::ParseMrzUndated(lines, options);
  if (!f.ok()) return f;
  core::Date birth = ExpandMrzDate(f->birth_date_raw, /*birth=*/true, options.today);
  core::Date expiry = ExpandMrzDate(f->expiry_date_raw, /*birth=*/false, options.today);
  f->birth_date = core::IsValidDate(birth) ? core::FormatIsoDate(birth) : "";
  f->expiry_date = core::IsValidDate(expiry) ? core::FormatIsoDate(expiry) : "";
  return f;
}

}  // namespace smartocr::mrz
