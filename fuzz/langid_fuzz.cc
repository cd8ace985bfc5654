// Fuzz target: language identification (langid::Identifier::Identify) of the text a
// page gives, which for a PDF's text layer is the sender's bytes. Input: any bytes as
// text (seeds: fuzz/corpus/langid_fuzz/). A guess names a language of the model or
// none, with a confidence in [0, 1], and the same input gives the same guess.
#include <algorithm>
#include <string_view>

#include "fuzz_input.h"
#include "langid/langid.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace langid = smartocr::langid;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const langid::Identifier& id = langid::Identifier::BuiltIn();
  const langid::Guess guess = id.Identify(text);
  FUZZ_CHECK(guess.confidence >= 0 && guess.confidence <= 1);
  FUZZ_CHECK(guess.code.empty() || std::find(id.languages().begin(), id.languages().end(),
                                             guess.code) != id.languages().end());
  FUZZ_CHECK(!guess.code.empty() || guess.confidence == 0);
  const langid::Guess again = id.Identify(text);
  FUZZ_CHECK(again.code == guess.code && again.confidence == guess.confidence);
  return 0;
}
