// src/extract/date_tokens.h
//
// Reading dates from tokens (numbers and words with byte offsets), shared by
// NormalizeDate (one date, whole text) and FindDates (dates anywhere in text).
// Private to src/extract.
#ifndef SMARTOCR_EXTRACT_DATE_TOKENS_H_
#define SMARTOCR_EXTRACT_DATE_TOKENS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extract.h"

namespace smartocr::extract::internal {

struct DateToken {
  bool number = false;
  std::string text;  // digits, or the word lower-cased
  int value = 0;     // numbers: value (digit runs longer than 9 are not dates: -1)
  size_t begin = 0;  // byte offsets into the tokenized text
  size_t end = 0;
};

std::vector<DateToken> TokenizeForDates(std::string_view text);

// Reads tokens [begin, end) of `tokens` (tokenized from `text`) as one date.
// Every token in the range must take part. On failure returns the stable reason
// ("date_unparsed" or "date_invalid") in `reason`.
std::optional<NormalizedDate> ReadDate(std::string_view text, const std::vector<DateToken>& tokens,
                                       size_t begin, size_t end, const DateOptions& options,
                                       std::string* reason);

}  // namespace smartocr::extract::internal

#endif  // SMARTOCR_EXTRACT_DATE_TOKENS_H_
