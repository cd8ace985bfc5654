// The merge policy: rules first. An LLM value is grounded in the page text (its words
// give the page, the box and the recognition confidence), typed and validated like a
// rule value, and then only fills a gap or replaces a rule value that fails its
// validator with one that passes.
#include <algorithm>

#include "llm/llm.h"

namespace smartocr::llm {
namespace {

// A value the LLM gave but the text does not contain may be invented.
constexpr double kUngroundedConfidence = 0.5;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Finds `value` in a line's text (case-insensitive); fills page, bbox and the mean
// confidence of the words it covers. False when no line holds it.
bool Ground(const std::vector<extract::TextLine>& lines, const std::string& value, core::Field& f) {
  std::string needle = Lower(value);
  if (needle.empty()) return false;
  for (const extract::TextLine& line : lines) {
    size_t pos = Lower(line.text).find(needle);
    if (pos == std::string::npos) continue;
    size_t end = pos + needle.size();
    core::BBox box;
    double sum = 0;
    int n = 0;
    size_t offset = 0;
    for (const core::Word& w : line.words) {
      size_t w_end = offset + w.text.size();
      if (w_end > pos && offset < end) {
        box = box.Union(w.box);
        sum += w.confidence;
        ++n;
      }
      offset = w_end + 1;
    }
    f.page = line.page;
    f.bbox = box.empty() ? line.box : box;
    f.confidence = n > 0 ? sum / n : line.confidence;
    return true;
  }
  return false;
}

}  // namespace

void MergeLlmFields(core::DocumentResult& doc, const LlmAnswer& answer,
                    const extract::Schema& schema, const extract::ExtractOptions& options) {
  std::vector<extract::TextLine> lines = extract::CollectLines(doc);
  const std::string engine = "llm " + answer.model;
  for (const extract::SchemaField& sf : schema.fields) {
    auto it = answer.fields.find(sf.name);
    if (it == answer.fields.end() || !it->second ||
        it->second->find_first_not_of(" \t\n") == std::string::npos) {
      continue;
    }
    core::Field f;
    f.name = sf.name;
    f.value = *it->second;
    f.source = "llm";
    f.engine_version = engine;
    bool grounded = Ground(lines, f.value, f);
    if (!grounded) f.confidence = kUngroundedConfidence;
    if (!extract::TypeAndValidate(sf, options, f)) {
      f.normalized = f.value;
      f.validator_status = "invalid";
      f.validator_detail = std::string("not a ") + extract::FieldTypeName(sf.type);
      f.confidence = 0;
    } else if (!grounded) {
      f.validator_detail +=
          std::string(f.validator_detail.empty() ? "" : "; ") + "not found in the page text";
    }
    auto rule = std::find_if(doc.fields.begin(), doc.fields.end(),
                             [&](const core::Field& r) { return r.name == sf.name; });
    if (rule == doc.fields.end()) {
      doc.fields.push_back(std::move(f));
      continue;
    }
    bool rule_missing = rule->value.empty();  // a required field's placeholder
    bool rule_fails = rule->validator_status == "invalid";
    if (rule_missing || (rule_fails && f.validator_status == "valid")) *rule = std::move(f);
  }
  // Schema order, as the rules give it.
  auto rank = [&](const core::Field& f) {
    auto it = std::find_if(schema.fields.begin(), schema.fields.end(),
                           [&](const extract::SchemaField& sf) { return sf.name == f.name; });
    // Fields outside the schema (the built-in "mrz", "mrz_type") lead, as the rules put them.
    return it == schema.fields.end() ? -1 : it - schema.fields.begin();
  };
  std::stable_sort(doc.fields.begin(), doc.fields.end(),
                   [&](const core::Field& a, const core::Field& b) { return rank(a) < rank(b); });
  if (doc.line_items.empty()) {
    for (const LlmLineItem& li : answer.line_items) {
      core::LineItem item{li.description, li.quantity, li.unit_price, li.amount, 0, {}};
      core::Field probe;
      if (Ground(lines, li.description, probe)) {
        item.page = probe.page;
        item.bbox = probe.bbox;
      }
      doc.line_items.push_back(std::move(item));
    }
  }
}

}  // namespace smartocr::llm
