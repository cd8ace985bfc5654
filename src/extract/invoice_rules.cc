// Invoice fields: vendor, invoice number and dates, amounts, currency, VAT id, IBAN.
//
// Invoices label their fields ("Invoice No.", "Rechnungsdatum", "Total TTC"); the
// value stands right of its label on the same line or on the line below. Typed
// patterns decide what a value can be; checksums (IBAN) and arithmetic
// (subtotal + tax = total) validate it.
#include <algorithm>
#include <regex>

#include "extract/fields_internal.h"

namespace smartocr::extract {

using namespace fields_internal;  // NOLINT(google-build-using-namespace): module-private

namespace {

const TextLine* NextOnPage(const std::vector<TextLine>& lines, size_t i) {
  return i + 1 < lines.size() && lines[i + 1].page == lines[i].page ? &lines[i + 1] : nullptr;
}

std::optional<core::Field> InvoiceNumber(const std::vector<TextLine>& lines) {
  static const std::regex kLabel(
      R"((INVOICE|INV|RECHNUNG|FACTURE|BILL|RECEIPT|DOCUMENT)\s*(NUMBER|NUMMER|NO\.?|NR\.?|N[°O]\.?|#|-NR\.?)\s*[:.#]?\s*)",
      std::regex::icase);
  static const std::regex kValue(R"(^#?[A-Z0-9][A-Z0-9/_\-.]*[0-9][A-Z0-9/_\-]*)",
                                 std::regex::icase);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch label;
    if (!std::regex_search(lines[i].text, label, kLabel)) continue;
    size_t after = static_cast<size_t>(label.position(0) + label.length(0));
    std::string rest = lines[i].text.substr(after);
    std::smatch value;
    if (std::regex_search(rest, value, kValue)) {
      return FieldFromSpan("invoice_number", lines[i], after,
                           after + static_cast<size_t>(value.length(0)));
    }
    if (const TextLine* next = NextOnPage(lines, i)) {
      if (std::regex_search(next->text, value, kValue)) {
        return FieldFromSpan("invoice_number", *next, 0, static_cast<size_t>(value.length(0)));
      }
    }
  }
  for (const TextLine& line : lines) {
    std::vector<PatternMatch> found = FindInvoiceNumbers(line.text);
    if (!found.empty()) {
      return FieldFromSpan("invoice_number", line, found[0].begin, found[0].end);
    }
  }
  return std::nullopt;
}

std::optional<core::Field> LabelledDate(const std::string& name, const std::vector<TextLine>& lines,
                                        const std::vector<std::string>& labels,
                                        const ExtractOptions& options) {
  DateOptions dopt{options.locale, options.today};
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string u = UpperAscii(lines[i].text);
    if (!std::any_of(labels.begin(), labels.end(),
                     [&](const std::string& l) { return HasWord(u, l); })) {
      continue;
    }
    for (const TextLine* where : {&lines[i], NextOnPage(lines, i)}) {
      if (where == nullptr) continue;
      std::vector<PatternMatch> dates = FindDates(where->text, dopt);
      if (!dates.empty()) {
        core::Field f =
            FieldFromSpan(name, *where, dates[0].begin, dates[0].end, dates[0].normalized);
        ApplyValidation(f, ValidateDate(dates[0].normalized, options.today));
        return f;
      }
    }
  }
  return std::nullopt;
}

std::optional<core::Field> VendorName(const std::vector<TextLine>& lines) {
  static const std::regex kSuffix(
      R"(\b(GMBH|AG|INC\.?|LTD\.?|LIMITED|LLC|B\.V\.|BV|S\.A\.|SAS|SARL|S\.R\.L\.|SP\. Z O\.O\.|PLC|CORP\.?|CORPORATION|KG|E\.K\.|OHG|SPÓŁKA)\b)",
      std::regex::icase);
  int first = -1;
  for (size_t i = 0; i < lines.size() && i < 15; ++i) {
    if (lines[i].page != lines.front().page) break;
    std::string u = UpperAscii(lines[i].text);
    if (CountLetters(u) < 3) continue;
    bool generic = false;
    for (const char* g : {"INVOICE", "RECHNUNG", "FACTURE", "PAGE", "SEITE", "TAX", "ORIGINAL",
                          "COPY", "DATE", "BILL TO", "SHIP TO"}) {
      generic = generic || HasWord(u, g);
    }
    if (generic) continue;
    if (std::regex_search(lines[i].text, kSuffix)) {
      return FieldFromLines("vendor_name", {&lines[i]});
    }
    if (first < 0) first = static_cast<int>(i);
  }
  if (first < 0) return std::nullopt;
  return FieldFromLines("vendor_name", {&lines[static_cast<size_t>(first)]});
}

std::optional<double> ToNumber(const std::optional<core::Field>& f) {
  if (!f) return std::nullopt;
  try {
    return std::stod(f->normalized);
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

std::vector<core::Field> ExtractInvoiceFields(const std::vector<TextLine>& lines,
                                              const ExtractOptions& options) {
  std::vector<core::Field> out;
  if (lines.empty()) return out;
  if (auto v = VendorName(lines)) out.push_back(*v);
  if (auto n = InvoiceNumber(lines)) out.push_back(*n);
  auto date = LabelledDate("invoice_date", lines,
                           {"INVOICE DATE", "DATE", "DATUM", "RECHNUNGSDATUM", "ISSUE DATE",
                            "DATE DE FACTURE", "FACTURE DU", "DATA"},
                           options);
  if (!date) {
    DateOptions dopt{options.locale, options.today};
    for (const TextLine& line : lines) {
      auto dates = FindDates(line.text, dopt);
      if (dates.empty()) continue;
      date = FieldFromSpan("invoice_date", line, dates[0].begin, dates[0].end, dates[0].normalized);
      break;
    }
  }
  if (date) out.push_back(*date);
  if (auto due = LabelledDate(
          "due_date", lines,
          {"DUE DATE", "PAYMENT DUE", "DUE", "FÄLLIG", "ZAHLBAR BIS", "ÉCHÉANCE", "ECHEANCE"},
          options)) {
    out.push_back(*due);
  }
  auto subtotal = AmountAfterKeyword("subtotal", lines,
                                     {"SUBTOTAL", "SUB TOTAL", "SUB-TOTAL", "NET", "NETTO",
                                      "TOTAL HT", "NETTOBETRAG", "TOTAL EXCL", "AMOUNT EXCL"},
                                     {"NET À PAYER"}, options);
  auto tax = AmountAfterKeyword(
      "tax", lines, {"VAT", "TAX", "MWST", "UST", "TVA", "GST"},
      {"ID", "NO", "NUMBER", "REG", "INVOICE", "EXCL", "INCL", "NUMMER", "NR"}, options);
  auto total = FindTotalField(lines, options);
  if (subtotal) out.push_back(*subtotal);
  if (tax) out.push_back(*tax);
  if (total) {
    AmountSet set;
    set.subtotal = ToNumber(subtotal);
    set.tax = ToNumber(tax);
    set.total = ToNumber(total);
    if (set.subtotal && set.tax) ApplyValidation(*total, ValidateAmounts(set));
    out.push_back(*total);
  }
  if (auto currency = CurrencyField(lines, options)) out.push_back(*currency);
  for (const TextLine& line : lines) {
    auto ibans = FindIbans(line.text);
    if (ibans.empty()) continue;
    core::Field f = FieldFromSpan("iban", line, ibans[0].begin, ibans[0].end, ibans[0].normalized);
    ApplyValidation(f, ValidateIban(ibans[0].normalized));
    out.push_back(f);
    break;
  }
  for (const TextLine& line : lines) {
    auto vat = FindVatIds(line.text);
    if (vat.empty()) continue;
    out.push_back(
        FieldFromSpan("vendor_vat_id", line, vat[0].begin, vat[0].end, vat[0].normalized));
    break;
  }
  return out;
}

}  // namespace smartocr::extract
