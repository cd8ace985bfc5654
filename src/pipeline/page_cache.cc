#include "pipeline/page_cache.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "core/version.h"

namespace smartocr::pipeline {
namespace {

using nlohmann::json;

// Streams fields into the hash with their lengths, so "ab"+"c" and "a"+"bc" differ.
class KeyHasher {
 public:
  KeyHasher() { crypto_generichash_init(&state_, nullptr, 0, crypto_generichash_BYTES); }
  void Bytes(const void* data, size_t size) {
    const auto length = static_cast<uint64_t>(size);
    crypto_generichash_update(&state_, reinterpret_cast<const unsigned char*>(&length),
                              sizeof(length));
    crypto_generichash_update(&state_, static_cast<const unsigned char*>(data), size);
  }
  void String(std::string_view s) { Bytes(s.data(), s.size()); }
  template <typename T>
  void Value(T v) {
    Bytes(&v, sizeof(v));
  }
  std::string HexDigest() {
    unsigned char digest[crypto_generichash_BYTES];
    crypto_generichash_final(&state_, digest, sizeof(digest));
    char hex[crypto_generichash_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
    return hex;
  }

 private:
  crypto_generichash_state state_;
};

void HashOptions(const preprocess::PreprocessOptions& o, KeyHasher& h) {
  for (bool b : {o.orientation, o.deskew, o.denoise, o.contrast, o.binarize, o.upscale}) {
    h.Value(b);
  }
  for (double d :
       {o.min_skew_deg, o.max_skew_deg, o.min_skew_drift_px, o.min_orientation_confidence,
        o.low_contrast_levels, o.noisy_speckles_per_mille, o.uneven_lighting_levels}) {
    h.Value(d);
  }
  h.Value(o.min_text_height_px);
  h.Value(o.osd_max_characters);
  h.String(o.tessdata_dir);
}

json Box(const core::BBox& b) { return json::array({b.x0, b.y0, b.x1, b.y1}); }

core::BBox ParseBox(const json& j) {
  return {j.at(0).get<double>(), j.at(1).get<double>(), j.at(2).get<double>(),
          j.at(3).get<double>()};
}

json EncodeLine(const core::Line& line) {
  json words = json::array();
  for (const core::Word& w : line.words) {
    words.push_back({{"t", w.text}, {"b", Box(w.box)}, {"c", w.confidence}});
  }
  return {{"b", Box(line.box)}, {"c", line.confidence}, {"w", std::move(words)}};
}

core::Line DecodeLine(const json& j) {
  core::Line line;
  line.box = ParseBox(j.at("b"));
  line.confidence = j.at("c").get<double>();
  for (const json& w : j.at("w")) {
    line.words.push_back(
        {w.at("t").get<std::string>(), ParseBox(w.at("b")), w.at("c").get<double>()});
  }
  return line;
}

core::BlockType BlockTypeFromInt(int v) {
  switch (v) {
    case static_cast<int>(core::BlockType::kTable):
      return core::BlockType::kTable;
    case static_cast<int>(core::BlockType::kFigure):
      return core::BlockType::kFigure;
    default:
      return core::BlockType::kText;
  }
}

core::PageResult DecodeOrThrow(const json& j) {
  if (j.at("format").get<std::string>() != "page/v1") throw std::runtime_error("format");
  core::PageResult p;
  p.number = j.at("number").get<int>();
  p.width = j.at("width").get<int>();
  p.height = j.at("height").get<int>();
  p.rotation = j.at("rotation").get<int>();
  p.skew_deg = j.at("skew_deg").get<double>();
  p.dpi = j.value("dpi", 0.0);
  p.dpi_source = core::DpiSourceFromName(j.value("dpi_source", ""));
  p.language = j.value("language", "");
  p.language_confidence = j.value("language_confidence", 0.0);
  p.source = j.at("source").get<int>() == static_cast<int>(core::PageSource::kPdfText)
                 ? core::PageSource::kPdfText
                 : core::PageSource::kOcr;
  for (const json& b : j.at("blocks")) {
    core::Block block;
    block.type = BlockTypeFromInt(b.at("type").get<int>());
    block.box = ParseBox(b.at("b"));
    block.confidence = b.at("c").get<double>();
    block.reading_order = b.at("order").get<int>();
    for (const json& l : b.at("lines")) block.lines.push_back(DecodeLine(l));
    p.blocks.push_back(std::move(block));
  }
  for (const json& t : j.at("tables")) {
    core::Table table;
    table.box = ParseBox(t.at("b"));
    for (const json& r : t.at("rows")) {
      std::vector<core::TableCell> row;
      for (const json& c : r) row.push_back({ParseBox(c.at("b")), c.at("t").get<std::string>()});
      table.rows.push_back(std::move(row));
    }
    p.tables.push_back(std::move(table));
  }
  p.text = j.at("text").get<std::string>();
  p.confidence = j.at("confidence").get<double>();
  for (const json& s : j.at("preprocess")) {
    p.preprocess.push_back({s.at("name").get<std::string>(), s.at("applied").get<bool>(),
                            s.at("value").get<double>(), s.at("detail").get<std::string>()});
  }
  p.timings_ms = j.at("timings_ms").get<std::map<std::string, double>>();
  return p;
}

}  // namespace

std::string PageCacheKey(const cv::Mat& image, double dpi, const core::EngineInfo& engine,
                         const preprocess::PreprocessOptions& options, std::string_view settings) {
  KeyHasher h;
  h.String("page/v1");
  h.String(core::kVersion);
#ifdef SMARTOCR_GIT_COMMIT
  h.String(SMARTOCR_GIT_COMMIT);
#endif
  h.String(engine.name);
  h.String(engine.version);
  HashOptions(options, h);
  h.String(settings);
  h.Value(dpi);
  h.Value(image.rows);
  h.Value(image.cols);
  h.Value(image.type());
  const size_t row_bytes = image.cols * image.elemSize();
  for (int y = 0; y < image.rows; ++y) h.Bytes(image.ptr(y), row_bytes);
  return "page/v1/" + h.HexDigest();
}

std::string EncodePageResult(const core::PageResult& p) {
  json blocks = json::array();
  for (const core::Block& b : p.blocks) {
    json lines = json::array();
    for (const core::Line& l : b.lines) lines.push_back(EncodeLine(l));
    blocks.push_back({{"type", static_cast<int>(b.type)},
                      {"b", Box(b.box)},
                      {"c", b.confidence},
                      {"order", b.reading_order},
                      {"lines", std::move(lines)}});
  }
  json tables = json::array();
  for (const core::Table& t : p.tables) {
    json rows = json::array();
    for (const auto& row : t.rows) {
      json cells = json::array();
      for (const core::TableCell& c : row) cells.push_back({{"b", Box(c.box)}, {"t", c.text}});
      rows.push_back(std::move(cells));
    }
    tables.push_back({{"b", Box(t.box)}, {"rows", std::move(rows)}});
  }
  json steps = json::array();
  for (const core::StepReport& s : p.preprocess) {
    steps.push_back(
        {{"name", s.name}, {"applied", s.applied}, {"value", s.value}, {"detail", s.detail}});
  }
  json j = {{"format", "page/v1"},
            {"number", p.number},
            {"width", p.width},
            {"height", p.height},
            {"rotation", p.rotation},
            {"skew_deg", p.skew_deg},
            {"dpi", p.dpi},
            {"dpi_source", core::DpiSourceName(p.dpi_source)},
            {"language", p.language},
            {"language_confidence", p.language_confidence},
            {"source", static_cast<int>(p.source)},
            {"blocks", std::move(blocks)},
            {"tables", std::move(tables)},
            {"text", p.text},
            {"confidence", p.confidence},
            {"preprocess", std::move(steps)},
            {"timings_ms", p.timings_ms}};
  // Invalid UTF-8 from an engine must not make the page uncacheable.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

core::Result<core::PageResult> DecodePageResult(std::string_view encoded) {
  json j = json::parse(encoded, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return core::Internal("page_cache", "cached page is not a JSON object");
  try {
    return DecodeOrThrow(j);
  } catch (const std::exception& e) {
    return core::Internal("page_cache", std::string("cached page is malformed: ") + e.what());
  }
}

}  // namespace smartocr::pipeline
