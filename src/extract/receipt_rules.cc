// Receipt fields: company, address, date, time, total, tax, currency.
//
// Receipts put the seller at the top (name, then registration number, then the
// address), the date somewhere in the header, and the total after the items under
// one of a few keywords. The rules follow that order and stay independent of any one
// shop's layout.
#include <algorithm>
#include <cmath>
#include <regex>

#include "extract/fields_internal.h"

namespace smartocr::extract {

using namespace fields_internal;  // NOLINT(google-build-using-namespace): module-private

namespace {

bool IsGenericHeader(const std::string& u) {
  for (const char* h : {"TAX INVOICE", "RECEIPT", "INVOICE", "WELCOME", "CASH SALE", "CASH BILL",
                        "OFFICIAL", "THANK YOU", "COPY"}) {
    if (HasWord(u, h) && CountLetters(u) < 24) return true;
  }
  return false;
}

bool HasCompanySuffix(const std::string& u) {
  for (const char* s :
       {"SDN BHD",     "SDN",      "SDN. BHD",   "SDN.BHD",     "BHD",     "S/B",
        "ENTERPRISE",  "TRADING",  "RESTAURANT", "RESTORAN",    "LTD",     "LIMITED",
        "INC",         "GMBH",     "PLC",        "LLC",         "MART",    "STORE",
        "SUPERMARKET", "HARDWARE", "STATIONERY", "BOOKSTORE",   "KEDAI",   "PHARMACY",
        "CAFE",        "BAKERY",   "CO.",        "CORPORATION", "HOLDINGS"}) {
    if (HasWord(u, s) || (std::string(s).back() == '.' && u.find(s) != std::string::npos)) {
      return true;
    }
  }
  return false;
}

// Company registration numbers such as "(789417-W)" or "CO. REG. NO: 1234".
bool IsRegistrationLine(const std::string& u) {
  static const std::regex kRegNo(
      R"(^\(?\s*(CO\.?\s*)?(REG\.?\s*)?(NO\.?\s*)?[:.]?\s*\d{3,}[- ]?[A-Z]?\s*\)?\.?$)");
  if (std::regex_search(u, kRegNo)) return true;
  return HasWord(u, "CO NO") || HasWord(u, "CO.NO") || HasWord(u, "COMPANY NO") ||
         HasWord(u, "ROC") || (HasWord(u, "REG") && CountDigits(u) >= 4);
}

// A Malaysian company number ("666770-U", "139386 X") on the line: it belongs to the
// name or a branch line, never to the address.
bool HasCompanyNumber(const std::string& u) {
  static const std::regex kCompanyNo(R"(\b\d{5,8} ?- ?[A-Z]\b)");
  return std::regex_search(u, kCompanyNo);
}

bool IsAddressStop(const std::string& u) {
  for (const char* s :
       {"TEL",     "PHONE", "FAX",     "GST", "EMAIL",    "E-MAIL", "WEBSITE", "INVOICE",
        "RECEIPT", "DATE",  "CASHIER", "DOC", "BILL",     "TABLE",  "SST",     "TAX",
        "H/P",     "HP",    "MOBILE",  "WWW", "DOCUMENT", "CASH",   "INV"}) {
    if (HasWord(u, s)) return true;
  }
  return u.find('@') != std::string::npos;
}

bool LooksLikeAddress(const std::string& u) {
  for (const char* s :
       {"JALAN",   "JLN",       "TAMAN",    "ROAD",  "STREET", "ST",     "LORONG",
        "KAMPUNG", "BANDAR",    "LOT",      "NO",    "BLOCK",  "BLK",    "FLOOR",
        "AVENUE",  "PERSIARAN", "SELANGOR", "JOHOR", "KUALA",  "LUMPUR", "MALAYSIA"}) {
    if (HasWord(u, s)) return true;
  }
  return CountDigits(u) >= 4 || u.find(',') != std::string::npos;
}

// Words of state, region and country names that close an address block.
bool IsRegionWord(const std::string& w) {
  static const char* const kWords[] = {
      "SELANGOR",    "JOHOR",  "KEDAH",    "KELANTAN",  "MELAKA", "MALACCA",  "PAHANG",
      "PERAK",       "PERLIS", "PENANG",   "PULAU",     "PINANG", "SABAH",    "SARAWAK",
      "TERENGGANU",  "NEGERI", "SEMBILAN", "KUALA",     "LUMPUR", "KL",       "WILAYAH",
      "PERSEKUTUAN", "DARUL",  "EHSAN",    "TAKZIM",    "MAKMUR", "RIDZUAN",  "AMAN",
      "KHUSUS",      "NAIM",   "MALAYSIA", "SINGAPORE", "LABUAN", "PUTRAJAYA"};
  return std::any_of(std::begin(kWords), std::end(kWords), [&](const char* k) { return w == k; });
}

// The letters-only words of an upper-cased line.
std::vector<std::string> WordsOf(const std::string& u) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : u) {
    if (c >= 'A' && c <= 'Z') {
      cur += c;
    } else if (!cur.empty()) {
      out.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// A line of region names only ("SELANGOR DARUL EHSAN", "MALAYSIA").
bool IsRegionOnly(const std::string& u) {
  std::vector<std::string> words = WordsOf(u);
  return !words.empty() && CountDigits(u) == 0 &&
         std::all_of(words.begin(), words.end(), IsRegionWord);
}

// The line that ends an address: a five-digit postcode before a town name
// ("81100 JOHOR BAHRU", "53200, KUALA LUMPUR"), or a state/country name at the end.
bool EndsAddress(const std::string& u) {
  static const std::regex kPostcodeTown(R"(\b\d{5}\b,?\s*([A-Z]+))");
  for (std::sregex_iterator it(u.begin(), u.end(), kPostcodeTown), end; it != end; ++it) {
    std::string next = (*it)[1].str();
    // More numbers after the town: the street part ("33198, BATU 4 JALAN KAPAR").
    if (CountDigits(u.substr(static_cast<size_t>(it->position(1)))) > 0) continue;
    if (next != "JALAN" && next != "JLN" && next != "JL" && next != "LOT" && next != "NO" &&
        next != "LORONG" && next != "BLOK" && next != "BLOCK") {
      return true;
    }
  }
  std::vector<std::string> words = WordsOf(u);
  if (words.empty() || !IsRegionWord(words.back())) return false;
  // The last word must end the line (bar punctuation), not sit before more data.
  size_t last = u.rfind(words.back());
  return CountDigits(u.substr(last)) == 0;
}

std::vector<const TextLine*> HeaderLines(const std::vector<TextLine>& lines) {
  std::vector<const TextLine*> out;
  for (const TextLine& l : lines) {
    if (l.page != lines.front().page) break;
    out.push_back(&l);
    if (out.size() >= 12) break;
  }
  return out;
}

// Index (into header) of the company line, or -1.
int FindCompany(const std::vector<const TextLine*>& header) {
  int first_candidate = -1;
  for (size_t i = 0; i < header.size() && i < 8; ++i) {
    std::string u = UpperAscii(header[i]->text);
    int ascii_letters = static_cast<int>(
        std::count_if(u.begin(), u.end(), [](char c) { return c >= 'A' && c <= 'Z'; }));
    if (ascii_letters < 3 || IsGenericHeader(u) || IsRegistrationLine(u)) continue;
    if (HasCompanySuffix(u)) return static_cast<int>(i);
    // Without a suffix, a name is a clearly read line that is no address line (logos
    // and stamps read as low-confidence noise).
    if (first_candidate < 0 && header[i]->confidence >= 0.4 && !LooksLikeAddress(u)) {
      first_candidate = static_cast<int>(i);
    }
  }
  return first_candidate;
}

// Drops what is printed around a name but is not part of it: a registration number
// in brackets after it ("(126926-H)"), stray marks before it ("* "), and a lone
// punctuation mark after it.
std::string CleanName(std::string text) {
  static const std::regex kTrailingRegNo(R"(\s*[\(\[]\s*[A-Z.: ]*\d[A-Z0-9 ~-]*[\)\]]?\s*$)",
                                         std::regex::icase);
  static const std::regex kLeadingMarks(R"(^[^A-Za-z0-9(]+)");
  static const std::regex kTrailingMark(R"(\s+[^A-Za-z0-9)]+$)");
  // Whatever follows "SDN BHD" / "S/B" is a registration or branch number.
  static const std::regex kAfterSuffix(R"(^(.*\b(SDN\.?\s*BHD|BHD|BERHAD|[S$5]/B)\.?)\s+\S.*$)",
                                       std::regex::icase);
  // '$' inside a name is a misread 'S' ("$/B", "PA$AR").
  static const std::regex kDollarAsS(R"(\$(?=[A-Za-z/]))");
  text = std::regex_replace(text, kDollarAsS, "S");
  text = std::regex_replace(text, kAfterSuffix, "$1");
  text = std::regex_replace(text, kTrailingRegNo, "");
  text = std::regex_replace(text, kLeadingMarks, "");
  text = std::regex_replace(text, kTrailingMark, "");
  return text;
}

// Drops a registration number in brackets before an address and a phone number
// after it.
std::string CleanAddress(std::string text) {
  static const std::regex kLeadingRegNo(R"(^\s*[\(\[]\s*[A-Z]*\d[A-Z0-9-]*\s*[\)\]]\s*)",
                                        std::regex::icase);
  static const std::regex kTrailingPhone(
      R"(\s+\(?0\d{1,2}\)?[- ]?\d{3,4}[- ]?\d{3,4}(/\d{2,4})?\s*$)");
  // Table rulings and scanner marks read as lone bars or quotes.
  static const std::regex kStrayMarks(
      "(^|\\s)(\\||'|\"|\xE2\x80\x98|\xE2\x80\x99|\xE2\x80\x9C|\xE2\x80\x9D)+(?=\\s|$)");
  text = std::regex_replace(text, kLeadingRegNo, "");
  text = std::regex_replace(text, kTrailingPhone, "");
  text = std::regex_replace(text, kStrayMarks, "");
  text = std::regex_replace(text, std::regex(R"(^\s+|\s+$)"), "");
  return text;
}

core::Field CompanyField(const std::vector<const TextLine*>& header, int index) {
  std::vector<const TextLine*> parts = {header[static_cast<size_t>(index)]};
  std::string u = UpperAscii(parts[0]->text);
  // "SDN BHD" alone on a line continues the name above it.
  if (index > 0 && CountLetters(u) <= 8 && HasCompanySuffix(u)) {
    parts.insert(parts.begin(), header[static_cast<size_t>(index - 1)]);
  }
  core::Field f = FieldFromLines("company", parts);
  f.value = f.normalized = CleanName(f.value);
  return f;
}

// The address: the first address-like run of lines after the company. Registration,
// tax-number, date and branch lines may come between the name and the address; they
// start the search over. The run ends at a stop line (phone, tax number, date), at
// the postcode/state line (plus lines of region names only), or after six lines.
std::optional<core::Field> AddressField(const std::vector<const TextLine*>& header, int company) {
  std::vector<const TextLine*> parts;
  bool ended = false;
  for (size_t i = static_cast<size_t>(company) + 1; i < header.size(); ++i) {
    std::string u = UpperAscii(header[i]->text);
    if (ended) {
      if (!IsRegionOnly(u)) break;
      parts.push_back(header[i]);
      continue;
    }
    bool stop = IsAddressStop(u) || IsRegistrationLine(u) || HasCompanyNumber(u) ||
                !FindDates(header[i]->text).empty();
    if (stop) {
      if (!parts.empty()) break;
      continue;
    }
    if (parts.empty() && (CountLetters(u) < 2 || !LooksLikeAddress(u))) continue;
    parts.push_back(header[i]);
    ended = EndsAddress(u);
    if (parts.size() >= 6) break;
  }
  if (parts.empty()) return std::nullopt;
  core::Field f = FieldFromLines("address", parts);
  f.value = f.normalized = CleanAddress(f.value);
  return f;
}

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

// Cash totals rounded to 5 sen/cents ("Rounding Adj -0.02", then "TOTAL 41.50"): the
// amount paid is the rounded one. Looks for a rounding line shortly after the total's
// and, on it or the two lines after it, an amount within 0.05 of the total that is a
// multiple of 0.05.
std::optional<core::Field> RoundedTotal(const std::vector<TextLine>& lines, size_t total_line,
                                        double total, const ExtractOptions& options) {
  for (size_t j = total_line + 1; j < lines.size() && j <= total_line + 4; ++j) {
    if (lines[j].page != lines[total_line].page) break;
    std::string u = UpperAscii(lines[j].text);
    if (!HasWord(u, "ROUNDING") && !HasWord(u, "ROUNDED") && !HasWord(u, "ROUND")) continue;
    for (size_t k = j; k < lines.size() && k <= j + 2; ++k) {
      std::vector<PatternMatch> amounts = AmountsOn(lines[k], options);
      if (amounts.empty()) continue;
      const PatternMatch& m = amounts.back();
      double value = 0;
      try {
        value = std::stod(m.normalized);
      } catch (...) {
        continue;
      }
      long cents = std::lround(value * 100);
      if (std::abs(value - total) > 0.0501 || std::lround(total * 100) == cents || cents % 5 != 0) {
        continue;
      }
      return FieldFromSpan("total", lines[k], m.begin, m.end, m.normalized);
    }
    break;
  }
  return std::nullopt;
}

// The last amount on a line, as a number.
std::optional<std::pair<PatternMatch, double>> LastAmount(const TextLine& line,
                                                          const ExtractOptions& options) {
  std::vector<PatternMatch> amounts = AmountsOn(line, options);
  if (amounts.empty()) return std::nullopt;
  try {
    return std::make_pair(amounts.back(), std::stod(amounts.back().normalized));
  } catch (...) {
    return std::nullopt;
  }
}

// (index of the cash line, cash - change) when a "CASH" amount is followed within
// three lines by a smaller "CHANGE" amount.
std::optional<std::pair<size_t, double>> CashMinusChange(const std::vector<TextLine>& lines,
                                                         const ExtractOptions& options) {
  for (size_t i = lines.size(); i-- > 0;) {
    std::string u = UpperAscii(lines[i].text);
    if (!HasWord(u, "CASH") || HasWord(u, "CHANGE")) continue;
    auto cash = LastAmount(lines[i], options);
    if (!cash) continue;
    for (size_t j = i + 1; j < lines.size() && j <= i + 3; ++j) {
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
      double v = 0;
      try {
        v = std::stod(m.normalized);
      } catch (...) {
        continue;
      }
      if (std::abs(v - value) < 0.001) {
        return FieldFromSpan("total", lines[i], m.begin, m.end, m.normalized);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

namespace fields_internal {

std::optional<core::Field> AmountAfterKeyword(const std::string& name,
                                              const std::vector<TextLine>& lines,
                                              const std::vector<std::string>& keywords,
                                              const std::vector<std::string>& excluded,
                                              const ExtractOptions& options) {
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string u = UpperAscii(lines[i].text);
    bool hit = std::any_of(keywords.begin(), keywords.end(),
                           [&](const std::string& k) { return HasWord(u, k); });
    bool skip = std::any_of(excluded.begin(), excluded.end(),
                            [&](const std::string& k) { return HasWord(u, k); });
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
    int priority = TotalKeywordPriority(UpperAscii(lines[i].text));
    if (priority == 0) continue;
    std::vector<PatternMatch> amounts = AmountsOn(lines[i], options);
    const TextLine* where = &lines[i];
    if (amounts.empty() && i + 1 < lines.size() && lines[i + 1].page == lines[i].page) {
      where = &lines[i + 1];  // the amount sits on the next line
      amounts = AmountsOn(*where, options);
    }
    if (amounts.empty()) {
      // "NET TOTAL 174.9": one decimal, which FindAmounts leaves alone, after a keyword.
      static const std::regex kOneDecimal(R"((\d+[.,]\d)\s*$)");
      std::smatch one;
      if (!std::regex_search(lines[i].text, one, kOneDecimal)) continue;
      PatternMatch m;
      m.begin = static_cast<size_t>(one.position(1));
      m.end = m.begin + static_cast<size_t>(one.length(1));
      m.text = one[1].str();
      m.normalized = m.text;
      std::replace(m.normalized.begin(), m.normalized.end(), ',', '.');
      amounts.push_back(m);
      where = &lines[i];
    }
    const PatternMatch& m = amounts.back();
    double value = 0;
    try {
      value = std::stod(m.normalized);
    } catch (...) {
      continue;
    }
    if (priority > best_priority || (priority == best_priority && value > best_amount)) {
      best_priority = priority;
      best_amount = value;
      best_line = i;
      best = FieldFromSpan("total", *where, m.begin, m.end, m.normalized);
    }
  }
  if (best) {
    if (auto rounded = RoundedTotal(lines, best_line, best_amount, options)) {
      best = rounded;
      best_amount = std::stod(rounded->normalized);
    }
  }
  // Cash tendered minus change is what was due: it confirms the total, or finds it
  // where the keyword or its amount was misread.
  if (auto paid = CashMinusChange(lines, options)) {
    if (!best || std::abs(best_amount - paid->second) > 0.001) {
      if (auto due = AmountBefore(lines, paid->first, paid->second, options)) best = due;
    }
  }
  return best;
}

}  // namespace fields_internal

std::vector<core::Field> ExtractReceiptFields(const std::vector<TextLine>& lines,
                                              const ExtractOptions& options) {
  std::vector<core::Field> out;
  if (lines.empty()) return out;
  std::vector<const TextLine*> header = HeaderLines(lines);
  int company = FindCompany(header);
  if (company >= 0) {
    out.push_back(CompanyField(header, company));
    if (auto address = AddressField(header, company)) out.push_back(*address);
  }
  core::Field time;
  if (auto date = DateField(lines, options, &time)) {
    out.push_back(*date);
    if (!time.name.empty()) out.push_back(time);
  }
  if (auto total = FindTotalField(lines, options)) out.push_back(*total);
  if (auto tax = AmountAfterKeyword("tax", lines, {"GST", "SST", "TAX", "VAT"},
                                    {"INVOICE", "ID", "REG", "NO", "INCL", "INCLUSIVE"}, options)) {
    out.push_back(*tax);
  }
  if (auto currency = CurrencyField(lines, options)) out.push_back(*currency);
  return out;
}

}  // namespace smartocr::extract
