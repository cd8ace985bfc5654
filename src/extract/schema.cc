// Loading tenant schemas: strict JSON validation with the path of each problem, so a
// tenant learns exactly what to fix ("$.fields[2].labels[0]: must be a non-empty
// string"). Unknown keys are errors: a misspelt "requird" must not pass silently.
#include "extract/schema.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace smartocr::extract {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxFields = 200;
constexpr size_t kMaxLabels = 50;
constexpr size_t kMaxPatternBytes = 500;
// Largest repetition count a pattern may write ("x{1000}"): libstdc++'s regex parser
// overflows a long on counts past 19 digits (undefined behaviour, found by schema_fuzz),
// and counts in the thousands already make a regex that no receipt needs.
constexpr uint64_t kMaxRepeatCount = 1000;
constexpr size_t kMaxStringBytes = 1000;

core::Status Error(const std::string& path, const std::string& message) {
  return core::InvalidArgument("schema", path + ": " + message);
}

bool IsIdentifier(const std::string& s) {
  static const std::regex kId("[a-z][a-z0-9_]{0,63}");
  return std::regex_match(s, kId);
}

const char* TypeOfJson(const Json& j) { return j.type_name(); }

core::Status CheckKeys(const Json& obj, const std::string& path,
                       const std::set<std::string>& allowed) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (allowed.count(it.key()) == 0) {
      std::string list;
      for (const std::string& k : allowed) list += (list.empty() ? "" : ", ") + k;
      return Error(path + "." + it.key(), "unknown key (allowed: " + list + ")");
    }
  }
  return core::Status::Ok();
}

core::Status GetString(const Json& obj, const std::string& key, const std::string& path,
                       bool required, std::string* out) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    return required ? Error(path + "." + key, "missing (a string is required)")
                    : core::Status::Ok();
  }
  if (!it->is_string()) {
    return Error(path + "." + key, std::string("must be a string, got ") + TypeOfJson(*it));
  }
  *out = it->get<std::string>();
  if (out->size() > kMaxStringBytes) return Error(path + "." + key, "longer than 1000 bytes");
  return core::Status::Ok();
}

core::Status GetStringList(const Json& obj, const std::string& key, const std::string& path,
                           size_t max_items, std::vector<std::string>* out) {
  auto it = obj.find(key);
  if (it == obj.end()) return core::Status::Ok();
  const std::string p = path + "." + key;
  if (!it->is_array()) return Error(p, std::string("must be an array, got ") + TypeOfJson(*it));
  if (it->size() > max_items) return Error(p, "more than " + std::to_string(max_items) + " items");
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& v = (*it)[i];
    const std::string pi = p + "[" + std::to_string(i) + "]";
    if (!v.is_string() || v.get<std::string>().find_first_not_of(" \t") == std::string::npos) {
      return Error(pi, "must be a non-empty string");
    }
    if (v.get<std::string>().size() > kMaxStringBytes) return Error(pi, "longer than 1000 bytes");
    out->push_back(v.get<std::string>());
  }
  return core::Status::Ok();
}

core::Status GetNumber(const Json& obj, const std::string& key, const std::string& path,
                       std::optional<double>* out) {
  auto it = obj.find(key);
  if (it == obj.end()) return core::Status::Ok();
  if (!it->is_number()) {
    return Error(path + "." + key, std::string("must be a number, got ") + TypeOfJson(*it));
  }
  *out = it->get<double>();
  return core::Status::Ok();
}

core::Status GetCount(const Json& obj, const std::string& key, const std::string& path, int lo,
                      int hi, std::optional<int>* out) {
  auto it = obj.find(key);
  if (it == obj.end()) return core::Status::Ok();
  if (!it->is_number_integer() || it->get<long long>() < lo || it->get<long long>() > hi) {
    return Error(path + "." + key,
                 "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  *out = static_cast<int>(it->get<long long>());
  return core::Status::Ok();
}

core::Status GetBool(const Json& obj, const std::string& key, const std::string& path, bool* out) {
  auto it = obj.find(key);
  if (it == obj.end()) return core::Status::Ok();
  if (!it->is_boolean()) {
    return Error(path + "." + key, std::string("must be true or false, got ") + TypeOfJson(*it));
  }
  *out = it->get<bool>();
  return core::Status::Ok();
}

// Whether a '{' of `pattern` (not escaped) opens a count over kMaxRepeatCount.
bool HasHugeRepeat(const std::string& pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;  // an escaped character is a literal
      continue;
    }
    if (pattern[i] != '{') continue;
    uint64_t count = 0;
    for (size_t k = i + 1; k < pattern.size(); ++k) {
      const char c = pattern[k];
      if (c == ',') {
        count = 0;
        continue;
      }
      if (c < '0' || c > '9') break;
      count = count * 10 + static_cast<uint64_t>(c - '0');
      if (count > kMaxRepeatCount) return true;
    }
  }
  return false;
}

core::Status CheckPattern(const std::string& pattern, const std::string& path) {
  if (pattern.empty()) return Error(path, "must be a non-empty regular expression");
  if (pattern.size() > kMaxPatternBytes) return Error(path, "longer than 500 bytes");
  if (HasHugeRepeat(pattern)) {
    return Error(path, "a repetition count over " + std::to_string(kMaxRepeatCount));
  }
  try {
    std::regex re(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return Error(path, std::string("invalid regular expression: ") + e.what());
  }
  return core::Status::Ok();
}

std::optional<FieldType> ParseType(const std::string& s) {
  for (FieldType t : {FieldType::kString, FieldType::kDate, FieldType::kAmount, FieldType::kInteger,
                      FieldType::kEnum, FieldType::kRegex}) {
    if (s == FieldTypeName(t)) return t;
  }
  return std::nullopt;
}

core::Status ParseValidators(const Json& obj, const std::string& path, SchemaField& field) {
  if (!obj.is_object()) {
    return Error(path, std::string("must be an object, got ") + TypeOfJson(obj));
  }
  SMARTOCR_RETURN_IF_ERROR(CheckKeys(obj, path,
                                     {"pattern", "min", "max", "min_length", "max_length",
                                      "max_years_past", "max_years_future", "iban"}));
  FieldValidators& v = field.validators;
  SMARTOCR_RETURN_IF_ERROR(GetString(obj, "pattern", path, false, &v.pattern));
  if (obj.contains("pattern")) SMARTOCR_RETURN_IF_ERROR(CheckPattern(v.pattern, path + ".pattern"));
  SMARTOCR_RETURN_IF_ERROR(GetNumber(obj, "min", path, &v.min));
  SMARTOCR_RETURN_IF_ERROR(GetNumber(obj, "max", path, &v.max));
  if ((v.min || v.max) && field.type != FieldType::kAmount && field.type != FieldType::kInteger) {
    return Error(path + (v.min ? ".min" : ".max"), "applies to amount and integer fields only");
  }
  if (v.min && v.max && *v.min > *v.max) return Error(path + ".min", "greater than max");
  SMARTOCR_RETURN_IF_ERROR(GetCount(obj, "min_length", path, 0, 100000, &v.min_length));
  SMARTOCR_RETURN_IF_ERROR(GetCount(obj, "max_length", path, 1, 100000, &v.max_length));
  if (v.min_length && v.max_length && *v.min_length > *v.max_length) {
    return Error(path + ".min_length", "greater than max_length");
  }
  std::optional<int> past, future;
  SMARTOCR_RETURN_IF_ERROR(GetCount(obj, "max_years_past", path, 0, 1000, &past));
  SMARTOCR_RETURN_IF_ERROR(GetCount(obj, "max_years_future", path, 0, 1000, &future));
  if ((past || future) && field.type != FieldType::kDate) {
    return Error(path + (past ? ".max_years_past" : ".max_years_future"),
                 "applies to date fields only");
  }
  if (past) v.date_window.max_years_past = *past;
  if (future) v.date_window.max_years_future = *future;
  SMARTOCR_RETURN_IF_ERROR(GetBool(obj, "iban", path, &v.iban));
  return core::Status::Ok();
}

core::Result<SchemaField> ParseField(const Json& obj, const std::string& path) {
  if (!obj.is_object()) {
    return Error(path, std::string("must be an object, got ") + TypeOfJson(obj));
  }
  SMARTOCR_RETURN_IF_ERROR(CheckKeys(
      obj, path,
      {"name", "type", "description", "labels", "required", "pattern", "values", "validators"}));
  SchemaField f;
  SMARTOCR_RETURN_IF_ERROR(GetString(obj, "name", path, true, &f.name));
  if (!IsIdentifier(f.name)) {
    return Error(path + ".name",
                 "must match [a-z][a-z0-9_]* (at most 64 characters), got '" + f.name + "'");
  }
  std::string type = "string";
  SMARTOCR_RETURN_IF_ERROR(GetString(obj, "type", path, false, &type));
  std::optional<FieldType> t = ParseType(type);
  if (!t) {
    return Error(path + ".type",
                 "must be one of string, date, amount, integer, enum, regex, got '" + type + "'");
  }
  f.type = *t;
  SMARTOCR_RETURN_IF_ERROR(GetString(obj, "description", path, false, &f.description));
  SMARTOCR_RETURN_IF_ERROR(GetStringList(obj, "labels", path, kMaxLabels, &f.labels));
  SMARTOCR_RETURN_IF_ERROR(GetBool(obj, "required", path, &f.required));
  SMARTOCR_RETURN_IF_ERROR(GetString(obj, "pattern", path, false, &f.pattern));
  if (f.type == FieldType::kRegex) {
    if (!obj.contains("pattern")) {
      return Error(path + ".pattern", "missing (regex fields need one)");
    }
    SMARTOCR_RETURN_IF_ERROR(CheckPattern(f.pattern, path + ".pattern"));
  } else if (obj.contains("pattern")) {
    return Error(path + ".pattern",
                 "only for type regex (use validators.pattern to check other types)");
  }
  SMARTOCR_RETURN_IF_ERROR(GetStringList(obj, "values", path, 1000, &f.values));
  if (f.type == FieldType::kEnum && f.values.empty()) {
    return Error(path + ".values", "missing (enum fields need a non-empty list)");
  }
  if (f.type != FieldType::kEnum && obj.contains("values")) {
    return Error(path + ".values", "only for type enum");
  }
  if (obj.contains("validators")) {
    SMARTOCR_RETURN_IF_ERROR(ParseValidators(obj["validators"], path + ".validators", f));
  }
  return f;
}

}  // namespace

const char* FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "string";
    case FieldType::kDate:
      return "date";
    case FieldType::kAmount:
      return "amount";
    case FieldType::kInteger:
      return "integer";
    case FieldType::kEnum:
      return "enum";
    case FieldType::kRegex:
      return "regex";
  }
  return "string";
}

core::Result<Schema> ParseSchema(const Json& json) {
  if (!json.is_object()) {
    return Error("$", std::string("must be an object, got ") + TypeOfJson(json));
  }
  SMARTOCR_RETURN_IF_ERROR(
      CheckKeys(json, "$", {"name", "description", "fields", "line_items", "version"}));
  Schema schema;
  SMARTOCR_RETURN_IF_ERROR(GetString(json, "name", "$", true, &schema.name));
  if (!IsIdentifier(schema.name)) {
    return Error("$.name",
                 "must match [a-z][a-z0-9_]* (at most 64 characters), got '" + schema.name + "'");
  }
  if (schema.name == "auto" || schema.name == "other" || FindDocType(schema.name) != nullptr) {
    return Error("$.name", "'" + schema.name + "' is a built-in name");
  }
  SMARTOCR_RETURN_IF_ERROR(GetString(json, "description", "$", false, &schema.description));
  if (json.contains("version") && !json["version"].is_number_integer()) {
    return Error("$.version", "must be an integer");
  }
  SMARTOCR_RETURN_IF_ERROR(GetBool(json, "line_items", "$", &schema.line_items));
  auto it = json.find("fields");
  if (it == json.end()) return Error("$.fields", "missing (an array of fields is required)");
  if (!it->is_array() || it->empty()) return Error("$.fields", "must be a non-empty array");
  if (it->size() > kMaxFields) return Error("$.fields", "more than 200 fields");
  std::set<std::string> names;
  for (size_t i = 0; i < it->size(); ++i) {
    const std::string path = "$.fields[" + std::to_string(i) + "]";
    core::Result<SchemaField> f = ParseField((*it)[i], path);
    if (!f.ok()) return f.status();
    if (!names.insert(f->name).second) {
      return Error(path + ".name", "duplicate field name '" + f->name + "'");
    }
    schema.fields.push_back(std::move(*f));
  }
  return schema;
}

core::Result<Schema> ParseSchemaText(std::string_view text) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    // Re-parse with exceptions only to learn where it broke.
    try {
      Json ignored = Json::parse(text);
    } catch (const Json::parse_error& e) {
      return Error("$", "invalid JSON at byte " + std::to_string(e.byte));
    } catch (const Json::exception&) {
      // A number too large for a double ("1e999") throws out_of_range, not
      // parse_error: uncaught, it ended the process (found by fuzz/schema_fuzz.cc).
      return Error("$", "invalid JSON: a number out of range");
    }
    return Error("$", "invalid JSON");
  }
  return ParseSchema(json);
}

core::Result<Schema> LoadSchemaFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return core::NotFound("schema_file", "no schema file " + path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::IoError("schema_file", "cannot open schema file " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return core::IoError("schema_file", "cannot read schema file " + path);
  core::Result<Schema> schema = ParseSchemaText(buf.str());
  if (!schema.ok()) return schema.status().WithContext(path);
  return schema;
}

core::Result<Schema> FindSchema(const std::string& name, const std::string& dir) {
  if (!IsIdentifier(name)) {
    return core::InvalidArgument("schema",
                                 "schema name must match [a-z][a-z0-9_]*, got '" + name + "'");
  }
  std::string path = dir + "/" + name + ".json";
  core::Result<Schema> schema = LoadSchemaFile(path);
  if (!schema.ok() && schema.status().code() == core::StatusCode::kNotFound) {
    return core::NotFound("schema", "no schema '" + name + "' (looked for " + path + ")");
  }
  if (schema.ok() && schema->name != name) {
    return core::InvalidArgument("schema", path + ": $.name: is '" + schema->name +
                                               "' but the file is named for '" + name + "'");
  }
  return schema;
}

Json SchemaToJson(const Schema& schema) {
  Json fields = Json::array();
  for (const SchemaField& f : schema.fields) {
    Json j = {{"name", f.name}, {"type", FieldTypeName(f.type)}};
    if (!f.description.empty()) j["description"] = f.description;
    if (!f.labels.empty()) j["labels"] = f.labels;
    if (f.required) j["required"] = true;
    if (!f.pattern.empty()) j["pattern"] = f.pattern;
    if (!f.values.empty()) j["values"] = f.values;
    Json v = Json::object();
    const FieldValidators& fv = f.validators;
    if (!fv.pattern.empty()) v["pattern"] = fv.pattern;
    if (fv.min) v["min"] = *fv.min;
    if (fv.max) v["max"] = *fv.max;
    if (fv.min_length) v["min_length"] = *fv.min_length;
    if (fv.max_length) v["max_length"] = *fv.max_length;
    if (f.type == FieldType::kDate) {
      v["max_years_past"] = fv.date_window.max_years_past;
      v["max_years_future"] = fv.date_window.max_years_future;
    }
    if (fv.iban) v["iban"] = true;
    if (!v.empty()) j["validators"] = std::move(v);
    fields.push_back(std::move(j));
  }
  Json out = {{"name", schema.name}, {"fields", std::move(fields)}};
  if (!schema.description.empty()) out["description"] = schema.description;
  if (schema.line_items) out["line_items"] = true;
  return out;
}

core::Result<Schema> BuiltinSchema(const std::string& name) {
  const DocType* type = FindDocType(name);
  if (type == nullptr) return core::InvalidArgument("schema", "no built-in schema '" + name + "'");
  Schema s;
  s.name = name;
  s.description = type->description;
  s.builtin = true;
  s.line_items = type->line_items;
  for (const DocTypeField& spec : type->fields) {
    SchemaField f;
    f.name = spec.name;
    f.type = spec.type;
    f.description = spec.description;
    if (f.name == "iban") f.validators.iban = true;
    s.fields.push_back(std::move(f));
  }
  return s;
}

}  // namespace smartocr::extract
