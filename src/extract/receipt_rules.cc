// Receipt fields: company, address, date, time, total, tax, currency.
//
// Receipts put the seller at the top (name, then registration number, then the
// address), the date somewhere in the header, and the total after the items under
// one of a few keywords. The rules follow that order and stay independent of any one
// shop's layout.
#include <algorithm>
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
       {"SDN BHD",  "SDN. BHD",   "SDN.BHD",     "BHD",     "S/B",      "ENTERPRISE",
        "TRADING",  "RESTAURANT", "RESTORAN",    "LTD",     "LIMITED",  "INC",
        "GMBH",     "PLC",        "LLC",         "MART",    "STORE",    "SUPERMARKET",
        "HARDWARE", "STATIONERY", "BOOKSTORE",   "KEDAI",   "PHARMACY", "CAFE",
        "BAKERY",   "CO.",        "CORPORATION", "HOLDINGS"}) {
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

bool IsAddressStop(const std::string& u) {
  for (const char* s :
       {"TEL",     "PHONE", "FAX",     "GST", "EMAIL",    "E-MAIL", "WEBSITE", "INVOICE",
        "RECEIPT", "DATE",  "CASHIER", "DOC", "BILL",     "TABLE",  "SST",     "TAX",
        "H/P",     "HP",    "MOBILE",  "WWW", "DOCUMENT", "CASH"}) {
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
    if (CountLetters(u) < 3 || IsGenericHeader(u) || IsRegistrationLine(u)) continue;
    if (HasCompanySuffix(u)) return static_cast<int>(i);
    if (first_candidate < 0) first_candidate = static_cast<int>(i);
  }
  return first_candidate;
}

// Drops what is printed around a name but is not part of it: a registration number
// in brackets after it ("(126926-H)"), stray marks before it ("* "), and a lone
// punctuation mark after it.
std::string CleanName(std::string text) {
  static const std::regex kTrailingRegNo(R"(\s*[\(\[]\s*[A-Z]*\d[A-Z0-9-]*\s*[\)\]]?\s*$)",
                                         std::regex::icase);
  static const std::regex kLeadingMarks(R"(^[^A-Za-z0-9(]+)");
  static const std::regex kTrailingMark(R"(\s+[^A-Za-z0-9)]+$)");
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
  static const std::regex kTrailingPhone(R"(\s+\(?0\d{1,2}\)?[- ]?\d{3,4}[- ]?\d{3,4}\s*$)");
  text = std::regex_replace(text, kLeadingRegNo, "");
  text = std::regex_replace(text, kTrailingPhone, "");
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

std::optional<core::Field> AddressField(const std::vector<const TextLine*>& header, int company) {
  std::vector<const TextLine*> parts;
  bool address_like = false;
  for (size_t i = static_cast<size_t>(company) + 1; i < header.size(); ++i) {
    std::string u = UpperAscii(header[i]->text);
    if (parts.empty() && (IsRegistrationLine(u) || CountLetters(u) < 2)) continue;
    if (IsAddressStop(u) || parts.size() >= 6) break;
    if (!FindDates(header[i]->text).empty()) break;
    parts.push_back(header[i]);
    address_like = address_like || LooksLikeAddress(u);
  }
  if (parts.empty() || !address_like) return std::nullopt;
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
    if (amounts.empty()) continue;
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
      best = FieldFromSpan("total", *where, m.begin, m.end, m.normalized);
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
