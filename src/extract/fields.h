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
#include <string>
#include <vector>

#include "core/core.h"
#include "extract/extract.h"

namespace smartocr::extract {

struct Schema;  // extract/schema.h

struct ExtractOptions {
  // "auto" (classify first), "receipt", "invoice", "id_document".
  std::string schema = "auto";
  // A tenant schema (extract/schema.h); when set it replaces `schema`.
  std::shared_ptr<const Schema> custom_schema;
  std::string locale;  // date order and currency hints, e.g. "en-US", "de-DE"
  Date today;          // for plausibility and two-digit years; {0,0,0}: none
};

// Today's date in UTC (the wall clock; tests pass their own dates instead).
Date TodayUtc();

// Names accepted by ExtractOptions::schema.
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

// "invoice", "receipt", "id_document" or "other", with a confidence in [0,1].
std::pair<std::string, double> ClassifyDocument(const std::vector<TextLine>& lines,
                                                const core::DocumentResult& doc);

// Fills doc.extracted, doc_type, fields and line_items. Fails with kInvalidArgument
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

}  // namespace smartocr::extract

#endif  // SMARTOCR_EXTRACT_FIELDS_H_
