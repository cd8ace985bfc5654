#include "render/line_item_cells.h"

#include <algorithm>
#include <charconv>
#include <map>

namespace smartocr::render {
namespace {

constexpr std::string_view kPrefix = "line_items[";

// The member of `item` (const or not) that holds `column`; nullptr for no column.
template <typename Item>
auto* Column(Item& item, std::string_view column) {
  using Text = decltype(&item.description);
  if (column == "description") return &item.description;
  if (column == "quantity") return &item.quantity;
  if (column == "unit_price") return &item.unit_price;
  if (column == "amount") return &item.amount;
  return static_cast<Text>(nullptr);
}

}  // namespace

std::string LineItemCellName(int row, std::string_view column) {
  return std::string(kPrefix) + std::to_string(row) + "]." + std::string(column);
}

bool InLineItemNamespace(std::string_view name) {
  return name.substr(0, kPrefix.size()) == kPrefix;
}

std::optional<LineItemCell> ParseLineItemCell(std::string_view name) {
  if (!InLineItemNamespace(name)) return std::nullopt;
  name.remove_prefix(kPrefix.size());
  const size_t close = name.find("].");
  if (close == std::string_view::npos || close == 0 || name[0] == '0') return std::nullopt;
  int row = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + close, row);
  if (ec != std::errc() || end != name.data() + close || row < 1 || row > kMaxLineItemRows) {
    return std::nullopt;
  }
  const std::string_view column = name.substr(close + 2);
  if (std::find(kLineItemColumns.begin(), kLineItemColumns.end(), column) ==
      kLineItemColumns.end()) {
    return std::nullopt;
  }
  return LineItemCell{row, std::string(column)};
}

std::vector<core::Field> LineItemCells(const core::DocumentResult& doc) {
  std::vector<core::Field> cells;
  int row = 0;
  for (const core::LineItem& item : doc.line_items) {
    ++row;
    for (std::string_view column : kLineItemColumns) {
      core::Field f;
      f.name = LineItemCellName(row, column);
      f.value = *Column(item, column);
      f.normalized = f.value;
      f.confidence = 0;
      f.page = item.page;
      f.bbox = item.bbox;
      f.engine_version = doc.engine.version;
      cells.push_back(std::move(f));
    }
  }
  return cells;
}

void LineItemsFromCells(core::DocumentResult& doc) {
  std::map<int, core::LineItem> rows;
  std::vector<core::Field> fields;
  for (core::Field& f : doc.fields) {
    if (!InLineItemNamespace(f.name)) {
      fields.push_back(std::move(f));
      continue;
    }
    std::optional<LineItemCell> cell = ParseLineItemCell(f.name);
    if (!cell) continue;
    core::LineItem& item = rows[cell->row];
    *Column(item, cell->column) = f.value;
  }
  const bool had_cells = fields.size() != doc.fields.size();
  doc.fields = std::move(fields);
  if (!had_cells) return;
  std::vector<core::LineItem> items;
  for (auto& [row, item] : rows) {
    if (item.description.empty() && item.quantity.empty() && item.unit_price.empty() &&
        item.amount.empty()) {
      continue;
    }
    if (row <= static_cast<int>(doc.line_items.size())) {
      item.page = doc.line_items[static_cast<size_t>(row - 1)].page;
      item.bbox = doc.line_items[static_cast<size_t>(row - 1)].bbox;
    }
    items.push_back(std::move(item));
  }
  doc.line_items = std::move(items);
}

}  // namespace smartocr::render
