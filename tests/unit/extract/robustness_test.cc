// Every entry point takes arbitrary OCR text: seeded random inputs must neither crash
// nor break the result invariants.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "mrz/mrz.h"

namespace smartocr::extract {
namespace {

std::string RandomText(std::mt19937& rng, size_t max_len) {
  // Characters that matter to the parsers, plus multi-byte UTF-8 and stray bytes.
  static const std::vector<std::string> kPieces = {"0",
                                                   "1",
                                                   "2",
                                                   "5",
                                                   "8",
                                                   "9",
                                                   "O",
                                                   "I",
                                                   "K",
                                                   "<",
                                                   "<<",
                                                   ".",
                                                   ",",
                                                   "-",
                                                   "/",
                                                   " ",
                                                   "(",
                                                   ")",
                                                   "'",
                                                   "+",
                                                   ":",
                                                   "\n",
                                                   "A",
                                                   "Z",
                                                   "DE",
                                                   "GB",
                                                   "RM",
                                                   "$",
                                                   "\xE2\x82\xAC",
                                                   "\xC2\xAB",
                                                   "\xC3\x91",
                                                   "\xC2\xA0",
                                                   "\xFF",
                                                   "\xE2\x82",
                                                   "Feb",
                                                   "M\xC3\xA4rz",
                                                   "Invoice No",
                                                   "@",
                                                   "x.com",
                                                   "IBAN",
                                                   "P<UTO",
                                                   "7408122F",
                                                   "ZE184226B"};
  std::uniform_int_distribution<size_t> len(0, max_len), pick(0, kPieces.size() - 1);
  std::string s;
  for (size_t n = len(rng); n > 0; --n) s += kPieces[pick(rng)];
  return s;
}

TEST(Robustness, RandomInputsKeepInvariants) {
  std::mt19937 rng(20240601);
  const mrz::MrzOptions options{.today = {2024, 6, 1}};
  for (int iteration = 0; iteration < 3000; ++iteration) {
    std::string text = RandomText(rng, 40);
    SCOPED_TRACE(text);
    for (const auto& matches :
         {FindAmounts(text), FindDates(text), FindInvoiceNumbers(text), FindVatIds(text),
          FindIbans(text), FindEmails(text), FindPhones(text)}) {
      for (const PatternMatch& m : matches) {
        ASSERT_LE(m.begin, m.end);
        ASSERT_LE(m.end, text.size());
        ASSERT_EQ(text.substr(m.begin, m.end - m.begin), m.text);
      }
    }
    if (core::Result<NormalizedDate> d = NormalizeDate(text); d.ok()) {
      ASSERT_TRUE(IsValidDate(d->date));
    }
    if (core::Result<NormalizedAmount> a = NormalizeAmount(text); a.ok()) {
      ASSERT_FALSE(a->value.empty());
    }
    (void)DetectCurrency(text);
    (void)ValidateIban(text);
    std::vector<std::string> lines = {RandomText(rng, 30), RandomText(rng, 30),
                                      RandomText(rng, 30)};
    (void)mrz::FindMrzLines(lines);
    // Same-length lines exercise the parser and repair on garbage.
    for (size_t width : {30u, 36u, 44u}) {
      std::vector<std::string> mrz;
      for (int l = 0; l < (width == 30 ? 3 : 2); ++l) {
        std::string line;
        std::uniform_int_distribution<int> c(0, 38);
        for (size_t k = 0; k < width; ++k) {
          int v = c(rng);
          line += v < 10   ? static_cast<char>('0' + v)
                  : v < 36 ? static_cast<char>('A' + v - 10)
                           : '<';
        }
        mrz.push_back(line);
      }
      core::Result<mrz::MrzFields> r = mrz::ParseMrz(mrz, options);
      ASSERT_TRUE(r.ok());
      ASSERT_EQ(r->lines.size(), mrz.size());
    }
  }
}

}  // namespace
}  // namespace smartocr::extract
