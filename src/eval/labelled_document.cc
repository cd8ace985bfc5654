#include "eval/labelled_document.h"

namespace smartocr::eval {
namespace {

core::Status Bad(const std::string& what) {
  return core::CorruptInput("label",
                            "not a " + std::string(kLabelledDocumentFormat) + " label: " + what);
}

bool ReadString(const nlohmann::json& j, const char* key, std::string* out) {
  auto it = j.find(key);
  if (it == j.end()) return true;  // absent: ""
  if (!it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

}  // namespace

nlohmann::json LabelledDocumentToJson(const LabelledDocument& doc) {
  nlohmann::ordered_json fields = nlohmann::ordered_json::array();
  for (const LabelledDocument::Field& f : doc.fields) {
    fields.push_back({{"name", f.name}, {"type", f.type}, {"value", f.value}});
  }
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const core::LineItem& item : doc.line_items) {
    items.push_back({{"description", item.description},
                     {"quantity", item.quantity},
                     {"unit_price", item.unit_price},
                     {"amount", item.amount}});
  }
  nlohmann::ordered_json out = {
      {"format", kLabelledDocumentFormat}, {"file", doc.file},
      {"doc_type", doc.doc_type},          {"external_id", doc.external_id},
      {"fields", std::move(fields)},       {"line_items", std::move(items)}};
  return nlohmann::json::parse(out.dump());
}

core::Result<LabelledDocument> LabelledDocumentFromJson(const nlohmann::json& json) {
  // Compared as JSON: a "format" that is not a string is another format, not an error.
  if (!json.is_object() || !json.contains("format") || json["format"] != kLabelledDocumentFormat) {
    return Bad("no \"format\": \"" + std::string(kLabelledDocumentFormat) + "\"");
  }
  LabelledDocument doc;
  if (!ReadString(json, "file", &doc.file) || doc.file.empty() ||
      doc.file.find('/') != std::string::npos || doc.file == "." || doc.file == "..") {
    return Bad("\"file\" is not the name of a file beside the label");
  }
  if (!ReadString(json, "doc_type", &doc.doc_type) ||
      !ReadString(json, "external_id", &doc.external_id)) {
    return Bad("doc_type and external_id are strings");
  }
  if (auto it = json.find("fields"); it != json.end()) {
    if (!it->is_array()) return Bad("\"fields\" is not an array");
    for (const auto& f : *it) {
      LabelledDocument::Field field;
      if (!f.is_object() || !ReadString(f, "name", &field.name) || field.name.empty() ||
          !ReadString(f, "type", &field.type) || !ReadString(f, "value", &field.value)) {
        return Bad("a field is not {name, type, value} strings");
      }
      doc.fields.push_back(std::move(field));
    }
  }
  if (auto it = json.find("line_items"); it != json.end()) {
    if (!it->is_array()) return Bad("\"line_items\" is not an array");
    for (const auto& row : *it) {
      core::LineItem item;
      if (!row.is_object() || !ReadString(row, "description", &item.description) ||
          !ReadString(row, "quantity", &item.quantity) ||
          !ReadString(row, "unit_price", &item.unit_price) ||
          !ReadString(row, "amount", &item.amount)) {
        return Bad("a line item is not an object of strings");
      }
      doc.line_items.push_back(std::move(item));
    }
  }
  return doc;
}

}  // namespace smartocr::eval
