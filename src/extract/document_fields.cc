// Entry point of field extraction: lines in reading order, document type, schema rules.
#include <algorithm>
#include <ctime>

#include "extract/fields_internal.h"
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
    if (f.source == "rules" && text_layer) f.source = "pdf-text";
    f.engine_version = doc.engine.name + " " + doc.engine.version;
  }
}
}  // namespace

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
  if (schema != nullptr) doc.fields = schema->rules(lines, options);
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
  MarkSources(doc);
  return core::Status::Ok();
}

}  // namespace smartocr::extract
