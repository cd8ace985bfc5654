#include "api/review.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "extract/extract.h"
#include "extract/fields.h"
#include "render/line_item_cells.h"

namespace smartocr::api {
namespace {

bool Contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

bool IsAmount(const std::string& name) {
  return Contains(name, "total") || Contains(name, "amount") || Contains(name, "tax") ||
         Contains(name, "subtotal");
}

// A line-item cell: quantities and prices are amounts; a cleared cell is unchecked.
void RevalidateCell(const render::LineItemCell& cell, store::FieldRecord* f) {
  if (cell.column == "description" || f->value.empty()) return;
  auto amount = extract::NormalizeAmount(f->value);
  f->normalized = amount.ok() ? amount->value : f->value;
  f->validator_status = amount.ok() ? "valid" : "invalid";
}

void Revalidate(store::FieldRecord* f) {
  f->normalized = f->value;
  f->validator_status = "unchecked";
  f->confidence = 1.0;
  if (std::optional<render::LineItemCell> cell = render::ParseLineItemCell(f->name)) {
    RevalidateCell(*cell, f);
  } else if (Contains(f->name, "date")) {
    auto date = extract::NormalizeDate(f->value);
    if (!date.ok()) {
      f->validator_status = "invalid";
      return;
    }
    f->normalized = date->iso;
    f->validator_status =
        extract::ValidityName(extract::ValidateDate(date->iso, extract::TodayUtc()).status);
  } else if (IsAmount(f->name)) {
    auto amount = extract::NormalizeAmount(f->value);
    f->normalized = amount.ok() ? amount->value : f->value;
    f->validator_status = amount.ok() ? "valid" : "invalid";
  } else if (Contains(f->name, "iban")) {
    f->validator_status = extract::ValidityName(extract::ValidateIban(f->value).status);
  }
}

// The number field `name` holds (its normalized value); with `valid_only`, not from a
// field whose validator failed.
std::optional<double> NumberOf(const std::vector<store::FieldRecord>& fields,
                               const std::string& name, bool valid_only) {
  for (const store::FieldRecord& f : fields) {
    if (f.name != name || (valid_only && f.validator_status == "invalid")) continue;
    char* end = nullptr;
    double v = std::strtod(f.normalized.c_str(), &end);
    if (end != f.normalized.c_str() && *end == '\0') return v;
  }
  return std::nullopt;
}

std::optional<double> AmountOf(const std::vector<store::FieldRecord>& fields, const char* name) {
  return NumberOf(fields, name, /*valid_only=*/true);
}

// A row a reviewer touched: quantity x unit price = amount decides its amount cell
// (to the cent) when all three are numbers, whatever the last check of it said.
void CheckRowArithmetic(int row, std::vector<store::FieldRecord>& fields) {
  auto cell = [&](std::string_view column) {
    return NumberOf(fields, render::LineItemCellName(row, column), /*valid_only=*/false);
  };
  const auto quantity = cell("quantity");
  const auto price = cell("unit_price");
  const auto amount = cell("amount");
  const std::string amount_name = render::LineItemCellName(row, "amount");
  if (!quantity || !price || !amount) return;
  for (store::FieldRecord& f : fields) {
    if (f.name != amount_name) continue;
    f.validator_status = extract::ItemRowAddsUp(*quantity, *price, *amount) ? "valid" : "invalid";
  }
}

}  // namespace

std::vector<store::FieldRecord> ApplyEdits(
    std::vector<store::FieldRecord> fields,
    const std::map<std::string, std::optional<std::string>>& edits) {
  for (const auto& edit : edits) {
    const std::string& name = edit.first;
    const std::optional<std::string>& value = edit.second;
    auto it = std::find_if(fields.begin(), fields.end(),
                           [&](const store::FieldRecord& f) { return f.name == name; });
    if (!value) {
      if (it != fields.end()) fields.erase(it);
      continue;
    }
    if (it == fields.end()) {
      fields.push_back(store::FieldRecord{});
      it = fields.end() - 1;
      it->name = name;
    }
    it->value = *value;
    it->source_model = "review";
    Revalidate(&*it);
  }
  std::set<int> rows;
  for (const auto& [name, unused] : edits) {
    if (auto cell = render::ParseLineItemCell(name)) rows.insert(cell->row);
  }
  for (int row : rows) CheckRowArithmetic(row, fields);
  // The totals' arithmetic decides over the whole set once a reviewer touched it.
  extract::AmountSet set;
  set.subtotal = AmountOf(fields, "subtotal");
  set.tax = AmountOf(fields, "tax");
  set.total = AmountOf(fields, "total");
  if (set.total && (set.subtotal || set.tax)) {
    const extract::Validation v = extract::ValidateAmounts(set);
    for (store::FieldRecord& f : fields) {
      if (f.name == "total" && f.source_model == "review") {
        f.validator_status = extract::ValidityName(v.status);
      }
    }
  }
  return fields;
}

}  // namespace smartocr::api
