// The recognition dictionary and the alphabet restriction. The PP-OCRv4 dictionary is
// Chinese + English: it holds full-width twins of ASCII punctuation and thousands of
// CJK characters that an English page never contains but a blurred glyph can resemble.
#include <fstream>

#include "ppocr/ppocr_internal.h"

namespace smartocr::ppocr {
namespace {

// Decodes one UTF-8 code point at s[i], advancing i; malformed bytes read as U+FFFD.
char32_t NextCodePoint(const std::string& s, size_t& i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
  if (extra < 0 || i + static_cast<size_t>(extra) >= s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = extra == 0 ? c : (c & (0x3F >> extra));
  for (int k = 1; k <= extra; ++k) {
    unsigned char cc = byte(i + static_cast<size_t>(k));
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += static_cast<size_t>(extra) + 1;
  return cp;
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

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
  for (size_t i = 0; i < utf8.size();) AppendUtf8(FoldCodePoint(NextCodePoint(utf8, i)), out);
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
