// The document type registry: complete entries, lookups, and the classifier picking
// each type from its own words.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "doc_builder.h"
#include "extract/fields.h"
#include "extract/schema.h"

namespace smartocr::extract {
namespace {

using test_docs::Document;
using test_docs::Stacked;

TEST(DocTypes, EveryTypeIsComplete) {
  ASSERT_FALSE(DocTypes().empty());
  std::set<std::string_view> names;
  for (const DocType& type : DocTypes()) {
    SCOPED_TRACE(std::string(type.name));
    EXPECT_TRUE(names.insert(type.name).second) << "listed twice";
    EXPECT_NE(type.rules, nullptr);
    EXPECT_FALSE(type.description.empty());
    EXPECT_FALSE(type.fields.empty());
    EXPECT_TRUE(type.default_engine == "tesseract" || type.default_engine == "hybrid");
    EXPECT_TRUE(type.classifier.sure_sign != nullptr || !type.classifier.votes.empty());
    EXPECT_EQ(FindDocType(type.name), &type);
    auto schema = BuiltinSchema(std::string(type.name));
    ASSERT_TRUE(schema.ok()) << schema.status().ToString();
    EXPECT_EQ(schema->fields.size(), type.fields.size());
    EXPECT_EQ(schema->line_items, type.line_items);
  }
}

TEST(DocTypes, TheNamesCallersUse) {
  EXPECT_EQ(DocTypeNames(), "receipt, invoice, id_document");
  EXPECT_EQ(DocTypeNames("|"), "receipt|invoice|id_document");
  std::vector<std::string> expected = {"auto", "receipt", "invoice", "id_document"};
  EXPECT_EQ(SchemaNames(), expected);
  EXPECT_EQ(FindDocType("receipt")->default_engine, "hybrid");
  EXPECT_FALSE(FindDocType("receipt")->mrz_pass);
  EXPECT_TRUE(FindDocType("id_document")->mrz_pass);
}

TEST(DocTypes, UnknownNamesAreNoType) {
  for (const char* name : {"", "auto", "none", "other", "Receipt", "purchase_order"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(FindDocType(name), nullptr);
  }
}

TEST(DocTypes, ClassifierPicksEachType) {
  struct Case {
    std::vector<std::string> lines;
    const char* type;
  };
  const Case cases[] = {
      {{"CORNER CAFE SDN BHD", "CASHIER: ALI", "TOTAL 12.00", "CASH 20.00", "CHANGE 8.00"},
       "receipt"},
      {{"ACME GMBH", "RECHNUNG", "BILL TO: Foo Ltd", "DUE DATE 2024-03-01", "IBAN DE89"},
       "invoice"},
      {{"PASSPORT", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10"},
       "id_document"},
      {{"Minutes of the meeting", "Present: all"}, "other"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.type);
    std::vector<TextLine> lines = Stacked(c.lines);
    // A page as wide as tall: no vote for a roll of paper.
    auto [type, confidence] = ClassifyDocument(lines, Document(lines, 1000, 1000));
    EXPECT_EQ(type, c.type);
    EXPECT_GE(confidence, 0.5);
    EXPECT_LE(confidence, 0.95);
    if (FindDocType(type) != nullptr) {
      core::DocumentResult doc = Document(lines, 1000, 1000);
      ASSERT_TRUE(ExtractFields(doc, {}).ok());
      EXPECT_EQ(doc.doc_type, c.type);
    }
  }
}

TEST(DocTypes, TallPagesVoteForReceipts) {
  std::vector<TextLine> lines = Stacked({"Some shop", "Thank you"});
  EXPECT_EQ(ClassifyDocument(lines, Document(lines, 400, 1200)).first, "receipt");
  std::vector<TextLine> none = Stacked({"Some shop"});
  EXPECT_EQ(ClassifyDocument(none, Document(none, 1000, 1000)).first, "other");
  EXPECT_EQ(ClassifyDocument(none, Document(none, 400, 1200)).first, "receipt");
}

TEST(DocTypes, UnknownSchemaListsTheTypes) {
  core::DocumentResult doc = Document(Stacked({"x"}));
  ExtractOptions options;
  options.schema = "nope";
  core::Status status = ExtractFields(doc, options);
  EXPECT_EQ(status.code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "unknown schema 'nope' (auto, receipt, invoice, id_document)");
}

}  // namespace
}  // namespace smartocr::extract
