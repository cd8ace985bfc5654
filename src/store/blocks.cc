// src/store/blocks.cc
#include "store/blocks.h"

#include <nlohmann/json.hpp>

namespace smartocr::store::internal {

namespace {

using Json = nlohmann::json;

std::string BlockText(const Json& block) {
  auto text = block.find("text");
  if (text != block.end() && text->is_string()) return text->get<std::string>();
  std::string out;
  auto lines = block.find("lines");
  if (lines == block.end() || !lines->is_array()) return out;
  for (const Json& line : *lines) {
    if (!line.is_object()) continue;
    auto line_text = line.find("text");
    if (line_text == line.end() || !line_text->is_string()) continue;
    if (!out.empty()) out += '\n';
    out += line_text->get<std::string>();
  }
  return out;
}

}  // namespace

core::Result<std::vector<BlockRow>> ParseBlocks(const std::string& blocks_json) {
  Json blocks = Json::parse(blocks_json, nullptr, /*allow_exceptions=*/false);
  if (!blocks.is_array()) {
    return core::InvalidArgument("blocks_json", "page blocks_json is not a JSON array");
  }
  std::vector<BlockRow> rows;
  rows.reserve(blocks.size());
  for (size_t i = 0; i < blocks.size(); ++i) {
    const Json& block = blocks[i];
    if (!block.is_object()) {
      return core::InvalidArgument("blocks_json",
                                   "page block " + std::to_string(i) + " is not a JSON object");
    }
    BlockRow row;
    row.reading_order = block.value("reading_order", static_cast<int>(i));
    row.type = block.value("type", std::string());
    auto bbox = block.find("bbox");
    if (bbox != block.end() && bbox->is_array()) row.bbox_json = bbox->dump();
    row.confidence = block.value("confidence", 0.0);
    row.text = BlockText(block);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace smartocr::store::internal
