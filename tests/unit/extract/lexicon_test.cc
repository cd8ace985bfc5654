// The field lexicon: its file format, the nearest-value rule tools/fields/build_lexicon.py
// fits with, and how receipt extraction applies it (corrected_from, confidence,
// extractor_version).
#include "extract/lexicon.h"

#include <gtest/gtest.h>

#include <string>

#include "doc_builder.h"
#include "extract/fields.h"
#include "fixtures.h"

namespace smartocr::extract {
namespace {

// A lexicon of companies ratio 0.1 (one edit per ten bytes read), confidence 0.9.
std::string LexiconJson(const std::string& values, double ratio = 0.1) {
  return R"({"format": "smartocr-field-lexicon/1", "version": "test-1", "fields": {
      "company": {"max_distance_ratio": )" +
         std::to_string(ratio) + R"(, "confidence": 0.9, "values": [)" + values + "]}}}";
}

std::shared_ptr<const FieldLexicon> MustParse(const std::string& json) {
  auto lexicon = FieldLexicon::Parse(json);
  EXPECT_TRUE(lexicon.ok()) << lexicon.status().ToString();
  return lexicon.ok() ? *lexicon : FieldLexicon::Empty();
}

TEST(FieldLexicon, RefusesWhatIsNotALexicon) {
  const char* bad[] = {
      "not json",
      "[]",
      R"({"format": "other/1", "version": "v", "fields": {}})",
      R"({"format": 1, "version": "v", "fields": {}})",
      R"({"format": "smartocr-field-lexicon/1", "fields": {}})",
      R"({"format": "smartocr-field-lexicon/1", "version": "v", "fields": {"company": {}}})",
      R"({"format": "smartocr-field-lexicon/1", "version": "v", "fields": {"company":
          {"max_distance_ratio": 2, "confidence": 0.5, "values": []}}})",
      R"({"format": "smartocr-field-lexicon/1", "version": "v", "fields": {"company":
          {"max_distance_ratio": 0.1, "confidence": 0.5, "values": [{"text": "A"}]}}})",
      R"({"format": "smartocr-field-lexicon/1", "version": "v", "fields": {"company":
          {"max_distance_ratio": 0.1, "confidence": 0.5, "values": [{"text": "A", "count": 0}]}}})",
  };
  for (const char* text : bad) {
    auto lexicon = FieldLexicon::Parse(text);
    ASSERT_FALSE(lexicon.ok()) << text;
    EXPECT_EQ(lexicon.status().code(), core::StatusCode::kCorruptInput) << text;
    EXPECT_EQ(lexicon.status().reason(), "lexicon_format") << text;
  }
}

TEST(FieldLexicon, MissingFileIsNotFound) {
  auto lexicon = FieldLexicon::Load(testing::MakeTempDir() + "/absent.json");
  ASSERT_FALSE(lexicon.ok());
  EXPECT_EQ(lexicon.status().reason(), "lexicon_missing");
}

TEST(FieldLexicon, BuiltInIsTheCommittedTrainingLexicon) {
  auto builtin = FieldLexicon::BuiltIn();
  ASSERT_FALSE(builtin->empty());
  EXPECT_EQ(builtin->version().rfind("sroie-train-", 0), 0u) << builtin->version();
  // A misread legal form of a company the training receipts name.
  auto match = builtin->Nearest("company", "UNIHAKKA INTERNATIONAL SON BHD");
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->text, "UNIHAKKA INTERNATIONAL SDN BHD");
  EXPECT_TRUE(FieldLexicon::Empty()->empty());
  EXPECT_FALSE(FieldLexicon::Empty()->Nearest("company", "UNIHAKKA INTERNATIONAL SON BHD"));
}

TEST(FieldLexicon, NearestWithinTheFittedDistance) {
  auto lexicon = MustParse(LexiconJson(R"({"text": "popular book co sdn bhd", "count": 2})"));
  // 22 bytes read at ratio 0.1: two edits allowed. Case and spacing are folded.
  auto one = lexicon->Nearest("company", "POPULAR  BOOK CO SON BHD");
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->text, "POPULAR BOOK CO SDN BHD");
  EXPECT_EQ(one->distance, 1);
  EXPECT_DOUBLE_EQ(one->confidence, 0.9);
  EXPECT_TRUE(lexicon->Nearest("company", "P0PULAR BOOK C0 S0N BHD") == std::nullopt);  // 3
  EXPECT_TRUE(lexicon->Nearest("company", "Popular Book Co Sdn Bhd") == std::nullopt);  // exact
  EXPECT_TRUE(lexicon->Nearest("address", "POPULAR BOOK CO SON BHD") == std::nullopt);  // field
  EXPECT_TRUE(lexicon->Nearest("company", "") == std::nullopt);
}

TEST(FieldLexicon, TiesGoToTheCommonerValueOrToNone) {
  auto by_count = MustParse(LexiconJson(
      R"({"text": "ABCDEFGHIJ KLMX", "count": 1}, {"text": "ABCDEFGHIJ KLMY", "count": 3})"));
  auto match = by_count->Nearest("company", "ABCDEFGHIJ KLMZ");
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->text, "ABCDEFGHIJ KLMY");
  auto even = MustParse(LexiconJson(
      R"({"text": "ABCDEFGHIJ KLMX", "count": 2}, {"text": "ABCDEFGHIJ KLMY", "count": 2})"));
  EXPECT_TRUE(even->Nearest("company", "ABCDEFGHIJ KLMZ") == std::nullopt);
}

core::DocumentResult ReceiptWithCompany(const std::string& company,
                                        std::shared_ptr<const FieldLexicon> lexicon) {
  core::DocumentResult doc = test_docs::Document(test_docs::Stacked(
      {company, "NO 5, JALAN SS2/64, 47300 PETALING JAYA", "TOTAL 12.00", "CASH 20.00"}));
  ExtractOptions options;
  options.schema = "receipt";
  options.lexicon = std::move(lexicon);
  EXPECT_TRUE(ExtractFields(doc, options).ok());
  return doc;
}

const core::Field* FieldNamed(const core::DocumentResult& doc, const std::string& name) {
  for (const core::Field& f : doc.fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

TEST(FieldLexicon, ReceiptCompanyIsCorrectedAndSaysSo) {
  auto lexicon = MustParse(LexiconJson(R"({"text": "POPULAR BOOK CO SDN BHD", "count": 2})"));
  core::DocumentResult doc = ReceiptWithCompany("POPULAR BOOKS CO SDN BHD", lexicon);
  const core::Field* company = FieldNamed(doc, "company");
  ASSERT_NE(company, nullptr);
  EXPECT_EQ(company->value, "POPULAR BOOK CO SDN BHD");
  EXPECT_EQ(company->normalized, "POPULAR BOOK CO SDN BHD");
  EXPECT_EQ(company->corrected_from, "POPULAR BOOKS CO SDN BHD");
  EXPECT_DOUBLE_EQ(company->confidence, 0.9);
  EXPECT_EQ(doc.extractor_version, "rules + lexicon " + lexicon->version());

  core::DocumentResult alone =
      ReceiptWithCompany("POPULAR BOOKS CO SDN BHD", FieldLexicon::Empty());
  ASSERT_NE(FieldNamed(alone, "company"), nullptr);
  EXPECT_EQ(FieldNamed(alone, "company")->value, "POPULAR BOOKS CO SDN BHD");
  EXPECT_EQ(FieldNamed(alone, "company")->corrected_from, "");
  EXPECT_EQ(alone.extractor_version, "rules");
}

TEST(FieldLexicon, OnlyReceiptsUseIt) {
  core::DocumentResult doc = test_docs::Document(
      test_docs::Stacked({"INVOICE", "POPULAR BOOK CO SON BHD", "Invoice No: 123", "Total 12.00"}));
  ExtractOptions options;
  options.schema = "invoice";
  options.lexicon = MustParse(LexiconJson(R"({"text": "POPULAR BOOK CO SDN BHD", "count": 2})"));
  ASSERT_TRUE(ExtractFields(doc, options).ok());
  EXPECT_EQ(doc.extractor_version, "rules");
  for (const core::Field& f : doc.fields) EXPECT_EQ(f.corrected_from, "") << f.name;
}

}  // namespace
}  // namespace smartocr::extract
