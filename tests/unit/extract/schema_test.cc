// Tenant schemas: loading errors (each names the JSON path of the problem) and
// extraction by label geometry on documents given as positioned words.
#include "extract/schema.h"

#include <gtest/gtest.h>

#include <map>

#include "doc_builder.h"
#include "fixtures.h"

namespace smartocr::extract {
namespace {

struct BadSchema {
  const char* json;
  const char* message_prefix;  // the path (and start of the reason) expected
};

TEST(SchemaLoad, RejectsBadSchemasNamingThePath) {
  const BadSchema kCases[] = {
      {R"([1])", "$: must be an object"},
      {R"({"name": "po"})", "$.fields: missing"},
      {R"({"fields": [{"name": "a"}]})", "$.name: missing"},
      {R"({"name": "Purchase Order", "fields": [{"name": "a"}]})", "$.name: must match"},
      {R"({"name": "invoice", "fields": [{"name": "a"}]})", "$.name: 'invoice' is a built-in"},
      {R"({"name": "po", "fields": []})", "$.fields: must be a non-empty array"},
      {R"({"name": "po", "fields": {}})", "$.fields: must be a non-empty array"},
      {R"({"name": "po", "fields": [3]})", "$.fields[0]: must be an object"},
      {R"({"name": "po", "fields": [{"type": "string"}]})", "$.fields[0].name: missing"},
      {R"({"name": "po", "fields": [{"name": "a"}, {"name": "a"}]})",
       "$.fields[1].name: duplicate field name 'a'"},
      {R"({"name": "po", "fields": [{"name": "total", "type": "number"}]})",
       "$.fields[0].type: must be one of string, date, amount, integer, enum, regex, got 'number'"},
      {R"({"name": "po", "fields": [{"name": "a", "labels": "No"}]})",
       "$.fields[0].labels: must be an array"},
      {R"({"name": "po", "fields": [{"name": "a", "labels": ["No", " "]}]})",
       "$.fields[0].labels[1]: must be a non-empty string"},
      {R"({"name": "po", "fields": [{"name": "a", "required": "yes"}]})",
       "$.fields[0].required: must be true or false"},
      {R"({"name": "po", "fields": [{"name": "a", "requird": true}]})",
       "$.fields[0].requird: unknown key"},
      {R"({"name": "po", "fields": [{"name": "a", "type": "regex"}]})",
       "$.fields[0].pattern: missing"},
      {R"({"name": "po", "fields": [{"name": "a", "type": "regex", "pattern": "PO-[0-9"}]})",
       "$.fields[0].pattern: invalid regular expression"},
      {R"({"name": "po", "fields": [{"name": "a", "pattern": "x"}]})",
       "$.fields[0].pattern: only for type regex"},
      // libstdc++'s regex overflowed a long on this count (schema_fuzz, UBSan).
      {R"({"name": "po", "fields": [{"name": "a", "type": "regex", "pattern": "a{2222222222222222222}"}]})",
       "$.fields[0].pattern: a repetition count over 1000"},
      {R"({"name": "po", "fields": [{"name": "a", "type": "regex", "pattern": "a{1,99999}"}]})",
       "$.fields[0].pattern: a repetition count over 1000"},
      {R"({"name": "po", "fields": [{"name": "a", "type": "enum"}]})",
       "$.fields[0].values: missing"},
      {R"({"name": "po", "fields": [{"name": "a", "type": "enum", "values": ["x", 2]}]})",
       "$.fields[0].values[1]: must be a non-empty string"},
      {R"({"name": "po", "fields": [{"name": "a", "values": ["x"]}]})",
       "$.fields[0].values: only for type enum"},
      {R"({"name": "po", "fields": [{"name": "a", "validators": []}]})",
       "$.fields[0].validators: must be an object"},
      {R"({"name": "po", "fields": [{"name": "a", "validators": {"min": 1}}]})",
       "$.fields[0].validators.min: applies to amount and integer fields only"},
      {R"({"name": "po", "fields": [{"name": "a", "type": "amount", "validators": {"min": "1"}}]})",
       "$.fields[0].validators.min: must be a number"},
      {R"({"name": "po", "fields": [{"name": "a", "type": "amount",
            "validators": {"min": 5, "max": 1}}]})",
       "$.fields[0].validators.min: greater than max"},
      {R"({"name": "po", "fields": [{"name": "a", "validators": {"max_years_past": 3}}]})",
       "$.fields[0].validators.max_years_past: applies to date fields only"},
      {R"({"name": "po", "fields": [{"name": "a", "type": "date",
            "validators": {"max_years_future": -1}}]})",
       "$.fields[0].validators.max_years_future: must be an integer from 0"},
      {R"({"name": "po", "fields": [{"name": "a", "validators": {"pattern": "("}}]})",
       "$.fields[0].validators.pattern: invalid regular expression"},
      {R"({"name": "po", "fields": [{"name": "a", "validators": {"checksum": true}}]})",
       "$.fields[0].validators.checksum: unknown key"},
      {R"({"name": "po", "line_items": 1, "fields": [{"name": "a"}]})",
       "$.line_items: must be true or false"},
      {R"({"name": "po", "fields": [{"name": "a"}], })", "$: invalid JSON at byte"},
      // A number beyond a double's range ended the process (fuzz/schema_fuzz.cc).
      {"1117e77777777777", "$: invalid JSON: a number out of range"},
      {R"({"name": "po", "fields": [{"name": "a", "type": "amount",
            "validators": {"min": 1e999}}]})",
       "$: invalid JSON: a number out of range"},
  };
  for (const BadSchema& c : kCases) {
    core::Result<Schema> s = ParseSchemaText(c.json);
    ASSERT_FALSE(s.ok()) << c.json;
    EXPECT_EQ(s.status().code(), core::StatusCode::kInvalidArgument) << c.json;
    EXPECT_EQ(s.status().reason(), "schema") << c.json;
    EXPECT_EQ(s.status().message().rfind(c.message_prefix, 0), 0u)
        << c.json << "\n  got: " << s.status().message();
  }
}

constexpr const char* kPurchaseOrder = R"({
  "name": "purchase_order",
  "description": "A customer's purchase order",
  "fields": [
    {"name": "po_number", "type": "regex", "labels": ["PO Number", "P.O. #"],
     "pattern": "PO-[0-9]{5}", "required": true},
    {"name": "order_date", "type": "date", "labels": ["Order Date", "Date"],
     "validators": {"max_years_past": 5, "max_years_future": 1}},
    {"name": "delivery_date", "type": "date", "labels": ["Delivery Date"]},
    {"name": "buyer", "type": "string", "labels": ["Buyer"]},
    {"name": "quantity", "type": "integer", "labels": ["Quantity"],
     "validators": {"min": 1, "max": 1000}},
    {"name": "priority", "type": "enum", "labels": ["Priority"],
     "values": ["low", "normal", "high"]},
    {"name": "total", "type": "amount", "labels": ["Total"],
     "validators": {"min": 0, "max": 10000}},
    {"name": "approver", "type": "string", "labels": ["Approved by"], "required": true}
  ]
})";

TEST(SchemaLoad, ParsesAndRoundTrips) {
  core::Result<Schema> s = ParseSchemaText(kPurchaseOrder);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->name, "purchase_order");
  ASSERT_EQ(s->fields.size(), 8u);
  EXPECT_EQ(s->fields[0].type, FieldType::kRegex);
  EXPECT_TRUE(s->fields[0].required);
  EXPECT_EQ(s->fields[1].validators.date_window.max_years_past, 5);
  EXPECT_EQ(s->fields[5].values.size(), 3u);
  core::Result<Schema> again = ParseSchema(SchemaToJson(*s));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(SchemaToJson(*again), SchemaToJson(*s));
}

TEST(SchemaLoad, FilesAndDirectories) {
  std::string dir = testing::MakeTempDir();
  testing::WriteFile(dir + "/purchase_order.json", kPurchaseOrder);
  testing::WriteFile(dir + "/broken.json", R"({"name": "broken", "fields": [{"name": 1}]})");
  testing::WriteFile(dir + "/other.json", kPurchaseOrder);
  EXPECT_TRUE(FindSchema("purchase_order", dir).ok());
  core::Result<Schema> missing = FindSchema("nope", dir);
  EXPECT_EQ(missing.status().code(), core::StatusCode::kNotFound);
  core::Result<Schema> broken = LoadSchemaFile(dir + "/broken.json");
  EXPECT_EQ(broken.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(broken.status().message().find("broken.json: $.fields[0].name: must be a string"),
            std::string::npos)
      << broken.status().message();
  // A file must hold the schema it is named for.
  EXPECT_EQ(FindSchema("other", dir).status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(FindSchema("../etc", dir).status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadSchemaFile(dir + "/none.json").status().code(), core::StatusCode::kNotFound);
}

// A line of words at (x, y), each word 9 px per character, 8 px apart, 16 px high.
TextLine Line(const std::string& text, double x, double y) {
  return test_docs::Line(text, x, y, {.char_width = 9, .gap = 8, .height = 16, .confidence = 0.9});
}

// Two labelled lines side by side in one text line (two columns).
TextLine TwoColumns(const std::string& left, const std::string& right, double y) {
  TextLine a = Line(left, 50, y);
  TextLine b = Line(right, 400, y);
  a.text += " " + b.text;
  a.words.insert(a.words.end(), b.words.begin(), b.words.end());
  a.box = a.box.Union(b.box);
  return a;
}

std::map<std::string, core::Field> ByName(const std::vector<core::Field>& fields) {
  std::map<std::string, core::Field> out;
  for (const core::Field& f : fields) out.emplace(f.name, f);
  return out;
}

TEST(SchemaExtract, LabelsRightAndBelowTypedAndValidated) {
  core::Result<Schema> schema = ParseSchemaText(kPurchaseOrder);
  ASSERT_TRUE(schema.ok());
  std::vector<TextLine> lines = {
      Line("ACME Purchasing", 50, 20),
      TwoColumns("PO Number: PO-12345", "Order Date: 03/02/2025", 60),
      Line("Delivery Date", 50, 100),
      Line("14 March 2025", 50, 120),
      Line("Buyer", 400, 100),
      Line("Jane Q. Public", 400, 120),
      Line("Quantity: 1,500 pcs", 50, 160),
      Line("Priority: HIGH (rush)", 50, 200),
      Line("Total due: EUR 1.234,50", 50, 240),
  };
  ExtractOptions options;
  options.locale = "de-DE";
  options.today = {2025, 6, 1};
  auto f = ByName(ExtractSchemaFields(lines, *schema, options));
  EXPECT_EQ(f["po_number"].value, "PO-12345");
  EXPECT_EQ(f["po_number"].validator_status, "valid");
  EXPECT_EQ(f["order_date"].value, "03/02/2025");
  EXPECT_EQ(f["order_date"].normalized, "2025-02-03");
  EXPECT_EQ(f["order_date"].validator_status, "valid");
  // "Date" inside "Delivery Date" is the delivery date's label, found below it.
  EXPECT_EQ(f["delivery_date"].normalized, "2025-03-14");
  EXPECT_NEAR(f["delivery_date"].bbox.y0, 120, 0.5);
  EXPECT_EQ(f["buyer"].value, "Jane Q. Public");
  EXPECT_EQ(f["buyer"].validator_status, "unchecked");
  EXPECT_EQ(f["quantity"].normalized, "1500");
  EXPECT_EQ(f["quantity"].validator_status, "invalid");  // above max 1000
  EXPECT_EQ(f["quantity"].confidence, 0);
  EXPECT_EQ(f["priority"].value, "HIGH");
  EXPECT_EQ(f["priority"].normalized, "high");
  EXPECT_EQ(f["total"].normalized, "1234.50");
  EXPECT_EQ(f["total"].validator_status, "valid");
  EXPECT_NEAR(f["total"].confidence, 0.9, 1e-9);  // min(recognition, validator)
  EXPECT_GT(f["total"].bbox.x0, 50 + 9 * 10);     // the amount's words, not the label's
  // Required and missing.
  ASSERT_EQ(f.count("approver"), 1u);
  EXPECT_EQ(f["approver"].value, "");
  EXPECT_EQ(f["approver"].validator_status, "invalid");
  EXPECT_EQ(f["approver"].validator_detail, "required");
}

TEST(SchemaExtract, ImplausibleDateAndPatternFailures) {
  core::Result<Schema> schema = ParseSchemaText(R"json({"name": "t", "fields": [
    {"name": "order_date", "type": "date", "labels": ["Date"],
     "validators": {"max_years_past": 5}},
    {"name": "ref", "labels": ["Ref"], "validators": {"pattern": "[A-Z]{3}[0-9]{3}"}},
    {"name": "iban", "labels": ["IBAN"], "validators": {"iban": true}},
    {"name": "case_id", "type": "regex", "pattern": "CASE-([0-9]+)"}]})json");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  std::vector<TextLine> lines = {Line("Date: 01.02.2001", 50, 20), Line("Ref: ab123", 50, 60),
                                 Line("IBAN: DE89 3704 0044 0532 0130 01", 50, 100),
                                 Line("see CASE-77 for details", 50, 140)};
  ExtractOptions options;
  options.today = {2025, 6, 1};
  auto f = ByName(ExtractSchemaFields(lines, *schema, options));
  EXPECT_EQ(f["order_date"].validator_status, "invalid");
  EXPECT_NE(f["order_date"].validator_detail.find("past"), std::string::npos);
  EXPECT_EQ(f["ref"].validator_status, "invalid");
  EXPECT_EQ(f["iban"].validator_status, "invalid");
  EXPECT_EQ(f["case_id"].value, "77");  // the capture group, found without a label
  EXPECT_EQ(f.count("missing"), 0u);
}

TEST(SchemaExtract, ARealAmountBeatsABareNumber) {
  core::Result<Schema> schema = ParseSchemaText(
      R"({"name": "t", "fields": [{"name": "total", "type": "amount", "labels": ["Total"]}]})");
  ASSERT_TRUE(schema.ok());
  std::vector<TextLine> lines = {Line("Total items: 3", 50, 20), Line("Total: 12.00", 50, 60)};
  auto f = ByName(ExtractSchemaFields(lines, *schema, ExtractOptions{}));
  EXPECT_EQ(f["total"].normalized, "12.00");
  // Past a column gap on the label's line.
  f = ByName(ExtractSchemaFields({TwoColumns("Total for this invoice", "$4.11", 20)}, *schema,
                                 ExtractOptions{}));
  EXPECT_EQ(f["total"].normalized, "4.11");
  // Alone, the bare number is still an amount.
  f = ByName(ExtractSchemaFields({Line("Total 42", 50, 20)}, *schema, ExtractOptions{}));
  EXPECT_EQ(f["total"].normalized, "42");
}

TEST(SchemaExtract, BuiltinSchemasDescribeTheirFields) {
  core::Result<Schema> receipt = BuiltinSchema("receipt");
  ASSERT_TRUE(receipt.ok());
  EXPECT_TRUE(receipt->builtin);
  EXPECT_EQ(receipt->fields[0].name, "company");
  EXPECT_TRUE(BuiltinSchema("invoice").ok());
  EXPECT_TRUE(BuiltinSchema("id_document").ok());
  EXPECT_FALSE(BuiltinSchema("po").ok());
}

}  // namespace
}  // namespace smartocr::extract
