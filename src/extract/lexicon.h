// src/extract/lexicon.h
//
// A field lexicon: values a field was labelled with on training documents (a receipt's
// company and address), learned by tools/fields/build_lexicon.py from a training split.
// A value read within a small edit distance of a known one is taken to be that value
// misread ("SON BHD" for "SDN BHD", "JIN" for "JLN"): the rules replace it and keep
// what was read in the field's `corrected_from`.
//
// How close is close enough, and how often such a replacement was right, are fitted per
// field on the training split (leave-one-out) and stored in the file; the confidence of
// a corrected value is that measured precision.
//
//   auto lexicon = extract::FieldLexicon::Load("receipt-lexicon.json");
//   if (!lexicon.ok()) UseRulesAlone();
//
// Thread safety: immutable once built; share it freely.
#ifndef SMARTOCR_EXTRACT_LEXICON_H_
#define SMARTOCR_EXTRACT_LEXICON_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace smartocr::extract {

class FieldLexicon {
 public:
  struct Entry {
    std::string text;  // whitespace folded, upper case
    int count = 0;     // training documents labelled with it
  };
  struct FieldEntries {
    double max_distance_ratio = 0;  // distance allowed per byte of the value read
    double confidence = 0;          // of a replaced value
    std::vector<Entry> values;
  };
  struct Match {
    std::string text;
    int distance = 0;
    double confidence = 0;
  };

  // The JSON tools/fields/build_lexicon.py writes ("format": "smartocr-field-lexicon/1").
  // Fails with kCorruptInput, reason "lexicon_format", saying what is wrong.
  static core::Result<std::shared_ptr<const FieldLexicon>> Parse(std::string_view json_text);
  // Parse of a file; kNotFound "lexicon_missing" when it cannot be read.
  static core::Result<std::shared_ptr<const FieldLexicon>> Load(const std::string& path);
  // The lexicon built into the binary (models/fields/receipt-lexicon.json).
  static std::shared_ptr<const FieldLexicon> BuiltIn();
  // No values at all: the rules alone.
  static std::shared_ptr<const FieldLexicon> Empty();

  // The known value `read` is a misreading of, or nullopt: nothing within the field's
  // distance, an exact match already (distance 0), or two values equally near and
  // equally common. Distance: Levenshtein over the bytes of the whitespace-folded,
  // upper-cased texts, at most floor(max_distance_ratio * bytes of `read`).
  std::optional<Match> Nearest(std::string_view field, std::string_view read) const;

  bool empty() const { return fields_.empty(); }
  // "sroie-train-1 #1a2b3c4d" (the file's version and a hash of its bytes); "" if empty.
  const std::string& version() const { return version_; }

 private:
  std::map<std::string, FieldEntries, std::less<>> fields_;
  std::string version_;
};

// Whitespace runs folded to one space, ends trimmed, ASCII upper-cased: how a value
// is compared with the lexicon (and how the scorers compare values).
std::string FoldForLexicon(std::string_view text);

}  // namespace smartocr::extract

#endif  // SMARTOCR_EXTRACT_LEXICON_H_
