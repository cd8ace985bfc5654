// The result JSON read back into a DocumentResult: the other direction of
// json_render.cc, for results that were stored (a job's result blob, the stage cache)
// and must be rendered again as text, hOCR, CSV or a searchable PDF, or turned into
// database rows. Every key RenderJson writes is read, so rendering a parsed document
// gives the bytes it was parsed from.
#include <nlohmann/json.hpp>

#include "render/render.h"

namespace smartocr::render {
namespace {

using nlohmann::json;

struct PageSize {
  double width = 0;
  double height = 0;
};

// Boxes are stored normalized to the page (0..1); the document holds pixels.
core::BBox Box(const json& j, PageSize size) {
  core::BBox b;
  if (!j.is_array() || j.size() != 4) return b;
  b.x0 = j[0].get<double>() * size.width;
  b.y0 = j[1].get<double>() * size.height;
  b.x1 = j[2].get<double>() * size.width;
  b.y1 = j[3].get<double>() * size.height;
  return b;
}

const json& Array(const json& j, const char* key) {
  static const json kEmpty = json::array();
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : kEmpty;
}

std::map<std::string, double> Timings(const json& j) {
  std::map<std::string, double> out;
  auto it = j.find("timings_ms");
  if (it == j.end() || !it->is_object()) return out;
  for (const auto& [stage, ms] : it->items()) out[stage] = ms.get<double>();
  return out;
}

core::Line ParseLine(const json& lj, PageSize size) {
  core::Line line;
  line.box = Box(lj.value("bbox", json()), size);
  line.confidence = lj.value("confidence", 0.0);
  for (const json& wj : Array(lj, "words")) {
    core::Word w;
    w.text = wj.value("text", "");
    w.box = Box(wj.value("bbox", json()), size);
    w.confidence = wj.value("confidence", 0.0);
    line.words.push_back(std::move(w));
  }
  return line;
}

core::Block ParseBlock(const json& bj, PageSize size) {
  core::Block block;
  const std::string type = bj.value("type", "text");
  block.type = type == "table"   ? core::BlockType::kTable
               : type == "image" ? core::BlockType::kFigure
                                 : core::BlockType::kText;
  block.box = Box(bj.value("bbox", json()), size);
  block.confidence = bj.value("confidence", 0.0);
  block.reading_order = bj.value("reading_order", 0);
  for (const json& lj : Array(bj, "lines")) block.lines.push_back(ParseLine(lj, size));
  return block;
}

core::Table ParseTable(const json& tj, PageSize size) {
  core::Table table;
  table.box = Box(tj.value("bbox", json()), size);
  for (const json& rj : Array(tj, "rows")) {
    std::vector<core::TableCell> row;
    for (const json& cj : rj) {
      row.push_back({Box(cj.value("bbox", json()), size), cj.value("text", "")});
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

core::PageResult ParsePage(const json& pj) {
  core::PageResult page;
  page.number = pj.value("number", 0);
  page.width = pj.value("width", 0);
  page.height = pj.value("height", 0);
  page.rotation = pj.value("rotation", 0);
  page.skew_deg = pj.value("skew_deg", 0.0);
  page.dpi = pj.value("dpi", 0.0);
  page.dpi_source = core::DpiSourceFromName(pj.value("dpi_source", ""));
  page.language = pj.value("language", "");
  page.language_confidence = pj.value("language_confidence", 0.0);
  page.source = pj.value("source", "ocr") == core::PageSourceName(core::PageSource::kPdfText)
                    ? core::PageSource::kPdfText
                    : core::PageSource::kOcr;
  page.text = pj.value("text", "");
  page.confidence = pj.value("confidence", 0.0);
  for (const json& sj : Array(pj, "preprocess")) {
    page.preprocess.push_back({sj.value("step", ""), sj.value("applied", false),
                               sj.value("value", 0.0), sj.value("detail", "")});
  }
  const PageSize size{static_cast<double>(page.width), static_cast<double>(page.height)};
  for (const json& bj : Array(pj, "blocks")) page.blocks.push_back(ParseBlock(bj, size));
  for (const json& tj : Array(pj, "tables")) page.tables.push_back(ParseTable(tj, size));
  page.timings_ms = Timings(pj);
  return page;
}

PageSize SizeOfPage(const core::DocumentResult& doc, int number) {
  for (const core::PageResult& p : doc.pages) {
    if (p.number == number) return {static_cast<double>(p.width), static_cast<double>(p.height)};
  }
  return {};
}

core::Field ParseField(const json& fj, const core::DocumentResult& doc) {
  core::Field f;
  f.name = fj.value("name", "");
  f.value = fj.value("value", "");
  f.normalized = fj.value("normalized", "");
  f.confidence = fj.value("confidence", 0.0);
  f.validator_status = fj.value("validator_status", "");
  f.validator_detail = fj.value("validator_detail", "");
  f.page = fj.value("page", 0);
  f.bbox = Box(fj.value("bbox", json()), SizeOfPage(doc, f.page));
  f.source = fj.value("source", "");
  f.engine_version = fj.value("engine_version", "");
  f.corrected_from = fj.value("corrected_from", "");
  f.needs_review = fj.value("needs_review", false);
  return f;
}

core::LineItem ParseItem(const json& ij, const core::DocumentResult& doc) {
  core::LineItem item;
  item.description = ij.value("description", "");
  item.quantity = ij.value("quantity", "");
  item.unit_price = ij.value("unit_price", "");
  item.amount = ij.value("amount", "");
  item.page = ij.value("page", 0);
  item.bbox = Box(ij.value("bbox", json()), SizeOfPage(doc, item.page));
  return item;
}

// Fields, line items and review: present only when extraction ran.
void ParseExtraction(const json& j, core::DocumentResult& doc) {
  if (!j.contains("fields")) return;
  doc.extracted = true;
  doc.doc_type = j.value("doc_type", "");
  doc.doc_type_confidence = j.value("doc_type_confidence", 0.0);
  doc.extractor_version = j.value("extractor_version", "");
  for (const json& fj : Array(j, "fields")) doc.fields.push_back(ParseField(fj, doc));
  for (const json& ij : Array(j, "line_items")) doc.line_items.push_back(ParseItem(ij, doc));
  if (auto it = j.find("review"); it != j.end() && it->is_object()) {
    doc.review_threshold = it->value("threshold", 0.0);
  }
}

void ParseRedaction(const json& j, core::DocumentResult& doc) {
  auto it = j.find("redaction");
  if (it == j.end() || !it->is_object()) return;
  for (const json& k : Array(*it, "kinds")) {
    if (k.is_string()) doc.redacted_kinds.push_back(k.get<std::string>());
  }
  doc.redacted_regions = it->value("regions", 0);
  for (const json& bj : Array(*it, "boxes")) {
    const int number = bj.value("page", 0);
    doc.redacted_boxes.push_back({number, Box(bj.value("bbox", json()), SizeOfPage(doc, number))});
  }
}

}  // namespace

core::Result<core::DocumentResult> ParseResultJson(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("pages") || !j["pages"].is_array()) {
    return core::Internal("result_json", "the stored result is not a result document");
  }
  try {
    core::DocumentResult doc;
    doc.input = j.value("input", "");
    doc.page_count = j.value("page_count", 0);
    if (auto it = j.find("engine"); it != j.end() && it->is_object()) {
      doc.engine.name = it->value("name", "");
      doc.engine.version = it->value("version", "");
    }
    for (const json& pj : j["pages"]) doc.pages.push_back(ParsePage(pj));
    ParseExtraction(j, doc);
    ParseRedaction(j, doc);
    for (const json& w : Array(j, "warnings")) {
      if (w.is_string()) doc.warnings.push_back(w.get<std::string>());
    }
    doc.timings_ms = Timings(j);
    return doc;
  } catch (const json::exception& e) {
    return core::Internal("result_json", std::string("bad result document: ") + e.what());
  }
}

}  // namespace smartocr::render
