#include "eval/labelled_document.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "eval/eval.h"
#include "fixtures.h"

namespace smartocr::eval {
namespace {

LabelledDocument Receipt() {
  LabelledDocument doc;
  doc.file = "job_1.png";
  doc.doc_type = "receipt";
  doc.external_id = "r-17";
  doc.fields = {{"total", "amount", "7.50"},
                {"date", "date", "2024-03-12"},
                {"company", "string", "CORNER CAFE"}};
  core::LineItem item;
  item.description = "Bagel";
  item.amount = "4.00";
  doc.line_items.push_back(item);
  return doc;
}

TEST(LabelledDocument, RoundTrips) {
  auto back = LabelledDocumentFromJson(LabelledDocumentToJson(Receipt()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->file, "job_1.png");
  EXPECT_EQ(back->external_id, "r-17");
  ASSERT_EQ(back->fields.size(), 3u);
  EXPECT_EQ(back->fields[1].type, "date");
  ASSERT_EQ(back->line_items.size(), 1u);
  EXPECT_EQ(back->line_items[0].amount, "4.00");
}

TEST(LabelledDocument, OtherShapesAreCorruptLabels) {
  const nlohmann::json good = LabelledDocumentToJson(Receipt());
  std::vector<nlohmann::json> bad(8, good);
  bad[7]["format"] = 1;
  bad[0]["format"] = "smartocr-labelled-document/2";
  bad[1].erase("format");
  bad[2]["file"] = "../secret.png";
  bad[3]["file"] = "";
  bad[4]["fields"] = {{"total", "7.50"}};
  bad[5]["fields"][0]["value"] = 7.5;
  bad[6]["line_items"] = "Bagel";
  for (const nlohmann::json& j : bad) {
    auto label = LabelledDocumentFromJson(j);
    EXPECT_EQ(label.status().code(), core::StatusCode::kCorruptInput) << j.dump();
    EXPECT_EQ(label.status().reason(), "label");
  }
}

TEST(LabelledDocument, TheReviewedDatasetReadsAFolderOfThem) {
  const std::string dir = smartocr::testing::MakeTempDir();
  smartocr::testing::WriteFile(dir + "/job_1.json", LabelledDocumentToJson(Receipt()).dump());
  smartocr::testing::WriteFile(dir + "/job_1.png", "png bytes");
  smartocr::testing::WriteFile(dir + "/manifest.json", R"({"format": "smartocr-labelled-set/1"})");
  auto ds = LoadDataset("reviewed", dir);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  EXPECT_EQ(ds->schema, "receipt");
  ASSERT_EQ(ds->samples.size(), 1u);
  const Sample& s = ds->samples[0];
  EXPECT_EQ(s.stem, "job_1");
  EXPECT_EQ(s.input, (std::filesystem::path(dir) / "job_1.png").string());
  EXPECT_EQ(s.fields.at("total").kind, FieldKind::kAmount);
  EXPECT_EQ(s.fields.at("date").kind, FieldKind::kDate);
  EXPECT_EQ(s.fields.at("company").kind, FieldKind::kText);
  EXPECT_EQ(s.fields.at("company").value, "CORNER CAFE");

  // Two types in one set: the schema is auto. A broken label fails the load.
  LabelledDocument invoice = Receipt();
  invoice.doc_type = "invoice";
  invoice.file = "job_2.pdf";
  smartocr::testing::WriteFile(dir + "/job_2.json", LabelledDocumentToJson(invoice).dump());
  EXPECT_EQ(LoadDataset("reviewed", dir)->schema, "auto");
  smartocr::testing::WriteFile(dir + "/job_3.json",
                               R"({"format": "smartocr-labelled-document/1"})");
  EXPECT_EQ(LoadDataset("reviewed", dir).status().code(), core::StatusCode::kCorruptInput);
}

}  // namespace
}  // namespace smartocr::eval
