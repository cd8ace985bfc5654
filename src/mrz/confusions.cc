// src/mrz/confusions.cc
//
// The OCR-B confusions (O/0, I/1, S/5, B/8, ...) as tables: what a letter read in a
// digit position was, what a digit read in a letter position was, and what else an
// alphanumeric position may have held.
#include <string>
#include <vector>

#include "mrz/internal/repair.h"

namespace smartocr::mrz::internal {

// Letter read where a digit belongs -> the digit it was.
std::string LetterToDigit(const std::string& g) {
  if (g.size() != 1) return "";
  switch (g[0]) {
    case 'O':
    case 'Q':
    case 'D':
    case 'U':
      return "0";
    case 'I':
    case 'L':
    case 'T':
      return g[0] == 'T' ? "7" : "1";
    case 'Z':
      return "2";
    case 'S':
      return "5";
    case 'B':
    case 'E':  // small OCR-B: '8' loses its left curves before 'B' does
      return "8";
    case 'G':
      return "6";
    case 'A':
      return "4";
    default:
      return "";
  }
}

// Digit read where a letter belongs -> the letter it was.
std::string DigitToLetter(const std::string& g) {
  if (g.size() != 1) return "";
  switch (g[0]) {
    case '0':
      return "O";
    case '1':
      return "I";
    case '2':
      return "Z";
    case '4':
      return "A";
    case '5':
      return "S";
    case '6':
      return "G";
    case '7':
      return "T";
    case '8':
      return "B";
    default:
      return "";
  }
}

std::vector<std::string> Alternatives(const std::string& g) {
  std::vector<std::string> out;
  if (g.size() != 1) return out;
  switch (g[0]) {
    case '0':
      out = {"O", "D", "Q"};
      break;
    case 'O':
    case 'D':
    case 'Q':
      out = {"0"};
      break;
    case '1':
      out = {"I", "L"};
      break;
    case 'I':
    case 'L':
      out = {"1"};
      break;
    case '2':
      out = {"Z"};
      break;
    case 'Z':
      out = {"2"};
      break;
    case '5':
      out = {"S"};
      break;
    case 'S':
      out = {"5"};
      break;
    case '6':
      out = {"G"};
      break;
    case 'G':
      out = {"6"};
      break;
    case '8':
      out = {"B"};
      break;
    case 'B':
      out = {"8"};
      break;
    default:
      break;
  }
  return out;
}

}  // namespace smartocr::mrz::internal
