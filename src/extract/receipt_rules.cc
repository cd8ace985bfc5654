// Receipt fields: company, address, date, time, total, tax, currency.
//
// Receipts put the seller at the top (name, then registration number, then the
// address), the date somewhere in the header, and the total after the items under
// one of a few keywords. The rules follow that order and stay independent of any one
// shop's layout.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <regex>

#include "extract/fields_internal.h"

namespace smartocr::extract {

using namespace fields_internal;  // NOLINT(google-build-using-namespace): module-private

namespace {

bool HasSuffixFrom(const std::string& u, std::initializer_list<const char*> suffixes) {
  for (const char* s : suffixes) {
    if (HasWord(u, s) || (std::string(s).back() == '.' && u.find(s) != std::string::npos)) {
      return true;
    }
  }
  return false;
}

// The legal form of a business ("SDN BHD", "ENTERPRISE", "LTD"): the line is its name.
bool HasLegalSuffix(const std::string& u) {
  return HasSuffixFrom(
      u, {"SDN BHD", "SDN", "SDN. BHD", "SDN.BHD", "BHD", "BERHAD", "S/B", "ENTERPRISE", "TRADING",
          "LTD", "LIMITED", "INC", "GMBH", "PLC", "LLC", "CO.", "CORPORATION", "HOLDINGS", "PLT"});
}

// A kind of shop ("RESTAURANT", "CAFE"): a name, or a line describing the name above.
bool HasShopWord(const std::string& u) {
  return HasSuffixFrom(u, {"RESTAURANT", "RESTORAN", "MART", "STORE", "SUPERMARKET", "HARDWARE",
                           "STATIONERY", "BOOKSTORE", "KEDAI", "PHARMACY", "CAFE", "BAKERY"});
}

bool IsGenericHeader(const std::string& u) {
  // "TAX INVOICE / ADJUSTMENT NOTE": a document title, however long, unless it names
  // a business.
  if ((HasWord(u, "INVOICE") || HasWord(u, "RECEIPT")) && !HasLegalSuffix(u)) return true;
  for (const char* h : {"TAX INVOICE", "RECEIPT", "INVOICE", "WELCOME", "CASH SALE", "CASH BILL",
                        "OFFICIAL", "THANK YOU", "COPY"}) {
    if (HasWord(u, h) && CountLetters(u) < 24) return true;
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

// An amount with cents standing alone ("1.90"): an item or total line, never an
// address.
bool HasPrice(const std::string& u) {
  static const std::regex kPrice(R"((^|\s)\d{1,6}\.\d{2}(\s|$))");
  return std::regex_search(u, kPrice);
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

// A chain store's branch line under its head office address ("1225-DENGKIL",
// "1237-TMN INDAH PERDANA"): branch number, dash, place. SROIE's labels count it as
// the last line of the address (4 of the 5 such receipts in the dev set).
bool IsBranchLine(const std::string& u) {
  static const std::regex kBranch(R"(^\s*\d{3,5}\s?-\s?[A-Z][A-Z .]*$)");
  return std::regex_search(u, kBranch);
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

// A name followed by its company number in brackets ("99 SPEED MART S/B (519537-X)").
bool HasNameAndCompanyNumber(const std::string& u) {
  static const std::regex kNameThenNumber(R"([A-Z]{2,}.*[\(\[{]\s*\d{5,8}\s?-?\s?[A-Z]\s*[\)\]}])");
  return std::regex_search(u, kNameThenNumber);
}

// Index (into header) of the company line, or -1. A line with a legal form or a
// company number names the business; a line with a kind of shop does too unless a
// clearly read name stands right above it ("THREE STOOGES" over "BISTRO & CAFE");
// otherwise the first clearly read line that is no address.
int FindCompany(const std::vector<const TextLine*>& header) {
  int first_candidate = -1;
  int shop = -1;
  for (size_t i = 0; i < header.size() && i < 8; ++i) {
    std::string u = UpperAscii(header[i]->text);
    int ascii_letters = static_cast<int>(
        std::count_if(u.begin(), u.end(), [](char c) { return c >= 'A' && c <= 'Z'; }));
    if (ascii_letters < 3 || IsGenericHeader(u) || IsRegistrationLine(u)) continue;
    if (HasLegalSuffix(u) || HasNameAndCompanyNumber(u)) return static_cast<int>(i);
    if (shop < 0 && HasShopWord(u)) {
      shop = static_cast<int>(i);
      continue;
    }
    // Without a suffix, a name is a clearly read line that is no address line (logos
    // and stamps read as low-confidence noise or a short word).
    if (first_candidate < 0 && shop < 0 && header[i]->confidence >= 0.4 && ascii_letters >= 5 &&
        !LooksLikeAddress(u)) {
      first_candidate = static_cast<int>(i);
    }
  }
  if (shop >= 0 && first_candidate >= 0 && first_candidate == shop - 1) return first_candidate;
  return shop >= 0 ? shop : first_candidate;
}

// Drops what is printed around a name but is not part of it: a registration number
// in brackets after it ("(126926-H)"), stray marks before it ("* "), and a lone
// punctuation mark after it.
std::string CleanName(std::string text) {
  static const std::regex kTrailingRegNo(R"(\s*[\(\[{]\s*[A-Z.: ]*\d[A-Z0-9 ~-]*[\)\]}]?\s*$)",
                                         std::regex::icase);
  static const std::regex kLeadingMarks(R"(^[^A-Za-z0-9(]+)");
  static const std::regex kTrailingMark(R"(\s+[^A-Za-z0-9)]+$)");
  // Whatever follows "SDN BHD" / "S/B" is a registration or branch number.
  static const std::regex kAfterSuffix(R"(^(.*\b(SDN\.?\s*BHD|BHD|BERHAD|[S$5]/B)\.?)\s+\S.*$)",
                                       std::regex::icase);
  text = RepairCompanySuffix(RepairNameMarks(std::move(text)));
  // A company number in brackets ends the name ("MYNEWS RETAIL SB(306295-X) FKA ...").
  static const std::regex kCompanyNoAndAfter(R"(\s*[\(\[{]\s*\d{5,8}\s?-?\s?[A-Z]\s*[\)\]}].*$)");
  text = std::regex_replace(text, kAfterSuffix, "$1");
  text = std::regex_replace(text, kCompanyNoAndAfter, "");
  text = std::regex_replace(text, kTrailingRegNo, "");
  text = std::regex_replace(text, kLeadingMarks, "");
  text = std::regex_replace(text, kTrailingMark, "");
  // A full stop after a long word inside a name is a speck: abbreviations are short
  // ("CO.", "SDN.", "MR. D.I.Y."), "99 SPEED. MART" is "99 SPEED MART".
  static const std::regex kSpeckAfterWord(R"(([A-Za-z]{4,})\.(?= [A-Za-z]))");
  text = std::regex_replace(text, kSpeckAfterWord, "$1");
  // A bracket left open at the end whose last letter reads "D" or "ID": "I)" run
  // together ("FUN N CHEER (MALURD").
  static const std::regex kOpenBracketEnd(R"(\(([^()]*?[A-Za-z])I?D$)");
  text = std::regex_replace(text, kOpenBracketEnd, "($1I)");
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
  text = RepairAddressWords(RepairNameMarks(std::move(text)));
  text = std::regex_replace(text, kLeadingRegNo, "");
  text = std::regex_replace(text, kTrailingPhone, "");
  text = std::regex_replace(text, kStrayMarks, "");
  // A full stop between a place name and the postcode after it is a misread comma
  // ("SETAPAK. 53200," is printed "SETAPAK, 53200,").
  static const std::regex kStopBeforePostcode(R"(([A-Za-z]{2})\. (\d{5})\b)");
  text = std::regex_replace(text, kStopBeforePostcode, "$1, $2");
  text = std::regex_replace(text, std::regex(R"(^\s+|\s+$)"), "");
  return text;
}

// The line without words at its ends printed at another size than the rest: a stamp
// across the name ("YONG CEN ENTERPRISE" + a tall "POSTED"), a logo's letters.
TextLine WithoutOddSizedEnds(const TextLine& line) {
  if (line.words.size() < 3) return line;
  std::vector<double> heights;
  for (const core::Word& w : line.words) heights.push_back(w.box.height());
  std::nth_element(heights.begin(), heights.begin() + static_cast<long>(heights.size() / 2),
                   heights.end());
  double median = heights[heights.size() / 2];
  if (median <= 0) return line;
  auto odd = [&](const core::Word& w) {
    return w.box.height() > 1.8 * median || w.box.height() < 0.5 * median;
  };
  size_t begin = 0, end = line.words.size();
  while (end - begin > 2 && odd(line.words[end - 1])) --end;
  while (end - begin > 2 && odd(line.words[begin])) ++begin;
  if (begin == 0 && end == line.words.size()) return line;
  TextLine out = line;
  out.words.assign(line.words.begin() + static_cast<long>(begin),
                   line.words.begin() + static_cast<long>(end));
  out.text.clear();
  out.box = {};
  for (const core::Word& w : out.words) {
    if (!out.text.empty()) out.text += ' ';
    out.text += w.text;
    out.box = out.box.Union(w.box);
  }
  return out;
}

// Letters of a line besides a legal form and its trimmings: "CO. (M) SDN BHD" has none.
int NameLetters(const std::string& u) {
  static const std::regex kForm(R"(\b(SDN|BHD|BERHAD|S/B|SB|CO|M|PLT|LTD)\b)");
  return CountLetters(std::regex_replace(RepairCompanySuffix(u), kForm, ""));
}

// A line that can continue a name: letters without digits, no address, label or title.
bool ContinuesName(const std::string& u) {
  return CountLetters(u) >= 3 && CountDigits(u) == 0 && !LooksLikeAddress(u) && !IsAddressStop(u) &&
         !IsGenericHeader(u);
}

// The company's lines: a legal form alone on its line continues the name above it
// ("POPULAR BOOK" / "CO. (M) SDN BHD"); a name line followed by another name-like
// line and then the registration number spans both ("RESTAURANT JIAWEI" / "JIAWEI
// HOUSE" / "002693074-K").
core::Field CompanyField(const std::vector<const TextLine*>& header, int index) {
  auto at = static_cast<size_t>(index);
  std::vector<const TextLine*> parts = {header[at]};
  std::string u = UpperAscii(parts[0]->text);
  if (at > 0 && HasLegalSuffix(RepairCompanySuffix(u)) && NameLetters(u) == 0) {
    std::string above = UpperAscii(header[at - 1]->text);
    if (CountLetters(above) >= 3 && !IsGenericHeader(above) && !IsRegistrationLine(above)) {
      parts.insert(parts.begin(), header[at - 1]);
    }
  } else if (at + 2 < header.size() && !HasLegalSuffix(u) && !HasNameAndCompanyNumber(u)) {
    std::string next = UpperAscii(header[at + 1]->text);
    std::string after = UpperAscii(header[at + 2]->text);
    if (ContinuesName(next) && (IsRegistrationLine(after) || HasCompanyNumber(after))) {
      parts.push_back(header[at + 1]);
    }
  }
  std::vector<TextLine> trimmed;
  trimmed.reserve(parts.size());
  for (const TextLine* l : parts) trimmed.push_back(WithoutOddSizedEnds(*l));
  std::vector<const TextLine*> trimmed_parts;
  trimmed_parts.reserve(trimmed.size());
  for (const TextLine& l : trimmed) trimmed_parts.push_back(&l);
  core::Field f = FieldFromLines("company", trimmed_parts);
  f.value = f.normalized = CleanName(f.value);
  return f;
}

// The address: the first address-like run of lines after the company (from the top
// when there is none). Registration,
// tax-number, date and branch lines may come between the name and the address; they
// start the search over. The run ends at a stop line (phone, tax number, date), at
// the postcode/state line (plus lines of region names only, or a branch line), or
// after six lines.
std::optional<core::Field> AddressField(const std::vector<const TextLine*>& header, int company) {
  std::vector<const TextLine*> parts;
  bool ended = false;
  size_t start = company < 0 ? 0 : static_cast<size_t>(company) + 1;
  for (size_t i = start; i < header.size(); ++i) {
    std::string u = UpperAscii(RepairNameMarks(header[i]->text));
    if (ended) {
      if (IsBranchLine(u)) {
        parts.push_back(header[i]);
        break;
      }
      if (!IsRegionOnly(u)) break;
      parts.push_back(header[i]);
      continue;
    }
    bool stop = IsAddressStop(u) || IsRegistrationLine(u) || HasCompanyNumber(u) || HasPrice(u) ||
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
  // Without a name to start from (a logo, an unreadable name), only a run that ends
  // like an address (postcode and town, or a state) is one.
  if (parts.empty() || (company < 0 && !ended)) return std::nullopt;
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

// Two decimals, as totals are printed.
std::string Cents(double value) {
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%.2f", value);
  return buf.data();
}

// A copy of `found` whose amount is `value`, with a confidence that says it was
// inferred, not read.
core::Field Corrected(const core::Field& found, double value, const std::string& why) {
  core::Field f = found;
  f.value = f.normalized = Cents(value);
  f.confidence = std::min(f.confidence, 0.6);
  f.validator_detail = why;
  return f;
}

// The rounded total where no line shows it legibly: the total plus the adjustment on
// the rounding line when that is a few cents, else the total to the nearest 0.05
// (cash rounding) when the adjustment is unreadable. Nothing when the adjustment reads
// as zero.
std::optional<core::Field> RoundedByAdjustment(const TextLine& rounding, const core::Field& found,
                                               double total, const ExtractOptions& options) {
  long total_cents = std::lround(total * 100);
  long target = (total_cents + 2) / 5 * 5;  // nearest multiple of 5 cents
  std::vector<PatternMatch> amounts = AmountsOn(rounding, options);
  if (!amounts.empty()) {
    double adjustment = 0;
    try {
      adjustment = std::stod(amounts.back().normalized);
    } catch (...) {
      return std::nullopt;
    }
    long adj = std::labs(std::lround(adjustment * 100));
    if (adj == 0 || adj > 4) return std::nullopt;
    if ((total_cents + adj) % 5 == 0) {
      target = total_cents + adj;
    } else if ((total_cents - adj) % 5 == 0) {
      target = total_cents - adj;
    } else {
      return std::nullopt;
    }
  }
  if (target == total_cents) return std::nullopt;
  return Corrected(found, static_cast<double>(target) / 100,
                   "rounded to 0.05 by the rounding line");
}

// Cash totals rounded to 5 sen/cents ("Rounding Adj -0.02", then "TOTAL 41.50"): the
// amount paid is the rounded one. Looks for a rounding line shortly after the total's
// and, on it or the four lines after it (the rounded total's own line may be misread,
// the tender line repeats it), an amount within 0.05 of the total that is a multiple
// of 0.05. The first such amount is taken, closer lines first.
std::optional<core::Field> RoundedTotal(const std::vector<TextLine>& lines, size_t total_line,
                                        const core::Field& found, double total,
                                        const ExtractOptions& options) {
  for (size_t j = total_line + 1; j < lines.size() && j <= total_line + 4; ++j) {
    if (lines[j].page != lines[total_line].page) break;
    std::string u = UpperAscii(lines[j].text);
    // After the tender lines a rounding line belongs to the change, not the total.
    if (HasWord(u, "CASH") || HasWord(u, "TENDER") || HasWord(u, "TENDERED") ||
        HasWord(u, "CHANGE")) {
      break;
    }
    if (!HasWord(u, "ROUNDING") && !HasWord(u, "ROUNDED") && !HasWord(u, "ROUND")) continue;
    for (size_t k = j; k < lines.size() && k <= j + 4; ++k) {
      if (lines[k].page != lines[j].page) break;
      for (const PatternMatch& m : AmountsOn(lines[k], options)) {
        double value = 0;
        try {
          value = std::stod(m.normalized);
        } catch (...) {
          continue;
        }
        long cents = std::lround(value * 100);
        if (std::abs(value - total) > 0.0501 || std::lround(total * 100) == cents ||
            cents % 5 != 0) {
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
  for (const char* w : {"ITEM", "QTY", "OTY", "PRICE", "U/P", "UP", "DESC", "DESCRIPTION", "DISC",
                        "UNIT", "RATE", "CODE"}) {
    columns += HasWord(u, w) ? 1 : 0;
  }
  return columns >= 2;
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
    if (auto rounded = RoundedTotal(lines, best_line, *best, best_amount, options)) {
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
  std::vector<TextLine> rows = MergeRows(lines);
  std::vector<const TextLine*> header = HeaderLines(rows);
  int company = FindCompany(header);
  if (company >= 0) out.push_back(CompanyField(header, company));
  if (auto address = AddressField(header, company)) out.push_back(*address);
  core::Field time;
  if (auto date = DateField(lines, options, &time)) {
    out.push_back(*date);
    if (!time.name.empty()) out.push_back(time);
  }
  if (auto total = FindTotalField(MergeRows(lines), options)) out.push_back(*total);
  if (auto tax = AmountAfterKeyword("tax", lines, {"GST", "SST", "TAX", "VAT"},
                                    {"INVOICE", "ID", "REG", "NO", "INCL", "INCLUSIVE"}, options)) {
    out.push_back(*tax);
  }
  if (auto currency = CurrencyField(lines, options)) out.push_back(*currency);
  return out;
}

}  // namespace smartocr::extract
