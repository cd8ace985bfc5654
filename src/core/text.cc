// src/core/text.cc
//
// ASCII/UTF-8 helpers (see text.h).
#include "core/text.h"

#include <string>
#include <string_view>
#include <vector>

namespace smartocr::core {

std::string AsciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (IsLower(c)) c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r')) {
    --e;
  }
  return s.substr(b, e - b);
}

std::vector<std::string> SplitGlyphs(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    auto lead = static_cast<unsigned char>(s[i]);
    size_t len = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (i + len > s.size()) len = 1;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) len = 1;
    }
    out.emplace_back(s.substr(i, len));
    i += len;
  }
  return out;
}

std::string RemoveSpaces(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ' || s[i] == '\t') continue;
    if (s.substr(i, 2) == "\xC2\xA0") {
      ++i;
      continue;
    }
    if (s.substr(i, 3) == "\xE2\x80\x89" || s.substr(i, 3) == "\xE2\x80\xAF") {
      i += 2;
      continue;
    }
    out += s[i];
  }
  return out;
}

namespace {

bool StartsToken(std::string_view text, size_t at) {
  if (at == 0) return true;
  const char before = text[at - 1];
  return before == ' ' || before == '\'' || before == '"' || before == '(' || before == '=' ||
         before == '\t' || before == '\n';
}

bool EndsToken(char c) {
  return c == ' ' || c == '\'' || c == '"' || c == '\t' || c == '\n' || c == ')' || c == ',';
}

}  // namespace

std::string HidePaths(std::string_view text) {
  constexpr std::string_view kFileScheme = "file://";
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t path = std::string_view::npos;
    if (StartsToken(text, i)) {
      if (text.substr(i, kFileScheme.size()) == kFileScheme) {
        path = i + kFileScheme.size();
      } else if (text[i] == '/') {
        path = i;
      }
    }
    // A path has a name after its slash ("/x"): a lone "/" or "//" is text.
    if (path == std::string_view::npos || path + 1 >= text.size() || text[path] != '/' ||
        EndsToken(text[path + 1]) || text[path + 1] == '/') {
      out += text[i++];
      continue;
    }
    size_t end = path;
    // A ':' that ends a clause ("cannot read /x: ...") is not the path's.
    while (end < text.size() && !EndsToken(text[end]) &&
           !(text[end] == ':' && (end + 1 == text.size() || text[end + 1] == ' '))) {
      ++end;
    }
    out += "<path>";
    i = end;
  }
  return out;
}

}  // namespace smartocr::core
