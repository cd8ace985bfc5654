// Invoice amounts: net, tax and gross total.
//
// Invoices print a totals block ("Rechnungssumme ohne USt. 380,00", "Total TTC
// -233,47 €", or a header row "Nettobetrag MwSt-Betrag Endbetrag" over a row of
// numbers). Labels are read in four languages, with compounds and letter-spaced text
// ("Br uttosumme"); a value belongs to the label left of it on its row, or stands
// below it in the same column. Among the candidates, those where net + tax = total
// win over keyword priority alone.
#include <algorithm>
#include <cmath>
#include <string_view>

#include "extract/extract_internal.h"
#include "extract/fields_internal.h"
#include "extract/invoice_internal.h"
#include "extract/tunables.h"
#include "extract/word_lists.h"

namespace smartocr::extract::invoice_internal {

using fields_internal::AmountsOn;
using fields_internal::FieldFromSpan;
using fields_internal::SpanBox;

namespace {

enum class Kind { kTotal, kNet, kTax, kOther };

struct Key {
  std::string_view text;  // lower case (Latin-1 letters lowered too)
  Kind kind;
  int priority;
};

// Longer keys win where they overlap a shorter one ("total ttc" over "total").
constexpr Key kKeys[] = {
    // Gross total / amount payable.
    {"grand total", Kind::kTotal, 9},
    {"total ttc", Kind::kTotal, 9},
    {"montant ttc", Kind::kTotal, 9},
    {"bruttosumme", Kind::kTotal, 9},
    {"bruttobetrag", Kind::kTotal, 9},
    {"endbetrag", Kind::kTotal, 9},
    {"gesamtbetrag", Kind::kTotal, 8},
    {"rechnungsbetrag", Kind::kTotal, 8},
    {"rechnungsbeitrag", Kind::kTotal, 8},
    {"invoice total", Kind::kTotal, 8},
    {"total amount", Kind::kTotal, 8},
    {"total incl", Kind::kTotal, 8},
    {"net à payer", Kind::kTotal, 8},
    {"net a payer", Kind::kTotal, 8},
    {"gesamtsumme", Kind::kTotal, 8},
    {"endsumme", Kind::kTotal, 8},
    {"totaalbedrag", Kind::kTotal, 8},
    {"rechnungssumme", Kind::kTotal, 7},
    {"amount payable", Kind::kTotal, 7},
    {"total payable", Kind::kTotal, 7},
    {"montant à payer", Kind::kTotal, 7},
    {"te betalen", Kind::kTotal, 7},
    {"amount due", Kind::kTotal, 7},
    {"total due", Kind::kTotal, 7},
    {"zahlbetrag", Kind::kTotal, 7},
    {"balance due", Kind::kTotal, 6},
    {"zu zahlen", Kind::kTotal, 6},
    {"total", Kind::kTotal, 5},
    {"totaal", Kind::kTotal, 5},
    {"summe", Kind::kTotal, 3},
    {"gesamt", Kind::kTotal, 3},
    {"betrag", Kind::kOther, 2},
    {"amount", Kind::kOther, 2},
    {"montant", Kind::kOther, 2},
    {"beitrag", Kind::kOther, 2},
    {"gesamtbeitrag", Kind::kOther, 2},
    // Net (before tax).
    {"subtotal", Kind::kNet, 6},
    {"sub total", Kind::kNet, 6},
    {"sub-total", Kind::kNet, 6},
    {"subtotaal", Kind::kNet, 6},
    {"nettobetrag", Kind::kNet, 7},
    {"nettosumme", Kind::kNet, 7},
    {"summe netto", Kind::kNet, 7},
    {"net amount", Kind::kNet, 7},
    {"total ht", Kind::kNet, 8},
    {"montant ht", Kind::kNet, 8},
    {"total excl", Kind::kNet, 8},
    {"amount excl", Kind::kNet, 7},
    {"total net", Kind::kNet, 6},
    {"hors taxe", Kind::kNet, 6},
    {"netto", Kind::kNet, 5},
    {"net", Kind::kNet, 3},
    {"positionssumme", Kind::kNet, 3},
    {"warenwert", Kind::kNet, 3},
    // Tax.
    {"steuerbetrag", Kind::kTax, 8},
    {"mwst-betrag", Kind::kTax, 8},
    {"mwst.-betrag", Kind::kTax, 8},
    {"ust-betrag", Kind::kTax, 8},
    {"ust.-betrag", Kind::kTax, 8},
    {"tax amount", Kind::kTax, 8},
    {"vat amount", Kind::kTax, 8},
    {"total tax", Kind::kTax, 8},
    {"total vat", Kind::kTax, 8},
    {"total tva", Kind::kTax, 8},
    {"total taxes", Kind::kTax, 8},
    {"montant tva", Kind::kTax, 8},
    {"versicherungsteuer", Kind::kTax, 6},
    {"versicherungssteuer", Kind::kTax, 6},
    {"mehrwertsteuer", Kind::kTax, 5},
    {"umsatzsteuer", Kind::kTax, 4},
    {"mwst", Kind::kTax, 4},
    {"ust", Kind::kTax, 4},
    {"vat", Kind::kTax, 4},
    {"tax", Kind::kTax, 4},
    {"tva", Kind::kTax, 4},
    {"btw", Kind::kTax, 4},
    {"gst", Kind::kTax, 4},
    {"taxes", Kind::kTax, 3},
};

bool IsAlnumByte(char c) {
  return internal::IsAsciiAlnum(c) || static_cast<unsigned char>(c) >= 0x80;
}

struct Hit {
  size_t begin = 0, end = 0;  // in the row's text
  Kind kind = Kind::kOther;
  int priority = 0;
};

// The word after `end` (letters only, lower case): "USt-IdNr" -> "idnr".
std::string NextWord(const std::string& lower, size_t end) {
  size_t i = end;
  while (i < lower.size() && !IsAlnumByte(lower[i])) ++i;
  size_t b = i;
  while (i < lower.size() && internal::IsAsciiAlpha(lower[i])) ++i;
  return lower.substr(b, i - b);
}

// A marker word in [from, begin), at most config::kMarkerWindowBytes before `begin`.
bool HasMarkerBefore(const std::string& lower, size_t from, size_t begin,
                     std::span<const std::string_view> markers) {
  from =
      std::max(from, begin > config::kMarkerWindowBytes ? begin - config::kMarkerWindowBytes : 0);
  std::string_view window = std::string_view(lower).substr(from, begin - from);
  for (std::string_view m : markers) {
    size_t at = window.find(m);
    while (at != std::string_view::npos) {
      bool left = at == 0 || !IsAlnumByte(window[at - 1]);
      if (left) return true;
      at = window.find(m, at + 1);
    }
  }
  return false;
}

// Keys on a row. Letter-spaced print ("Zahlbetr ag") is matched by comparing with
// spaces removed; a key must start and end on word boundaries of the printed text.
std::vector<Hit> FindKeys(const std::string& text) {
  std::string lower = internal::LatinLower(text);
  std::string compact;
  std::vector<size_t> at;
  for (size_t i = 0; i < lower.size(); ++i) {
    if (lower[i] == ' ') continue;
    compact += lower[i];
    at.push_back(i);
  }
  std::vector<Hit> hits;
  for (const Key& key : kKeys) {
    std::string k;
    for (char c : key.text) {
      if (c != ' ') k += c;
    }
    for (size_t p = compact.find(k); p != std::string::npos; p = compact.find(k, p + 1)) {
      size_t b = at[p], e = at[p + k.size() - 1] + 1;
      if (e - b > key.text.size() + config::kKeySpreadBytes) continue;  // spread over words
      bool left = b == 0 || !IsAlnumByte(lower[b - 1]);
      bool right = e >= lower.size() || !IsAlnumByte(lower[e]);
      if (!left || !right) continue;
      hits.push_back({b, e, key.kind, key.priority});
    }
  }
  // Longest first, then drop those overlapping a kept one.
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.end - a.begin != b.end - b.begin ? a.end - a.begin > b.end - b.begin
                                              : a.priority > b.priority;
  });
  std::vector<Hit> kept;
  for (const Hit& h : hits) {
    bool overlaps = std::any_of(kept.begin(), kept.end(),
                                [&](const Hit& k) { return h.begin < k.end && k.begin < h.end; });
    if (!overlaps) kept.push_back(h);
  }
  std::sort(kept.begin(), kept.end(), [](const Hit& a, const Hit& b) { return a.begin < b.begin; });
  std::vector<Hit> out;
  size_t previous_end = 0;  // markers belong to the label they precede, not to an earlier one
  for (Hit h : kept) {
    size_t from = previous_end;
    previous_end = h.end;
    std::string next = NextWord(lower, h.end);
    // "USt-IdNr", "VAT No", "Tax invoice", "Gesamtbetrag der Zuschläge": not amounts.
    const auto& not_amount = words::kNotAmountAfterKey;
    if (std::find(std::begin(not_amount), std::end(not_amount), next) != std::end(not_amount)) {
      continue;
    }
    if (h.kind == Kind::kTax) {
      // "inklusive 19 % Versicherungsteuer", "Prijs incl. BTW": the gross amount;
      // "ohne USt.", "Exclusief BTW", "hors TVA": the net one.
      if (HasMarkerBefore(lower, from, h.begin, words::kIncludingMarkers)) {
        h.kind = Kind::kTotal;
        h.priority = config::kMarkedTaxPriority;
      } else if (HasMarkerBefore(lower, from, h.begin, words::kExcludingMarkers)) {
        h.kind = Kind::kNet;
        h.priority = config::kMarkedTaxPriority;
      }
    }
    out.push_back(h);
  }
  return out;
}

struct Candidate {
  Kind kind;
  int priority;
  double value;
  core::Field field;
};

// Amounts on a row, percentages left out ("14.50%" is a rate).
std::vector<PatternMatch> RowAmounts(const TextLine& row, const ExtractOptions& options) {
  std::vector<PatternMatch> out;
  for (const PatternMatch& m : AmountsOn(row, options)) {
    size_t e = m.end;
    while (e < row.text.size() && row.text[e] == ' ') ++e;
    if (e < row.text.size() && row.text[e] == '%') continue;
    out.push_back(m);
  }
  return out;
}

// A row of figures only (a currency code at most): the values under a header row.
bool FiguresOnly(const TextLine& row) {
  return fields_internal::CountLetters(row.text) <= config::kMaxFigureRowLetters;
}

void AddCandidates(const std::vector<TextLine>& rows, size_t r, const ExtractOptions& options,
                   std::vector<Candidate>& out) {
  const TextLine& row = rows[r];
  std::vector<Hit> hits = FindKeys(row.text);
  if (hits.empty()) return;
  std::vector<PatternMatch> amounts = RowAmounts(row, options);
  if (!amounts.empty()) {
    for (size_t h = 0; h < hits.size(); ++h) {
      size_t end = h + 1 < hits.size() ? hits[h + 1].begin : row.text.size();
      const PatternMatch* last = nullptr;
      for (const PatternMatch& m : amounts) {
        if (m.begin >= hits[h].end && m.end <= end) last = &m;
      }
      if (last == nullptr) continue;
      auto v = fields_internal::ParseNumber(last->normalized);
      if (!v) continue;
      core::Field f = FieldFromSpan("amount", row, last->begin, last->end, last->normalized);
      // "enthaltene Versicherungsteuer (35,13 €)": a tax in brackets is the share
      // included in a gross figure, not a negative amount.
      if (hits[h].kind == Kind::kTax && *v < 0 && !f.value.empty() && f.value[0] == '(') {
        *v = -*v;
        f.normalized = f.normalized.substr(1);
      }
      out.push_back({hits[h].kind, hits[h].priority, *v, f});
    }
    return;
  }
  // A header row: each label's value stands below it. A totals table may list one
  // row per tax rate before the sum row: the last row of figures is the sum.
  const TextLine* values = nullptr;
  const TextLine* above = &row;
  for (size_t below = r + 1; below < rows.size() && below <= r + config::kMaxFigureRows; ++below) {
    const TextLine& next = rows[below];
    if (next.page != row.page ||
        next.box.y0 - above->box.y1 > config::kMaxFigureRowGap * row.box.height()) {
      break;
    }
    if (RowAmounts(next, options).empty() || !FiguresOnly(next)) break;
    values = &next;
    above = &next;
  }
  if (values == nullptr) return;
  std::vector<PatternMatch> figures = RowAmounts(*values, options);
  for (const Hit& h : hits) {
    core::BBox label = SpanBox(row, h.begin, h.end);
    double tol = row.box.height();
    const PatternMatch* best = nullptr;
    double best_d = 0;
    for (const PatternMatch& m : figures) {
      core::BBox b = SpanBox(*values, m.begin, m.end);
      if (b.x1 < label.x0 - tol || b.x0 > label.x1 + tol) continue;
      double d = std::abs(b.x1 - label.x1);
      if (best == nullptr || d < best_d) {
        best = &m;
        best_d = d;
      }
    }
    if (best == nullptr) continue;
    auto v = fields_internal::ParseNumber(best->normalized);
    if (!v) continue;
    out.push_back({h.kind, h.priority - config::kBelowLabelPenalty, *v,
                   FieldFromSpan("amount", *values, best->begin, best->end, best->normalized)});
  }
}

bool Near(double a, double b) { return std::abs(a - b) < config::kAddsUpTolerance; }

}  // namespace

std::vector<TextLine> MergeRows(const std::vector<TextLine>& lines) {
  std::vector<TextLine> rows;
  for (const TextLine& line : lines) {
    TextLine* into = nullptr;
    for (TextLine& row : rows) {
      if (row.page != line.page) continue;
      double overlap = std::min(row.box.y1, line.box.y1) - std::max(row.box.y0, line.box.y0);
      double h = std::min(row.box.height(), line.box.height());
      double hmax = std::max(row.box.height(), line.box.height());
      if (h > 0 && overlap >= config::kRowMinOverlap * h &&
          hmax <= config::kRowMaxHeightRatio * h) {
        into = &row;
        break;
      }
    }
    if (into == nullptr) {
      rows.push_back(line);
      continue;
    }
    into->words.insert(into->words.end(), line.words.begin(), line.words.end());
    into->box = into->box.Union(line.box);
    into->confidence = std::min(into->confidence, line.confidence);
  }
  for (TextLine& row : rows) {
    std::stable_sort(row.words.begin(), row.words.end(),
                     [](const core::Word& a, const core::Word& b) { return a.box.x0 < b.box.x0; });
    if (row.words.empty()) continue;
    row.text.clear();
    for (const core::Word& w : row.words) {
      if (!row.text.empty()) row.text += ' ';
      row.text += w.text;
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const TextLine& a, const TextLine& b) {
    return a.page != b.page ? a.page < b.page : a.box.y0 < b.box.y0;
  });
  return rows;
}

InvoiceAmounts FindInvoiceAmounts(const std::vector<TextLine>& lines,
                                  const ExtractOptions& options) {
  std::vector<TextLine> rows = MergeRows(lines);
  std::vector<Candidate> c;
  for (size_t r = 0; r < rows.size(); ++r) AddCandidates(rows, r, options, c);
  InvoiceAmounts out;
  // The total: keyword priority, far outweighed by net + tax = total.
  int best_score = -1;
  size_t best_total = 0, best_tax = c.size(), best_net = c.size();
  for (size_t t = 0; t < c.size(); ++t) {
    if (c[t].kind != Kind::kTotal) continue;
    size_t tax = c.size(), net = c.size();
    for (size_t x = 0; x < c.size(); ++x) {
      if (x == t || c[x].kind != Kind::kTax) continue;
      for (size_t n = 0; n < c.size(); ++n) {
        if (n == t || n == x || c[n].kind == Kind::kTax) continue;
        if (!Near(c[n].value + c[x].value, c[t].value)) continue;
        bool better = tax == c.size() || c[x].priority > c[tax].priority ||
                      (c[x].priority == c[tax].priority && c[n].kind == Kind::kNet &&
                       c[net].kind != Kind::kNet);
        if (better) {
          tax = x;
          net = n;
        }
      }
    }
    int score =
        config::kPriorityWeight * c[t].priority + (tax < c.size() ? config::kAddsUpBonus : 0);
    if (score > best_score) {
      best_score = score;
      best_total = t;
      best_tax = tax;
      best_net = net;
    }
  }
  if (best_score >= 0) {
    out.total = c[best_total].field;
    out.total->name = "total";
  }
  auto best_of = [&](Kind kind) {
    size_t best = c.size();
    for (size_t i = 0; i < c.size(); ++i) {
      if (c[i].kind == kind && (best == c.size() || c[i].priority > c[best].priority)) best = i;
    }
    return best;
  };
  if (best_tax == c.size()) best_tax = best_of(Kind::kTax);
  if (best_net == c.size() || c[best_net].kind != Kind::kNet) best_net = best_of(Kind::kNet);
  if (best_tax < c.size()) {
    out.tax = c[best_tax].field;
    out.tax->name = "tax";
  }
  if (best_net < c.size()) {
    out.subtotal = c[best_net].field;
    out.subtotal->name = "subtotal";
  }
  return out;
}

bool IsCreditNote(const std::vector<TextLine>& lines) {
  for (size_t i = 0; i < lines.size() && i < config::kCreditNoteTitleLines; ++i) {
    if (lines[i].page != lines.front().page) break;
    std::string lower = internal::LatinLower(lines[i].text);
    std::string_view t = internal::Trim(lower);
    for (std::string_view title : words::kCreditNoteTitles) {
      if (t.substr(0, title.size()) == title &&
          (t.size() == title.size() || !IsAlnumByte(t[title.size()]))) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace smartocr::extract::invoice_internal
