// Line items of receipts and invoices from column alignment: between the items'
// header row ("Qty Description Price Amount") and the first subtotal/total line,
// every row ending in an amount is an item; its description is the text before the
// numbers, the quantity and unit price the numbers before the amount. Rows without
// a description take the description-only row above them (receipts print long names
// on a line of their own).
#include <algorithm>
#include <cmath>
#include <regex>

#include "extract/fields_internal.h"
#include "extract/tunables.h"

namespace smartocr::extract {

using namespace fields_internal;  // NOLINT(google-build-using-namespace): module-private

namespace {

// Column titles of an item table, in the languages the rules know.
int HeaderWords(const std::string& u) {
  int n = 0;
  for (const char* w :
       {"QTY",          "QUANTITY", "DESCRIPTION", "ITEM",       "ITEMS",  "PRICE",
        "U.PRICE",      "UNIT",     "AMOUNT",      "AMT",        "TOTAL",  "MENGE",
        "BESCHREIBUNG", "ARTIKEL",  "PREIS",       "NETTOPREIS", "BETRAG", "NETTOBETRAG",
        "DESIGNATION",  "QUANTITE", "PRIX",        "MONTANT",    "ANZAHL", "POS",
        "PRODUCT",      "RATE"}) {
    n += HasWord(u, w) ? 1 : 0;
  }
  return n;
}

bool EndsItems(const std::string& u) {
  if (TotalKeywordPriority(u) > 0) return true;
  for (const char* w : {"SUBTOTAL", "SUB TOTAL", "SUB-TOTAL", "TOTAL", "ZWISCHENSUMME",
                        "POSITIONSSUMME", "GESAMT", "ROUNDING", "CASH", "CHANGE", "TOTAL HT",
                        // Tax rows and tax summaries follow the items.
                        "TAX", "VAT", "GST", "UMSATZSTEUER", "STEUERBETRAG", "MWST", "TVA"}) {
    if (HasWord(u, w)) return true;
  }
  return false;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t:-|*");
  size_t e = s.find_last_not_of(" \t:-|*");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

double Number(const std::string& s) {
  try {
    return std::stod(s);
  } catch (...) {
    return std::nan("");
  }
}

// One row ending in an amount, split into its columns; nullopt when it is no item row.
std::optional<core::LineItem> ParseRow(const TextLine& line, const ExtractOptions& options) {
  std::vector<PatternMatch> amounts = AmountsOn(line, options);
  if (amounts.empty()) return std::nullopt;
  const PatternMatch& amount = amounts.back();
  // The amount closes the row (a tax code such as "SR" or "A" may follow).
  std::string after = Trim(line.text.substr(amount.end));
  if (after.size() > 3) return std::nullopt;
  core::LineItem item;
  item.amount = amount.normalized;
  size_t numbers_begin = amount.begin;
  if (amounts.size() >= 2) {
    const PatternMatch& unit = amounts[amounts.size() - 2];
    item.unit_price = unit.normalized;
    numbers_begin = unit.begin;
  }
  // Quantity: a small whole number (optionally with a unit or 'x') just before the
  // prices, or at the start of the row ("2 x Coffee 7.00").
  static const std::regex kQtyBefore(
      R"((^|\s)(\d{1,3}(?:[.,]\d{1,3})?)\s*(?:X|x|PCS|pcs|kg|Stk|ST)?\s*$)");
  static const std::regex kQtyFirst(R"(^\s*(\d{1,3})\s*[xX]?\s+(?=[A-Za-z]))");
  std::string before = line.text.substr(0, numbers_begin);
  std::smatch q;
  size_t desc_end = before.size();
  size_t desc_begin = 0;
  if (std::regex_search(before, q, kQtyBefore)) {
    item.quantity = q[2].str();
    desc_end = static_cast<size_t>(q.position(2));
  } else if (std::regex_search(before, q, kQtyFirst)) {
    item.quantity = q[1].str();
    desc_begin = static_cast<size_t>(q.length(0));
  }
  item.description = Trim(before.substr(desc_begin, desc_end - std::min(desc_end, desc_begin)));
  // A unit price without a quantity is more likely a second amount column.
  if (!item.unit_price.empty() && !item.quantity.empty()) {
    double qty = Number(item.quantity), unit = Number(item.unit_price), total = Number(item.amount);
    if (std::isfinite(qty) && std::isfinite(unit) && std::isfinite(total) &&
        !ItemRowAddsUp(qty, unit, total)) {
      item.unit_price.clear();
    }
  }
  item.page = line.page;
  item.bbox = line.box;
  return item;
}

}  // namespace

bool ItemRowAddsUp(double quantity, double unit_price, double amount) {
  return std::abs(quantity * unit_price - amount) <=
         config::kAddsUpTolerance + config::kItemRowRelativeSlack * std::abs(amount);
}

std::vector<core::LineItem> ExtractLineItems(const std::vector<TextLine>& lines,
                                             const ExtractOptions& options) {
  std::vector<core::LineItem> items;
  size_t start = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (HeaderWords(UpperAscii(lines[i].text)) >= 2) {
      start = i + 1;
      break;
    }
  }
  const TextLine* pending = nullptr;  // a description-only row waiting for its numbers
  for (size_t i = start; i < lines.size(); ++i) {
    std::string u = UpperAscii(lines[i].text);
    if (EndsItems(u)) break;
    std::optional<core::LineItem> item = ParseRow(lines[i], options);
    if (!item) {
      pending = CountLetters(u) >= 2 ? &lines[i] : nullptr;
      continue;
    }
    if (CountLetters(UpperAscii(item->description)) < 2 && pending != nullptr &&
        pending->page == lines[i].page) {
      item->description = Trim(pending->text);
      item->bbox = item->bbox.Union(pending->box);
    }
    pending = nullptr;
    if (CountLetters(UpperAscii(item->description)) < 2) continue;
    items.push_back(std::move(*item));
  }
  return items;
}

Validation ValidateLineItems(const std::vector<core::LineItem>& items,
                             const std::vector<core::Field>& fields) {
  AmountSet set;
  for (const core::LineItem& item : items) {
    double v = Number(item.amount);
    if (std::isfinite(v)) set.line_items.push_back(v);
  }
  auto amount_of = [&](const char* name) -> std::optional<double> {
    for (const core::Field& f : fields) {
      if (f.name != name) continue;
      double v = Number(f.normalized);
      if (std::isfinite(v)) return v;
    }
    return std::nullopt;
  };
  if (set.line_items.empty()) return {};
  set.subtotal = amount_of("subtotal");
  if (set.subtotal) return ValidateAmounts(set);
  // Without a subtotal the items add up to the total, tax included (receipts).
  set.subtotal = amount_of("total");
  return ValidateAmounts(set);
}

}  // namespace smartocr::extract
