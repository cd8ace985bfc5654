// Fuzz target: MRZ text (mrz::FindMrzLines, mrz::ParseMrz, mrz::AssessMrz), as OCR
// hands it over. Input: lines of text (seeds: fuzz/corpus/mrz_fuzz/). Each input is
// parsed as given and as FindMrzLines picks it out, with and without the check-digit
// repair; what parses is judged with the input's lines as the visual zone, and a
// "valid" verdict must carry a confidence that says so.
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "mrz/mrz.h"
#include "mrz/tunables.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace mrz = smartocr::mrz;
  const std::vector<std::string> lines = smartocr::fuzz::Lines(smartocr::fuzz::AsText(data, size));
  const std::vector<std::string> found = mrz::FindMrzLines(lines);
  FUZZ_CHECK(found.empty() || found.size() == 2 || found.size() == 3);
  for (bool repair : {true, false}) {
    mrz::MrzOptions options{.today = {2024, 6, 1}};
    options.repair = repair;
    (void)mrz::ParseMrz(lines, options);  // any answer, as long as it returns
    if (found.empty()) continue;
    smartocr::core::Result<mrz::MrzFields> parsed = mrz::ParseMrz(found, options);
    if (!parsed.ok()) continue;
    for (const mrz::MrzFieldTrust& t : mrz::AssessMrz(*parsed, {.viz_text = lines})) {
      FUZZ_CHECK(t.status != mrz::MrzTrust::kValid ||
                 t.confidence >= mrz::config::kMinValidConfidence);
      FUZZ_CHECK(t.status != mrz::MrzTrust::kInvalid || t.confidence == 0);
    }
  }
  return 0;
}
