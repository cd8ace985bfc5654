// The one path from a file to a result: pipeline, then the steps after recognition.
#include "document/document.h"
#include "extract/lexicon.h"
#include "llm/llm.h"
#include "recognize/recognize.h"
#include "telemetry/metrics.h"
#include "telemetry/stage.h"
#include "telemetry/tracer.h"

namespace smartocr::document {
namespace {

// The schema that picks a document's pipeline: the one asked for, else the
// submitter's type hint, else "auto" (PipelineSet::For's default).
std::string PipelineSchema(const DocumentOptions& options, const std::string& type_hint) {
  if (!options.schema.empty() && options.schema != "auto") return options.schema;
  return type_hint.empty() ? "auto" : type_hint;
}

// Fields found only to know what to redact are not part of the result.
void DropFields(core::DocumentResult& doc) {
  doc.extracted = false;
  doc.fields.clear();
  doc.line_items.clear();
}

}  // namespace

DocumentService::DocumentService(const pipeline::PipelineSet& pipelines, llm::LlmClient* llm,
                                 TodayFn today)
    : pipelines_(pipelines), llm_(llm), today_(today) {}

pipeline::PipelineSet::Choice DocumentService::PipelineFor(const DocumentOptions& options,
                                                           const std::string& type_hint) const {
  if (!options.engine.empty()) {
    if (std::optional<pipeline::PipelineSet::Choice> named = pipelines_.Named(options.engine)) {
      return *named;
    }
  }
  return pipelines_.For(PipelineSchema(options, type_hint));
}

core::Status DocumentService::CheckLanguage(const DocumentOptions& options) const {
  if (options.lang.empty() || options.lang == pipeline::kAutoLanguage) return core::Status::Ok();
  return recognize::CheckLanguages(options.lang,
                                   PipelineFor(options, "").pipeline.engine().languages());
}

std::string DocumentService::ResultFingerprint() const {
  // Jobs extract with the built-in lexicon: a new one must not be served old results.
  std::string fingerprint = "lexicon:" + extract::FieldLexicon::BuiltIn()->version();
  if (llm_ != nullptr) fingerprint += " llm:" + llm_->config().model;
  return fingerprint;
}

core::Result<DocumentOutcome> DocumentService::Process(const DocumentInput& input,
                                                       const DocumentOptions& options) const {
  pipeline::PipelineSet::Choice chosen = PipelineFor(options, input.type_hint);
  // A cached page holds the text as read: nothing is cached for a document to redact.
  pipeline::PageCache* page_cache = options.redact.empty() ? input.page_cache : nullptr;
  std::vector<std::string> warnings;
  pipeline::PageEngines page_engines;
  for (const auto& [page, name] : options.page_engines) {
    std::optional<pipeline::PipelineSet::Choice> named = pipelines_.Named(name);
    if (!named) {
      warnings.push_back("engine " + name + " is not loaded here; page " + std::to_string(page) +
                         " read with " + chosen.engine_name);
    } else if (named->engine_name != chosen.engine_name) {
      page_engines[page] = &named->pipeline.engine();
      warnings.push_back("page " + std::to_string(page) + " read with " + name);
    }
  }
  // The chosen engine may differ from the one CheckLanguage asked (a type hint picks
  // it): one that takes no language reads as it does; one that does checks again.
  const std::vector<std::string> languages = chosen.pipeline.engine().languages();
  const std::string lang = languages.empty() ? "" : options.lang;
  if (!lang.empty() && lang != pipeline::kAutoLanguage) {
    SMARTOCR_RETURN_IF_ERROR(recognize::CheckLanguages(lang, languages));
  }
  auto doc =
      chosen.pipeline.Run(input.path, input.sink, input.cancel, page_cache, &page_engines, lang);
  // The caller's name for the document, not where it lies (a server's temp file).
  if (!doc.ok()) return doc.status().WithPathNamed(input.path, input.input_name);
  if (input.cancel != nullptr && input.cancel->load()) {
    return core::Cancelled("cancelled", "the document was cancelled");
  }
  if (!input.input_name.empty()) doc->input = input.input_name;
  if (!options.engine.empty() && chosen.engine_name != options.engine) {
    doc->warnings.push_back("engine " + options.engine + " is not loaded here; read with " +
                            chosen.engine_name);
  }
  for (std::string& warning : warnings) doc->warnings.push_back(std::move(warning));
  return PostRecognition(std::move(*doc), options);
}

core::Result<DocumentOutcome> DocumentService::PostRecognition(
    core::DocumentResult doc, const DocumentOptions& options) const {
  DocumentOutcome out;
  if (!options.wants_fields() && options.redact.empty()) {
    out.doc = std::move(doc);
    return out;
  }
  extract::ExtractOptions extract_options;
  // A tenant schema replaces the built-in ones; "" still classifies, for redaction.
  extract_options.schema =
      options.custom_schema != nullptr || options.schema.empty() ? "auto" : options.schema;
  extract_options.custom_schema = options.custom_schema;
  extract_options.locale = options.locale;
  extract_options.lexicon = options.lexicon;
  extract_options.read_embedded_invoice = options.read_embedded_invoice;
  extract_options.today = today_();
  int64_t started = telemetry::UnixNanosNow();
  SMARTOCR_RETURN_IF_ERROR(extract::ExtractFields(doc, extract_options));
  started = telemetry::RecordStage("extract", doc.engine.name, started);
  if (options.wants_fields() && llm_ != nullptr) {
    AskLlm(doc, options, extract_options);
    telemetry::RecordStage("llm", doc.engine.name, started);
  }
  for (const core::Field& f : doc.fields) {
    telemetry::ObserveFieldConfidence(doc.doc_type, f.confidence);
  }
  // Review looks at the values as read; redaction then removes them.
  if (options.review_threshold > 0) FlagFieldsForReview(doc, options.review_threshold);
  if (!options.redact.empty()) {
    out.redactions = redact::RedactDocument(doc, {.kinds = options.redact});
  }
  if (!options.wants_fields()) DropFields(doc);
  out.doc = std::move(doc);
  return out;
}

// The LLM is an extra: when it fails, the rule fields stand and a warning says why.
void DocumentService::AskLlm(core::DocumentResult& doc, const DocumentOptions& options,
                             const extract::ExtractOptions& extract_options) const {
  std::shared_ptr<const extract::Schema> schema = options.custom_schema;
  if (schema == nullptr) {
    auto builtin = extract::BuiltinSchema(doc.doc_type);
    if (!builtin.ok()) return;  // "other": nothing to ask for
    schema = std::make_shared<const extract::Schema>(std::move(*builtin));
  }
  auto answer = llm_->Extract(doc, *schema);
  if (!answer.ok()) {
    doc.warnings.push_back("LLM extraction skipped, rule fields kept: " +
                           answer.status().ToString());
    return;
  }
  llm::MergeLlmFields(doc, *answer, *schema, extract_options);
}

void FlagFieldsForReview(core::DocumentResult& doc, double threshold) {
  doc.review_threshold = threshold;
  for (core::Field& f : doc.fields) {
    // A value whose checks pass but that nothing else confirms (mrz::AssessMrz) is a
    // person's call, whatever its confidence.
    f.needs_review = f.confidence < threshold || f.validator_status == "invalid" ||
                     f.validator_status == "checks_pass_unconfirmed";
  }
}

}  // namespace smartocr::document
