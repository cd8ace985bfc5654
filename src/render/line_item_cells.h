// src/render/line_item_cells.h
//
// Line items as named cells, so that the fields table, PATCH /ocr/jobs/{id}/fields and
// the review UI's grid treat each cell as a field: "line_items[R].COLUMN", R = 1, 2, ...
// in the result's order, COLUMN one of description, quantity, unit_price, amount.
#ifndef SMARTOCR_RENDER_LINE_ITEM_CELLS_H_
#define SMARTOCR_RENDER_LINE_ITEM_CELLS_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace smartocr::render {

inline constexpr std::array<std::string_view, 4> kLineItemColumns = {"description", "quantity",
                                                                     "unit_price", "amount"};
// The most rows a reviewer may address (rows past the last one add items).
inline constexpr int kMaxLineItemRows = 1000;

struct LineItemCell {
  int row = 0;  // 1-based
  std::string column;
};

std::string LineItemCellName(int row, std::string_view column);
// The cell `name` addresses; std::nullopt when it is not a cell name (an ordinary
// field), or names a column that does not exist or a row outside 1..kMaxLineItemRows.
std::optional<LineItemCell> ParseLineItemCell(std::string_view name);
// True for any name in the cell namespace ("line_items[" prefix), valid or not.
bool InLineItemNamespace(std::string_view name);

// One field per cell of doc's line items (every column, empty ones included), with
// the page and box of its row. The extractor gives items no confidence: 0, unchecked.
std::vector<core::Field> LineItemCells(const core::DocumentResult& doc);

// Moves the cell fields out of doc.fields and, when there were any, rebuilds
// doc.line_items from them in row order: rows whose cells are all empty are left out
// (that is how a reviewer deletes one); page and box come from the item of the same
// row as read. Without cell fields (results stored before cells existed) the items
// stay as read.
void LineItemsFromCells(core::DocumentResult& doc);

}  // namespace smartocr::render

#endif  // SMARTOCR_RENDER_LINE_ITEM_CELLS_H_
