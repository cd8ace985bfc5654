// src/core/utf8.h
//
// UTF-8 decoding and encoding shared by the renderers (which must never emit invalid
// UTF-8) and the engines (which fold and filter recognized characters).
#ifndef SMARTOCR_CORE_UTF8_H_
#define SMARTOCR_CORE_UTF8_H_

#include <string>
#include <string_view>

namespace smartocr::core {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes UTF-8, turning each invalid byte (bad lead, missing continuation, overlong
// form, surrogate, beyond U+10FFFF) into U+FFFD. Never fails.
std::u32string DecodeUtf8(std::string_view text);
// Appends `code_point` as UTF-8; surrogates and values beyond U+10FFFF become U+FFFD.
void AppendUtf8(char32_t code_point, std::string& out);

}  // namespace smartocr::core

#endif  // SMARTOCR_CORE_UTF8_H_
