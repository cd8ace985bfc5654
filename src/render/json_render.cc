// The JSON output (docs/output-schema.md). Every string is repaired to valid UTF-8 and
// every number made finite here, so the json value can be dumped by any caller without
// nlohmann throwing, and the same document always gives the same bytes.
#include <algorithm>
#include <string>

#include "render/render.h"
#include "render/render_internal.h"

namespace smartocr::render {

namespace {

using nlohmann::json;

constexpr int kBoxDecimals = 4;
constexpr int kConfidenceDecimals = 4;
constexpr int kMillisDecimals = 3;
constexpr int kValueDecimals = 4;
constexpr int kAngleDecimals = 3;

// Page size used to normalize boxes.
struct PageSize {
  double width = 0;
  double height = 0;
};

double Unit(double pixels, double extent) {
  if (!(extent > 0)) return 0;
  double v = internal::FiniteOrZero(pixels / extent);
  return internal::RoundTo(std::clamp(v, 0.0, 1.0), kBoxDecimals);
}

json Box(const core::BBox& box, PageSize size) {
  return json::array({Unit(box.x0, size.width), Unit(box.y0, size.height),
                      Unit(box.x1, size.width), Unit(box.y1, size.height)});
}

double Confidence(double value) {
  return internal::RoundTo(std::clamp(internal::FiniteOrZero(value), 0.0, 1.0),
                           kConfidenceDecimals);
}

std::string Str(const std::string& text) { return internal::SanitizeUtf8(text); }

json Timings(const std::map<std::string, double>& timings) {
  json out = json::object();
  for (const auto& [stage, ms] : timings) out[Str(stage)] = internal::RoundTo(ms, kMillisDecimals);
  return out;
}

json WordJson(const core::Word& word, PageSize size) {
  return {{"text", Str(word.text)},
          {"bbox", Box(word.box, size)},
          {"confidence", Confidence(word.confidence)}};
}

json LineJson(const core::Line& line, PageSize size) {
  json words = json::array();
  for (const core::Word& w : line.words) words.push_back(WordJson(w, size));
  return {{"bbox", Box(line.box, size)},
          {"text", Str(line.Text())},
          {"confidence", Confidence(line.confidence)},
          {"words", std::move(words)}};
}

json BlockJson(const core::Block& block, PageSize size) {
  json lines = json::array();
  for (const core::Line& l : block.lines) lines.push_back(LineJson(l, size));
  return {{"type", core::BlockTypeName(block.type)},
          {"bbox", Box(block.box, size)},
          {"confidence", Confidence(block.confidence)},
          {"reading_order", block.reading_order},
          {"lines", std::move(lines)}};
}

json TableJson(const core::Table& table, PageSize size) {
  json rows = json::array();
  for (const auto& row : table.rows) {
    json cells = json::array();
    for (const core::TableCell& cell : row) {
      cells.push_back({{"bbox", Box(cell.box, size)}, {"text", Str(cell.text)}});
    }
    rows.push_back(std::move(cells));
  }
  return {{"bbox", Box(table.box, size)}, {"rows", std::move(rows)}};
}

json StepJson(const core::StepReport& step) {
  return {{"step", Str(step.name)},
          {"applied", step.applied},
          {"value", internal::RoundTo(step.value, kValueDecimals)},
          {"detail", Str(step.detail)}};
}

json PageJson(const core::PageResult& page) {
  PageSize size{static_cast<double>(page.width), static_cast<double>(page.height)};
  json preprocess = json::array();
  for (const core::StepReport& s : page.preprocess) preprocess.push_back(StepJson(s));
  json blocks = json::array();
  for (const core::Block* b : internal::BlocksInReadingOrder(page)) {
    blocks.push_back(BlockJson(*b, size));
  }
  json tables = json::array();
  for (const core::Table& t : page.tables) tables.push_back(TableJson(t, size));
  return {{"number", page.number},
          {"width", page.width},
          {"height", page.height},
          {"rotation", page.rotation},
          {"skew_deg", internal::RoundTo(page.skew_deg, kAngleDecimals)},
          {"source", core::PageSourceName(page.source)},
          {"text", Str(internal::PageText(page))},
          {"confidence", Confidence(page.confidence)},
          {"preprocess", std::move(preprocess)},
          {"blocks", std::move(blocks)},
          {"tables", std::move(tables)},
          {"timings_ms", Timings(page.timings_ms)}};
}

}  // namespace

nlohmann::json ToJson(const core::DocumentResult& doc) {
  json pages = json::array();
  for (const core::PageResult& p : doc.pages) pages.push_back(PageJson(p));
  return {{"schema_version", "1"},
          {"input", Str(doc.input)},
          {"engine", {{"name", Str(doc.engine.name)}, {"version", Str(doc.engine.version)}}},
          {"page_count", doc.page_count},
          {"pages", std::move(pages)},
          {"timings_ms", Timings(doc.timings_ms)}};
}

std::string RenderJson(const core::DocumentResult& doc) {
  // ToJson already repaired every string; `replace` is a second guard so a dump can
  // never throw on output.
  return ToJson(doc).dump(2, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace) +
         "\n";
}

}  // namespace smartocr::render
