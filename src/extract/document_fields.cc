// Entry point of field extraction: lines in reading order, document type, schema rules.
#include <algorithm>
#include <ctime>

#include "extract/fields_internal.h"
#include "extract/schema.h"
#include "mrz/mrz.h"

namespace smartocr::extract {

using namespace fields_internal;  // NOLINT(google-build-using-namespace): module-private

Date TodayUtc() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

namespace {
// Rules over a born-digital text layer read no pixels: say so in the source.
void MarkSources(core::DocumentResult& doc) {
  bool text_layer = !doc.pages.empty() &&
                    std::all_of(doc.pages.begin(), doc.pages.end(), [](const core::PageResult& p) {
                      return p.source == core::PageSource::kPdfText;
                    });
  for (core::Field& f : doc.fields) {
    if (f.source == "rules" && text_layer) f.source = "pdf-text";
    f.engine_version = doc.engine.name + " " + doc.engine.version;
  }
}
}  // namespace

std::vector<std::string> SchemaNames() { return {"auto", "receipt", "invoice", "id_document"}; }

std::vector<TextLine> CollectLines(const core::DocumentResult& doc) {
  std::vector<TextLine> out;
  for (const core::PageResult& page : doc.pages) {
    for (const core::Block& block : page.blocks) {
      for (const core::Line& line : block.lines) {
        TextLine t;
        t.page = page.number;
        t.text = line.Text();
        t.box = line.box;
        t.words = line.words;
        t.confidence = line.confidence;
        if (!t.text.empty()) out.push_back(std::move(t));
      }
    }
  }
  return out;
}

std::pair<std::string, double> ClassifyDocument(const std::vector<TextLine>& lines,
                                                const core::DocumentResult& doc) {
  std::vector<std::string> texts;
  texts.reserve(lines.size());
  for (const TextLine& l : lines) texts.push_back(l.text);
  if (!mrz::FindMrzLines(texts).empty()) return {"id_document", 0.95};
  int invoice = 0, receipt = 0;
  for (const TextLine& l : lines) {
    std::string u = UpperAscii(l.text);
    for (const char* k : {"INVOICE", "RECHNUNG", "FACTURE", "BILL TO", "DUE DATE", "IBAN", "VAT",
                          "MWST", "UST-ID", "PAYMENT TERMS", "SHIP TO", "TVA"}) {
      invoice += HasWord(u, k) ? 1 : 0;
    }
    for (const char* k : {"RECEIPT", "CASH", "CHANGE", "THANK YOU", "CASHIER", "QTY", "GST",
                          "ROUNDING", "TABLE", "VISA", "MASTERCARD", "SDN BHD", "BHD"}) {
      receipt += HasWord(u, k) ? 1 : 0;
    }
  }
  // Receipts are narrow rolls of paper.
  if (!doc.pages.empty() && doc.pages[0].width > 0 &&
      doc.pages[0].height > 1.6 * doc.pages[0].width) {
    receipt += 2;
  }
  // "TAX INVOICE" heads many receipts; only a clear margin decides.
  if (invoice == 0 && receipt == 0) return {"other", 0.5};
  double total = invoice + receipt;
  if (invoice > receipt) return {"invoice", std::min(0.95, 0.5 + invoice / (2 * total))};
  return {"receipt", std::min(0.95, 0.5 + receipt / (2 * total))};
}

core::Status ExtractFields(core::DocumentResult& doc, const ExtractOptions& options) {
  if (options.custom_schema != nullptr) {
    doc.extracted = true;
    doc.doc_type = options.custom_schema->name;
    doc.doc_type_confidence = 1.0;
    doc.fields = ExtractSchemaFields(CollectLines(doc), *options.custom_schema, options);
    doc.line_items.clear();
    MarkSources(doc);
    return core::Status::Ok();
  }
  std::vector<std::string> names = SchemaNames();
  if (std::find(names.begin(), names.end(), options.schema) == names.end()) {
    return core::InvalidArgument(
        "schema", "unknown schema '" + options.schema + "' (auto, receipt, invoice, id_document)");
  }
  std::vector<TextLine> lines = CollectLines(doc);
  auto [type, confidence] = ClassifyDocument(lines, doc);
  std::string schema = options.schema == "auto" ? type : options.schema;
  doc.extracted = true;
  doc.doc_type = options.schema == "auto" ? type : options.schema;
  doc.doc_type_confidence = options.schema == "auto" ? confidence : 1.0;
  if (schema == "receipt") {
    doc.fields = ExtractReceiptFields(lines, options);
  } else if (schema == "invoice") {
    doc.fields = ExtractInvoiceFields(lines, options);
  } else if (schema == "id_document") {
    doc.fields = ExtractIdFields(lines, options);
  } else {
    doc.fields.clear();
  }
  doc.line_items.clear();
  if (schema == "receipt" || schema == "invoice") {
    doc.line_items = ExtractLineItems(lines, options);
    // The items' sum confirms the subtotal (or total) where nothing else has. Items are
    // found by layout heuristics, so a sum that does not fit says more about the items
    // than about the total: only agreement is recorded.
    Validation items = ValidateLineItems(doc.line_items, doc.fields);
    if (items.status == Validity::kValid) {
      bool has_subtotal = std::any_of(doc.fields.begin(), doc.fields.end(),
                                      [](const core::Field& f) { return f.name == "subtotal"; });
      for (core::Field& f : doc.fields) {
        if (f.name == (has_subtotal ? "subtotal" : "total") && f.validator_status == "unchecked") {
          ApplyValidation(f, items);
          f.validator_detail = "line items: " + f.validator_detail;
        }
      }
    }
  }
  MarkSources(doc);
  return core::Status::Ok();
}

}  // namespace smartocr::extract
