// Receipt fields, the seller: its name ("company") and address.
//
// Receipts put the seller at the top: the name, then a registration number, then the
// address, with phone and tax numbers after it. The rules read that block from the
// top and stay independent of any one shop's layout.
#include <algorithm>
#include <regex>

#include "extract/fields_internal.h"
#include "extract/tunables.h"
#include "extract/word_lists.h"

namespace smartocr::extract::fields_internal {

namespace {

// A word of `suffixes` on the line; one ending in '.' also inside a word ("CO.(M)").
bool HasSuffixFrom(const std::string& u, std::span<const std::string_view> suffixes) {
  for (std::string_view s : suffixes) {
    if (HasWord(u, s) || (s.back() == '.' && u.find(s) != std::string::npos)) return true;
  }
  return false;
}

// The legal form of a business ("SDN BHD", "ENTERPRISE", "LTD"): the line is its name.
bool HasLegalSuffix(const std::string& u) { return HasSuffixFrom(u, words::kLegalForms); }

// A kind of shop ("RESTAURANT", "CAFE"): a name, or a line describing the name above.
bool HasShopWord(const std::string& u) { return HasSuffixFrom(u, words::kShopWords); }

bool IsGenericHeader(const std::string& u) {
  // "TAX INVOICE / ADJUSTMENT NOTE": a document title, however long, unless it names
  // a business.
  if (HasAnyWord(u, words::kDocumentWords) && !HasLegalSuffix(u)) return true;
  return CountLetters(u) < config::kMaxHeadingLetters && HasAnyWord(u, words::kHeadings);
}

// Company registration numbers such as "(789417-W)" or "CO. REG. NO: 1234".
bool IsRegistrationLine(const std::string& u) {
  static const std::regex kRegNo(
      R"(^\(?\s*(CO\.?\s*)?(REG\.?\s*)?(NO\.?\s*)?[:.]?\s*\d{3,}[- ]?[A-Z]?\s*\)?\.?$)");
  if (std::regex_search(u, kRegNo)) return true;
  return HasAnyWord(u, words::kRegistrationLabels) ||
         (HasWord(u, "REG") && CountDigits(u) >= config::kMinRegistrationDigits);
}

// A Malaysian company number ("666770-U", "139386 X") on the line: it belongs to the
// name or a branch line, never to the address.
bool HasCompanyNumber(const std::string& u) {
  static const std::regex kCompanyNo(R"(\b\d{5,8} ?- ?[A-Z]\b)");
  return std::regex_search(u, kCompanyNo);
}

bool IsAddressStop(const std::string& u) {
  return HasAnyWord(u, words::kAddressStops) || u.find('@') != std::string::npos;
}

// An amount with cents standing alone ("1.90"): an item or total line, never an
// address.
bool HasPrice(const std::string& u) {
  static const std::regex kPrice(R"((^|\s)\d{1,6}\.\d{2}(\s|$))");
  return std::regex_search(u, kPrice);
}

bool LooksLikeAddress(const std::string& u) {
  return HasAnyWord(u, words::kAddressHints) || CountDigits(u) >= config::kMinAddressDigits ||
         u.find(',') != std::string::npos;
}

bool IsOneOf(std::string_view w, std::span<const std::string_view> list) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// A state, region or country name word: it closes an address block.
bool IsRegionWord(const std::string& w) { return IsOneOf(w, words::kRegionWords); }

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
    if (!IsOneOf(next, words::kStreetWords)) return true;
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
    if (out.size() >= config::kHeaderLines) break;
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
  for (size_t i = 0; i < header.size() && i < config::kNameSearchLines; ++i) {
    std::string u = UpperAscii(header[i]->text);
    int ascii_letters = static_cast<int>(
        std::count_if(u.begin(), u.end(), [](char c) { return c >= 'A' && c <= 'Z'; }));
    if (ascii_letters < config::kMinNameLetters || IsGenericHeader(u) || IsRegistrationLine(u)) {
      continue;
    }
    if (HasLegalSuffix(u) || HasNameAndCompanyNumber(u)) return static_cast<int>(i);
    if (shop < 0 && HasShopWord(u)) {
      shop = static_cast<int>(i);
      continue;
    }
    // Without a suffix, a name is a clearly read line that is no address line (logos
    // and stamps read as low-confidence noise or a short word).
    if (first_candidate < 0 && shop < 0 &&
        header[i]->confidence >= config::kMinPlainNameConfidence &&
        ascii_letters >= config::kMinPlainNameLetters && !LooksLikeAddress(u)) {
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
  if (line.words.size() < config::kOddEndsMinWords) return line;
  std::vector<double> heights;
  for (const core::Word& w : line.words) heights.push_back(w.box.height());
  std::nth_element(heights.begin(), heights.begin() + static_cast<long>(heights.size() / 2),
                   heights.end());
  double median = heights[heights.size() / 2];
  if (median <= 0) return line;
  auto odd = [&](const core::Word& w) {
    return w.box.height() > config::kOddWordTallRatio * median ||
           w.box.height() < config::kOddWordShortRatio * median;
  };
  size_t begin = 0, end = line.words.size();
  while (end - begin > config::kOddEndsKeptWords && odd(line.words[end - 1])) --end;
  while (end - begin > config::kOddEndsKeptWords && odd(line.words[begin])) ++begin;
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
  return CountLetters(u) >= config::kMinNameLetters && CountDigits(u) == 0 &&
         !LooksLikeAddress(u) && !IsAddressStop(u) && !IsGenericHeader(u);
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
    if (CountLetters(above) >= config::kMinNameLetters && !IsGenericHeader(above) &&
        !IsRegistrationLine(above)) {
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
    if (parts.empty() && (CountLetters(u) < config::kMinAddressLetters || !LooksLikeAddress(u))) {
      continue;
    }
    parts.push_back(header[i]);
    ended = EndsAddress(u);
    if (parts.size() >= config::kMaxAddressLines) break;
  }
  // Without a name to start from (a logo, an unreadable name), only a run that ends
  // like an address (postcode and town, or a state) is one.
  if (parts.empty() || (company < 0 && !ended)) return std::nullopt;
  core::Field f = FieldFromLines("address", parts);
  f.value = f.normalized = CleanAddress(f.value);
  return f;
}

}  // namespace

std::vector<core::Field> ReceiptSellerFields(const std::vector<TextLine>& rows) {
  std::vector<core::Field> out;
  std::vector<const TextLine*> header = HeaderLines(rows);
  int company = FindCompany(header);
  if (company >= 0) out.push_back(CompanyField(header, company));
  if (auto address = AddressField(header, company)) out.push_back(*address);
  return out;
}

}  // namespace smartocr::extract::fields_internal
