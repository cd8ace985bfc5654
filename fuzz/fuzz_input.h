// fuzz/fuzz_input.h
//
// What the fuzz targets share: the input as text, split into the fields a target
// reads, and FUZZ_CHECK, which stops the run (libFuzzer then saves the input) when a
// property of the parser fails. A crash or sanitizer report does the same unasked.
#ifndef SMARTOCR_FUZZ_FUZZ_INPUT_H_
#define SMARTOCR_FUZZ_FUZZ_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smartocr::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// {the text before the first '\n', the text after it}; {text, ""} when there is none.
inline std::pair<std::string_view, std::string_view> SplitFirstLine(std::string_view text) {
  const size_t eol = text.find('\n');
  if (eol == std::string_view::npos) return {text, std::string_view()};
  return {text.substr(0, eol), text.substr(eol + 1)};
}

// Every '\n'-separated line (a trailing '\r' kept: the parsers must cope with it).
inline std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    auto [line, rest] = SplitFirstLine(text);
    lines.emplace_back(line);
    text = rest;
  }
  return lines;
}

}  // namespace smartocr::fuzz

// A property every input must keep; on failure the run stops like a crash.
#define FUZZ_CHECK(condition)                                                                  \
  do {                                                                                         \
    if (!(condition)) {                                                                        \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #condition, __FILE__, __LINE__); \
      std::abort();                                                                            \
    }                                                                                          \
  } while (0)

#endif  // SMARTOCR_FUZZ_FUZZ_INPUT_H_
