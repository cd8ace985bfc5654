// src/mrz/codes.cc
//
// The codes an MRZ may carry: issuing state and nationality (ICAO Doc 9303 part 3:
// ISO 3166-1 alpha-3, plus the codes ICAO adds) and the document code's first letter,
// and the repair of a code that OCR turned into none of them. No check digit covers
// these fields, so a misread letter ("GER" for "GBR", "OAN" for "CAN", "TD" for an
// ID card's "ID") would otherwise pass unnoticed.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "mrz/internal/repair.h"

namespace smartocr::mrz::internal {
namespace {

// Issuing state and nationality codes are three letters (ISO 3166-1 alpha-3).
constexpr int kCodeLength = 3;

// Sorted, for binary search. Codes shorter than three letters are padded with '<'.
constexpr std::array<std::string_view, 278> kCodes = {
    "ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ANT", "ARE", "ARG", "ARM", "ASM", "ATA",
    "ATF", "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR",
    "BHS", "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA",
    "CAF", "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL", "COM",
    "CPV", "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "D<<", "DEU", "DJI", "DMA", "DNK",
    "DOM", "DZA", "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "EUE", "FIN", "FJI", "FLK",
    "FRA", "FRO", "FSM", "GAB", "GBD", "GBN", "GBO", "GBP", "GBR", "GBS", "GEO", "GGY", "GHA",
    "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD", "GRL", "GTM", "GUF", "GUM", "GUY",
    "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN", "IMN", "IND", "IOT", "IRL", "IRN", "IRQ",
    "ISL", "ISR", "ITA", "JAM", "JEY", "JOR", "JPN", "KAZ", "KEN", "KGZ", "KHM", "KIR", "KNA",
    "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LIE", "LKA", "LSO", "LTU", "LUX", "LVA",
    "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX", "MHL", "MKD", "MLI", "MLT", "MMR",
    "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ", "MUS", "MWI", "MYS", "MYT", "NAM", "NCL",
    "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR", "NPL", "NRU", "NTZ", "NZL", "OMN", "PAK",
    "PAN", "PCN", "PER", "PHL", "PLW", "PNG", "POL", "PRI", "PRK", "PRT", "PRY", "PSE", "PYF",
    "QAT", "REU", "RKS", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP", "SGS", "SHN", "SJM",
    "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD", "STP", "SUR", "SVK", "SVN", "SWE",
    "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL", "TKM", "TLS", "TON",
    "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR", "UMI", "UNA", "UNK", "UNO", "URY",
    "USA", "UTO", "UZB", "VAT", "VCT", "VEN", "VGB", "VIR", "VNM", "VUT", "WLF", "WSM", "XBA",
    "XCC", "XCE", "XCO", "XDC", "XEC", "XES", "XIM", "XMP", "XOM", "XPO", "XXA", "XXB", "XXC",
    "XXX", "YEM", "ZAF", "ZMB", "ZWE",
};

}  // namespace

std::string_view LookAlikes(char c) {
  switch (c) {
    case 'O':
      return "DQC";
    case 'D':
      return "OB";
    case 'Q':
      return "O";
    case 'C':
      return "OG";
    case 'G':
      return "C";
    case 'E':
      return "BF";
    case 'B':
      return "ERD";
    case 'F':
      return "EP";
    case 'P':
      return "FR";
    case 'R':
      return "BP";
    case 'I':
      return "LT";
    case 'L':
    case 'T':
      return "I";
    case 'M':
      return "NH";
    case 'N':
      return "MH";
    case 'H':
      return "NM";
    case 'U':
      return "V";
    case 'V':
      return "UY";
    case 'Y':
      return "V";
    case 'K':
      return "X";
    case 'X':
      return "K";
    default:
      return "";
  }
}

bool IsMrzCountryCode(std::string_view code) {
  return std::binary_search(kCodes.begin(), kCodes.end(), code);
}

bool HasListedLookAlike(std::string_view code) {
  for (size_t k = 0; k < code.size(); ++k) {
    for (char alike : LookAlikes(code[k])) {
      std::string variant(code);
      variant[k] = alike;
      if (IsMrzCountryCode(variant)) return true;
    }
  }
  return false;
}

void RepairCountryCode(const Span& span, MrzText& text) {
  if (span.len != kCodeLength) return;
  std::string code;
  for (int k = span.start; k < span.start + span.len; ++k) {
    const std::string& g = text[span.line][k];
    if (g.size() != 1 || !(core::IsUpper(g[0]) || g[0] == '<')) return;  // digits: a numeric code
    code += g;
  }
  if (IsMrzCountryCode(code)) return;
  std::string found;
  int candidates = 0;
  for (size_t k = 0; k < code.size(); ++k) {
    for (char alike : LookAlikes(code[k])) {
      std::string variant = code;
      variant[k] = alike;
      if (IsMrzCountryCode(variant)) {
        found = variant;
        ++candidates;
      }
    }
  }
  // Only a single way out: two codes a letter away are two guesses.
  if (candidates != 1) return;
  for (int k = 0; k < span.len; ++k) text[span.line][span.start + k].assign(1, found[k]);
}

void RepairDocumentCode(const MrzLayout& layout, MrzText& text) {
  // Doc 9303: passports (TD3) begin with 'P', visas with 'V', ID cards (TD1, TD2)
  // with 'A', 'C' or 'I'.
  std::string_view allowed;
  switch (layout.type) {
    case MrzType::kTd3:
      allowed = "P";
      break;
    case MrzType::kMrvA:
    case MrzType::kMrvB:
      allowed = "V";
      break;
    case MrzType::kTd1:
    case MrzType::kTd2:
      allowed = "ACI";
      break;
  }
  std::string& first = text[layout.doc_type.line][layout.doc_type.start];
  if (first.size() != 1 || allowed.find(first[0]) != std::string_view::npos) return;
  char found = 0;
  int candidates = 0;
  for (char alike : LookAlikes(first[0])) {
    if (allowed.find(alike) == std::string_view::npos) continue;
    found = alike;
    ++candidates;
  }
  if (candidates == 1) first.assign(1, found);
}

}  // namespace smartocr::mrz::internal
