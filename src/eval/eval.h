// src/eval/eval.h
//
// Eval: accuracy of SmartOCR results against labelled data, counted the way the
// reference scorers in ../shared/tools count (score.py, sroie_text.py,
// fields_score.py), so `smartocr eval` and those scripts agree.
//
// - Text: CER (Levenshtein over code points after whitespace folding / reference
//   length), WER (the same over words), bag-of-words F1 (multiset of upper-cased
//   whitespace tokens). Pooled over a corpus by summing counts, not averaging ratios.
// - Fields: a field counts when its value equals the label after whitespace/case
//   folding, or, for dates and amounts, when the normalized form matches.
//
// Thread safety: free functions and plain values.
#ifndef SMARTOCR_EVAL_EVAL_H_
#define SMARTOCR_EVAL_EVAL_H_

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/core.h"

namespace smartocr::eval {

// ---- text metrics

// Whitespace runs become one space; leading/trailing whitespace removed.
std::string Fold(const std::string& text);
// ASCII upper-casing (other bytes unchanged).
std::string Upper(std::string text);
// Whitespace-separated tokens of Fold(text).
std::vector<std::string> Tokens(const std::string& text);

// Edit counts: `edits` over `length` reference units; add them up to pool.
struct EditCounts {
  int64_t edits = 0;
  int64_t length = 0;
  double Rate() const { return length > 0 ? static_cast<double>(edits) / length : 0; }
  EditCounts& operator+=(const EditCounts& o) {
    edits += o.edits;
    length += o.length;
    return *this;
  }
};

// Character edits after folding (score.py `cer`); length is at least 1.
EditCounts CharErrors(const std::string& ref, const std::string& hyp);
// The same over sorted upper-cased tokens joined by spaces (sroie_text.py: reading
// order of receipts is not well defined in the labels).
EditCounts SortedTokenCharErrors(const std::string& ref, const std::string& hyp);
// Word edits over folded tokens; length is the number of reference words (at least 1).
EditCounts WordErrors(const std::string& ref, const std::string& hyp);

// Bag-of-words matches (score.py `word_f1`): multiset of upper-cased tokens.
struct WordCounts {
  int64_t matched = 0;
  int64_t ref = 0;
  int64_t hyp = 0;
  double Precision() const { return hyp ? static_cast<double>(matched) / hyp : 0; }
  double Recall() const { return ref ? static_cast<double>(matched) / ref : 0; }
  double F1() const;
  WordCounts& operator+=(const WordCounts& o) {
    matched += o.matched;
    ref += o.ref;
    hyp += o.hyp;
    return *this;
  }
};
WordCounts BagOfWords(const std::string& ref, const std::string& hyp);

// ---- field matching (fields_score.py)

enum class FieldKind { kText, kDate, kAmount };

// The last number in `text` as a value rounded to cents ("1.234,56" -> 1234.56).
std::optional<double> ParseLabelAmount(const std::string& text);
// A day-first or ISO date string as ISO "YYYY-MM-DD", when valid.
std::optional<std::string> ParseLabelDate(const std::string& text);
// True when a field with `value` / `normalized` counts as `ref`.
bool FieldMatches(FieldKind kind, const std::string& ref, const std::string& value,
                  const std::string& normalized);

// ---- datasets (formats of ../shared/data, see each folder's README)

struct LabelledField {
  FieldKind kind = FieldKind::kText;
  std::string value;
};

struct Sample {
  std::string stem;                             // output name, e.g. "000"
  std::string input;                            // document path
  std::optional<std::string> ref_text;          // full-text label, when the set has one
  std::map<std::string, LabelledField> fields;  // our field name -> label
  std::vector<std::string> mrz_lines;           // mrz set only
  // mrz set only: every check digit printed on the document is valid (the labels'
  // all_valid), so a reader can be asked for an MRZ that passes them all.
  bool mrz_printed_valid = false;
  // mrz set only: the labelled value of each MRZ field, as id_document names it.
  std::map<std::string, std::string> mrz_truth;
};

enum class TextMetric {
  kNone,
  kSortedTokens,  // CER over sorted tokens (receipts, forms)
  kReadingOrder,  // CER in reading order (full pages)
};

struct Dataset {
  std::string name;  // "sroie", "tesseract", "funsd", "invoices", "invoices2", "mrz"
  TextMetric text_metric = TextMetric::kNone;
  std::string schema;  // schema to extract with ("receipt", "invoice", "id_document", "")
  std::vector<Sample> samples;
};

// Names LoadDataset accepts.
std::vector<std::string> DatasetNames();

// Reads a labelled folder. Fails with kInvalidArgument (unknown name), kNotFound
// (missing folder or files) or kCorruptInput (a label file that does not parse).
core::Result<Dataset> LoadDataset(const std::string& name, const std::string& dir);

// ---- scoring and reports

struct FieldScore {
  int64_t hits = 0;
  int64_t ref = 0;  // labelled (non-empty) fields
  int64_t hyp = 0;  // fields we returned with a non-empty value, for labelled names
};

struct DocumentOutcome {
  std::string stem;
  bool failed = false;
  std::string error;  // Status text when failed
  WordCounts words;
  EditCounts chars;
  EditCounts word_edits;
  std::map<std::string, bool> field_hits;  // labelled field -> counted
  std::optional<bool> mrz_exact;
  std::optional<bool> mrz_checks_pass;       // our MRZ passes all its checks (printed-valid only)
  std::optional<bool> mrz_valid;             // our "mrz" field says "valid"
  std::vector<std::string> mrz_false_valid;  // fields that say "valid" with a wrong value
  double seconds = 0;
};

class Report {
 public:
  Report(std::string dataset, std::string engine_version, nlohmann::json settings);

  // Scores one document from its JSON result (render::ToJson) against its sample.
  void Add(const Dataset& dataset, const Sample& sample, const nlohmann::json& result,
           double seconds);
  // Records a document the pipeline could not read.
  void AddFailure(const Sample& sample, const core::Status& status, const Dataset& dataset);
  // Process CPU seconds spent reading all documents (engine start excluded): on a shared
  // machine a steadier speed figure than wall time.
  void SetCpuSeconds(double seconds) { cpu_seconds_ = seconds; }

  nlohmann::json ToJson() const;
  // A human table; with `baseline` (an earlier ToJson()), side by side.
  std::string ToText(const nlohmann::json* baseline) const;

 private:
  std::string dataset_;
  std::string engine_version_;
  nlohmann::json settings_;
  std::vector<DocumentOutcome> documents_;
  WordCounts words_;
  EditCounts chars_;
  EditCounts word_edits_;
  bool has_text_ = false;
  std::map<std::string, FieldScore> fields_;
  int mrz_exact_ = 0;
  int mrz_total_ = 0;
  int mrz_checks_pass_ = 0;    // documents whose MRZ we read with every check passing
  int mrz_printed_valid_ = 0;  // ... out of those whose printed checks are all valid
  int mrz_valid_ = 0;          // documents whose "mrz" says "valid"
  int mrz_false_valid_ = 0;    // ... with lines other than the printed ones
  // Per MRZ field: "valid" claims, and those with a value other than the label's.
  std::map<std::string, std::pair<int, int>> mrz_field_valid_;
  double seconds_ = 0;
  double cpu_seconds_ = 0;
};

// A report (Report::ToJson) as Prometheus text-format gauges (smartocr_eval_*), labelled
// by dataset, engine and SmartOCR version, with the run's time: `eval --metrics-out`.
std::string ReportToPrometheus(const nlohmann::json& report, int64_t unix_seconds);

}  // namespace smartocr::eval

#endif  // SMARTOCR_EVAL_EVAL_H_
