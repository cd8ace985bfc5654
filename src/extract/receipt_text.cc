// OCR confusions in receipt names and addresses, repaired the way the printed text
// reads (upper-case Latin letters, digits and a few marks).
#include <regex>

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
  // "SDN BILD", "SDN SHD", "SON, BHD.") or a speck between the words ("SDN a BHD").
  // A comma between the words is a misread full stop.
  static const std::regex kSdnBhd(
      R"((^|[^A-Za-z0-9])[S5$][DO0][NM](\.?)(,?)\s*(?:[a-z.,']\s+)?([BS8P][HI1][DO0I]|BILD)\b)",
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

}  // namespace smartocr::extract::fields_internal
