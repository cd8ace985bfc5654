// Entry point of field extraction: lines in reading order, document type, schema rules.
#include <algorithm>
#include <ctime>

#include "extract/einvoice.h"
#include "extract/fields_internal.h"
#include "extract/lexicon.h"
#include "extract/schema.h"
#include "extract/tunables.h"

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
    if (f.source == "e-invoice") {
      f.engine_version = "e-invoice " + doc.embedded_invoice_name;
      continue;
    }
    if (f.source == "rules" && text_layer) f.source = "pdf-text";
    f.engine_version = doc.engine.name + " " + doc.engine.version;
  }
}
// The embedded e-invoice's fields replace what the rules read from the page, each checked
// against it (einvoice.h); fields the XML does not state stay as read. The document is
// an invoice, for sure. An XML that cannot be read leaves the page's fields and a
// warning.
void UseEmbeddedInvoice(core::DocumentResult& doc) {
  auto xml_fields = ReadEInvoiceFields(doc.embedded_invoice_xml);
  if (!xml_fields.ok()) {
    doc.warnings.push_back("embedded e-invoice " + doc.embedded_invoice_name +
                           " not read, fields from the page: " + xml_fields.status().ToString());
    return;
  }
  if (xml_fields->empty()) return;
  const bool page_is_invoice = doc.doc_type == "invoice";
  CrossCheckEInvoice(*xml_fields, page_is_invoice ? doc.fields : std::vector<core::Field>());
  std::vector<core::Field> merged;
  for (const DocTypeField& field : FindDocType("invoice")->fields) {
    auto from = [&](const std::vector<core::Field>& fields) -> const core::Field* {
      for (const core::Field& f : fields) {
        if (f.name == field.name) return &f;
      }
      return nullptr;
    };
    if (const core::Field* f = from(*xml_fields)) {
      merged.push_back(*f);
    } else if (const core::Field* g = page_is_invoice ? from(doc.fields) : nullptr) {
      merged.push_back(*g);
    }
  }
  doc.fields = std::move(merged);
  if (!page_is_invoice) doc.line_items.clear();
  doc.doc_type = "invoice";
  doc.doc_type_confidence = 1.0;
  doc.extractor_version += " + e-invoice";
}

// What extracted the fields, for the result's `extractor_version`.
constexpr std::string_view kRulesVersion = "rules";

std::string ExtractorVersion(const DocType* type, const FieldLexicon& lexicon) {
  if (type == nullptr || !type->uses_lexicon || lexicon.empty()) return std::string(kRulesVersion);
  return std::string(kRulesVersion) + " + lexicon " + lexicon.version();
}

}  // namespace

namespace fields_internal {

std::shared_ptr<const FieldLexicon> LexiconOf(const ExtractOptions& options) {
  return options.lexicon != nullptr ? options.lexicon : FieldLexicon::BuiltIn();
}

void CorrectFromLexicon(const FieldLexicon& lexicon, std::vector<core::Field>& fields) {
  for (core::Field& f : fields) {
    auto match = lexicon.Nearest(f.name, f.value);
    if (!match) continue;
    f.corrected_from = f.value;
    f.value = f.normalized = match->text;
    f.confidence = match->confidence;
  }
}

}  // namespace fields_internal

std::vector<std::string> SchemaNames() {
  std::vector<std::string> names = {"auto"};
  for (const DocType& type : DocTypes()) names.emplace_back(type.name);
  return names;
}

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
  const std::span<const DocType> types = DocTypes();
  for (const DocType& type : types) {
    if (type.classifier.sure_sign != nullptr && type.classifier.sure_sign(lines)) {
      return {std::string(type.name), config::kSureTypeConfidence};
    }
  }
  std::vector<int> votes(types.size(), 0);
  for (const TextLine& l : lines) {
    std::string u = UpperAscii(l.text);
    for (size_t t = 0; t < types.size(); ++t) {
      for (std::string_view word : types[t].classifier.votes) votes[t] += HasWord(u, word) ? 1 : 0;
    }
  }
  if (!doc.pages.empty() && doc.pages[0].width > 0 &&
      doc.pages[0].height > config::kTallPageRatio * doc.pages[0].width) {
    for (size_t t = 0; t < types.size(); ++t) votes[t] += types[t].classifier.tall_page_votes;
  }
  int total_votes = 0;
  size_t best = 0;
  for (size_t t = 0; t < types.size(); ++t) {
    total_votes += votes[t];
    if (votes[t] > votes[best]) best = t;  // ties go to the earlier type
  }
  if (total_votes == 0) return {"other", config::kNoTypeConfidence};
  double total = total_votes;
  return {
      std::string(types[best].name),
      std::min(config::kSureTypeConfidence, config::kNoTypeConfidence + votes[best] / (2 * total))};
}

core::Status ExtractFields(core::DocumentResult& doc, const ExtractOptions& options) {
  if (options.custom_schema != nullptr) {
    doc.extracted = true;
    doc.doc_type = options.custom_schema->name;
    doc.doc_type_confidence = 1.0;
    doc.fields = ExtractSchemaFields(CollectLines(doc), *options.custom_schema, options);
    doc.line_items.clear();
    doc.extractor_version = kRulesVersion;
    MarkSources(doc);
    return core::Status::Ok();
  }
  const DocType* asked = FindDocType(options.schema);
  if (asked == nullptr && options.schema != "auto") {
    return core::InvalidArgument(
        "schema", "unknown schema '" + options.schema + "' (auto, " + DocTypeNames() + ")");
  }
  std::vector<TextLine> lines = CollectLines(doc);
  auto [type, confidence] = ClassifyDocument(lines, doc);
  // Under "auto" the classified type, none for "other".
  const DocType* schema = asked != nullptr ? asked : FindDocType(type);
  doc.extracted = true;
  doc.doc_type = asked != nullptr ? options.schema : type;
  doc.doc_type_confidence = asked != nullptr ? 1.0 : confidence;
  doc.fields.clear();
  const std::shared_ptr<const FieldLexicon> lexicon = LexiconOf(options);
  doc.extractor_version = ExtractorVersion(schema, *lexicon);
  if (schema != nullptr) {
    ExtractOptions with_lexicon = options;
    with_lexicon.lexicon = lexicon;
    doc.fields = schema->rules(lines, with_lexicon);
  }
  doc.line_items.clear();
  if (schema != nullptr && schema->line_items) {
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
  if (options.read_embedded_invoice && !doc.embedded_invoice_xml.empty() &&
      (asked == nullptr || asked->name == "invoice")) {
    UseEmbeddedInvoice(doc);
  }
  MarkSources(doc);
  return core::Status::Ok();
}

}  // namespace smartocr::extract
