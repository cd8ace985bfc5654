// src/core/xml.cc
#include "core/xml.h"

#include "core/utf8.h"

namespace smartocr::core {
namespace {

// XML 1.0 allows only these characters.
bool IsXmlChar(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// The entity for `c`, or "" when `c` needs none.
std::string_view Entity(char32_t c, std::string_view apostrophe) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return apostrophe;
    default:
      return {};
  }
}

}  // namespace

std::string XmlEscape(std::string_view text, const XmlEscapeStyle& style) {
  std::string out;
  out.reserve(text.size());
  if (!style.replace_invalid) {
    for (char c : text) {
      const std::string_view entity = Entity(static_cast<unsigned char>(c), style.apostrophe);
      if (entity.empty()) {
        out.push_back(c);
      } else {
        out += entity;
      }
    }
    return out;
  }
  for (char32_t c : DecodeUtf8(text)) {
    const std::string_view entity = Entity(c, style.apostrophe);
    if (entity.empty()) {
      AppendUtf8(IsXmlChar(c) ? c : kReplacementChar, out);
    } else {
      out += entity;
    }
  }
  return out;
}

}  // namespace smartocr::core
