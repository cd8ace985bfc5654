// src/core/text.h
//
// Small ASCII and UTF-8 helpers for reading OCR text, shared by the modules that
// parse it (extract, mrz): character classes, case, trimming, code points, spaces.
#ifndef SMARTOCR_CORE_TEXT_H_
#define SMARTOCR_CORE_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

namespace smartocr::core {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

// ASCII letters upper-cased; every other byte as it is.
std::string AsciiUpper(std::string_view s);
// Without leading and trailing ' ', '\t', '\n', '\r'.
std::string_view Trim(std::string_view s);

// Splits UTF-8 into code points, each kept as its byte sequence. Malformed bytes
// become one-byte glyphs, so nothing is lost.
std::vector<std::string> SplitGlyphs(std::string_view s);

// Removes ' ', '\t', NBSP (C2 A0), thin/narrow spaces (E2 80 89, E2 80 AF).
std::string RemoveSpaces(std::string_view s);

// `text` with every absolute file path ("/var/lib/x", "file:///var/lib/x": a token
// that starts the text or follows a space, quote, '(' or '=', and runs to the next
// space or quote) replaced by "<path>". Messages name server files for the operator's
// log; what a client sees of them must not say where the server keeps its data.
std::string HidePaths(std::string_view text);

}  // namespace smartocr::core

#endif  // SMARTOCR_CORE_TEXT_H_
