// Fields as CSV (RFC 4180): one row per field, then one per line item.
#include <cstdio>

#include "render/render.h"
#include "render/render_internal.h"

namespace smartocr::render {
namespace {

std::string Cell(const std::string& raw) {
  std::string text = internal::SanitizeUtf8(raw);
  // A leading = + - @ makes spreadsheets run the cell as a formula.
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@')) {
    bool number = text.size() > 1 && text[0] == '-' &&
                  text.find_first_not_of("0123456789.,", 1) == std::string::npos;
    if (!number) text = "'" + text;
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", internal::RoundTo(v, 4));
  return buf;
}

}  // namespace

std::string RenderFieldsCsv(const core::DocumentResult& doc) {
  std::string out =
      "input,record,name,value,normalized,confidence,validator_status,page,"
      "description,quantity,unit_price,amount\r\n";
  std::string input = Cell(doc.input);
  for (const core::Field& f : doc.fields) {
    out += input + ",field," + Cell(f.name) + "," + Cell(f.value) + "," + Cell(f.normalized) + "," +
           Number(f.confidence) + "," + Cell(f.validator_status) + "," + std::to_string(f.page) +
           ",,,,\r\n";
  }
  for (const core::LineItem& item : doc.line_items) {
    out += input + ",line_item,,,,,," + std::to_string(item.page) + "," + Cell(item.description) +
           "," + Cell(item.quantity) + "," + Cell(item.unit_price) + "," + Cell(item.amount) +
           "\r\n";
  }
  return out;
}

}  // namespace smartocr::render
