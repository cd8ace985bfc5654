// src/extract/schema.h
//
// Tenant schemas: a JSON description of the fields a tenant wants from its documents
// (name, type, label synonyms, required, validators), loaded with strict validation,
// and the rules that extract such fields by label geometry (docs/schemas.md).
//
//   auto schema = extract::LoadSchemaFile("po.json");
//   if (!schema.ok()) return schema.status();  // kInvalidArgument "schema", "$.fields[1]..."
//   options.custom_schema = std::make_shared<extract::Schema>(*schema);
//   extract::ExtractFields(doc, options);
//
// Thread safety: a Schema is an immutable value once loaded.
#ifndef SMARTOCR_EXTRACT_SCHEMA_H_
#define SMARTOCR_EXTRACT_SCHEMA_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"
#include "extract/fields.h"

namespace smartocr::extract {

// FieldType and FieldTypeName: extract/fields.h (the built-in types' fields use them too).

// Checks a value must pass; absent members check nothing.
struct FieldValidators {
  std::string pattern;                        // ECMAScript regex the whole value must match
  std::optional<double> min, max;             // amount and integer bounds (inclusive)
  std::optional<int> min_length, max_length;  // in bytes of the value
  DateWindow date_window;                     // date plausibility around today
  bool iban = false;                          // ISO 13616 mod-97 check
};

struct SchemaField {
  std::string name;  // [a-z][a-z0-9_]*, unique in the schema
  FieldType type = FieldType::kString;
  std::string description;          // for humans and the LLM prompt
  std::vector<std::string> labels;  // synonyms printed before the value ("Invoice No")
  bool required = false;
  std::string pattern;              // kRegex: the value's shape (search, not full match)
  std::vector<std::string> values;  // kEnum: allowed values (matched case-insensitively)
  FieldValidators validators;
};

struct Schema {
  std::string name;  // [a-z][a-z0-9_]*; becomes doc_type
  std::string description;
  std::vector<SchemaField> fields;
  bool line_items = false;  // also ask for line items (filled by the LLM when enabled)
  bool builtin = false;     // a document type's (DocTypes(); rules in *_rules.cc)
};

// Validates and converts a parsed schema document. Fails with kInvalidArgument
// (reason "schema"), the message starting with the JSON path of the first problem,
// e.g. "$.fields[2].type: must be one of string, date, amount, integer, enum, regex".
core::Result<Schema> ParseSchema(const nlohmann::json& json);
// Same from text; a JSON syntax error is reported as "$: invalid JSON at byte N".
core::Result<Schema> ParseSchemaText(std::string_view text);
// Reads and parses a file: kNotFound "schema_file" when missing, kIoError when
// unreadable, else as ParseSchemaText (the message prefixed with the path).
core::Result<Schema> LoadSchemaFile(const std::string& path);
// `dir`/NAME.json for a schema NAME ([a-z][a-z0-9_]*): kNotFound "schema" when absent.
core::Result<Schema> FindSchema(const std::string& name, const std::string& dir);

// A document type's fields (DocTypes()) as a Schema value (for the LLM prompt and for
// typing LLM answers); no labels. kInvalidArgument "schema" for other names.
core::Result<Schema> BuiltinSchema(const std::string& name);

// The schema back as JSON (the format ParseSchema reads); stable key order, used for
// cache keys and the LLM prompt.
nlohmann::json SchemaToJson(const Schema& schema);

// Fields of a tenant schema by label geometry: the value right of a label synonym on
// the same line, or below it in the same column; typed and validated per field. A
// required field that is not found is returned with an empty value, validator_status
// "invalid" and detail "required". Fields not found and not required are omitted.
std::vector<core::Field> ExtractSchemaFields(const std::vector<TextLine>& lines,
                                             const Schema& schema, const ExtractOptions& options);

// Types, normalizes and validates a value for `field` (as ExtractSchemaFields does for
// the text after a label): sets normalized, validator_status/detail and caps the
// confidence. Returns false when the text holds no value of the field's type.
bool TypeAndValidate(const SchemaField& field, const ExtractOptions& options, core::Field& out);

}  // namespace smartocr::extract

#endif  // SMARTOCR_EXTRACT_SCHEMA_H_
