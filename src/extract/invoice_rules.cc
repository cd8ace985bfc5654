// Invoice fields: vendor, invoice number and dates, amounts, currency, VAT id, IBAN.
//
// Invoices label their fields ("Invoice No.", "Rechnungsdatum", "Total TTC"); the
// value stands right of its label on the same line or on the line below. Typed
// patterns decide what a value can be; checksums (IBAN) and arithmetic
// (subtotal + tax = total) validate it.
#include <algorithm>
#include <cmath>
#include <regex>

#include "extract/fields_internal.h"

namespace smartocr::extract {

using namespace fields_internal;  // NOLINT(google-build-using-namespace): module-private

namespace {

const TextLine* NextOnPage(const std::vector<TextLine>& lines, size_t i) {
  return i + 1 < lines.size() && lines[i + 1].page == lines[i].page ? &lines[i + 1] : nullptr;
}

std::optional<core::Field> InvoiceNumber(const std::vector<TextLine>& lines) {
  // The document word may carry a type code or a qualifier before the number label:
  // "Handelsrechnung (380) Nr.", "Rechnung des Versicherers Nr.", "Beleg-Nr :".
  static const std::regex kLabel(
      R"((INVOICE|INV|RECHNUNG|RECHNUNGS|FACTURE|FACTUUR|AVOIR|BILL|RECEIPT|DOCUMENT|BELEG|GUTSCHRIFT)[A-Z]*(\s*\(\d+\)|\s+[A-Z]{2,}){0,3}\s*(NUMBER|NUMMER|NO\.?|NR\.?|N[°O]\.?|#|-NR\.?)\s*[:.#]?\s*)",
      std::regex::icase);
  static const std::regex kValue(R"(^(# ?)?[A-Z0-9][A-Z0-9/_\-.]*[0-9][A-Z0-9/_\-]*)",
                                 std::regex::icase);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch label;
    if (!std::regex_search(lines[i].text, label, kLabel)) continue;
    size_t after = static_cast<size_t>(label.position(0) + label.length(0));
    std::string rest = lines[i].text.substr(after);
    std::smatch value;
    if (std::regex_search(rest, value, kValue)) {
      core::Field f = FieldFromSpan("invoice_number", lines[i], after,
                                    after + static_cast<size_t>(value.length(0)));
      // "# BLR_123": the number is written "#BLR_123".
      if (f.value.rfind("# ", 0) == 0) f.value = f.normalized = "#" + f.value.substr(2);
      return f;
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

// "Name: Lieferant GmbH" -> the span after the label.
std::optional<core::Field> AfterNameLabel(const TextLine& line) {
  static const std::regex kNameLabel(R"(^\s*(NAME|FIRMA|COMPANY|RAISON SOCIALE)\s*:\s*)",
                                     std::regex::icase);
  std::smatch m;
  if (!std::regex_search(line.text, m, kNameLabel)) return std::nullopt;
  size_t begin = static_cast<size_t>(m.length(0));
  if (begin >= line.text.size()) return std::nullopt;
  return FieldFromSpan("vendor_name", line, begin, line.text.size());
}

// The seller under a heading ("Verkäufer", "Seller", "Vendeur", "From"): the "Name:"
// line of that block, or its first line.
std::optional<core::Field> VendorUnderHeading(const std::vector<TextLine>& lines) {
  static const std::regex kHeading(
      R"(^\s*(VERK(Ä|ä|AE)UFER|SELLER|VENDOR|SUPPLIER|VENDEUR|FOURNISSEUR|RECHNUNGSSTELLER|FROM)\s*:?\s*$)",
      std::regex::icase);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!std::regex_search(lines[i].text, kHeading)) continue;
    for (size_t j = i + 1; j < lines.size() && j <= i + 4; ++j) {
      if (auto named = AfterNameLabel(lines[j])) return named;
    }
    const TextLine* next = NextOnPage(lines, i);
    if (next != nullptr && next->text.find(':') == std::string::npos &&
        CountLetters(UpperAscii(next->text)) >= 3) {
      return FieldFromLines("vendor_name", {next});
    }
  }
  return std::nullopt;
}

std::optional<core::Field> VendorName(const std::vector<TextLine>& lines) {
  if (auto v = VendorUnderHeading(lines)) return v;
  static const std::regex kSuffix(
      R"(\b(GMBH|AG|INC\.?|LTD\.?|LIMITED|LLC|B\.V\.|BV|S\.A\.|SAS|SARL|S\.R\.L\.|SP\. Z O\.O\.|PLC|CORP\.?|CORPORATION|KG|E\.K\.|OHG|SPÓŁKA)\b)",
      std::regex::icase);
  int first = -1;
  for (size_t i = 0; i < lines.size() && i < 15; ++i) {
    if (lines[i].page != lines.front().page) break;
    std::string u = UpperAscii(lines[i].text);
    if (CountLetters(u) < 3) continue;
    bool generic = false;
    for (const char* g :
         {"INVOICE", "RECHNUNG", "FACTURE", "PAGE", "SEITE", "TAX", "ORIGINAL", "COPY", "DATE",
          "BILL TO", "SHIP TO", "(C)", "FACTUUR", "STYLESHEET", "ATTN"}) {
      generic = generic || HasWord(u, g);
    }
    if (generic) continue;
    std::smatch suffix;
    if (std::regex_search(lines[i].text, suffix, kSuffix)) {
      // Seller and buyer side by side ("MUSTERLIEFERANT GMBH MUSTER-KUNDE GMBH"): the
      // seller is the first name, on the left.
      size_t end = static_cast<size_t>(suffix.position(0) + suffix.length(0));
      std::string rest = lines[i].text.substr(end);
      if (std::regex_search(rest, kSuffix)) return FieldFromSpan("vendor_name", lines[i], 0, end);
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

// The first printed amount equal to `value` (to the cent), as a field.
std::optional<core::Field> PrintedAmount(const std::vector<TextLine>& lines, double value,
                                         const ExtractOptions& options) {
  for (const TextLine& line : lines) {
    for (const PatternMatch& m : AmountsOn(line, options)) {
      double v = 0;
      try {
        v = std::stod(m.normalized);
      } catch (...) {
        continue;
      }
      if (std::abs(v - value) < 0.005) {
        return FieldFromSpan("amount", line, m.begin, m.end, m.normalized);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<core::Field> ExtractInvoiceFields(const std::vector<TextLine>& lines,
                                              const ExtractOptions& options) {
  std::vector<core::Field> out;
  if (lines.empty()) return out;
  if (auto v = VendorName(lines)) out.push_back(*v);
  auto number = InvoiceNumber(lines);
  if (number) out.push_back(*number);
  // "Rechnung Nr. 471113 vom 13.06.2018", "Invoice 123 dated ...": the date beside the
  // number is the issue date, whatever other dates the page carries.
  std::optional<core::Field> date;
  if (number) {
    DateOptions dopt{options.locale, options.today};
    for (const TextLine& line : lines) {
      size_t at = line.text.find(number->value);
      if (line.page != number->page || at == std::string::npos) continue;
      size_t from = at + number->value.size();
      std::vector<PatternMatch> dates = FindDates(std::string_view(line.text).substr(from), dopt);
      if (!dates.empty()) {
        date = FieldFromSpan("invoice_date", line, from + dates[0].begin, from + dates[0].end,
                             dates[0].normalized);
        ApplyValidation(*date, ValidateDate(dates[0].normalized, options.today));
      }
      break;
    }
  }
  if (!date) {
    // Specific labels first: "Order Date" or a print date may precede "Invoice Date".
    date = LabelledDate("invoice_date", lines,
                        {"INVOICE DATE", "RECHNUNGSDATUM", "ISSUE DATE", "DATE DE FACTURE",
                         "FACTURE DU", "FACTUURDATUM", "DATE OF ISSUE", "BELEG-DATUM"},
                        options);
  }
  if (!date) {
    date = LabelledDate("invoice_date", lines, {"DATE", "DATUM", "DATA"}, options);
  }
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
  auto subtotal = AmountAfterKeyword(
      "subtotal", lines,
      {"SUBTOTAL", "SUB TOTAL", "SUB-TOTAL", "NET", "NETTO", "TOTAL HT", "NETTOBETRAG",
       "TOTAL EXCL", "AMOUNT EXCL", "OHNE UST", "OHNE MWST", "HORS TAXE"},
      {"NET À PAYER"}, options);
  // Labels that name the tax amount itself come first; bare tax words also head rates,
  // ids and net sums.
  auto tax = AmountAfterKeyword(
      "tax", lines,
      {"STEUERBETRAG", "MWST-BETRAG", "UST.-BETRAG", "TAX AMOUNT", "TOTAL TAX", "TOTAL VAT",
       "VAT AMOUNT", "MONTANT TVA", "TOTAL TVA", "VERSICHERUNGSTEUER"},
      {"ID", "NR", "NUMMER"}, options);
  if (!tax) {
    tax = AmountAfterKeyword(
        "tax", lines, {"VAT", "TAX", "MWST", "UST", "TVA", "GST"},
        {"ID", "NO", "NUMBER", "REG", "INVOICE", "EXCL", "INCL", "NUMMER", "NR", "OHNE", "HT"},
        options);
  }
  auto total = FindTotalField(lines, options);
  // Net + tax = total: where the tax read does not fit, a printed amount that does is
  // the tax.
  if (subtotal && total) {
    auto net = ToNumber(subtotal), gross = ToNumber(total), t = ToNumber(tax);
    if (net && gross && (!t || std::abs(*net + *t - *gross) > 0.011)) {
      if (auto fit = PrintedAmount(lines, *gross - *net, options)) {
        fit->name = "tax";
        tax = fit;
      }
    }
  }
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
