// Receipt fields: company, address, date, time, total, tax, currency.
//
// Receipts put the seller at the top (name, then registration number, then the
// address), the date somewhere in the header, and the total after the items under
// one of a few keywords. The rules follow that order and stay independent of any one
// shop's layout: the seller in receipt_seller.cc, the total in receipt_total.cc, the
// date and the assembly here.
#include <algorithm>
#include <regex>

#include "extract/fields_internal.h"
#include "extract/lexicon.h"
#include "extract/word_lists.h"

namespace smartocr::extract {

using namespace fields_internal;  // NOLINT(google-build-using-namespace): module-private

namespace {

std::optional<core::Field> DateField(const std::vector<TextLine>& lines,
                                     const ExtractOptions& options, core::Field* time) {
  DateOptions dopt{options.locale, options.today};
  static const std::regex kTime(R"(\b([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?(\s?[AP]M)?\b)",
                                std::regex::icase);
  for (const TextLine& line : lines) {
    for (const PatternMatch& m : FindDates(line.text, dopt)) {
      core::Field f = FieldFromSpan("date", line, m.begin, m.end, m.normalized);
      ApplyValidation(f, ValidateDate(m.normalized, options.today));
      if (f.validator_status == "invalid") continue;
      std::smatch t;
      std::string rest = line.text.substr(m.end);
      if (time != nullptr && std::regex_search(rest, t, kTime)) {
        size_t begin = m.end + static_cast<size_t>(t.position(0));
        *time = FieldFromSpan("time", line, begin, begin + static_cast<size_t>(t.length(0)));
      }
      return f;
    }
  }
  for (const TextLine& line : lines) {
    if (auto m = FindMisreadDate(line.text, dopt)) {
      core::Field f = FieldFromSpan("date", line, m->begin, m->end, m->normalized);
      ApplyValidation(f, ValidateDate(m->normalized, options.today));
      // A repaired digit is a guess the validator cannot see.
      f.confidence = std::min(f.confidence, m->confidence);
      return f;
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<core::Field> ExtractReceiptFields(const std::vector<TextLine>& lines,
                                              const ExtractOptions& options) {
  std::vector<core::Field> out;
  if (lines.empty()) return out;
  out = ReceiptSellerFields(MergeRows(lines));
  CorrectFromLexicon(*LexiconOf(options), out);
  core::Field time;
  if (auto date = DateField(lines, options, &time)) {
    out.push_back(*date);
    if (!time.name.empty()) out.push_back(time);
  }
  if (auto total = FindTotalField(MergeRows(lines), options)) out.push_back(*total);
  if (auto tax =
          AmountAfterKeyword("tax", lines, words::kTaxLabels, words::kNotTaxAmount, options)) {
    out.push_back(*tax);
  }
  if (auto currency = CurrencyField(lines, options)) out.push_back(*currency);
  return out;
}

}  // namespace smartocr::extract
