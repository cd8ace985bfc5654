#include <algorithm>
#include <cctype>
#include <regex>

#include "extract/fields_internal.h"

namespace smartocr::extract::fields_internal {

std::string UpperAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool HasWord(std::string_view upper_text, std::string_view keyword) {
  size_t pos = 0;
  while ((pos = upper_text.find(keyword, pos)) != std::string_view::npos) {
    bool left = pos == 0 || !std::isalnum(static_cast<unsigned char>(upper_text[pos - 1]));
    size_t end = pos + keyword.size();
    bool right =
        end >= upper_text.size() || !std::isalnum(static_cast<unsigned char>(upper_text[end]));
    if (left && right) return true;
    ++pos;
  }
  return false;
}

bool HasAnyWord(std::string_view upper_text, std::span<const std::string_view> keywords) {
  return std::any_of(keywords.begin(), keywords.end(),
                     [&](std::string_view k) { return HasWord(upper_text, k); });
}

std::optional<double> ParseNumber(const std::string& text) {
  try {
    return std::stod(text);
  } catch (...) {
    return std::nullopt;
  }
}

int CountLetters(std::string_view text) {
  int n = 0;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    n += (std::isalpha(u) || u >= 0x80) ? 1 : 0;
  }
  return n;
}

int CountDigits(std::string_view text) {
  int n = 0;
  for (char c : text) n += std::isdigit(static_cast<unsigned char>(c)) ? 1 : 0;
  return n;
}

namespace {
// Calls fn(word) for the words of `line` that overlap [begin, end) of line.text.
template <typename Fn>
void ForWordsInSpan(const TextLine& line, size_t begin, size_t end, Fn fn) {
  size_t offset = 0;
  for (const core::Word& w : line.words) {
    size_t w_end = offset + w.text.size();
    if (w_end > begin && offset < end) fn(w);
    offset = w_end + 1;
  }
}
}  // namespace

core::BBox SpanBox(const TextLine& line, size_t begin, size_t end) {
  core::BBox box;
  ForWordsInSpan(line, begin, end, [&](const core::Word& w) { box = box.Union(w.box); });
  return box.empty() ? line.box : box;
}

double SpanConfidence(const TextLine& line, size_t begin, size_t end) {
  double sum = 0;
  int n = 0;
  ForWordsInSpan(line, begin, end, [&](const core::Word& w) {
    sum += w.confidence;
    ++n;
  });
  return n ? sum / n : line.confidence;
}

core::Field FieldFromSpan(const std::string& name, const TextLine& line, size_t begin, size_t end,
                          std::string normalized) {
  core::Field f;
  f.name = name;
  f.value = line.text.substr(begin, end - begin);
  f.normalized = normalized.empty() ? f.value : std::move(normalized);
  f.page = line.page;
  f.bbox = SpanBox(line, begin, end);
  f.confidence = SpanConfidence(line, begin, end);
  return f;
}

core::Field FieldFromLines(const std::string& name, const std::vector<const TextLine*>& lines) {
  core::Field f;
  f.name = name;
  double conf = 1;
  for (const TextLine* l : lines) {
    if (!f.value.empty()) f.value += ' ';
    f.value += l->text;
    if (f.page == 0) f.page = l->page;
    if (l->page == f.page) f.bbox = f.bbox.Union(l->box);
    conf = std::min(conf, l->confidence);
  }
  f.normalized = f.value;
  f.confidence = lines.empty() ? 0 : conf;
  return f;
}

void ApplyValidation(core::Field& field, const Validation& validation) {
  field.validator_status = ValidityName(validation.status);
  field.validator_detail = validation.detail;
  if (validation.status != Validity::kUnchecked) {
    field.confidence = std::min(field.confidence, validation.confidence);
  }
}

std::vector<PatternMatch> AmountsOn(const TextLine& line, const ExtractOptions& options) {
  // OCR splits "14.65" into "14. 65" where the decimal point leaves a gap: read the
  // line with such spaces removed, then map the matches back to the printed text.
  static const std::regex kSplitDecimal(R"(\d[.,] \d{2}\b)");
  if (!std::regex_search(line.text, kSplitDecimal)) return FindAmounts(line.text, options.locale);
  std::string joined;
  std::vector<size_t> origin;  // origin[k]: offset in line.text of joined[k]
  const std::string& t = line.text;
  for (size_t i = 0; i < t.size(); ++i) {
    bool split = t[i] == ' ' && i >= 2 && i + 2 < t.size() &&
                 (t[i - 1] == '.' || t[i - 1] == ',') &&
                 std::isdigit(static_cast<unsigned char>(t[i - 2])) &&
                 std::isdigit(static_cast<unsigned char>(t[i + 1])) &&
                 std::isdigit(static_cast<unsigned char>(t[i + 2])) &&
                 (i + 3 >= t.size() || !std::isdigit(static_cast<unsigned char>(t[i + 3])));
    if (split) continue;
    joined += t[i];
    origin.push_back(i);
  }
  origin.push_back(t.size());
  std::vector<PatternMatch> out = FindAmounts(joined, options.locale);
  for (PatternMatch& m : out) {
    m.begin = origin[m.begin];
    m.end = m.end == 0 ? 0 : origin[m.end - 1] + 1;
    m.text = t.substr(m.begin, m.end - m.begin);
  }
  return out;
}

std::optional<core::Field> CurrencyField(const std::vector<TextLine>& lines,
                                         const ExtractOptions& options) {
  std::string all;
  for (const TextLine& l : lines) {
    all += l.text;
    all += '\n';
  }
  // "BHD" is also Malaysia's company suffix (Berhad, "SDN BHD"); as Bahrain's dinar it
  // stands before an amount.
  static const std::regex kBerhad(R"(\bBHD\b(?!\s*[-+]?[0-9]))", std::regex::icase);
  std::string currency = DetectCurrency(std::regex_replace(all, kBerhad, ""), options.locale);
  if (currency.empty()) return std::nullopt;
  core::Field c;
  c.name = "currency";
  c.value = c.normalized = currency;
  // A symbol can be shared ($) and its reading rests on the locale hint.
  c.confidence = 0.8;
  return c;
}

int TotalKeywordPriority(std::string_view u) {
  // Lines that mention a total but are not the amount due.
  for (std::string_view not_total :
       {"SUB TOTAL", "SUBTOTAL", "SUB-TOTAL", "TOTAL QTY", "TOTAL QUANTITY", "TOTAL ITEM",
        "TOTAL DISCOUNT", "TOTAL SAVING", "TOTAL TAX", "TOTAL GST", "TOTAL EXCL", "TOTAL NET",
        "TOTAL EXCLUDING", "NETTO", "EXCL. VAT", "EXCL VAT", "SUMMARY",
        // German: "Rechnungssumme ohne USt.", "Gesamtbetrag der Zuschläge".
        "OHNE", "GESAMTBETRAG DER"}) {
    if (u.find(not_total) != std::string_view::npos) return 0;
  }
  struct Key {
    std::string_view word;
    int priority;
  };
  static const Key kKeys[] = {
      {"GRAND TOTAL", 9},  {"TOTAL ROUNDED", 9}, {"ROUNDED TOTAL", 9}, {"BRUTTOSUMME", 9},
      {"BRUTTOBETRAG", 9}, {"TOTAL DUE", 9},     {"AMOUNT DUE", 9},    {"BALANCE DUE", 8},
      {"TOTAL AMOUNT", 8}, {"NETT TOTAL", 8},    {"NET TOTAL", 7},     {"TOTAL PAYABLE", 8},
      {"TOTAL INCL", 8},   {"TOTAL (INCL", 8},   {"GESAMTBETRAG", 8},  {"RECHNUNGSBETRAG", 8},
      {"ZAHLBETRAG", 8},   {"TOTAL TTC", 8},     {"MONTANT TTC", 8},   {"NET À PAYER", 8},
      {"TOTAL", 5},        {"AMOUNT", 2},        {"SUMME", 4},         {"BETRAG", 3},
  };
  int best = 0;
  for (const Key& k : kKeys) {
    if (HasWord(u, k.word)) best = std::max(best, k.priority);
  }
  return best;
}

}  // namespace smartocr::extract::fields_internal
