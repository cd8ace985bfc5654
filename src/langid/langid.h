// src/langid/langid.h
//
// Language identification of a page from the words read on it: naive Bayes over the
// character trigrams of each word (padded with '_'), against one profile per language
// built from Debian's open word lists (tools/lang/build_profiles.py ->
// models/lang/profiles.json, built into the binary). Robust to OCR slips: a German page
// read with the English model ("fiir", "Wahrung") is still German by its other words.
//
//   const langid::Identifier& id = langid::Identifier::BuiltIn();
//   langid::Guess guess = id.Identify(words);  // guess.code "deu", confidence 1.0
#ifndef SMARTOCR_LANGID_LANGID_H_
#define SMARTOCR_LANGID_LANGID_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace smartocr::langid {

// Words of at least this many letters are scored; shorter ones say little.
inline constexpr size_t kMinWordLetters = 3;
// Fewer scored words than this: no guess.
inline constexpr size_t kMinWords = 5;
// Resamples of the page's words behind a guess's confidence.
inline constexpr int kBootstrapRounds = 64;

struct Guess {
  std::string code;       // Tesseract's code ("eng", "deu"...); "" when no guess
  double confidence = 0;  // share of resamples of the words that pick `code`, [0,1]
  size_t words = 0;       // words scored
};

class Identifier {
 public:
  // The model built into the binary.
  static const Identifier& BuiltIn();
  // From a profiles JSON (as tools/lang/build_profiles.py writes it). kInvalidArgument
  // "langid_model" when it is not one.
  static core::Result<std::unique_ptr<Identifier>> FromJson(std::string_view json);

  // The language of `text` (any UTF-8; words are runs of letters, lower-cased). The
  // confidence is the share of kBootstrapRounds resamples (with replacement, a fixed
  // seed: the same text gives the same guess) of the scored words whose summed scores
  // pick the same language as all of them do.
  Guess Identify(std::string_view text) const;

  const std::vector<std::string>& languages() const { return codes_; }
  const std::string& version() const { return version_; }

  ~Identifier();
  Identifier(const Identifier&) = delete;
  Identifier& operator=(const Identifier&) = delete;

 private:
  struct Profiles;
  Identifier();

  std::string version_;
  std::vector<std::string> codes_;
  std::unique_ptr<Profiles> profiles_;
};

}  // namespace smartocr::langid

#endif  // SMARTOCR_LANGID_LANGID_H_
