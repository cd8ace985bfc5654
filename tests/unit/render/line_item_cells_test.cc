#include "render/line_item_cells.h"

#include <gtest/gtest.h>

namespace smartocr::render {
namespace {

core::DocumentResult TwoItems() {
  core::DocumentResult doc;
  doc.line_items.push_back({"Bagel", "2", "1.50", "3.00", 1, {10, 20, 300, 40}});
  doc.line_items.push_back({"Coffee", "", "", "4.50", 1, {10, 50, 300, 70}});
  return doc;
}

TEST(RenderLineItemCells, NamesParseBackAndOthersDoNot) {
  EXPECT_EQ(LineItemCellName(3, "unit_price"), "line_items[3].unit_price");
  auto cell = ParseLineItemCell("line_items[12].amount");
  ASSERT_TRUE(cell.has_value());
  EXPECT_EQ(cell->row, 12);
  EXPECT_EQ(cell->column, "amount");
  for (const char* bad : {"line_items[0].amount", "line_items[01].amount",
                          "line_items[1001].amount", "line_items[1].price", "line_items[].amount",
                          "line_items[1]amount", "line_items[-1].amount", "line_items[1x].amount",
                          "line_items[99999999999999999999].amount"}) {
    EXPECT_FALSE(ParseLineItemCell(bad).has_value()) << bad;
    EXPECT_TRUE(InLineItemNamespace(bad)) << bad;
  }
  EXPECT_FALSE(ParseLineItemCell("total").has_value());
  EXPECT_FALSE(InLineItemNamespace("total"));
  EXPECT_FALSE(InLineItemNamespace("line_items"));
}

TEST(RenderLineItemCells, CellsCarryTheirRowsPageAndBox) {
  const std::vector<core::Field> cells = LineItemCells(TwoItems());
  ASSERT_EQ(cells.size(), 8u);
  EXPECT_EQ(cells[0].name, "line_items[1].description");
  EXPECT_EQ(cells[0].value, "Bagel");
  EXPECT_EQ(cells[2].name, "line_items[1].unit_price");
  EXPECT_EQ(cells[2].value, "1.50");
  EXPECT_EQ(cells[5].name, "line_items[2].quantity");
  EXPECT_EQ(cells[5].value, "");
  EXPECT_EQ(cells[7].page, 1);
  EXPECT_EQ(cells[7].bbox.y0, 50);
  EXPECT_EQ(cells[7].confidence, 0);
  EXPECT_EQ(cells[7].validator_status, "unchecked");
}

TEST(RenderLineItemCells, ItemsAreRebuiltFromTheCells) {
  core::DocumentResult doc = TwoItems();
  core::Field total;
  total.name = "total";
  total.value = "7.50";
  doc.fields.push_back(total);
  for (core::Field& c : LineItemCells(doc)) doc.fields.push_back(c);
  // A reviewer corrects row 1's amount, clears row 2 and adds row 3.
  for (core::Field& f : doc.fields) {
    if (f.name == "line_items[1].amount") f.value = "3.10";
    if (f.name.rfind("line_items[2].", 0) == 0) f.value = "";
  }
  core::Field added;
  added.name = "line_items[3].description";
  added.value = "Tip";
  doc.fields.push_back(added);
  added.name = "line_items[3].amount";
  added.value = "1.00";
  doc.fields.push_back(added);
  LineItemsFromCells(doc);
  ASSERT_EQ(doc.fields.size(), 1u);
  EXPECT_EQ(doc.fields[0].name, "total");
  ASSERT_EQ(doc.line_items.size(), 2u);
  EXPECT_EQ(doc.line_items[0].description, "Bagel");
  EXPECT_EQ(doc.line_items[0].amount, "3.10");
  EXPECT_EQ(doc.line_items[0].bbox.y0, 20);  // the box as read
  EXPECT_EQ(doc.line_items[1].description, "Tip");
  EXPECT_EQ(doc.line_items[1].amount, "1.00");
  EXPECT_EQ(doc.line_items[1].page, 0);  // a row the reviewer added has no place
}

TEST(RenderLineItemCells, WithoutCellsTheItemsStayAsRead) {
  core::DocumentResult doc = TwoItems();
  LineItemsFromCells(doc);
  EXPECT_EQ(doc.line_items.size(), 2u);
}

}  // namespace
}  // namespace smartocr::render
