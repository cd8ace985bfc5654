// A tenant schema on a rendered page: a born-digital PDF with labels beside and above
// their values in two columns, read through the pipeline (its text layer, no OCR).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "extract/schema.h"
#include "fixtures.h"
#include "pipeline/pipeline.h"

namespace smartocr::extract {
namespace {

namespace fx = smartocr::testing;

class TextLayerOnly final : public recognize::Engine {
 public:
  const core::EngineInfo& info() const override { return info_; }
  core::Result<std::vector<core::Line>> Recognize(const cv::Mat&,
                                                  const recognize::RecognizeOptions&) override {
    return core::Internal("no_engine", "the test page has a text layer");
  }

 private:
  core::EngineInfo info_{"none", "0"};
};

TEST(SchemaFixture, PurchaseOrderByLabelGeometry) {
  std::string dir = fx::MakeTempDir();
  fx::FixturePage page;
  page.runs = {
      {"Northwind Traders", 72, 72, 18, true},
      {"PURCHASE ORDER", 380, 72, 14, true},
      {"P.O. #", 72, 130},
      {"PO-20931", 72, 148},  // below its label
      {"Order date", 250, 130},
      {"2025-03-14", 250, 148},
      {"Ship via", 420, 130},
      {"Courier", 420, 148},
      {"Buyer: Maria Lopez", 72, 200},
      {"Priority: Rush", 320, 200},
      {"Quantity ordered: 48", 72, 230},
      {"Total (EUR): 1.980,00", 72, 260},
  };
  fx::WritePdf(dir + "/po.pdf", {page});
  TextLayerOnly engine;
  pipeline::PipelineOptions po;
  po.threads = 1;
  pipeline::Pipeline pipeline(engine, po);
  auto doc = pipeline.Run(dir + "/po.pdf", nullptr);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();

  auto schema = ParseSchemaText(R"({
    "name": "purchase_order",
    "fields": [
      {"name": "po_number", "type": "regex", "pattern": "PO-[0-9]+", "labels": ["P.O. #", "PO Number"],
       "required": true},
      {"name": "order_date", "type": "date", "labels": ["Order date"]},
      {"name": "carrier", "labels": ["Ship via"]},
      {"name": "buyer", "labels": ["Buyer"]},
      {"name": "priority", "type": "enum", "labels": ["Priority"], "values": ["Normal", "Rush"]},
      {"name": "quantity", "type": "integer", "labels": ["Quantity ordered"],
       "validators": {"min": 1, "max": 10}},
      {"name": "total", "type": "amount", "labels": ["Total"], "validators": {"min": 0}},
      {"name": "approved_by", "labels": ["Approved by"], "required": true}
    ]})");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  ExtractOptions options;
  options.custom_schema = std::make_shared<Schema>(*schema);
  options.locale = "de-DE";
  options.today = {2025, 6, 1};
  ASSERT_TRUE(ExtractFields(*doc, options).ok());
  EXPECT_EQ(doc->doc_type, "purchase_order");
  std::map<std::string, core::Field> f;
  for (const core::Field& field : doc->fields) f[field.name] = field;
  EXPECT_EQ(f["po_number"].value, "PO-20931");
  EXPECT_EQ(f["po_number"].source, "pdf-text");
  EXPECT_EQ(f["order_date"].normalized, "2025-03-14");
  EXPECT_EQ(f["order_date"].validator_status, "valid");
  EXPECT_EQ(f["carrier"].value, "Courier");
  EXPECT_EQ(f["buyer"].value, "Maria Lopez");
  EXPECT_EQ(f["priority"].normalized, "Rush");
  EXPECT_EQ(f["quantity"].normalized, "48");
  EXPECT_EQ(f["quantity"].validator_status, "invalid");  // max 10
  EXPECT_EQ(f["total"].normalized, "1980.00");
  EXPECT_EQ(f["total"].validator_status, "valid");
  EXPECT_EQ(f["total"].page, 1);
  // The box is the value's, found below the label: its top is under the label's baseline.
  double px_per_pt = doc->pages[0].width / 612.0;
  EXPECT_GT(f["po_number"].bbox.y0, 132 * px_per_pt);
  EXPECT_LT(f["po_number"].bbox.y1, 152 * px_per_pt);
  EXPECT_EQ(f["approved_by"].validator_detail, "required");
  EXPECT_EQ(f["approved_by"].validator_status, "invalid");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace smartocr::extract
