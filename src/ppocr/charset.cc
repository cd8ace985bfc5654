// The recognition dictionary and the alphabet restriction. The PP-OCRv4 dictionary is
// Chinese + English: it holds full-width twins of ASCII punctuation and thousands of
// CJK characters that an English page never contains but a blurred glyph can resemble.
#include <fstream>

#include "core/utf8.h"
#include "ppocr/ppocr_internal.h"

namespace smartocr::ppocr {
namespace {

char32_t FoldCodePoint(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) return cp - 0xFEE0;  // full-width ASCII
  switch (cp) {
    case 0x3000:
      return U' ';
    case 0x3001:
      return U',';
    case 0x3002:
      return U'.';
    case 0x2018:
    case 0x2019:
      return U'\'';
    case 0x201C:
    case 0x201D:
      return U'"';
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
      return U'-';
    case 0xFFE1:
      return U'£';
    case 0xFFE5:
      return U'¥';
    default:
      return cp;
  }
}

bool AllowedInEnglish(const std::string& text) {
  if (text.size() == 1) return text[0] >= 0x20 && text[0] <= 0x7E;
  return text == "€" || text == "£" || text == "¥" || text == "°";
}

}  // namespace

std::string FoldWidth(const std::string& utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (char32_t cp : core::DecodeUtf8(utf8)) core::AppendUtf8(FoldCodePoint(cp), out);
  return out;
}

Charset::Charset(const std::vector<std::string>& dictionary, const std::string& lang) {
  text_.reserve(dictionary.size() + 2);
  text_.emplace_back();  // CTC blank
  for (const std::string& entry : dictionary) text_.push_back(FoldWidth(entry));
  text_.emplace_back(" ");
  allowed_.resize(text_.size(), 1);
  allowed_[0] = 0;  // the blank is handled by the decoder itself
  if (lang == "eng") {
    for (size_t i = 1; i < text_.size(); ++i) allowed_[i] = AllowedInEnglish(text_[i]) ? 1 : 0;
  }
}

core::Result<Charset> Charset::Load(const std::string& path, const std::string& lang) {
  std::ifstream in(path);
  if (!in) return core::Unavailable("ppocr_models", "cannot read the dictionary " + path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  if (lines.empty()) return core::Unavailable("ppocr_models", "empty dictionary " + path);
  return Charset(lines, lang);
}

}  // namespace smartocr::ppocr
