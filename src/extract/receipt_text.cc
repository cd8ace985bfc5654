// OCR confusions in receipt names and addresses, repaired the way the printed text
// reads (upper-case Latin letters, digits and a few marks).
#include <algorithm>
#include <cctype>
#include <regex>
#include <string_view>
#include <vector>

#include "extract/fields_internal.h"

namespace smartocr::extract::fields_internal {

std::string RepairNameMarks(std::string text) {
  // '!' and '|' touching a letter are a misread 'I' ("DAMA!", "JIAWE|"); '$' before a
  // letter, digit or another '$' is a misread 'S' ("$$21/39", "PA$AR").
  static const std::regex kBangAfterLetter(R"(([A-Za-z])[!|](?=[^A-Za-z0-9]|$))");
  static const std::regex kBangInWord(R"(([A-Za-z])[!|](?=[A-Za-z]))");
  static const std::regex kDollar(R"(\$(?=[A-Za-z0-9$/]))");
  text = std::regex_replace(text, kBangAfterLetter, "$1I");
  text = std::regex_replace(text, kBangInWord, "$1I");
  text = std::regex_replace(text, kDollar, "S");
  return text;
}

std::string RepairCompanySuffix(std::string text) {
  // "SDN BHD" (Sendirian Berhad) read with one or two wrong letters ("SON BHD",
  // "SDN BILD", "SDN SHD", "SDN EHD", "SON, BHD.") or a speck between the words
  // ("SDN a BHD").
  // A comma between the words is a misread full stop.
  static const std::regex kSdnBhd(
      R"((^|[^A-Za-z0-9])[S5$][DO0][NM](\.?)(,?)\s*(?:[a-z.,']\s+)?([BS8PE][HI1][DO0I]|BILD)\b)",
      std::regex::icase);
  // "S/B" with the S read as a digit or a dollar and the B as an 8 ("5/B", "$/8").
  static const std::regex kSlashB(R"((^|\s)([5$]/[B8]|S/8)(?=[^A-Za-z0-9]|$))");
  // "SDN" ending the line with a smudge where "BHD" was ("SDN i...", "SDN 11.").
  static const std::regex kCutBhd(R"(\bSDN\.?\s+[^A-Za-z\s]*[A-Za-z]?[^A-Za-z\s]*$)");
  std::smatch m;
  if (std::regex_search(text, m, kSdnBhd)) {
    std::string sep = m[2].length() > 0 || m[3].length() > 0 ? "." : "";
    text = m.prefix().str() + m[1].str() + "SDN" + sep + " BHD" + m.suffix().str();
  }
  text = std::regex_replace(text, kSlashB, "$1S/B");
  text = std::regex_replace(text, kCutBhd, "SDN BHD");
  // Spaces just inside brackets are gaps in the print, not in the name: "(KL )".
  static const std::regex kOpenSpace(R"(\(\s+)");
  static const std::regex kCloseSpace(R"(\s+\))");
  text = std::regex_replace(text, kOpenSpace, "(");
  text = std::regex_replace(text, kCloseSpace, ")");
  return text;
}

namespace {

// Words of Malaysian addresses (streets, areas, places, states) long enough that one
// wrong letter still leaves them unmistakable. Spelling variants in use are listed
// too ("COMPLEKS" beside "KOMPLEKS"), so that neither is "repaired" into the other.
constexpr std::string_view kAddressWords[] = {
    "JALAN",   "TAMAN",    "LORONG",     "PERSIARAN",   "KAWASAN",   "PERINDUSTRIAN", "BANDAR",
    "SEKSYEN", "SECTION",  "LEVEL",      "FLOOR",       "GROUND",    "MENARA",        "BANGUNAN",
    "PLAZA",   "KOMPLEKS", "COMPLEKS",   "COMPLEX",     "KAMPUNG",   "SIMPANG",       "VILLAGE",
    "CENTRE",  "SHOPPING", "SQUARE",     "INDUSTRI",    "PUSAT",     "MUKIM",         "KUALA",
    "LUMPUR",  "SELANGOR", "MALAYSIA",   "JOHOR",       "BAHRU",     "PETALING",      "DAMANSARA",
    "CHERAS",  "KEPONG",   "SUBANG",     "KLANG",       "PUCHONG",   "AMPANG",        "SETAPAK",
    "KEDAH",   "KELANTAN", "MELAKA",     "PAHANG",      "PERLIS",    "PENANG",        "PINANG",
    "SABAH",   "SARAWAK",  "TERENGGANU", "NEGERI",      "SEMBILAN",  "DARUL",         "EHSAN",
    "MAKMUR",  "TAKZIM",   "WILAYAH",    "PERSEKUTUAN", "PUTRAJAYA", "LABUAN",        "SINGAPORE",
    "UTARA",   "SELATAN",  "TIMUR",      "BARAT",       "TENGAH",    "UTAMA",         "INDAH",
    "PERDANA", "STREET",   "AVENUE",     "KEMBANGAN",   "BALAKONG",  "TEMENGGUNG",
};

bool IsAddressWord(std::string_view w) {
  return std::find(std::begin(kAddressWords), std::end(kAddressWords), w) !=
         std::end(kAddressWords);
}

// True when a and b differ by exactly one substitution, insertion or deletion.
bool OneEditApart(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size()) return i < a.size() && a.substr(i + 1) == b.substr(i + 1);
  return a.substr(i) == b.substr(i + 1);
}

// The address word `core` (upper case) was misread from, or "" when none or several.
std::string AddressWordFor(const std::string& core) {
  if (core.size() < 5 || IsAddressWord(core)) return "";
  int digits = static_cast<int>(
      std::count_if(core.begin(), core.end(), [](char c) { return c >= '0' && c <= '9'; }));
  if (digits > 1) return "";
  // "ri" and "rn" are read for "n" and "m" ("Jalari").
  for (const auto& [from, to] :
       {std::pair<std::string_view, std::string_view>{"RI", "N"}, {"RN", "M"}}) {
    size_t at = core.find(from);
    if (at == std::string::npos) continue;
    std::string tried = core;
    tried.replace(at, from.size(), to);
    if (IsAddressWord(tried)) return tried;
  }
  std::string found;
  for (std::string_view w : kAddressWords) {
    if (!OneEditApart(core, w)) continue;
    if (!found.empty()) return "";
    found = w;
  }
  return found;
}

}  // namespace

std::string RepairAddressWords(const std::string& text) {
  // "NQ.9", "N0. 12": the abbreviation of "number" before a digit.
  static const std::regex kNumberAbbrev(R"((^|\s)N[Q0]([.:]?\s?\d))");
  std::string in = std::regex_replace(text, kNumberAbbrev, "$1NO$2");
  // "P.T." (a land title) with the T read as 1 or 7 before its number: "LOT P.1. 2811".
  static const std::regex kLandTitle(R"((^|\s)P\.[17]\.(?=\s?\d))");
  in = std::regex_replace(in, kLandTitle, "$1P.T.");
  // Words run between spaces and commas ("NO.12,JA:AN"); brackets and quotes before a
  // word and the marks after it stay as they are.
  std::string out;
  size_t i = 0;
  while (i < in.size()) {
    if (in[i] == ' ' || in[i] == ',') {
      out += in[i++];
      continue;
    }
    size_t end = in.find_first_of(" ,", i);
    if (end == std::string::npos) end = in.size();
    std::string token = in.substr(i, end - i);
    size_t lead = token.find_first_not_of("([{'\"");
    size_t last = token.find_last_not_of(".;)]}'\"");
    auto letter = [&](size_t at) {
      return std::isalpha(static_cast<unsigned char>(token[at])) != 0;
    };
    if (lead == std::string::npos || last == std::string::npos || last < lead || !letter(lead) ||
        !letter(last)) {
      out += token;
    } else {
      std::string word = AddressWordFor(UpperAscii(token.substr(lead, last + 1 - lead)));
      out += word.empty() ? token : token.substr(0, lead) + word + token.substr(last + 1);
    }
    i = end;
  }
  return out;
}

}  // namespace smartocr::extract::fields_internal
