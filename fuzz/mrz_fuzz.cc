// Fuzz target: MRZ text (mrz::FindMrzLines, mrz::ParseMrz), as OCR hands it over.
// Input: lines of text (seeds: fuzz/corpus/mrz_fuzz/). Each input is parsed as given
// and as FindMrzLines picks it out, with and without the check-digit repair.
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "mrz/mrz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace mrz = smartocr::mrz;
  const std::vector<std::string> lines = smartocr::fuzz::Lines(smartocr::fuzz::AsText(data, size));
  const std::vector<std::string> found = mrz::FindMrzLines(lines);
  FUZZ_CHECK(found.empty() || found.size() == 2 || found.size() == 3);
  for (bool repair : {true, false}) {
    mrz::MrzOptions options{.today = {2024, 6, 1}};
    options.repair = repair;
    (void)mrz::ParseMrz(lines, options);  // any answer, as long as it returns
    if (!found.empty()) (void)mrz::ParseMrz(found, options);
  }
  return 0;
}
