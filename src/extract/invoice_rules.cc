// Invoice fields: vendor, invoice number and dates, amounts, currency, VAT id, IBAN.
//
// Invoices label their fields ("Invoice No.", "Rechnungsdatum", "Total TTC"); the
// value stands right of its label on the same line or on the line below. Typed
// patterns decide what a value can be; checksums (IBAN) and arithmetic
// (subtotal + tax = total) validate it.
#include <algorithm>
#include <cmath>
#include <regex>

#include "extract/extract_internal.h"
#include "extract/fields_internal.h"
#include "extract/invoice_internal.h"
#include "extract/tunables.h"
#include "extract/word_lists.h"

namespace smartocr::extract {

using namespace fields_internal;  // NOLINT(google-build-using-namespace): module-private

namespace {

const TextLine* NextOnPage(const std::vector<TextLine>& lines, size_t i) {
  return i + 1 < lines.size() && lines[i + 1].page == lines[i].page ? &lines[i + 1] : nullptr;
}

// The document title and its number: "Avoir AV-2017-0005", or "INVOICE" over
// "# 123" ('#' is the label there, not part of the number).
std::optional<core::Field> NumberAfterTitle(const std::vector<TextLine>& lines) {
  static const std::regex kTitle(
      R"(^\s*(INVOICE|RECHNUNG|FACTURE|FACTUUR|AVOIR|GUTSCHRIFT|CREDIT NOTE|BILL)\s*$)",
      std::regex::icase);
  static const std::regex kTitled(
      R"(^\s*(INVOICE|RECHNUNG|FACTURE|FACTUUR|AVOIR|GUTSCHRIFT|CREDIT NOTE)\s+(# ?)?([A-Z0-9][A-Z0-9/_\-.]*[0-9][A-Z0-9/_\-]*)\s*$)",
      std::regex::icase);
  static const std::regex kHashValue(R"(^\s*# ?([A-Z0-9][A-Z0-9/_\-.]*[0-9][A-Z0-9/_\-]*)\s*$)",
                                     std::regex::icase);
  DateOptions dopt;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (std::regex_search(lines[i].text, m, kTitled)) {
      // "Rechnung 13.06.2018" is a date, not a number.
      if (!FindDates(m.str(3), dopt).empty()) continue;
      size_t b = static_cast<size_t>(m.position(3));
      return FieldFromSpan("invoice_number", lines[i], b, b + static_cast<size_t>(m.length(3)));
    }
    if (!std::regex_search(lines[i].text, kTitle)) continue;
    const TextLine* next = NextOnPage(lines, i);
    if (next != nullptr && std::regex_search(next->text, m, kHashValue)) {
      size_t b = static_cast<size_t>(m.position(1));
      return FieldFromSpan("invoice_number", *next, b, b + static_cast<size_t>(m.length(1)));
    }
  }
  return std::nullopt;
}

// Where no invoice number is labelled, a booking or reservation reference is the
// document's number (hotel and travel bills): right of its label or below it in the
// same column.
std::optional<core::Field> NumberUnderLabel(const std::vector<TextLine>& lines) {
  static const std::regex kLabel(
      R"(\b(BOOKING|RESERVATION|CONFIRMATION)\s*(ID|NO\.?|NUMBER|#)\s*:?)", std::regex::icase);
  static const std::regex kValue(R"(^[A-Z0-9][A-Z0-9/_\-]*[0-9][A-Z0-9/_\-]*$)", std::regex::icase);
  std::vector<TextLine> rows = invoice_internal::MergeRows(lines);
  for (size_t r = 0; r < rows.size(); ++r) {
    std::smatch m;
    if (!std::regex_search(rows[r].text, m, kLabel)) continue;
    size_t after = static_cast<size_t>(m.position(0) + m.length(0));
    // The first word right of the label.
    size_t b = rows[r].text.find_first_not_of(' ', after);
    if (b != std::string::npos) {
      size_t e = rows[r].text.find(' ', b);
      if (e == std::string::npos) e = rows[r].text.size();
      if (std::regex_match(rows[r].text.substr(b, e - b), kValue)) {
        return FieldFromSpan("invoice_number", rows[r], b, e);
      }
    }
    if (r + 1 >= rows.size() || rows[r + 1].page != rows[r].page) continue;
    core::BBox label = SpanBox(rows[r], static_cast<size_t>(m.position(0)), after);
    const TextLine& next = rows[r + 1];
    size_t offset = 0;
    for (const core::Word& w : next.words) {
      bool under = w.box.x0 < label.x1 && w.box.x1 > label.x0;
      if (under && std::regex_match(w.text, kValue)) {
        return FieldFromSpan("invoice_number", next, offset, offset + w.text.size());
      }
      offset += w.text.size() + 1;
    }
  }
  return std::nullopt;
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
  if (auto titled = NumberAfterTitle(lines)) return titled;
  if (auto booked = NumberUnderLabel(lines)) return booked;
  for (const TextLine& line : lines) {
    std::vector<PatternMatch> found = FindInvoiceNumbers(line.text);
    if (!found.empty()) {
      return FieldFromSpan("invoice_number", line, found[0].begin, found[0].end);
    }
  }
  return std::nullopt;
}

std::optional<core::Field> LabelledDate(const std::string& name, const std::vector<TextLine>& lines,
                                        std::span<const std::string_view> labels,
                                        const ExtractOptions& options) {
  DateOptions dopt{options.locale, options.today};
  for (size_t i = 0; i < lines.size(); ++i) {
    // Lower case with Latin-1 letters folded too: "FÄLLIG", "Date d'ÉCHÉANCE".
    std::string u = internal::LatinLower(lines[i].text);
    if (!HasAnyWord(u, labels)) continue;
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

// Legal forms that end a company name ("Lieferant GmbH", "Coolblue B.V.").
const std::regex& LegalSuffix() {
  static const std::regex kSuffix(
      R"(\b(GMBH|AG|A\.G\.|INC\.?|LTD\.?|LIMITED|LLC|B\.V\.|BV|N\.V\.|NV|S\.A\.|SAS|SARL|S\.R\.L\.|SP\. Z O\.O\.|PLC|CORP\.?|CORPORATION|KG|E\.K\.|OHG|SPÓŁKA)(?=[^A-Za-z0-9]|$))",
      std::regex::icase);
  return kSuffix;
}

// A line that can continue a name over two lines: letters, no label, no number, no
// sentence ("Dat betaal ik zelf wel."), no document title ("Tax Invoice").
bool NamePart(const TextLine& line) {
  static const std::regex kTitle(
      R"(\b(INVOICE|RECHNUNG|FACTURE|FACTUUR|AVOIR|GUTSCHRIFT|RECEIPT|BILL|PAGE|SEITE)\b)",
      std::regex::icase);
  static const std::regex kSentenceEnd(R"([.!?]\s*$)");
  bool sentence =
      std::regex_search(line.text, kSentenceEnd) && !std::regex_search(line.text, LegalSuffix());
  return line.text.find(':') == std::string::npos && CountDigits(line.text) == 0 &&
         CountLetters(line.text) >= config::kMinNameLetters && !sentence &&
         !std::regex_search(line.text, kTitle);
}

// `other` printed tight above or below `line` in the same column and type size: the
// same block of text. Heights and gaps are measured on the taller line: OCR boxes hug
// the ink, so a line with descenders is taller and its gap to the next looks wider
// than in a text layer.
bool SameBlock(const TextLine& line, const TextLine& other, double x0) {
  const double lo = std::min(line.box.height(), other.box.height());
  const double hi = std::max(line.box.height(), other.box.height());
  if (other.page != line.page || lo <= 0) return false;
  double gap =
      other.box.y0 >= line.box.y0 ? other.box.y0 - line.box.y1 : line.box.y0 - other.box.y1;
  return std::abs(other.box.x0 - x0) < config::kMaxBlockIndent * line.box.height() &&
         gap > config::kMinBlockGap * hi && gap < config::kNameWrapMaxGap * hi &&
         hi / lo < config::kNameWrapMaxHeightRatio;
}

// A name wrapped over two lines ("MVM Musterhafter" / "Versicherungsverein
// Musterstadt a.G."): the line tight above a name that ends in its legal form,
// left-aligned with it, joins it.
core::Field WithLineAbove(core::Field f, const std::vector<TextLine>& lines, size_t i) {
  if (i == 0 || !NamePart(lines[i - 1]) || !std::regex_search(f.value, LegalSuffix())) return f;
  if (std::regex_search(lines[i - 1].text, LegalSuffix())) return f;
  if (!SameBlock(lines[i], lines[i - 1], f.bbox.x0)) return f;
  f.value = f.normalized = lines[i - 1].text + " " + f.value;
  f.bbox = f.bbox.Union(lines[i - 1].box);
  f.confidence = std::min(f.confidence, lines[i - 1].confidence);
  return f;
}

// A name starting at line j, with the next line where it wraps before its legal form; a
// line without one below the name is a person or department.
std::vector<const TextLine*> WrappedName(const std::vector<TextLine>& lines, size_t j) {
  std::vector<const TextLine*> name = {&lines[j]};
  if (!std::regex_search(lines[j].text, LegalSuffix()) && j + 1 < lines.size() &&
      NamePart(lines[j + 1]) && std::regex_search(lines[j + 1].text, LegalSuffix()) &&
      SameBlock(lines[j], lines[j + 1], lines[j].box.x0)) {
    name.push_back(&lines[j + 1]);
  }
  return name;
}

// Two lines on one row of a form: each one's middle lies within the other's height (a
// label's box may be much taller than its value's).
bool MiddlesAligned(const TextLine& a, const TextLine& b) {
  return a.page == b.page && a.box.cy() >= b.box.y0 && a.box.cy() <= b.box.y1 &&
         b.box.cy() >= a.box.y0 && b.box.cy() <= a.box.y1;
}

// The nearest line right of line i on its row: the value of a form whose labels and
// values were read as separate columns (a scan read "Name:" in one block, the name in
// another).
std::optional<size_t> LineRightOf(const std::vector<TextLine>& lines, size_t i) {
  std::optional<size_t> best;
  for (size_t k = 0; k < lines.size(); ++k) {
    if (k == i || lines[k].box.x0 < lines[i].box.x1 || !MiddlesAligned(lines[i], lines[k])) {
      continue;
    }
    if (!best || lines[k].box.x0 < lines[*best].box.x0) best = k;
  }
  return best;
}

// "Name: Lieferant GmbH" -> the span after the label; a bare "Name:" -> the name right
// of it on its row.
std::optional<core::Field> AfterNameLabel(const std::vector<TextLine>& lines, size_t i) {
  static const std::regex kNameLabel(R"(^\s*(NAME|FIRMA|COMPANY|RAISON SOCIALE)\s*:\s*)",
                                     std::regex::icase);
  const TextLine& line = lines[i];
  std::smatch m;
  if (!std::regex_search(line.text, m, kNameLabel)) return std::nullopt;
  size_t begin = static_cast<size_t>(m.length(0));
  if (begin < line.text.size()) {
    return WithLineAbove(FieldFromSpan("vendor_name", line, begin, line.text.size()), lines, i);
  }
  std::optional<size_t> value = LineRightOf(lines, i);
  if (!value || !NamePart(lines[*value])) return std::nullopt;
  // The value cell may be centred on its label: the name's first line above the row.
  return WithLineAbove(FieldFromLines("vendor_name", WrappedName(lines, *value)), lines, *value);
}

// The seller under a heading ("Verkäufer", also as OCR reads it without its umlaut,
// "Seller", "Vendeur", "From"): the "Name:" line of that block, or its first line that
// is not an id ("Globale Nummer: ..."), with the next one where the name wraps.
std::optional<core::Field> VendorUnderHeading(const std::vector<TextLine>& lines) {
  static const std::regex kHeading(
      R"(^\s*(VERK(Ä|ä|AE|A)UFER|SELLER|VENDOR|SUPPLIER|VENDEUR|FOURNISSEUR|RECHNUNGSSTELLER|FROM)\s*:?\s*$)",
      std::regex::icase);
  for (size_t i = 0; i < lines.size(); ++i) {
    // Letter-spaced print: "Ver käufer :".
    std::string compact;
    for (char c : lines[i].text) {
      if (c != ' ') compact += c;
    }
    if (!std::regex_search(compact, kHeading)) continue;
    for (size_t j = i + 1; j < lines.size() && j <= i + config::kSellerNameLabelWindow; ++j) {
      if (auto named = AfterNameLabel(lines, j)) return named;
    }
    size_t j = i + 1;
    while (j < lines.size() && j <= i + config::kSellerIdLines && lines[j].page == lines[i].page &&
           lines[j].text.find(':') != std::string::npos && CountDigits(lines[j].text) > 0) {
      ++j;  // an id line: "Globale Nummer: 1234567890128 (GTIN)"
    }
    if (j >= lines.size() || lines[j].page != lines[i].page || !NamePart(lines[j])) continue;
    return FieldFromLines("vendor_name", WrappedName(lines, j));
  }
  return std::nullopt;
}

// "Amazon Web Services Invoice": a title that names its issuer before the document
// word. Two capitalised words at least, none of them a kind of invoice ("Tax
// Invoice", "Pro Forma Invoice").
std::optional<core::Field> IssuerInTitle(const TextLine& line) {
  static const std::regex kTitle(
      R"(^\s*((?:[A-Z][A-Za-z&.'\-]*\s+){2,5})(INVOICE|Invoice|RECHNUNG|Rechnung|FACTURE|Facture|FACTUUR|Factuur)\s*$)");
  std::smatch m;
  if (!std::regex_search(line.text, m, kTitle)) return std::nullopt;
  std::string name = m.str(1);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  if (HasAnyWord(UpperAscii(name), words::kInvoiceKinds)) return std::nullopt;
  size_t b = static_cast<size_t>(m.position(1));
  return FieldFromSpan("vendor_name", line, b, b + name.size());
}

// "Sold By : WS Retail Services Pvt. Ltd.,": the seller right of its label.
std::optional<core::Field> AfterSellerLabel(const std::vector<TextLine>& lines) {
  static const std::regex kLabel(
      R"(^\s*(SOLD BY|SELLER|VENDOR|SUPPLIER|VENDEUR|VERK(Ä|ä|AE|A)UFER|LIEFERANT)\s*:\s*)",
      std::regex::icase);
  for (const TextLine& line : lines) {
    std::smatch m;
    if (!std::regex_search(line.text, m, kLabel)) continue;
    size_t b = static_cast<size_t>(m.length(0));
    size_t e = line.text.size();
    while (e > b && (line.text[e - 1] == ',' || line.text[e - 1] == ' ')) --e;
    if (CountLetters(line.text.substr(b, e - b)) >= config::kMinNameLetters) {
      return FieldFromSpan("vendor_name", line, b, e);
    }
  }
  return std::nullopt;
}

std::optional<core::Field> VendorName(const std::vector<TextLine>& lines) {
  if (auto v = VendorUnderHeading(lines)) return v;
  if (auto v = AfterSellerLabel(lines)) return v;
  int first = -1;
  for (size_t i = 0; i < lines.size() && i < config::kVendorSearchLines; ++i) {
    if (lines[i].page != lines.front().page) break;
    std::string u = UpperAscii(lines[i].text);
    if (CountLetters(u) < config::kMinNameLetters) continue;
    if (auto titled = IssuerInTitle(lines[i])) return titled;
    if (HasAnyWord(u, words::kNotVendorWords)) continue;
    std::smatch suffix;
    if (std::regex_search(lines[i].text, suffix, LegalSuffix())) {
      size_t end = static_cast<size_t>(suffix.position(0) + suffix.length(0));
      std::string rest = lines[i].text.substr(end);
      // Seller and buyer side by side ("MUSTERLIEFERANT GMBH MUSTER-KUNDE GMBH"): the
      // seller is the first name, on the left. A sender line ("Au bon moulin SARL -
      // 1242 chemin ...") ends the name at its first separator.
      static const std::regex kSeparator(R"(^\s*[-|·•,]\s)");
      if (std::regex_search(rest, LegalSuffix()) || std::regex_search(rest, kSeparator)) {
        return FieldFromSpan("vendor_name", lines[i], 0, end);
      }
      return WithLineAbove(FieldFromLines("vendor_name", {&lines[i]}), lines, i);
    }
    if (first < 0) first = static_cast<int>(i);
  }
  if (first < 0) return std::nullopt;
  return FieldFromLines("vendor_name", {&lines[static_cast<size_t>(first)]});
}

std::optional<double> ToNumber(const std::optional<core::Field>& f) {
  return f ? ParseNumber(f->normalized) : std::nullopt;
}

// The first printed amount equal to `value` (to the cent), as a field.
std::optional<core::Field> PrintedAmount(const std::vector<TextLine>& lines, double value,
                                         const ExtractOptions& options) {
  for (const TextLine& line : lines) {
    for (const PatternMatch& m : AmountsOn(line, options)) {
      std::optional<double> v = ParseNumber(m.normalized);
      if (v && std::abs(*v - value) < config::kSameCent) {
        return FieldFromSpan("amount", line, m.begin, m.end, m.normalized);
      }
    }
  }
  return std::nullopt;
}

// The issue date: the date beside the number ("Rechnung Nr. 471113 vom 13.06.2018",
// "Invoice 123 dated ..."), whatever other dates the page carries; else the date
// under an issue date label, then under any date label; else the first date.
std::optional<core::Field> InvoiceDate(const std::vector<TextLine>& lines,
                                       const std::optional<core::Field>& number,
                                       const ExtractOptions& options) {
  DateOptions dopt{options.locale, options.today};
  if (number) {
    for (const TextLine& line : lines) {
      size_t at = line.text.find(number->value);
      if (line.page != number->page || at == std::string::npos) continue;
      size_t from = at + number->value.size();
      std::vector<PatternMatch> dates = FindDates(std::string_view(line.text).substr(from), dopt);
      if (dates.empty()) break;
      core::Field date = FieldFromSpan("invoice_date", line, from + dates[0].begin,
                                       from + dates[0].end, dates[0].normalized);
      ApplyValidation(date, ValidateDate(dates[0].normalized, options.today));
      return date;
    }
  }
  if (auto date = LabelledDate("invoice_date", lines, words::kIssueDateLabels, options)) {
    return date;
  }
  if (auto date = LabelledDate("invoice_date", lines, words::kDateLabels, options)) return date;
  for (const TextLine& line : lines) {
    auto dates = FindDates(line.text, dopt);
    if (dates.empty()) continue;
    return FieldFromSpan("invoice_date", line, dates[0].begin, dates[0].end, dates[0].normalized);
  }
  return std::nullopt;
}

// Subtotal, tax and total, those found, the total checked against the other two.
void AddAmounts(const std::vector<TextLine>& lines, const ExtractOptions& options,
                std::vector<core::Field>& out) {
  invoice_internal::InvoiceAmounts amounts = invoice_internal::FindInvoiceAmounts(lines, options);
  auto subtotal = amounts.subtotal;
  auto tax = amounts.tax;
  auto total = amounts.total;
  if (!total) {
    // No labelled total in the invoice vocabulary: the receipt rules' keywords, and
    // net + tax = total to pick the tax among printed amounts.
    total = FindTotalField(lines, options);
    if (!subtotal) {
      subtotal = AmountAfterKeyword("subtotal", lines, words::kSubtotalLabels, words::kNotSubtotal,
                                    options);
    }
    auto net = ToNumber(subtotal), gross = ToNumber(total), t = ToNumber(tax);
    if (net && gross && (!t || std::abs(*net + *t - *gross) > config::kAddsUpTolerance)) {
      if (auto fit = PrintedAmount(lines, *gross - *net, options)) {
        fit->name = "tax";
        tax = fit;
      }
    }
  }
  // A credit note states its amounts positive (EN 16931); the print carries a minus.
  if (invoice_internal::IsCreditNote(lines)) {
    for (auto* f : {&subtotal, &tax, &total}) {
      if (*f && !(*f)->normalized.empty() && (*f)->normalized[0] == '-') {
        (*f)->normalized.erase(0, 1);
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
}

// The first IBAN (validated) and the first VAT id on the page.
void AddPaymentIds(const std::vector<TextLine>& lines, std::vector<core::Field>& out) {
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
}

}  // namespace

std::vector<core::Field> ExtractInvoiceFields(const std::vector<TextLine>& lines,
                                              const ExtractOptions& options) {
  std::vector<core::Field> out;
  if (lines.empty()) return out;
  if (auto v = VendorName(lines)) out.push_back(*v);
  auto number = InvoiceNumber(lines);
  if (number) out.push_back(*number);
  if (auto date = InvoiceDate(lines, number, options)) out.push_back(*date);
  if (auto due = LabelledDate("due_date", lines, words::kDueDateLabels, options)) {
    out.push_back(*due);
  }
  AddAmounts(lines, options, out);
  if (auto currency = CurrencyField(lines, options)) out.push_back(*currency);
  AddPaymentIds(lines, out);
  return out;
}

}  // namespace smartocr::extract
