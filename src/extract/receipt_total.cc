// Receipt fields, the amount due: the total under its keyword, corrected by the
// rounding and cash lines that follow it; and the amount after a keyword (the tax).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <regex>

#include "extract/fields_internal.h"
#include "extract/tunables.h"
#include "extract/word_lists.h"

namespace smartocr::extract::fields_internal {

namespace {

// Two decimals, as totals are printed.
std::string Cents(double value) {
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%.2f", value);
  return buf.data();
}

long ToCents(double value) { return std::lround(value * config::kCentsPerUnit); }

bool IsCashRounded(long cents) { return cents % config::kCashRoundingCents == 0; }

// A copy of `found` whose amount is `value`, with a confidence that says it was
// inferred, not read.
core::Field Corrected(const core::Field& found, double value, const std::string& why) {
  core::Field f = found;
  f.value = f.normalized = Cents(value);
  f.confidence = std::min(f.confidence, config::kInferredTotalConfidence);
  f.validator_detail = why;
  return f;
}

// The rounded total where no line shows it legibly: the total plus the adjustment on
// the rounding line when that is a few cents, else the total to the nearest 0.05
// (cash rounding) when the adjustment is unreadable. Nothing when the adjustment reads
// as zero.
std::optional<core::Field> RoundedByAdjustment(const TextLine& rounding, const core::Field& found,
                                               double total, const ExtractOptions& options) {
  long total_cents = ToCents(total);
  // The nearest multiple of the rounding step.
  long target = (total_cents + config::kCashRoundingCents / 2) / config::kCashRoundingCents *
                config::kCashRoundingCents;
  std::vector<PatternMatch> amounts = AmountsOn(rounding, options);
  if (!amounts.empty()) {
    std::optional<double> adjustment = ParseNumber(amounts.back().normalized);
    if (!adjustment) return std::nullopt;
    long adj = std::labs(ToCents(*adjustment));
    if (adj == 0 || adj > config::kMaxRoundingCents) return std::nullopt;
    if (IsCashRounded(total_cents + adj)) {
      target = total_cents + adj;
    } else if (IsCashRounded(total_cents - adj)) {
      target = total_cents - adj;
    } else {
      return std::nullopt;
    }
  }
  if (target == total_cents) return std::nullopt;
  return Corrected(found, static_cast<double>(target) / config::kCentsPerUnit,
                   "rounded to 0.05 by the rounding line");
}

// Cash totals rounded to 5 sen/cents ("Rounding Adj -0.02", then "TOTAL 41.50"): the
// amount paid is the rounded one. Looks for a rounding line shortly after the total's
// and, on it or the lines after it (the rounded total's own line may be misread, the
// tender line repeats it), an amount within 0.05 of the total that is a multiple of
// 0.05. The first such amount is taken, closer lines first.
std::optional<core::Field> RoundedTotal(const std::vector<TextLine>& lines, size_t total_line,
                                        const core::Field& found, double total,
                                        const ExtractOptions& options) {
  for (size_t j = total_line + 1; j < lines.size() && j <= total_line + config::kRoundingLineWindow;
       ++j) {
    if (lines[j].page != lines[total_line].page) break;
    std::string u = UpperAscii(lines[j].text);
    // After the tender lines a rounding line belongs to the change, not the total.
    if (HasAnyWord(u, words::kTenderWords)) break;
    if (!HasAnyWord(u, words::kRoundingWords)) continue;
    for (size_t k = j; k < lines.size() && k <= j + config::kRoundedTotalWindow; ++k) {
      if (lines[k].page != lines[j].page) break;
      for (const PatternMatch& m : AmountsOn(lines[k], options)) {
        std::optional<double> value = ParseNumber(m.normalized);
        if (!value) continue;
        long cents = ToCents(*value);
        if (std::abs(*value - total) > config::kMaxRoundingShift || ToCents(total) == cents ||
            !IsCashRounded(cents)) {
          continue;
        }
        return FieldFromSpan("total", lines[k], m.begin, m.end, m.normalized);
      }
    }
    return RoundedByAdjustment(lines[j], found, total, options);
  }
  return std::nullopt;
}

// The last amount on a line, as a number.
std::optional<std::pair<PatternMatch, double>> LastAmount(const TextLine& line,
                                                          const ExtractOptions& options) {
  std::vector<PatternMatch> amounts = AmountsOn(line, options);
  if (amounts.empty()) return std::nullopt;
  std::optional<double> value = ParseNumber(amounts.back().normalized);
  if (!value) return std::nullopt;
  return std::make_pair(amounts.back(), *value);
}

// (index of the cash line, cash - change) when a "CASH" amount is followed shortly by
// a smaller "CHANGE" amount.
std::optional<std::pair<size_t, double>> CashMinusChange(const std::vector<TextLine>& lines,
                                                         const ExtractOptions& options) {
  for (size_t i = lines.size(); i-- > 0;) {
    std::string u = UpperAscii(lines[i].text);
    if (!HasWord(u, "CASH") || HasWord(u, "CHANGE")) continue;
    auto cash = LastAmount(lines[i], options);
    if (!cash) continue;
    for (size_t j = i + 1; j < lines.size() && j <= i + config::kChangeLineWindow; ++j) {
      if (!HasWord(UpperAscii(lines[j].text), "CHANGE")) continue;
      auto change = LastAmount(lines[j], options);
      if (!change || change->second >= cash->second) break;
      return std::make_pair(i, cash->second - change->second);
    }
    return std::nullopt;
  }
  return std::nullopt;
}

// The last amount equal to `value` printed before line `end`, as the total.
std::optional<core::Field> AmountBefore(const std::vector<TextLine>& lines, size_t end,
                                        double value, const ExtractOptions& options) {
  for (size_t i = end; i-- > 0;) {
    for (const PatternMatch& m : AmountsOn(lines[i], options)) {
      std::optional<double> v = ParseNumber(m.normalized);
      if (v && std::abs(*v - value) < config::kSameAmount) {
        return FieldFromSpan("total", lines[i], m.begin, m.end, m.normalized);
      }
    }
  }
  return std::nullopt;
}

// A note in brackets ("(Total Included GST @ 6% : 0.42)"): it restates a part of the
// total, never the amount due.
bool IsAside(const std::string& u) {
  static const std::regex kBracketed(R"(^\s*\(.*\)\s*$)");
  return std::regex_search(u, kBracketed);
}

// The header row of the items table ("ITEM QTY U/P AMOUNT"): its "AMOUNT" names a
// column, and the line below it holds the first item.
bool IsColumnHeader(const std::string& u) {
  int columns = 0;
  for (std::string_view w : words::kItemColumns) columns += HasWord(u, w) ? 1 : 0;
  return columns >= config::kMinItemColumns;
}

// "NET TOTAL 174.9": one decimal at the end of a keyword line, which FindAmounts
// leaves alone.
std::optional<PatternMatch> OneDecimalAmount(const std::string& text) {
  static const std::regex kOneDecimal(R"((\d+[.,]\d)\s*$)");
  std::smatch one;
  if (!std::regex_search(text, one, kOneDecimal)) return std::nullopt;
  PatternMatch m;
  m.begin = static_cast<size_t>(one.position(1));
  m.end = m.begin + static_cast<size_t>(one.length(1));
  m.text = one[1].str();
  m.normalized = m.text;
  std::replace(m.normalized.begin(), m.normalized.end(), ',', '.');
  return m;
}

}  // namespace

std::optional<core::Field> AmountAfterKeyword(const std::string& name,
                                              const std::vector<TextLine>& lines,
                                              std::span<const std::string_view> keywords,
                                              std::span<const std::string_view> excluded,
                                              const ExtractOptions& options) {
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string u = UpperAscii(lines[i].text);
    bool hit = HasAnyWord(u, keywords);
    bool skip = HasAnyWord(u, excluded);
    if (!hit || skip) continue;
    std::vector<PatternMatch> amounts = AmountsOn(lines[i], options);
    const TextLine* where = &lines[i];
    if (amounts.empty() && i + 1 < lines.size() && lines[i + 1].page == lines[i].page) {
      where = &lines[i + 1];
      amounts = AmountsOn(*where, options);
    }
    if (amounts.empty()) continue;
    const PatternMatch& m = amounts.back();
    return FieldFromSpan(name, *where, m.begin, m.end, m.normalized);
  }
  return std::nullopt;
}

std::optional<core::Field> FindTotalField(const std::vector<TextLine>& lines,
                                          const ExtractOptions& options) {
  int best_priority = 0;
  double best_amount = 0;
  size_t best_line = 0;
  std::optional<core::Field> best;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string upper = UpperAscii(lines[i].text);
    int priority = TotalKeywordPriority(upper);
    if (priority == 0 || IsAside(upper)) continue;
    std::vector<PatternMatch> amounts = AmountsOn(lines[i], options);
    if (amounts.empty() && IsColumnHeader(upper)) continue;
    const TextLine* where = &lines[i];
    if (amounts.empty() && i + 1 < lines.size() && lines[i + 1].page == lines[i].page) {
      where = &lines[i + 1];  // the amount sits on the next line
      amounts = AmountsOn(*where, options);
    }
    if (amounts.empty()) {
      std::optional<PatternMatch> one = OneDecimalAmount(lines[i].text);
      if (!one) continue;
      amounts.push_back(*one);
      where = &lines[i];
    }
    const PatternMatch& m = amounts.back();
    std::optional<double> value = ParseNumber(m.normalized);
    if (!value) continue;
    if (priority > best_priority || (priority == best_priority && *value > best_amount)) {
      best_priority = priority;
      best_amount = *value;
      best_line = i;
      best = FieldFromSpan("total", *where, m.begin, m.end, m.normalized);
    }
  }
  if (best) {
    if (auto rounded = RoundedTotal(lines, best_line, *best, best_amount, options)) {
      best = rounded;
      best_amount = std::stod(rounded->normalized);
    }
  }
  // Cash tendered minus change is what was due: it confirms the total, or finds it
  // where the keyword or its amount was misread.
  if (auto paid = CashMinusChange(lines, options)) {
    if (!best || std::abs(best_amount - paid->second) > config::kSameAmount) {
      if (auto due = AmountBefore(lines, paid->first, paid->second, options)) best = due;
    }
  }
  return best;
}

}  // namespace smartocr::extract::fields_internal
