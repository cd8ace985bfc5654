// src/core/xml.h
//
// XML text escaping, shared by the hOCR renderer and the S3 client (the two places we
// write XML), so the five special characters are handled in one place.
#ifndef SMARTOCR_CORE_XML_H_
#define SMARTOCR_CORE_XML_H_

#include <string>
#include <string_view>

namespace smartocr::core {

// How XmlEscape writes what is not one of the five special characters.
struct XmlEscapeStyle {
  // The entity for '\''. "&#39;" is also understood by HTML 4 parsers (hOCR files are
  // often opened as HTML); "&apos;" is XML's own name for it.
  std::string_view apostrophe = "&#39;";
  // True: decode `text` as UTF-8 and write every invalid byte, and every character
  // XML 1.0 forbids (controls, U+FFFE, U+FFFF), as U+FFFD, so the output is always
  // well-formed. False: copy every other byte as it is (text known to be clean).
  bool replace_invalid = true;
};

// `text` with & < > " ' written as entities, as `style` says.
std::string XmlEscape(std::string_view text, const XmlEscapeStyle& style = {});

}  // namespace smartocr::core

#endif  // SMARTOCR_CORE_XML_H_
