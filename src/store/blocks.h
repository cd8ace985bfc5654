// src/store/blocks.h
//
// Turns a page's rendered "blocks" JSON array (render/json_render.cc: type, bbox,
// confidence, reading_order, lines[].text) into one row per block, so blocks can be
// queried in SQL. The page keeps the JSON as well, which stays the source of truth.
#ifndef SMARTOCR_STORE_BLOCKS_H_
#define SMARTOCR_STORE_BLOCKS_H_

#include <string>
#include <vector>

#include "core/status.h"

namespace smartocr::store::internal {

struct BlockRow {
  int reading_order = 0;
  std::string type;
  std::string bbox_json = "[]";  // [x0, y0, x1, y1] as rendered (normalized units)
  std::string text;              // the block's "text", else its lines' texts joined by \n
  double confidence = 0;
};

// kInvalidArgument "blocks_json" when the text is not a JSON array of objects.
// Missing members take defaults (reading_order: the block's index).
core::Result<std::vector<BlockRow>> ParseBlocks(const std::string& blocks_json);

}  // namespace smartocr::store::internal

#endif  // SMARTOCR_STORE_BLOCKS_H_
