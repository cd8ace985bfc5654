// src/document/document.h
//
// The document service: the one path a document takes from a file to a result, for
// every caller (`smartocr extract`, POST /ocr/extract, the job worker). It runs the
// pipeline the document's type picks, then field extraction (the rules, then the
// optional LLM), review flags and redaction, and returns a typed result: the document
// with its warnings, and the regions to black out of page images.
//
//   document::DocumentService service(pipelines, llm_client_or_null);
//   document::DocumentOptions options{.schema = "receipt"};
//   auto result = service.Process({.path = "scan.pdf", .input_name = "scan.pdf"}, options);
//   if (result.ok()) std::cout << render::RenderJson(result->doc);
//
// DocumentOptions has one JSON codec (DocumentOptionsFromJson / DocumentOptionsToJson):
// the API stores a job's options with it, the worker reads them back with it.
//
// Thread safety: DocumentService is thread-safe (Process may run for several documents
// at once); options and results are plain values.
#ifndef SMARTOCR_DOCUMENT_DOCUMENT_H_
#define SMARTOCR_DOCUMENT_DOCUMENT_H_

#include <atomic>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/core.h"
#include "extract/extract.h"
#include "extract/fields.h"
#include "extract/schema.h"
#include "pipeline/pipeline.h"
#include "pipeline/pipeline_set.h"
#include "redact/redact.h"

namespace smartocr::llm {
class LlmClient;
}

namespace smartocr::document {

// What is done with a document after recognition.
//
// JSON (a job's options_json; keys absent take the defaults below):
//   {"schema": "auto" | "receipt" | "invoice" | "id_document" | NAME,
//    "schema_def": {...tenant schema, docs/schemas.md...},   // when NAME is a tenant's
//    "redact": ["mrz", "iban", ...],                          // redact::KnownKinds()
//    "review_threshold": 0.8,                                 // (0, 1]
//    "review_sample_percent": 5,                              // [0, 100]
//    "engine": "hybrid", "variant": "b",                      // EngineNames(); a | b
//    "page_engines": {"2": "ppocr"},                          // page -> EngineNames()
//    "extractor": "rules",                                    // ExtractorNames()
//    "locale": "en-US"}                                       // date order hint
// The engines a document's options may name (recognize/ppocr engine names).
inline const std::vector<std::string>& EngineNames() {
  static const std::vector<std::string> kNames = {"tesseract", "ppocr", "hybrid"};
  return kNames;
}

// The field extractors a document's options may name.
inline const std::vector<std::string>& ExtractorNames() {
  static const std::vector<std::string> kNames = {"rules", "rules+lexicon"};
  return kNames;
}

struct DocumentOptions {
  // "": no fields in the result; "auto": the document type is detected; else a
  // document type (extract::DocTypes) or the name of `custom_schema`.
  std::string schema;
  // The tenant schema (a snapshot taken at submission) when `schema` names one.
  std::shared_ptr<const extract::Schema> custom_schema;
  // Redaction kinds (redact::KnownKinds order). Fields are extracted to find what to
  // redact even when `schema` is "", and then left out of the result.
  std::vector<std::string> redact;
  // Fields below this confidence, or failing their validator, need review; 0: no flags.
  double review_threshold = 0;
  // This share of the documents that need nothing is reviewed anyway (docs/review.md).
  double review_sample_percent = 0;
  // The engine to read with (kEngineNames), whatever the schema would pick; "": the
  // schema's. An engine the service has not loaded falls back to the schema's, with a
  // warning in the result.
  std::string engine;
  // Pages read with another engine than `engine` (1-based page -> kEngineNames): a re-run
  // of one page. The other pages, and the fields (extracted from all pages), are as
  // without it. An engine not loaded here reads with `engine`, with a warning.
  std::map<int, std::string> page_engines;
  // Which side of the tenant's engine experiment the job fell on ("a", "b"; "" when
  // there is none): recorded with the job so the two can be compared.
  std::string variant;
  // The field extractor (ExtractorNames()): "rules" alone, or "rules+lexicon" (the
  // rules, then the learned lexicon's corrections: extract/lexicon.h); "": the latter.
  // Sets `lexicon` when read from JSON.
  std::string extractor;
  // Date order hint for field normalization ("" decides from the document).
  std::string locale;
  // Languages to read with ("deu+eng": Tesseract codes; "auto": chosen per page,
  // pipeline::kAutoLanguage); "": the service's default. Checked against the engine's
  // languages() before the document is read.
  std::string lang;
  // Known values that correct misread ones (extract/lexicon.h); null: the built-in
  // lexicon. Not part of the JSON: jobs use the built-in one.
  std::shared_ptr<const extract::FieldLexicon> lexicon;
  // Read an e-invoice XML the PDF carries (extract/einvoice.h). Eval turns it off: on
  // the e-invoice sets the XML is the answer key.
  bool read_embedded_invoice = true;

  bool wants_fields() const { return !schema.empty() || custom_schema != nullptr; }
};

// Reads the keys above; other keys are ignored (a job's options may carry more).
// Fails with kInvalidArgument (reason "options") naming the bad key.
core::Result<DocumentOptions> DocumentOptionsFromJson(const nlohmann::json& json);
// The JSON DocumentOptionsFromJson reads back to the same options (defaults omitted).
nlohmann::json DocumentOptionsToJson(const DocumentOptions& options);

// One document to process.
struct DocumentInput {
  std::string path;        // the file to read
  std::string input_name;  // how the result names it ("input"); the path when empty
  // Receives finished pages (and their images) in page order; may be null.
  pipeline::PageSink* sink = nullptr;
  // Set (by another thread) to stop: pages not started are skipped, the page being
  // recognized stops inside the engine, and Process fails with kCancelled. May be null.
  const std::atomic<bool>* cancel = nullptr;
  // The document type the submitter named, which picks the pipeline when the options'
  // schema is "" or "auto" (a job's doc_type); "" when not known.
  std::string type_hint;
  // The stage cache for this document's OCR pages (pipeline::Pipeline::Run), scoped by
  // the caller to whom it reads the document for; null: none (POST /ocr/extract, the
  // CLI). Pages are cached as read, before redaction, so Process does not use it when
  // the options redact. Must outlive the call.
  pipeline::PageCache* page_cache = nullptr;
};

struct DocumentOutcome {
  // The result: pages, fields, review flags, redaction, warnings (doc.warnings).
  core::DocumentResult doc;
  // What redaction blacked out, in pixels of each page: burn these into page images
  // before they leave the process (redact::BurnRegions).
  std::vector<redact::Region> redactions;
};

// Which clock anchors date plausibility ("today" for fields and the MRZ).
using TodayFn = extract::Date (*)();

class DocumentService {
 public:
  // `pipelines` and `llm` (nullable: no LLM) must outlive the service. With an LLM,
  // every document whose options ask for fields is also sent to it after the rules.
  DocumentService(const pipeline::PipelineSet& pipelines, llm::LlmClient* llm,
                  TodayFn today = &extract::TodayUtc);

  // Runs `input` on the pipeline its options' schema picks (PipelineSet::For), then
  // PostRecognition. Fails with CheckLanguage's errors, the pipeline's (ingest codes,
  // kCancelled), kCancelled "cancelled" when `cancel` was set after the last page, or
  // field extraction's errors (kInvalidArgument "schema").
  core::Result<DocumentOutcome> Process(const DocumentInput& input,
                                        const DocumentOptions& options) const;

  // The steps after recognition on an already recognized document (fields, LLM,
  // review flags, redaction). Fails with field extraction's errors.
  core::Result<DocumentOutcome> PostRecognition(core::DocumentResult doc,
                                                const DocumentOptions& options) const;

  // The pipeline a document runs on, and its engine's version: the options' schema
  // picks it, else `type_hint`, else the default.
  pipeline::PipelineSet::Choice PipelineFor(const DocumentOptions& options,
                                            const std::string& type_hint) const;
  // options.lang against the languages of the engine the options pick (before the
  // document type is known: the default's for "auto"), so that a request is refused
  // at submission. recognize::CheckLanguages' errors; Ok for an empty lang.
  core::Status CheckLanguage(const DocumentOptions& options) const;
  // Names what, beside the engine, decides results: the built-in lexicon's version, and
  // "llm:<model>" with an LLM.
  std::string ResultFingerprint() const;

 private:
  void AskLlm(core::DocumentResult& doc, const DocumentOptions& options,
              const extract::ExtractOptions& extract_options) const;

  const pipeline::PipelineSet& pipelines_;
  llm::LlmClient* const llm_;
  const TodayFn today_;
};

// Flags the fields below `threshold` or failing their validator (needs_review) and
// records the threshold on the document.
void FlagFieldsForReview(core::DocumentResult& doc, double threshold);

// Why a person should look at `doc` (docs/review.md), in field order:
// "missing_required:<f>" (a required field not found), "einvoice_mismatch:<f>" (the
// embedded e-invoice and the printed page disagree), "validator_failed:<f>"
// (invalid, or checks pass unconfirmed), "low_confidence:<f>" (below the threshold);
// when none applies, "sampled" if `sample_key` (the job id) falls in
// options.review_sample_percent. Empty: no review.
std::vector<std::string> ReviewReasons(const core::DocumentResult& doc,
                                       const DocumentOptions& options, std::string_view sample_key);

}  // namespace smartocr::document

#endif  // SMARTOCR_DOCUMENT_DOCUMENT_H_
