// src/extract/fields.h
//
// Field extraction over a recognized document: document type, the built-in schemas'
// fields (receipt, invoice, id_document) with value, normalized form, validator
// status, confidence and the boxes of the words they came from.
//
// Rules are geometry-aware and layout-independent: a value is looked for on its
// label's line (to the right) or on the line below, typed patterns (dates, amounts,
// invoice numbers, IBANs) decide what counts as a value, and position priors (the
// vendor near the top) and arithmetic (totals) break ties.
#ifndef SMARTOCR_EXTRACT_FIELDS_H_
#define SMARTOCR_EXTRACT_FIELDS_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"
#include "extract/extract.h"

namespace smartocr::extract {

struct Schema;       // extract/schema.h
class FieldLexicon;  // extract/lexicon.h

struct ExtractOptions {
  // "auto" (classify first) or the name of a document type (DocTypes()).
  std::string schema = "auto";
  // A tenant schema (extract/schema.h); when set it replaces `schema`.
  std::shared_ptr<const Schema> custom_schema;
  std::string locale;  // date order and currency hints, e.g. "en-US", "de-DE"
  Date today;          // for plausibility and two-digit years; {0,0,0}: none
  // Known values that correct misread ones (extract/lexicon.h); null: the built-in
  // lexicon, FieldLexicon::Empty(): the rules alone.
  std::shared_ptr<const FieldLexicon> lexicon;
  // Read an e-invoice embedded in the document (core::DocumentResult's
  // embedded_invoice_xml, extract/einvoice.h); off where only the page may count (eval).
  bool read_embedded_invoice = true;
};

// Today's date in UTC (the wall clock; tests pass their own dates instead).
Date TodayUtc();

// Names accepted by ExtractOptions::schema: "auto", then the document types' names.
std::vector<std::string> SchemaNames();

// One line of text with its words, in reading order, for the rules.
struct TextLine {
  int page = 0;
  std::string text;
  core::BBox box;
  std::vector<core::Word> words;
  double confidence = 0;
};

// The document's lines in reading order (pages, blocks, lines).
std::vector<TextLine> CollectLines(const core::DocumentResult& doc);

// A document type's name (DocTypes()) or "other", with a confidence in [0,1].
std::pair<std::string, double> ClassifyDocument(const std::vector<TextLine>& lines,
                                                const core::DocumentResult& doc);

// Fills doc.extracted, doc_type, fields and line_items: the rules of the document type
// asked for, or classified under "auto" (none for "other"). Fails with kInvalidArgument
// (reason "schema") on an unknown schema name.
core::Status ExtractFields(core::DocumentResult& doc, const ExtractOptions& options);

// Line items from column alignment: the rows between the item table's header row
// ("Qty Description Price Amount") and the first subtotal/total line that end in an
// amount; description, quantity and unit price from the text and numbers before it.
std::vector<core::LineItem> ExtractLineItems(const std::vector<TextLine>& lines,
                                             const ExtractOptions& options);
// The items' amounts summed against the "subtotal" field, or without one the "total"
// (receipts print items with tax included). Unchecked when either side is missing.
Validation ValidateLineItems(const std::vector<core::LineItem>& items,
                             const std::vector<core::Field>& fields);

// Per-schema rules (used by ExtractFields; exposed for tests).
std::vector<core::Field> ExtractReceiptFields(const std::vector<TextLine>& lines,
                                              const ExtractOptions& options);
std::vector<core::Field> ExtractInvoiceFields(const std::vector<TextLine>& lines,
                                              const ExtractOptions& options);
std::vector<core::Field> ExtractIdFields(const std::vector<TextLine>& lines,
                                         const ExtractOptions& options);

// ---------------------------------------------------------------------------------------
// Document types: the one registry of the built-in types (receipt, invoice,
// id_document) that every module asks instead of naming them. "auto" (classify
// first), "none" (no fields), "other" (the classifier found no type) and tenant schemas
// are no document types and are not in it.

// The type of a schema field (extract/schema.h); the built-in types' fields use it too.
enum class FieldType { kString, kDate, kAmount, kInteger, kEnum, kRegex };
const char* FieldTypeName(FieldType type);  // "string", "date", ...

// One field a document type's rules fill, as its built-in schema describes it.
struct DocTypeField {
  std::string_view name;
  FieldType type = FieldType::kString;
  std::string_view description;  // for humans and the LLM prompt
};

using FieldRules = std::vector<core::Field> (*)(const std::vector<TextLine>& lines,
                                                const ExtractOptions& options);

// How ClassifyDocument recognizes a type.
struct DocTypeClassifier {
  // A sign only this type shows (an MRZ on an id document): where it holds, the type
  // wins outright. Null: none.
  bool (*sure_sign)(const std::vector<TextLine>& lines) = nullptr;
  // Words that vote for the type: one vote per word found on a line (upper case, whole
  // words).
  std::span<const std::string_view> votes;
  // Votes for a first page much taller than wide (receipts are narrow rolls of paper).
  int tall_page_votes = 0;
};

struct DocType {
  std::string_view name;                 // the schema name and the document's doc_type
  std::string_view description;          // for the LLM prompt (BuiltinSchema)
  std::span<const DocTypeField> fields;  // what `rules` fill, in the order of the schema
  FieldRules rules = nullptr;            // never null
  bool line_items = false;               // items are extracted too (and checked against the total)
  DocTypeClassifier classifier;
  // The engine "auto" recognizes the type with where PP-OCR is installed ("hybrid" or
  // "tesseract"; without PP-OCR always "tesseract"): cli/engine_factory.h says why.
  std::string_view default_engine;
  bool mrz_pass = false;      // the type may carry an MRZ: the pipeline looks for one
  bool uses_lexicon = false;  // its rules correct values with ExtractOptions::lexicon
};

// Every document type, in the order messages list them: receipt, invoice, id_document.
// Ties in ClassifyDocument's votes go to the earlier type.
std::span<const DocType> DocTypes();
// The type named `name`; nullptr for any other name ("auto", "none", "other", a tenant
// schema's).
const DocType* FindDocType(std::string_view name);
// The types' names joined by `separator` ("receipt, invoice, id_document"), for messages.
std::string DocTypeNames(std::string_view separator = ", ");

}  // namespace smartocr::extract

#endif  // SMARTOCR_EXTRACT_FIELDS_H_
